// Several dbd processes on one database at once: writers wait their turn (WAL, busy timeout,
// BEGIN IMMEDIATE), readers and backups are not blocked, nobody sees "database is locked", every
// row arrives, and every backup is a consistent snapshot. A lock held past the timeout is exit 4
// with a message naming the process to wait for, or saying how to retry.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { onPostgres } from '../helpers/backend.js';
import { setInvocation } from '../../src/db/audit.js';
import { openDatabase } from '../../src/db/open.js';
import { writerNotePath } from '../../src/db/writerNote.js';
import { ROOT, runJson, tempDir } from '../helpers/cli.js';
import { copyOfSamples, prepareSamples, countRows, hasStackTrace, integrity, runDbdAsync, withDb, type AsyncRun } from './helpers.js';

beforeAll(prepareSamples, 120_000);

const WRITERS = 8;
const COMMANDS_PER_WRITER = 2;
const LOCKED = /database is locked|SQLITE_BUSY|数据库.*占用|locked/i;

interface Member { idNumber: string; name: string }

let members: Member[];
let communities: string[];

beforeAll(() => {
  const db = copyOfSamples();
  members = runJson<{ members: Member[] }>(['members', '--db', db, '--full-id']).members;
  communities = runJson<{ communities: Array<{ name: string }> }>(['communities', '--db', db]).communities.map((c) => c.name);
}, 120_000);

/** Rows added per table, summed over the audit entries after the first `skip` ones. */
function auditedAdditions(db: string, skip: number): Record<string, number> {
  return withDb(db, (native) => {
    const rows = native.prepare('select summary from audit order by id').all() as Array<{ summary: string }>;
    const sums: Record<string, number> = {};
    for (const row of rows.slice(skip)) {
      for (const [table, n] of Object.entries((JSON.parse(row.summary) as { added: Record<string, number> }).added)) sums[table] = (sums[table] ?? 0) + n;
    }
    return sums;
  });
}

/** A snapshot is consistent when every member's stored current check-in matches its history. */
function memberFactsConsistent(db: string): boolean {
  return withDb(db, (native) => {
    const wrong = native
      .prepare(
        `select count(*) as n from members m
         where coalesce(m.current_checkin_on, '') <> coalesce((select max(c.date) from checkins c where c.member_id = m.id and c.voided_at is null), '')`,
      )
      .get() as { n: number };
    return wrong.n === 0;
  });
}

