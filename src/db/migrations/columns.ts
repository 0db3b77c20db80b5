// Column types that differ between the SQLite and PostgreSQL dialects.
import { type Kysely, SqliteAdapter } from 'kysely';

/** An auto-numbered primary key: SQLite's rowid alias, PostgreSQL's serial. */
export function idColumn(db: Kysely<any>): 'integer' | 'serial' {
  return db.getExecutor().adapter instanceof SqliteAdapter ? 'integer' : 'serial';
}
