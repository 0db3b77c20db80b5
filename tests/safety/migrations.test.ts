// Databases written by every earlier schema version (fixtures/migrations/v<NNNN>.sqlite, frozen
// by fixtures/migrations/freeze.ts before each new migration) open with this build: upgraded,
// every row of every table intact. A database from a newer dbd is refused (exit 4), untouched.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { onPostgres } from '../helpers/backend.js';
import { migrations } from '../../src/db/migrations/index.js';
import { ROOT, runDbd, tempDir } from '../helpers/cli.js';
import { copyOfSamples, prepareSamples, fileDigest, integrity, withDb } from './helpers.js';

beforeAll(prepareSamples, 120_000);

const FIXTURES = path.join(ROOT, 'fixtures', 'migrations');
const versions = fs.readdirSync(FIXTURES).filter((name) => /^v\d{4}\.sqlite$/.test(name)).sort();

type Rows = Record<string, Array<Record<string, unknown>>>;

function allRows(file: string): Rows {
  return withDb(file, (db) => {
    const tables = db.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%' order by name").all() as Array<{ name: string }>;
    return Object.fromEntries(tables.map(({ name }) => [name, db.prepare(`select * from "${name}" order by rowid`).all() as Array<Record<string, unknown>>]));
  });
}

// The fixtures are SQLite files of earlier versions; no PostgreSQL database predates this schema.
describe.skipIf(onPostgres)('databases of earlier schema versions', () => {
  it('there is a frozen database for the first version at least', () => {
    expect(versions).toContain('v0001.sqlite');
  });

  it('the newest frozen version is not newer than this build', () => {
    const known = Object.keys(migrations).map((name) => name.slice(0, 4));
    for (const version of versions) expect(known).toContain(version.slice(1, 5));
  });

  for (const version of versions) {
    it(`${version} opens with this build, upgraded, with every row intact`, () => {
      const dir = tempDir('dbd-migrate-');
      const db = path.join(dir, version);
      fs.copyFileSync(path.join(FIXTURES, version), db);
      const before = allRows(db);
      expect(before.members.length).toBeGreaterThan(0);

      const result = runDbd(['members', '--all', '--json', '--full-id', '--db', db]);
      expect(result.status, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout).count).toBe(before.members.length);

      expect(integrity(db)).toBe('ok');
      const applied = withDb(db, (handle) => (handle.prepare('select name from kysely_migration order by name').all() as Array<{ name: string }>).map((row) => row.name));
      expect(applied).toEqual(Object.keys(migrations).sort());

      // Every old row is still there with the same values in every column it had (new columns
      // may be added; old audit rows are kept and at most one upgrade entry is added).
      const after = allRows(db);
      for (const [table, rows] of Object.entries(before)) {
        expect(after[table], `table ${table}`).toBeDefined();
        const byId = new Map(after[table].map((row) => [row.id, row]));
        for (const row of rows) {
          const now = byId.get(row.id);
          expect(now, `${table} row ${String(row.id)}`).toBeDefined();
          for (const [column, value] of Object.entries(row)) expect(now![column], `${table}.${column} of row ${String(row.id)}`).toEqual(value);
        }
        if (table !== 'audit') expect(after[table].length, `rows of ${table}`).toBe(rows.length);
      }

      // The member facts added by later migrations are filled in from what the rows hold: the
      // unit of the member's organisation, and the town of the current check-in's community,
      // else of the residence (0003).
      const facts = withDb(
        db,
        (handle) =>
          handle
            .prepare(
              `select m.id, m.unit_id, m.place_town_id, o.unit_id as org_unit,
                 (select c.town_id from communities c where c.id = coalesce(m.current_community_id, m.residence_community_id)) as town
               from members m join orgs o on o.id = m.org_id order by m.id`,
            )
            .all() as Array<{ id: number; unit_id: number; place_town_id: number | null; org_unit: number; town: number | null }>,
      );
      expect(facts.filter((f) => f.place_town_id !== null).length).toBeGreaterThan(0);
      for (const f of facts) expect({ id: f.id, unit: f.unit_id, town: f.place_town_id }).toEqual({ id: f.id, unit: f.org_unit, town: f.town });
    });
  }
});

describe.skipIf(onPostgres)('a database written by a newer dbd', () => {
  function futureDatabase(): string {
    const db = copyOfSamples();
    const native = new Database(db);
    native.prepare('insert into kysely_migration (name, timestamp) values (?, ?)').run('9999_from_a_newer_dbd', new Date().toISOString());
    native.close();
    return db;
  }

  for (const args of [['members'], ['import', path.join(ROOT, 'fixtures', 'demo', '报到登记.csv')], ['log'], ['backup', 'BACKUP']]) {
    it(`is refused by dbd ${args[0]} with exit 4 and left untouched`, () => {
      const db = futureDatabase();
      const digest = fileDigest(db);
      const target = path.join(path.dirname(db), 'backup.sqlite');
      const result = runDbd([...args.map((arg) => (arg === 'BACKUP' ? target : arg)), '--db', db, '--lang', 'en']);
      expect(result.status, result.stderr).toBe(4);
      expect(result.stderr).toMatch(/newer dbd/);
      expect(result.stderr).toContain('9999_from_a_newer_dbd');
      expect(result.stderr).not.toMatch(/^\s+at /m);
      expect(fileDigest(db)).toBe(digest);
      expect(fs.existsSync(`${db}-wal`) && fs.statSync(`${db}-wal`).size > 0).toBe(false);
      expect(fs.existsSync(target)).toBe(false);
    });
  }
});

describe.skipIf(onPostgres)("another program's SQLite database", () => {
  function foreignDatabase(): string {
    const db = path.join(tempDir(), 'other.sqlite');
    const native = new Database(db);
    native.exec("create table t (x); insert into t values ('theirs')");
    native.close();
    return db;
  }

  for (const args of [['members'], ['import', path.join(ROOT, 'fixtures', 'demo', '社区名单.csv')], ['checkin', '方龙', '--community', '白沙社区'], ['copy', '--from', 'SAMPLES']]) {
    it(`is refused by dbd ${args[0]} with exit 4, not given dbd's tables, left byte for byte as it was`, () => {
      const db = foreignDatabase();
      const digest = fileDigest(db);
      const result = runDbd([...args.map((arg) => (arg === 'SAMPLES' ? copyOfSamples() : arg)), '--db', db, '--lang', 'en']);
      expect(result.status, result.stderr).toBe(4);
      expect(result.stderr).toContain(`${db} is an SQLite database but not a dbd database`);
      expect(fileDigest(db)).toBe(digest);
      expect(fs.readdirSync(path.dirname(db))).toEqual(['other.sqlite']);
    });
  }

  it('an empty file is set up as a new database', () => {
    const db = path.join(tempDir(), 'empty.sqlite');
    fs.writeFileSync(db, '');
    const result = runDbd(['import', path.join(ROOT, 'fixtures', 'demo', '社区名单.csv'), '--db', db]);
    expect(result.status, result.stderr).toBe(0);
    expect(integrity(db)).toBe('ok');
  });
});
