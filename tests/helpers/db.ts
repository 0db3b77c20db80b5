// Looking inside a test database: row counts, rows, and a digest of every table's content.
import crypto from 'node:crypto';
import fs from 'node:fs';
import Database from 'better-sqlite3';

export function withDb<T>(path: string, fn: (db: Database.Database) => T): T {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

export function rows<T = Record<string, unknown>>(path: string, query: string, ...params: unknown[]): T[] {
  return withDb(path, (db) => db.prepare(query).all(...params) as T[]);
}

export function count(path: string, table: string): number {
  return withDb(path, (db) => (db.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n);
}

/** Digest of all user tables' rows (timestamps, the audit trail and the migration bookkeeping
 * left out, so that equal content compares equal whichever files or commands wrote it). */
export function contentDigest(path: string, options: { ignore?: string[] } = {}): string {
  if (!fs.existsSync(path)) return 'missing';
  const ignore = new Set(['created_at', 'updated_at', 'saved_at', 'at', ...(options.ignore ?? [])]);
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
