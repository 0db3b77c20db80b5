// dbd on a PostgreSQL server (run when DBD_TEST_PG names one): the samples give the same rate
// table and weekly report as on SQLite; 16 processes record at once with rate alongside and
// nothing is lost or duplicated; the write lock past its timeout names the holder; a password
// never appears in output or in the audit trail; PGPASSWORD works as with psql.
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyDatabase, onPostgres, pgDatabaseName, pgUrl, psql, TEST_PG } from '../helpers/backend.js';
import { runDbd, runJson, sampleDatabase, tempDir } from '../helpers/cli.js';
import { rows } from '../helpers/db.js';
import { hasStackTrace, runDbdAsync, type AsyncRun } from '../safety/helpers.js';

const TODAY = { DBD_TODAY: '2026-11-21' };

/** The suite's SQLite runs: these tests compare against files, whatever backend the suite is on. */
function onSqlite(args: string[], db: string) {
  return runDbd([...args, '--db', db], { env: { ...TODAY, DBD_TEST_PG: '' } });
}

/** A scratch database on the server, made for one test and its URL (no mapping from a path). */
function scratch(label: string): string {
  const name = `dbd_t_${label}_${process.pid}`;
  psql(`drop database if exists ${name} with (force)`);
  psql(`create database ${name}`);
  return pgUrl(name);
}

