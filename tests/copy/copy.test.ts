// dbd copy: a whole database between SQLite files and PostgreSQL, ids kept, counts checked, into
// an empty target only, all or nothing. The PostgreSQL half runs when DBD_TEST_PG names a server
// (e.g. postgres://dbd:dbd@127.0.0.1:5432/postgres) on which the role may create databases.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setInvocation } from '../../src/db/audit.js';
import { COPIED_TABLES, copyDatabase } from '../../src/db/copy.js';
import { fileRows, withDb } from '../helpers/db.js';
import { runDbd as runOnBackend, runJson as runJsonOnBackend, sampleDatabase, tempDir } from '../helpers/cli.js';

// These tests name their backends themselves (files, and URLs of scratch databases).
const runDbd = (args: string[], options: Parameters<typeof runOnBackend>[1] = {}) => runOnBackend(args, { ...options, asGiven: true });
const runJson = <T = any>(args: string[], options: Parameters<typeof runOnBackend>[1] = {}) => runJsonOnBackend<T>(args, { ...options, asGiven: true });

const TODAY = '2026-11-21';
const ENV = { DBD_TODAY: TODAY };
const DATA_TABLES = COPIED_TABLES.filter((table) => table !== 'audit');

let samples: string;
beforeAll(() => {
  samples = sampleDatabase(tempDir('dbd-copy-'), TODAY, { asGiven: true });
}, 120_000);

function copyOfSamples(): string {
  const file = path.join(tempDir('dbd-copy-'), 'town.sqlite');
  fs.copyFileSync(samples, file);
  return file;
}

/** Every row of every table, in id order, of an SQLite file. */
function tableRows(file: string, table: string): unknown[] {
  return fileRows(file, `select * from ${table} order by id`);
}

/** A copy adds one audit entry of its own: the copied trail is the target's trail without it. */
function expectSameContent(original: string, copy: string, copies = 1): void {
  for (const table of DATA_TABLES) expect(tableRows(copy, table), table).toEqual(tableRows(original, table));
  const trail = tableRows(copy, 'audit');
  expect(trail.slice(0, trail.length - copies)).toEqual(tableRows(original, 'audit'));
  const added = trail.slice(trail.length - copies) as Array<{ command: string }>;
  for (const entry of added) expect(entry.command).toMatch(/^dbd copy /);
}

/** What the reports say of a database: the rate table and one week's report. */
function reports(db: string): unknown {
  return {
    rate: runJson(['rate', '--db', db], { env: ENV }),
    weekly: runJson(['weekly-report', '--week', '2026-W46', '--db', db], { env: ENV }),
  };
}

