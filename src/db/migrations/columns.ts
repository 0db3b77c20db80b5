// Column types that differ between the SQLite and PostgreSQL dialects.
import { type Kysely, SqliteAdapter, sql, type Expression } from 'kysely';

function isSqlite(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof SqliteAdapter;
}

/** An auto-numbered primary key: SQLite's rowid alias, PostgreSQL's serial. */
export function idColumn(db: Kysely<any>): 'integer' | 'serial' {
  return isSqlite(db) ? 'integer' : 'serial';
}

/**
 * Text compared and sorted byte by byte, as SQLite does: on PostgreSQL the "C" collation, so that
 * names sort the same on both (a database's own locale would order Chinese names differently).
 */
export function textColumn(db: Kysely<any>): 'text' | Expression<unknown> {
  return isSqlite(db) ? 'text' : sql`text collate "C"`;
}

/** A fraction (hours, points): SQLite's REAL is a double; PostgreSQL's real would be a float. */
export function realColumn(db: Kysely<any>): 'real' | 'double precision' {
  return isSqlite(db) ? 'real' : 'double precision';
}