describe.skipIf(!onPostgres)('dbd on PostgreSQL', () => {
  let samples: string;
  let sqliteSamples: string;
  beforeAll(() => {
    samples = sampleDatabase(tempDir('dbd-pg-')); // on the server (the suite maps --db)
    // The same six imports into a file, with the mapping off.
    sqliteSamples = path.join(tempDir('dbd-pg-sqlite-'), 'samples.sqlite');
    for (const file of ['社区名单.csv', '单位党组织名册.xlsx', '在职党员花名册.xlsx', '报到登记.csv', '志愿服务记录.xlsx', '结对共建.xlsx']) {
      const result = onSqlite(['import', path.join('fixtures', 'demo', file)], sqliteSamples);
      expect(result.status, result.stderr).toBe(0);
    }
  }, 180_000);

  it('gives the same rate table and weekly report as SQLite on the samples', () => {
    const reports = [
      ['rate', '--json'],
      ['rate', '--by', 'unit', '--json'],
      ['rate', '--by', 'town', '--json'],
      ['rate', '--below', '0.9', '--json'],
      ['rate', '--as-of', '2026-06-30', '--json'],
      ['weekly-report', '--town', '--week', '2026-W46', '--json'],
      ['members', '--not-reported', '--json'],
      ['orgs', '--json'],
    ];
    for (const args of reports) {
      const onServer = runDbd([...args, '--db', samples], { env: TODAY });
      const onFile = onSqlite(args, sqliteSamples);
      expect(onServer.status, onServer.stderr).toBe(0);
      expect(onFile.status, onFile.stderr).toBe(0);
      const strip = (text: string) => JSON.stringify({ ...JSON.parse(text), generatedAt: undefined, database: undefined });
      expect(strip(onServer.stdout), args.join(' ')).toBe(strip(onFile.stdout));
    }
  }, 120_000);

  it('16 processes record check-ins and activities at once, rate alongside: nothing lost, nothing doubled, no error', async () => {
    const db = path.join(tempDir('dbd-pg-load-'), 'load.sqlite');
    copyDatabase(samples, db);
    const members = runJson<{ members: Array<{ idNumber: string; currentCommunity: string | null }> }>(['members', '--db', db, '--full-id'], { env: TODAY }).members;
    const communities = runJson<{ communities: Array<{ name: string }> }>(['communities', '--db', db], { env: TODAY }).communities.map((c) => c.name);
    const base = { checkins: count(db, 'checkins'), activities: count(db, 'activities'), audit: count(db, 'audit') };

    const PROCESSES = 16;
    const expected: Array<{ kind: 'checkin' | 'activity'; id: string; community: string; date: string }> = [];
    const jobs: Array<Promise<AsyncRun>> = [];
    for (let p = 0; p < PROCESSES; p++) {
      const member = members[p % members.length];
      // Not the member's current community (checking in there again changes nothing, SPEC §5),
      // and dated before any sample check-in: always a new record (history or first).
      const community = [0, 1].map((k) => communities[(p + k) % communities.length]).find((name) => name !== member.currentCommunity)!;
      const date = `2020-10-${String(1 + p).padStart(2, '0')}`;
      const activity = p % 2 === 1;
      expected.push({ kind: activity ? 'activity' : 'checkin', id: member.idNumber, community, date });
      const args = activity
        ? ['activity', member.idNumber, '--community', community, '--date', date, '--category', '并发测试', '--hours', '1']
        : ['checkin', member.idNumber, '--community', community, '--date', date];
      jobs.push(runDbdAsync([...args, '--db', db], TODAY));
    }
    // The same member checked in at the same community on the same day by four clerks at once:
    // recorded once, the others see it recorded.
    const twin = { id: members[20].idNumber, community: [3, 4].map((k) => communities[k]).find((name) => name !== members[20].currentCommunity)!, date: '2020-10-30' };
    for (let k = 0; k < 4; k++) jobs.push(runDbdAsync(['checkin', twin.id, '--community', twin.community, '--date', twin.date, '--db', db], TODAY));
    for (let k = 0; k < 3; k++) jobs.push(runDbdAsync(['rate', '--json', '--db', db], TODAY));

    const runs = await Promise.all(jobs);
    for (const run of runs) {
      expect(run.status, run.stderr).toBe(0);
      expect(hasStackTrace(run.stderr)).toBe(false);
    }
    for (const row of expected) {
      const table = row.kind === 'checkin' ? 'checkins' : 'activities';
      const found = rows<{ n: number }>(
        db,
        `select count(*) as n from ${table} x join members m on m.id = x.member_id join communities c on c.id = x.community_id where m.id_number = ? and c.name = ? and x.date = ?`,
        row.id,
        row.community,
        row.date,
      );
      expect(found[0].n, JSON.stringify(row)).toBe(1);
    }
    const twins = rows<{ n: number }>(db, 'select count(*) as n from checkins x join members m on m.id = x.member_id where m.id_number = ? and x.date = ?', twin.id, twin.date);
    expect(twins[0].n).toBe(1);
    const checkins = expected.filter((e) => e.kind === 'checkin').length + 1;
    expect(count(db, 'checkins')).toBe(base.checkins + checkins);
    expect(count(db, 'activities')).toBe(base.activities + expected.filter((e) => e.kind === 'activity').length);
    // One audit entry per command that changed something (the twins' repeats changed nothing).
    expect(count(db, 'audit')).toBe(base.audit + PROCESSES + 1);
    // Member facts agree with the history.
    const wrong = rows<{ n: number }>(
      db,
      `select count(*) as n from members m where coalesce(m.current_checkin_on, '') <> coalesce((select max(c.date) from checkins c where c.member_id = m.id and c.voided_at is null), '')`,
    );
    expect(wrong[0].n).toBe(0);
  }, 180_000);

  it('a write lock held past the timeout: exit 4 naming the dbd process that holds it', async () => {
    const db = path.join(tempDir('dbd-pg-lock-'), 'lock.sqlite');
    copyDatabase(samples, db);
    const dir = tempDir('dbd-pg-lock-files-');
    const big = path.join(dir, 'checkins.csv');
    const members = runJson<{ members: Array<{ idNumber: string; name: string }> }>(['members', '--db', db, '--full-id'], { env: TODAY }).members;
    // Another dbd process in the middle of a write, as the server shows it (see src/db/postgres.ts).
    const client = new pg.Client({ connectionString: pgUrl(pgDatabaseName(db)), application_name: 'dbd 4242 clerk dbd import roster.xlsx' });
    await client.connect();
    try {
      await client.query('begin');
      await client.query('select pg_advisory_xact_lock(1684169847)'); // dbd's write lock ("dbdw")
      fs.writeFileSync(big, `身份证号,姓名,报到社区,报到时间\r\n${members[0].idNumber},${members[0].name},文昌社区,2026-10-01\r\n`);
      const started = Date.now();
      const waiting = await runDbdAsync(['import', big, '--db', db], { ...TODAY, DBD_BUSY_TIMEOUT_MS: '800' });
      expect(waiting.status).toBe(4);
      expect(Date.now() - started).toBeLessThan(15_000);
      expect(waiting.stderr).toContain('4242');
      expect(waiting.stderr).toContain('dbd import roster.xlsx');
      expect(hasStackTrace(waiting.stderr)).toBe(false);
      // Readers are not held up.
      const reader = await runDbdAsync(['rate', '--json', '--db', db], TODAY);
      expect(reader.status, reader.stderr).toBe(0);
    } finally {
      await client.query('rollback').catch(() => undefined);
      await client.end();
    }
    // Released: the import goes through.
    expect(runDbd(['import', big, '--db', db], { env: TODAY }).status).toBe(0);
  }, 60_000);

  describe('credentials', () => {
    const ROLE = `dbd_t_clerk_${process.pid}`;
    const SECRET = 'Zz9-s3cret-口令';
    let url: URL;
    beforeAll(() => {
      psql(`drop role if exists ${ROLE}`);
      psql(`create role ${ROLE} login password '${SECRET}'`);
      psql(`grant ${ROLE} to current_user`); // to hand it a database of its own
      const base = new URL(scratch('cred'));
      psql(`alter database ${base.pathname.slice(1)} owner to ${ROLE}`);
      url = new URL(base.toString());
      url.username = ROLE;
      url.password = SECRET; // the URL setter percent-encodes it
      url.hostname = url.hostname === 'localhost' ? '127.0.0.1' : url.hostname; // a password login, not a local socket
    });
    afterAll(() => {
      psql(`drop database if exists ${url.pathname.slice(1)} with (force)`);
      psql(`drop role if exists ${ROLE}`);
    });
    const noSecret = (run: { stdout: string; stderr: string }) => {
      expect(run.stdout).not.toContain(SECRET);
      expect(run.stderr).not.toContain(SECRET);
      expect(run.stdout + run.stderr).not.toContain(encodeURIComponent(SECRET));
    };

    it('a password in the URL is never printed, nor kept in the audit trail', () => {
      const imported = runDbd(['import', path.join('fixtures', 'demo', '社区名单.csv'), '--db', url.toString()], { env: TODAY });
      expect(imported.status, imported.stderr).toBe(0);
      noSecret(imported);
      expect(imported.stdout).toContain('***');
      const log = runDbd(['log', '--db', url.toString(), '--json'], { env: TODAY });
      expect(log.status, log.stderr).toBe(0);
      noSecret(log);
      const stored = psql(`select string_agg(command, ' ') from audit`, url.pathname.slice(1));
      expect(stored).toContain('***');
      expect(stored).not.toContain(encodeURIComponent(SECRET));
    });

    it('a wrong password is exit 4 with a message, the password not shown', () => {
      const wrong = new URL(url.toString());
      wrong.password = 'not-the-password';
      const run = runDbd(['rate', '--db', wrong.toString()], { env: TODAY });
      expect(run.status).toBe(4);
      expect(run.stderr).toMatch(/拒绝登录|密码/);
      expect(run.stderr).not.toContain('not-the-password');
      expect(hasStackTrace(run.stderr)).toBe(false);
    });

    it('PGPASSWORD and ~/.pgpass supply the password as with psql', () => {
      const bare = new URL(url.toString());
      bare.password = '';
      const viaEnv = runDbd(['rate', '--json', '--db', bare.toString()], { env: { ...TODAY, PGPASSWORD: SECRET } });
      expect(viaEnv.status, viaEnv.stderr).toBe(0);
      const home = tempDir('dbd-pg-home-');
      const passfile = path.join(home, '.pgpass');
      fs.writeFileSync(passfile, `${bare.hostname}:${bare.port || 5432}:*:${ROLE}:${SECRET}\n`, { mode: 0o600 });
      const viaFile = runDbd(['rate', '--json', '--db', bare.toString()], { env: { ...TODAY, HOME: home, PGPASSFILE: passfile } });
      expect(viaFile.status, viaFile.stderr).toBe(0);
    });
  });

  it('a server that is not there, or a database that does not exist: exit 4 with a message', () => {
    const server = new URL(TEST_PG!);
    const noDb = new URL(server.toString());
    noDb.pathname = '/dbd_t_no_such_database';
    const missing = runDbd(['rate', '--db', noDb.toString()], { env: TODAY });
    expect(missing.status).toBe(4);
    expect(missing.stderr).toContain('dbd_t_no_such_database');
    const closed = new URL(server.toString());
    closed.port = '1';
    const refused = runDbd(['rate', '--db', closed.toString()], { env: TODAY });
    expect(refused.status).toBe(4);
    expect(refused.stderr).toMatch(/无法连接/);
    for (const run of [missing, refused]) expect(hasStackTrace(run.stderr)).toBe(false);
  });

  it('another program\'s tables in the current schema: refused (exit 4); in another schema: not dbd\'s business', () => {
    const other = scratch('other');
    psql('create table ledger (x int)', new URL(other).pathname.slice(1));
    const refused = runDbd(['members', '--db', other], { env: TODAY, asGiven: true });
    expect(refused.status).toBe(4);
    expect(psql("select count(*) from information_schema.tables where table_name = 'members'", new URL(other).pathname.slice(1)).trim()).toBe('0');
    const beside = scratch('beside');
    psql('create schema extension_data; create table extension_data.t (x int)', new URL(beside).pathname.slice(1));
    const used = runDbd(['members', '--db', beside], { env: TODAY, asGiven: true });
    expect(used.status, used.stderr).toBe(0);
    for (const url of [other, beside]) psql(`drop database if exists ${new URL(url).pathname.slice(1)} with (force)`);
  });

  it('dbd backup and dbd restore point to pg_dump and dbd copy', () => {
    const backup = runDbd(['backup', path.join(tempDir(), 'b.sqlite'), '--db', samples], { env: TODAY });
    expect(backup.status).toBe(2);
    expect(backup.stderr).toContain('dbd copy');
    const restore = runDbd(['restore', path.join(tempDir(), 'b.sqlite'), '--db', samples], { env: TODAY });
    expect(restore.status).toBe(2);
    expect(restore.stderr).toContain('dbd copy');
  });
});

function count(db: string, table: string): number {
  return rows<{ n: number }>(db, `select count(*) as n from ${table}`)[0].n;
}

