// Which database the suite runs against. Always SQLite files; with DBD_TEST_PG naming a
// PostgreSQL server (e.g. postgres://dbd@127.0.0.1:5432/postgres, a role that may create
// databases), the same tests run on PostgreSQL: every database path a test uses stands for a
// database of its own on that server, made on first use and dropped after the suite.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** The server URL when the suite runs on PostgreSQL, else undefined. */
export const TEST_PG = process.env.DBD_TEST_PG || undefined;
export const onPostgres = TEST_PG !== undefined;

/** Prefix of the scratch databases, so that the suite can drop what it made. */
export const PG_PREFIX = 'dbd_t_';

const created = new Set<string>();

/** The PostgreSQL database name a test's database path stands for. */
export function pgDatabaseName(dbPath: string): string {
  return PG_PREFIX + crypto.createHash('sha1').update(path.resolve(dbPath)).digest('hex').slice(0, 20);
}

/** The URL of a database on the test server. */
export function pgUrl(name: string): string {
  const url = new URL(TEST_PG!);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Run SQL on the test server's maintenance database (or another), synchronously, through psql. */
export function psql(sql: string, database?: string): string {
  const target = database ? pgUrl(database) : TEST_PG!;
  const result = spawnSync('psql', [target, '-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-c', sql], { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (result.status !== 0) throw new Error(`psql: ${result.error?.message ?? result.stderr}`);
  return result.stdout;
}

/** Whether a scratch database exists on the server. */
export function pgDatabaseExists(name: string): boolean {
  return psql(`select 1 from pg_database where datname = '${name}'`).trim() === '1';
}

/**
 * What a test passes as --db for a database path: the path itself on SQLite; on PostgreSQL the
 * URL of the database it stands for, created empty on first use (as a missing file is created).
 */
export function dbTarget(dbPath: string): string {
  if (!onPostgres || /^postgres(ql)?:\/\//i.test(dbPath)) return dbPath;
  const name = pgDatabaseName(dbPath);
  if (!created.has(name)) {
    if (!pgDatabaseExists(name)) psql(`create database ${name}`);
    created.add(name);
  }
  return pgUrl(name);
}

/** Drop every scratch database the suite's role made (after the run). */
export function dropScratchDatabases(): void {
  if (!onPostgres) return;
  const names = psql(`select datname from pg_database where starts_with(datname, '${PG_PREFIX}') and datdba = (select oid from pg_roles where rolname = current_user)`).split('\n').filter(Boolean);
  if (names.length === 0) return;
  // One psql session for all of them: statements read from stdin run one by one, outside any
  // transaction (as DROP DATABASE needs), without a process per database.
  const script = names.map((name) => `drop database if exists ${name} with (force);`).join('\n');
  const result = spawnSync('psql', [TEST_PG!, '-X', '-q', '-v', 'ON_ERROR_STOP=1'], { input: script, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`psql: ${result.error?.message ?? result.stderr}`);
}

/** Skip a SQLite-file test on PostgreSQL: the reason says what only a file has. */
export const sqliteOnly = (reason: string): boolean => {
  void reason;
  return onPostgres;
};

/** A copy of a test database under another path (on PostgreSQL: a database made from it). */
export function copyDatabase(from: string, to: string): void {
  if (!onPostgres) {
    fs.copyFileSync(from, to);
    return;
  }
  const source = pgDatabaseName(from);
  const target = pgDatabaseName(to);
  psql(`drop database if exists ${target}`);
  psql(`create database ${target} template ${source}`);
  created.add(target);
}

/** Whether the database a path stands for exists (a file, or a database on the server). */
export function databaseExists(dbPath: string): boolean {
  return onPostgres ? pgDatabaseExists(pgDatabaseName(dbPath)) : fs.existsSync(dbPath);
}
