// Looking inside a test database: row counts, rows, and a digest of every table's content.
import crypto from 'node:crypto';
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { onPostgres, pgDatabaseExists, pgDatabaseName, psql } from './backend.js';

export function withDb<T>(path: string, fn: (db: Database.Database) => T): T {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

export function rows<T = Record<string, unknown>>(path: string, query: string, ...params: unknown[]): T[] {
  if (onPostgres) return pgRows<T>(path, query, params);
  return withDb(path, (db) => db.prepare(query).all(...params) as T[]);
}

/** Rows of an SQLite file, whatever backend the suite runs on (tests that name files themselves). */
export function fileRows<T = Record<string, unknown>>(path: string, query: string, ...params: unknown[]): T[] {
  return withDb(path, (db) => db.prepare(query).all(...params) as T[]);
}

export function count(path: string, table: string): number {
  return rows<{ n: number }>(path, `select count(*) as n from ${table}`)[0].n;
}

/** The same query on the PostgreSQL database a path stands for (tests' own SQL is portable). */
function pgRows<T>(path: string, query: string, params: unknown[]): T[] {
  let next = 0;
  const literal = (value: unknown) => (value === null || value === undefined ? 'null' : typeof value === 'number' ? String(value) : `'${String(value).replace(/'/g, "''")}'`);
  const bound = query.replace(/\?/g, () => literal(params[next++]));
  const out = psql(`select coalesce(json_agg(q), '[]'::json) from (${bound}) q`, pgDatabaseName(path));
  return JSON.parse(out) as T[];
}

/** Digest of all user tables' rows (timestamps, the audit trail and the migration bookkeeping
 * left out, so that equal content compares equal whichever files or commands wrote it). */
export function contentDigest(path: string, options: { ignore?: string[]; includeAudit?: boolean } = {}): string {
  const ignore = new Set(['created_at', 'updated_at', 'saved_at', 'at', ...(options.ignore ?? [])]);
  if (onPostgres) return pgContentDigest(path, ignore, options.includeAudit ?? false);
  if (!fs.existsSync(path)) return 'missing';
  return withDb(path, (db) => {
    const hash = crypto.createHash('sha256');
    const tables = db.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name <> 'audit' and name not like 'kysely_migration%' order by name").all() as Array<{ name: string }>;
    for (const { name } of tables) {
      const data = db.prepare(`select * from "${name}"`).all() as Array<Record<string, unknown>>;
      const lines = data.map((row) => JSON.stringify(Object.entries(row).filter(([key]) => !ignore.has(key)))).sort();
      hash.update(`${name}\n${lines.join('\n')}\n`);
    }
    return hash.digest('hex');
  });
}

function pgContentDigest(path: string, ignore: Set<string>, includeAudit: boolean): string {
  const name = pgDatabaseName(path);
  if (!pgDatabaseExists(name)) return 'missing';
  const tables = JSON.parse(
    psql(`select coalesce(json_agg(table_name order by table_name), '[]'::json) from information_schema.tables where table_schema = 'public' and table_name <> '${includeAudit ? '' : 'audit'}' and table_name not like 'kysely_migration%'`, name),
  ) as string[];
  const hash = crypto.createHash('sha256');
  for (const table of tables) {
    const data = JSON.parse(psql(`select coalesce(json_agg(t), '[]'::json) from "${table}" t`, name)) as Array<Record<string, unknown>>;
    const lines = data.map((row) => JSON.stringify(Object.entries(row).filter(([key]) => !ignore.has(key)))).sort();
    hash.update(`${table}\n${lines.join('\n')}\n`);
  }
  return hash.digest('hex');
}