// SQLite's file locking and WAL; tests/postgres has the same load on a server.
describe.skipIf(onPostgres)('many processes on one database', () => {
  it(`${WRITERS} writers recording check-ins and activities, with rate, listings, imports and backups alongside`, async () => {
    const dir = tempDir('dbd-concurrent-');
    const db = copyOfSamples(dir);
    const base = { checkins: countRows(db, 'checkins'), activities: countRows(db, 'activities'), audit: countRows(db, 'audit') };

    // Each writer records its own check-ins and activities: distinct (member, community, date).
    const expected: Array<{ kind: 'checkin' | 'activity'; id: string; community: string; date: string }> = [];
    const writer = async (w: number): Promise<AsyncRun[]> => {
      const runs: AsyncRun[] = [];
      for (let k = 0; k < COMMANDS_PER_WRITER; k++) {
        const member = members[(w * COMMANDS_PER_WRITER + k) % members.length];
        const community = communities[(w + k) % communities.length];
        const date = `2026-10-${String(1 + w * COMMANDS_PER_WRITER + k).padStart(2, '0')}`;
        const activity = k % 2 === 1;
        expected.push({ kind: activity ? 'activity' : 'checkin', id: member.idNumber, community, date });
        const args = activity
          ? ['activity', member.idNumber, '--community', community, '--date', date, '--category', '并发测试', '--hours', '1']
          : ['checkin', member.idNumber, '--community', community, '--date', date];
        runs.push(await runDbdAsync([...args, '--db', db]));
      }
      return runs;
    };

    // Two bulk imports of check-ins at the same time.
    const importFile = (n: number) => {
      const file = path.join(dir, `checkins-${n}.csv`);
      const rows = members.slice(40 + n * 10, 50 + n * 10).map((m, i) => {
        const community = communities[(n + i) % communities.length];
        const date = `2026-09-${String(1 + i + n * 10).padStart(2, '0')}`;
        expected.push({ kind: 'checkin', id: m.idNumber, community, date });
        return `${m.idNumber},${m.name},${community},${date}`;
      });
      fs.writeFileSync(file, `身份证号,姓名,报到社区,报到时间\r\n${rows.join('\r\n')}\r\n`);
      return file;
    };
    const imports = [importFile(0), importFile(1)];

    const backups = [path.join(dir, 'backup-1.sqlite'), path.join(dir, 'backup-2.sqlite')];
    const readers = async (): Promise<AsyncRun[]> => {
      const runs: AsyncRun[] = [];
      runs.push(await runDbdAsync(['rate', '--json', '--db', db]));
      runs.push(await runDbdAsync(['backup', backups[0], '--db', db]));
      runs.push(await runDbdAsync(['members', '--json', '--db', db]));
      runs.push(await runDbdAsync(['backup', backups[1], '--db', db]));
      return runs;
    };

    const all = (
      await Promise.all([
        ...Array.from({ length: WRITERS }, (_, w) => writer(w)),
        ...imports.map((file) => runDbdAsync(['import', file, '--db', db]).then((run) => [run])),
        readers(),
      ])
    ).flat();

    for (const run of all) {
      expect(run.status, run.stderr).toBe(0);
      expect(run.stderr).not.toMatch(LOCKED);
      expect(hasStackTrace(run.stderr)).toBe(false);
    }
    expect(all.length).toBe(WRITERS * COMMANDS_PER_WRITER + imports.length + 4);

    // Every row is there.
    withDb(db, (native) => {
      const checkin = native.prepare('select count(*) as n from checkins c join members m on m.id = c.member_id join communities k on k.id = c.community_id where m.id_number = ? and k.name = ? and c.date = ?');
      const activity = native.prepare('select count(*) as n from activities a join members m on m.id = a.member_id join communities k on k.id = a.community_id where m.id_number = ? and k.name = ? and a.date = ?');
      for (const row of expected) expect((( row.kind === 'checkin' ? checkin : activity).get(row.id, row.community, row.date) as { n: number }).n, JSON.stringify(row)).toBe(1);
    });
    const added = { checkins: expected.filter((e) => e.kind === 'checkin').length, activities: expected.filter((e) => e.kind === 'activity').length };
    expect(countRows(db, 'checkins')).toBe(base.checkins + added.checkins);
    expect(countRows(db, 'activities')).toBe(base.activities + added.activities);
    expect(countRows(db, 'audit')).toBe(base.audit + WRITERS * COMMANDS_PER_WRITER + imports.length);
    expect(integrity(db)).toBe('ok');
    expect(memberFactsConsistent(db)).toBe(true);

    // Each backup is a consistent snapshot of some moment: sound, its member facts agree with
    // its check-ins, and its audit trail accounts for exactly the rows it holds.
    for (const backup of backups) {
      expect(integrity(backup)).toBe('ok');
      expect(memberFactsConsistent(backup)).toBe(true);
      const audited = auditedAdditions(backup, base.audit);
      expect(countRows(backup, 'checkins') - base.checkins).toBe(audited.checkins ?? 0);
      expect(countRows(backup, 'activities') - base.activities).toBe(audited.activities ?? 0);
    }
  }, 180_000);
});

