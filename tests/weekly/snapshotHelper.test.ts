// The snapshot helper (db/open.ts readSnapshot, db/snapshotWorker.ts): a worker thread reading the
// same state of an SQLite file as the command's own connection, so that a large weekly report
// runs on two cores. The compiled build is used (the worker exists only as JavaScript), and
// DBD_READ_WORKER=always starts it whatever the database's size.
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { onPostgres } from '../helpers/backend.js';
import { ROOT, runDbd, sampleDatabase, tempDir } from '../helpers/cli.js';

type OpenModule = typeof import('../../src/db/open.js');
type DbHandle = import('../../src/db/open.js').DbHandle;
type DatabaseSchema = import('../../src/db/schema.js').Database;
const built = (): Promise<OpenModule> => import(path.join(ROOT, 'dist', 'src', 'db', 'open.js'));

describe.skipIf(onPostgres)('snapshot helper', () => {
  let db: string;
  const setting = process.env.DBD_READ_WORKER;
  beforeEach(() => {
    db = sampleDatabase(tempDir(), '2026-11-21', { asGiven: true });
    process.env.DBD_READ_WORKER = 'always';
  });
  afterEach(() => {
    if (setting === undefined) delete process.env.DBD_READ_WORKER;
    else process.env.DBD_READ_WORKER = setting;
  });

  it('gives the weekly report the same text read on two threads as on one', () => {
    for (const args of [['--town'], [], ['--town', '--week', '2026-W45'], ['--week', '2026-W47'], ['--town', '--week', '2025-W52']]) {
      const run = (worker: string) => runDbd(['weekly-report', ...args, '--json', '--db', db], { env: { DBD_TODAY: '2026-11-21', DBD_READ_WORKER: worker }, asGiven: true });
      const split = run('always');
      const alone = run('never');
      expect(split.status, split.stderr).toBe(0);
      expect(split.stdout, args.join(' ')).toBe(alone.stdout);
      expect(JSON.parse(split.stdout).rows.length).toBeGreaterThan(0);
      // The JSON alone is read and written town by town; with a file too, from the whole report.
      const withFile = runDbd(['weekly-report', ...args, '--json', '--out', path.join(tempDir(), '周报.xlsx'), '--db', db], { env: { DBD_TODAY: '2026-11-21' }, asGiven: true });
      expect(withFile.stdout, `${args.join(' ')} --out`).toBe(split.stdout);
    }
  });

  /** The built handle on the test database and a second connection, a writer with this busy
   * timeout; both closed after fn. */
  async function withConnections(writerTimeout: number, fn: (handle: DbHandle, writer: Database.Database) => Promise<void>): Promise<void> {
    const { openDatabase } = await built();
    const handle = await openDatabase(db, { mustExist: true, reporting: true });
    const writer = new Database(db, { timeout: writerTimeout });
    try {
      await fn(handle, writer);
    } finally {
      writer.close();
      await handle.close();
    }
  }
  const townCount = (kysely: Kysely<DatabaseSchema>) => kysely.selectFrom('towns').select((eb) => eb.fn.countAll<number>().as('n'));

  it('reads the state of the moment it began, on both connections, while others write', () =>
    withConnections(5000, async (handle, writer) => {
      const towns = townCount(handle.db);
      const before = Number((await towns.executeTakeFirstOrThrow()).n);
      await handle.readSnapshot(
        async (kysely, readers) => {
          expect(readers.helper).toBeDefined();
          expect([...(await readers.helper!.numbers([towns]))[0]]).toEqual([before]);
          // Committed after both began: seen by neither.
          writer.prepare('insert into towns (name) values (?)').run('新加镇');
          expect([...(await readers.helper!.numbers([towns]))[0]]).toEqual([before]);
          expect([...(await readers.local.numbers([towns]))[0]]).toEqual([before]);
          expect(Number((await townCount(kysely).executeTakeFirstOrThrow()).n)).toBe(before);
        },
        { helper: { large: true } },
      );
      expect(Number((await towns.executeTakeFirstOrThrow()).n)).toBe(before + 1);
    }));

  it('lets writers go on once the helper has begun', () =>
    withConnections(0, async (handle, writer) => {
      await handle.readSnapshot(
        async (kysely, readers) => {
          await readers.helper!.numbers([townCount(kysely)]);
          // No waiting: the write lock is free again.
          writer.prepare('insert into towns (name) values (?)').run('又一镇');
        },
        { helper: { large: true } },
      );
    }));

  it('reads on one thread when another process holds the write lock', () =>
    withConnections(5000, async (handle, writer) => {
      writer.exec('BEGIN IMMEDIATE');
      const helper = await handle.readSnapshot(async (_db, readers) => readers.helper, { helper: { large: true } });
      expect(helper).toBeUndefined();
      writer.exec('ROLLBACK');
      expect(await handle.readSnapshot(async (_db, readers) => readers.helper !== undefined, { helper: { large: true } })).toBe(true);
    }));

  it("passes on SQLite's own error from the helper", () =>
    withConnections(5000, async (handle) => {
      const missing = handle.db.selectFrom('no_such_table' as 'towns').select('id');
      await handle.readSnapshot(
        async (_db, readers) => {
          await expect(readers.helper!.numbers([missing])).rejects.toMatchObject({ code: 'SQLITE_ERROR', message: expect.stringContaining('no_such_table') });
        },
        { helper: { large: true } },
      );
    }));

  it('starts only when the report wishes for one and the database is large, or DBD_READ_WORKER=always', () =>
    withConnections(5000, async (handle) => {
      const started = (helper: false | { large: boolean }) => handle.readSnapshot(async (_db, readers) => readers.helper !== undefined, { helper });
      expect([await started(false), await started({ large: false }), await started({ large: true })]).toEqual([false, true, true]);
      delete process.env.DBD_READ_WORKER;
      expect([await started(false), await started({ large: false }), await started({ large: true })]).toEqual([false, false, true]);
      process.env.DBD_READ_WORKER = 'never';
      expect([await started(false), await started({ large: false }), await started({ large: true })]).toEqual([false, false, false]);
    }));
});
