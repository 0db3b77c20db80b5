// dbd backup and dbd restore: private, checked copies; a restore never replaces a database by a
// damaged, foreign or newer file, never without --force, and keeps the database it replaces.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { onPostgres } from '../helpers/backend.js';
import { BIN, ROOT, runDbd, runJson, tempDir } from '../helpers/cli.js';
import { contentDigest, copyOfSamples, prepareSamples, countRows, fileDigest, integrity } from './helpers.js';

beforeAll(prepareSamples, 120_000);

const mode = (file: string) => fs.statSync(file).mode & 0o777;

/** Run dbd under a permissive umask, so that 0600 cannot come from the umask. */
function dbdUnderUmask(args: string[]): { status: number; stderr: string; stdout: string } {
  try {
    const stdout = execFileSync('sh', ['-c', 'umask 000; exec "$0" "$@"', process.execPath, BIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, LANG: '', LC_ALL: '', NO_COLOR: '1' },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return { status: 0, stdout, stderr: '' };
  } catch (error) {
    const failed = error as { status: number; stderr: string; stdout: string };
    return { status: failed.status, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** Digest of the data tables only (a restore adds its own audit entry). */
function dataDigest(file: string): string {
  const copy = path.join(tempDir(), 'data.sqlite');
  fs.copyFileSync(file, copy);
  const native = new Database(copy);
  native.prepare('delete from audit').run();
  native.close();
  return contentDigest(copy);
}

// Backups and restores are of SQLite files; on PostgreSQL dbd backup and restore refuse and point to
// pg_dump and dbd copy (tests/postgres).
describe.skipIf(onPostgres)('dbd backup', () => {
  it('writes a complete copy readable by its owner only, and says what it holds', () => {
    const db = copyOfSamples();
    const target = path.join(path.dirname(db), 'backups', 'copy.sqlite');
    const result = dbdUnderUmask(['backup', target, '--db', db, '--json']);
    expect(result.status, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ file: path.resolve(target), integrity: 'ok', members: 84, checkins: 74, activities: 40 });
    expect(mode(target)).toBe(0o600);
    expect(integrity(target)).toBe('ok');
    expect(contentDigest(target)).toBe(contentDigest(db));
  });

  it('into a folder: a file named by the database and the time', () => {
    const db = copyOfSamples();
    const folder = path.join(path.dirname(db), 'daily');
    fs.mkdirSync(folder);
    const report = runJson<{ file: string }>(['backup', folder, '--db', db]);
    expect(path.dirname(report.file)).toBe(folder);
    expect(path.basename(report.file)).toMatch(/^dbd-\d{8}-\d{6}\.sqlite$/);
    expect(contentDigest(report.file)).toBe(contentDigest(db));
  });

  it('into a folder within the same second as an earlier backup: the next free name, -2', () => {
    const db = copyOfSamples();
    const folder = path.join(path.dirname(db), 'daily');
    fs.mkdirSync(folder);
    // Backups already made in this second and the next 30, whichever second the run falls in.
    const pad = (n: number) => String(n).padStart(2, '0');
    const stamp = (d: Date) => `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}-${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}`;
    const now = Date.now();
    for (let s = 0; s <= 30; s++) fs.writeFileSync(path.join(folder, `dbd-${stamp(new Date(now + s * 1000))}.sqlite`), 'an earlier backup');
    const first = runJson<{ file: string }>(['backup', folder, '--db', db]);
    const second = runJson<{ file: string }>(['backup', `${folder}/`, '--db', db]);
    expect(path.basename(first.file)).toMatch(/^dbd-\d{8}-\d{6}-2\.sqlite$/);
    expect(path.basename(second.file)).toMatch(/^dbd-\d{8}-\d{6}-[23]\.sqlite$/);
    expect(second.file).not.toBe(first.file);
    expect(contentDigest(first.file)).toBe(contentDigest(db));
    expect(contentDigest(second.file)).toBe(contentDigest(db));
    const earlier = fs.readdirSync(folder).filter((name) => /^dbd-\d{8}-\d{6}\.sqlite$/.test(name));
    expect(earlier).toHaveLength(31);
    for (const name of earlier) expect(fs.readFileSync(path.join(folder, name), 'utf8')).toBe('an earlier backup');
  });

  it('to a path that is empty or lies under a file: exit 2 naming it, nothing written', () => {
    const db = copyOfSamples();
    const dir = path.dirname(db);
    const before = fs.readdirSync(dir).sort();
    const cases: Array<[string, RegExp]> = [
      ['', /output path is empty/],
      [`${db}/x.sqlite`, /cannot write .*dbd\.sqlite\/x\.sqlite: .*dbd\.sqlite is a file, not a folder/],
      [`${db}/`, /cannot write .*dbd\.sqlite\/: .*dbd\.sqlite is a file, not a folder/],
    ];
    for (const [target, message] of cases) {
      const result = runDbd(['backup', target, '--db', db, '--lang', 'en']);
      expect(result.status, `${target}: ${result.stderr}`).toBe(2);
      expect(result.stderr).toMatch(message);
    }
    expect(fs.readdirSync(dir).sort()).toEqual(before);
    expect(integrity(db)).toBe('ok');
  });

  it('of a damaged database: exit 4 naming the database; no backup file left, an older one kept', () => {
    const db = copyOfSamples();
    const bytes = fs.readFileSync(db);
    bytes.fill(0xff, 40_000, 48_000);
    fs.writeFileSync(db, bytes);
    const dir = tempDir();
    const target = path.join(dir, 'out.sqlite');
    const result = runDbd(['backup', target, '--db', db, '--lang', 'en']);
    expect(result.status, result.stderr).toBe(4);
    expect(result.stderr).toContain(db);
    expect(result.stderr).not.toContain('out.sqlite');
    expect(fs.readdirSync(dir)).toEqual([]);
    fs.writeFileSync(target, 'an older backup');
    expect(runDbd(['backup', target, '--db', db, '--force']).status).toBe(4);
    expect(fs.readdirSync(dir)).toEqual(['out.sqlite']);
    expect(fs.readFileSync(target, 'utf8')).toBe('an older backup');
  });

  it('does not overwrite an existing file without --force, nor the database itself', () => {
    const db = copyOfSamples();
    const target = path.join(path.dirname(db), 'old.sqlite');
    fs.writeFileSync(target, 'an older backup');
    const refused = runDbd(['backup', target, '--db', db, '--lang', 'en']);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('--force');
    expect(fs.readFileSync(target, 'utf8')).toBe('an older backup');
    expect(runDbd(['backup', target, '--db', db, '--force']).status).toBe(0);
    expect(contentDigest(target)).toBe(contentDigest(db));
    const self = runDbd(['backup', db, '--db', db, '--force']);
    expect(self.status).toBe(2);
    expect(integrity(db)).toBe('ok');
  });

  it('of a database that does not exist: exit 4, nothing created', () => {
    const dir = tempDir();
    const result = runDbd(['backup', path.join(dir, 'b.sqlite'), '--db', path.join(dir, 'none.sqlite')]);
    expect(result.status).toBe(4);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

describe.skipIf(onPostgres)('dbd restore', () => {
  function backupOf(db: string): string {
    const target = path.join(tempDir(), 'backup.sqlite');
    expect(runDbd(['backup', target, '--db', db]).status).toBe(0);
    return target;
  }

  it('into a new database: no --force needed; private; the data of the backup', () => {
    const backup = backupOf(copyOfSamples());
    const db = path.join(tempDir(), 'restored', 'dbd.sqlite');
    const result = dbdUnderUmask(['restore', backup, '--db', db]);
    expect(result.status, result.stderr).toBe(0);
    expect(mode(db)).toBe(0o600);
    expect(dataDigest(db)).toBe(dataDigest(backup));
    expect(fs.readdirSync(path.dirname(db))).toEqual(['dbd.sqlite']);
  });

  it('refuses to replace an existing database without --force', () => {
    const db = copyOfSamples();
    const backup = backupOf(db);
    runDbd(['checkin', '胡宏欣', '--community', '青山社区', '--date', '2026-11-20', '--db', db]);
    const digest = fileDigest(db);
    const result = runDbd(['restore', backup, '--db', db, '--lang', 'en']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--force');
    expect(fileDigest(db)).toBe(digest);
  });

  it('with --force: replaces the database, keeps the old one beside it, and logs the restore', () => {
    const db = copyOfSamples();
    const backup = backupOf(db);
    // A change after the backup, which the restore takes back.
    expect(runDbd(['import', path.join(ROOT, 'fixtures', 'demo', '报到登记.csv'), '--db', db, '--kind', 'checkins']).status).toBe(0);
    expect(runDbd(['log', '--db', db]).status).toBe(0);
    const members = countRows(db, 'members');
    const beforeRestore = contentDigest(db);
    const result = dbdUnderUmask(['restore', backup, '--db', db, '--force', '--json']);
    expect(result.status, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ database: path.resolve(db), restoredFrom: path.resolve(backup), members });
    expect(report.keptAs).toMatch(/dbd\.before-restore-\d{8}-\d{6}\.sqlite$/);
    expect(contentDigest(report.keptAs)).toBe(beforeRestore);
    expect(mode(report.keptAs)).toBe(0o600);
    expect(mode(db)).toBe(0o600);
    expect(dataDigest(db)).toBe(dataDigest(backup));
    expect(integrity(db)).toBe('ok');
    const [entry] = runJson<{ entries: Array<{ command: string; restoredFrom: string; keptAs: string }> }>(['log', '--db', db, '--limit', '1']).entries;
    expect(entry).toMatchObject({ restoredFrom: path.resolve(backup), keptAs: report.keptAs });
    expect(entry.command).toContain('dbd restore');
    expect(fs.existsSync(`${db}-wal`) && fs.statSync(`${db}-wal`).size > 0).toBe(false);
  });

  it('through a symbolic link: the file linked to is replaced and kept beside it; the link stays a link', () => {
    const db = copyOfSamples();
    const backup = backupOf(db);
    runDbd(['checkin', '胡宏欣', '--community', '青山社区', '--date', '2026-11-20', '--db', db]);
    const link = path.join(tempDir(), 'link.sqlite');
    fs.symlinkSync(db, link);
    const result = runDbd(['restore', backup, '--db', link, '--force', '--json']);
    expect(result.status, result.stderr).toBe(0);
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(dataDigest(db)).toBe(dataDigest(backup));
    const report = JSON.parse(result.stdout) as { keptAs: string };
    expect(path.dirname(report.keptAs)).toBe(path.dirname(fs.realpathSync(db)));
    expect(fs.lstatSync(report.keptAs).isFile()).toBe(true);
    expect(fs.readdirSync(path.dirname(link))).toEqual(['link.sqlite']);
  });

  it('a database from an earlier schema version is restored and upgraded', () => {
    const db = path.join(tempDir(), 'dbd.sqlite');
    const result = runDbd(['restore', path.join(ROOT, 'fixtures', 'migrations', 'v0001.sqlite'), '--db', db]);
    expect(result.status, result.stderr).toBe(0);
    expect(countRows(db, 'members')).toBe(84);
  });

  function corrupted(): string {
    const backup = backupOf(copyOfSamples());
    const bytes = fs.readFileSync(backup);
    const pageSize = bytes.readUInt16BE(16);
    const pages = bytes.length / pageSize;
    // Scribble over the second half of the pages (tables and indexes), keeping the header page.
    for (let page = Math.floor(pages / 2); page < pages; page++) bytes.fill(0x5a, page * pageSize + 8, page * pageSize + 200);
    fs.writeFileSync(backup, bytes);
    return backup;
  }

  const refusals: Array<[string, () => string, RegExp]> = [
    ['a damaged backup', corrupted, /damaged/],
    ['a file that is not a database', () => { const f = path.join(tempDir(), 'notes.sqlite'); fs.writeFileSync(f, '备份说明：每周五备份。\n'); return f; }, /not an SQLite database/],
    ['an SQLite database that is not dbd\'s', () => { const f = path.join(tempDir(), 'other.sqlite'); const d = new Database(f); d.exec('create table t (x)'); d.close(); return f; }, /not a dbd database/],
    ['a backup from a newer dbd', () => { const f = backupOf(copyOfSamples()); const d = new Database(f); d.prepare("insert into kysely_migration values ('9999_newer', 'now')").run(); d.close(); return f; }, /newer dbd.*9999_newer/],
  ];

  for (const [what, make, message] of refusals) {
    it(`refuses ${what}: exit 4, the database and the backup untouched`, () => {
      const db = copyOfSamples();
      const backup = make();
      const dbDigest = fileDigest(db);
      const backupDigest = fs.existsSync(backup) ? fileDigest(backup) : 'missing';
      const result = runDbd(['restore', backup, '--db', db, '--force', '--lang', 'en']);
      expect(result.status, result.stderr).toBe(4);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(/^\s+at /m);
      expect(fileDigest(db)).toBe(dbDigest);
      expect(fs.existsSync(backup) ? fileDigest(backup) : 'missing').toBe(backupDigest);
      expect(fs.readdirSync(path.dirname(db)).filter((name) => name.includes('restore'))).toEqual([]);
    });
  }

  // A path that is not a file is wrong usage (SPEC §9: exit 2), as for dbd import.
  const wrongPaths: Array<[string, () => string, RegExp]> = [
    ['a backup that does not exist', () => path.join(tempDir(), 'missing.sqlite'), /backup file not found: .*missing\.sqlite/],
    ['a folder', () => tempDir(), /is a folder, not a backup file/],
  ];

  for (const [what, make, message] of wrongPaths) {
    it(`refuses ${what}: exit 2, the database untouched`, () => {
      const db = copyOfSamples();
      const backup = make();
      const dbDigest = fileDigest(db);
      const result = runDbd(['restore', backup, '--db', db, '--force', '--lang', 'en']);
      expect(result.status, result.stderr).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(/^\s+at /m);
      expect(fileDigest(db)).toBe(dbDigest);
      expect(fs.readdirSync(path.dirname(db)).filter((name) => name.includes('restore'))).toEqual([]);
    });
  }

  it('a damaged database given to the reading commands is exit 4 with the advice to restore, not an internal error', () => {
    // Pages in the middle scribbled over: the file opens, and a query meets them half-way.
    const db = copyOfSamples();
    const bytes = fs.readFileSync(db);
    bytes.fill(0xff, 40_000, 48_000);
    fs.writeFileSync(db, bytes);
    for (const command of [['rate'], ['members'], ['orgs'], ['weekly-report', '--town'], ['export', 'monthly', '--month', '2026-11', '--dir', tempDir()]]) {
      const result = runDbd([...command, '--db', db, '--lang', 'en'], { env: { DBD_TODAY: '2026-11-21' } });
      expect(result.status, `${command.join(' ')}: ${result.stderr}`).toBe(4);
      expect(result.stderr).toMatch(/corrupt.*dbd restore/);
      expect(result.stderr).not.toMatch(/^\s+at /m);
    }
  });

  it('refuses while another program has the database open: exit 4, nothing replaced', () => {
    const db = copyOfSamples();
    const backup = backupOf(db);
    const digest = contentDigest(db);
    const other = new Database(db);
    other.pragma('journal_mode = WAL');
    other.prepare('select count(*) from members').get();
    try {
      const result = runDbd(['restore', backup, '--db', db, '--force', '--lang', 'en']);
      expect(result.status, result.stderr).toBe(4);
      expect(result.stderr).toMatch(/open in another program/);
    } finally {
      other.close();
    }
    expect(contentDigest(db)).toBe(digest);
    expect(fs.readdirSync(path.dirname(db)).filter((name) => name.includes('before-restore'))).toEqual([]);
  });
});