describe('dbd copy between SQLite files', () => {
  it('copies every table with its ids, even an organisation whose parent comes later', async () => {
    const source = copyOfSamples();
    // A parent with a higher id than its child: the copy must not insert the child first.
    const native = new Database(source);
    const highest = (native.prepare('select max(id) as id from orgs').get() as { id: number }).id;
    native.prepare('update orgs set parent_id = ? where id = 1').run(highest);
    native.close();

    const target = path.join(tempDir('dbd-copy-'), 'copy.sqlite');
    // Pages of 7 rows: every table spans several pages and several parent batches.
    const progress: number[] = [];
    setInvocation(['copy', '--db', source, '--to', target]); // the audit trail's command line
    const result = await copyDatabase(source, target, { pageRows: 7, onProgress: (p) => progress.push(p.copied) });
    expect(result.counts.members).toBe(84);
    expect(result.total).toBe(COPIED_TABLES.reduce((sum, table) => sum + result.counts[table], 0));
    expect(progress.at(-1)).toBe(result.total);
    expectSameContent(source, target);
    expect(fileRows(target, 'select parent_id from orgs where id = 1')).toEqual([{ parent_id: highest }]);
  });

  it('dbd copy --to and --from: the same content and the same reports, counts in --json', () => {
    const there = path.join(tempDir('dbd-copy-'), 'there.sqlite');
    const doc = runJson(['copy', '--db', samples, '--to', there]);
    expect(doc).toMatchObject({ from: samples, to: there, tables: { members: 84, checkins: 74, activities: 40, orgs: 14 } });
    expect(doc.total).toBe(Object.values(doc.tables as Record<string, number>).reduce((a, b) => a + b, 0));
    expectSameContent(samples, there);

    const back = path.join(tempDir('dbd-copy-'), 'back.sqlite');
    const human = runDbd(['copy', '--from', there, '--db', back]);
    expect(human.status, human.stderr).toBe(0);
    expect(human.stdout).toContain('党员 84 名');
    expectSameContent(samples, back, 2);
    expect(reports(back)).toEqual(reports(samples));
  });

  it('exactly one of --to and --from; never onto itself (usage errors, exit 2)', () => {
    expect(runDbd(['copy', '--db', samples]).status).toBe(2);
    expect(runDbd(['copy', '--db', samples, '--to', 'a.sqlite', '--from', 'b.sqlite']).status).toBe(2);
    const itself = runDbd(['copy', '--db', samples, '--to', samples]);
    expect(itself.status).toBe(2);
    expect(itself.stderr).toContain('同一个数据库');
  });

  it('refuses a target that holds data and leaves it untouched', () => {
    const target = copyOfSamples();
    const before = fs.readFileSync(target);
    const result = runDbd(['copy', '--db', samples, '--to', target, '--lang', 'en']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('is not empty');
    expect(fs.readFileSync(target).equals(before)).toBe(true);
  });

  it('a target file that is a folder or lies under a file is wrong usage (exit 2) naming it, with nothing written', () => {
    const dir = tempDir('dbd-copy-');
    fs.mkdirSync(path.join(dir, 'folder'));
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'notes');
    const cases: Array<[string[], RegExp]> = [
      [['--db', samples, '--to', path.join(dir, 'folder')], /folder is a folder, not an output file/],
      [['--db', samples, '--to', path.join(dir, 'notes.txt', 'copy.sqlite')], /cannot write .*notes\.txt\/copy\.sqlite: .*notes\.txt is a file, not a folder/],
      [['--db', path.join(dir, 'folder'), '--from', samples], /folder is a folder, not an output file/],
    ];
    for (const [args, message] of cases) {
      const result = runDbd(['copy', ...args, '--lang', 'en']);
      expect(result.status, result.stderr).toBe(2);
      expect(result.stderr).toMatch(message);
    }
    expect(fs.readdirSync(dir).sort()).toEqual(['folder', 'notes.txt']);
    expect(fs.readdirSync(path.join(dir, 'folder'))).toEqual([]);
  });

  it('a damaged source is a database error (exit 4) naming the source, and creates no target file', () => {
    const source = copyOfSamples();
    // Pages of the tables scribbled over: the file opens, and the copy meets them half-way.
    const bytes = fs.readFileSync(source);
    bytes.fill(0xff, 60_000, 68_000);
    fs.writeFileSync(source, bytes);
    const dir = tempDir('dbd-copy-');
    const target = path.join(dir, 'copy.sqlite');
    for (const args of [['--db', target, '--from', source], ['--db', source, '--to', target]]) {
      const result = runDbd(['copy', ...args, '--lang', 'en']);
      expect(result.status, result.stderr).toBe(4);
      expect(result.stderr).toContain(`database file ${source} is corrupt`);
      expect(result.stderr).toContain('dbd restore');
      expect(fs.readdirSync(dir)).toEqual([]);
    }
  });

  it('a missing source is a database error and creates no target file', () => {
    const dir = tempDir('dbd-copy-');
    const result = runDbd(['copy', '--db', path.join(dir, 'missing.sqlite'), '--to', path.join(dir, 'copy.sqlite')]);
    expect(result.status).toBe(4);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

const SERVER = process.env.DBD_TEST_PG;

describe.skipIf(!SERVER)('dbd copy with PostgreSQL', () => {
  const created: string[] = [];
  let admin: pg.Client;

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: SERVER });
    await admin.connect();
  });

  afterAll(async () => {
    for (const name of created) await admin.query(`drop database if exists "${name}" with (force)`);
    await admin?.end();
  });

  /** A new, empty database on the test server; its URL. */
  async function scratchDatabase(): Promise<string> {
    const name = `dbd_copy_${process.pid}_${Date.now().toString(36)}_${created.length}`;
    await admin.query(`create database "${name}"`);
    created.push(name);
    const url = new URL(SERVER!);
    url.pathname = `/${name}`;
    return url.toString();
  }

  async function counts(url: string): Promise<Record<string, number>> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const result: Record<string, number> = {};
      for (const table of COPIED_TABLES) result[table] = Number((await client.query(`select count(*) as n from ${table}`)).rows[0].n);
      return result;
    } finally {
      await client.end();
    }
  }

  it('SQLite → PostgreSQL → SQLite gives the same content, the same reports and the same counts', async () => {
    const server = await scratchDatabase();
    const there = runJson(['copy', '--db', samples, '--to', server]);
    const sampleCounts = Object.fromEntries(COPIED_TABLES.map((table) => [table, withDb(samples, (db) => (db.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n)]));
    expect(there.tables).toEqual(sampleCounts);
    expect(await counts(server)).toEqual({ ...sampleCounts, audit: sampleCounts.audit + 1 });
    expect(reports(server)).toEqual(reports(samples));

    const back = path.join(tempDir('dbd-copy-'), 'back.sqlite');
    const home = runJson(['copy', '--from', server, '--db', back]);
    expect(home.tables).toEqual({ ...sampleCounts, audit: sampleCounts.audit + 1 });
    expectSameContent(samples, back, 2);
    expect(reports(back)).toEqual(reports(samples));
  });

  it('refuses a server database that holds data and leaves it untouched', async () => {
    const server = await scratchDatabase();
    expect(runDbd(['copy', '--db', samples, '--to', server]).status).toBe(0);
    const before = await counts(server);
    const again = runDbd(['copy', '--db', samples, '--to', server]);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('不是空库');
    expect(await counts(server)).toEqual(before);
  });

  it('a wrong password is a database error (exit 4) that never shows the password', async () => {
    const server = new URL(await scratchDatabase());
    server.password = 'not-the-password-7f3a';
    const result = runDbd(['copy', '--db', samples, '--to', server.toString()]);
    expect(result.status).toBe(4);
    expect(result.stdout + result.stderr).not.toContain('not-the-password-7f3a');
    expect(result.stderr).toContain('***');
  });

  it('after the copy, new rows on the server take new ids (sequences follow the copied ids)', async () => {
    const server = await scratchDatabase();
    expect(runDbd(['copy', '--db', samples, '--to', server]).status).toBe(0);
    const checkin = runDbd(['checkin', '340104198505266011', '--community', '青山社区', '--date', '2026-11-20', '--db', server], { env: ENV });
    expect(checkin.status, checkin.stderr).toBe(0);
    const client = new pg.Client({ connectionString: server });
    await client.connect();
    try {
      const newest = (await client.query('select id, member_id, date from checkins order by id desc limit 1')).rows[0];
      const highest = withDb(samples, (db) => (db.prepare('select max(id) as id from checkins').get() as { id: number }).id);
      expect(newest).toMatchObject({ id: highest + 1, date: '2026-11-20' });
    } finally {
      await client.end();
    }
  });

  it('the advice of dbd backup and dbd restore on a server holds: copy --to a file, copy --from a file', async () => {
    const server = await scratchDatabase();
    expect(runDbd(['copy', '--db', samples, '--to', server]).status).toBe(0);
    const backup = runDbd(['backup', 'x.sqlite', '--db', server]);
    expect(backup.status).toBe(2);
    expect(backup.stderr).toContain('dbd copy --to');
    const file = path.join(tempDir('dbd-copy-'), 'kept.sqlite');
    expect(runDbd(['copy', '--db', server, '--to', file]).status).toBe(0);
    expect(reports(file)).toEqual(reports(samples));

    const empty = await scratchDatabase();
    const restore = runDbd(['restore', file, '--db', empty]);
    expect(restore.status).toBe(2);
    expect(restore.stderr).toContain('dbd copy --from');
    expect(runDbd(['copy', '--from', file, '--db', empty]).status).toBe(0);
    expect(reports(empty)).toEqual(reports(samples));
  });
});