describe('first use of a new database by several processes at once', () => {
  it('creates and migrates it once; every process succeeds', async () => {
    const db = path.join(tempDir('dbd-first-'), 'new.sqlite');
    const communitiesFile = path.join(ROOT, 'fixtures', 'demo', '社区名单.csv');
    const runs = await Promise.all(Array.from({ length: 6 }, () => runDbdAsync(['import', communitiesFile, '--db', db])));
    for (const run of runs) {
      expect(run.status, run.stderr).toBe(0);
      expect(run.stderr).not.toMatch(LOCKED);
    }
    expect(countRows(db, 'communities')).toBe(12);
    expect(countRows(db, 'audit')).toBe(1);
    expect(countRows(db, 'kysely_migration')).toBeGreaterThan(0);
  }, 120_000);
});

describe.skipIf(onPostgres)('a write lock held past the timeout', () => {
  it('by another program: exit 4 saying how to retry; readers are not blocked', async () => {
    const db = copyOfSamples();
    const holder = new Database(db);
    holder.pragma('journal_mode = WAL');
    holder.exec('BEGIN IMMEDIATE');
    try {
      const member = members[0];
      const blocked = await runDbdAsync(['checkin', member.idNumber, '--community', communities[0], '--date', '2026-11-20', '--db', db, '--lang', 'en'], { DBD_BUSY_TIMEOUT_MS: '300' });
      expect(blocked.status, blocked.stderr).toBe(4);
      expect(blocked.stderr).toContain('DBD_BUSY_TIMEOUT_MS');
      expect(blocked.stderr).toMatch(/retry/);
      expect(blocked.stderr).toMatch(/not a running dbd command|other program/i);
      // One story: the holder is not dbd, so no line may say a dbd process holds it.
      expect(blocked.stderr).not.toMatch(/dbd process/i);
      const zh = await runDbdAsync(['checkin', member.idNumber, '--community', communities[0], '--date', '2026-11-20', '--db', db], { DBD_BUSY_TIMEOUT_MS: '300' });
      expect(zh.status, zh.stderr).toBe(4);
      expect(zh.stderr).toContain('占用数据库的不是正在运行的 dbd 命令');
      expect(zh.stderr).not.toContain('dbd 进程');
      expect(hasStackTrace(blocked.stderr)).toBe(false);
      const reader = await runDbdAsync(['members', '--json', '--db', db], { DBD_BUSY_TIMEOUT_MS: '300' });
      expect(reader.status, reader.stderr).toBe(0);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    const retried = await runDbdAsync(['checkin', members[0].idNumber, '--community', communities[0], '--date', '2026-11-20', '--db', db]);
    expect(retried.status, retried.stderr).toBe(0);
  });

  it('by a dbd writer: exit 4 naming its process and command', async () => {
    // This test process is the writer, through the same DbHandle.writeTransaction every dbd
    // command uses: it holds the lock for as long as the blocked command needs, no race.
    const db = copyOfSamples();
    const handle = await openDatabase(db);
    setInvocation(['import', '在职党员花名册.xlsx', '--db', db]);
    let blocked: AsyncRun | undefined;
    try {
      await handle.writeTransaction(async () => {
        await handle.db.insertInto('towns').values({ name: '测试镇' }).execute();
        blocked = await runDbdAsync(['checkin', members[0].idNumber, '--community', communities[0], '--date', '2026-11-20', '--db', db, '--lang', 'en'], { DBD_BUSY_TIMEOUT_MS: '200' });
      });
    } finally {
      await handle.close();
    }
    expect(blocked!.status, blocked!.stderr).toBe(4);
    expect(blocked!.stderr).toContain(`process ${process.pid}`);
    expect(blocked!.stderr).toContain('dbd import 在职党员花名册.xlsx');
    expect(blocked!.stderr).toMatch(/Wait for it to finish and retry/);
    expect(hasStackTrace(blocked!.stderr)).toBe(false);
    expect(fs.existsSync(writerNotePath(db)), 'the note goes with the transaction').toBe(false);
    expect(countRows(db, 'towns')).toBe(4);
  });
});
