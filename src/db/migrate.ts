// Bringing a database's schema up to this build's, on either backend.
import { Kysely, Migrator, sql, type MigrationProvider } from 'kysely';
import { databaseError } from '../errors.js';
import { t } from '../i18n/index.js';
import type { Database } from './schema.js';
import { migrations } from './migrations/index.js';
import { recordAudit } from './audit.js';

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Migrate to the latest schema; `label` names the database in messages (never a password).
 * `migrationTable`: whether the database has dbd's migration table, when the caller has looked
 * already (refuseForeignDatabase), so that opening reads the table list once. `serialise`: runs
 * the migrations holding the database's write lock, where the migrator does not (SQLite: it
 * migrates one step at a time, so that commands opening a new database at once would otherwise
 * share out its migrations, and one of them take the new database for an upgrade). */
export async function migrate(db: Kysely<Database>, label: string, migrationTable?: boolean, serialise?: <T>(fn: () => Promise<T>) => Promise<T>): Promise<void> {
  const applied = migrationTable === false ? [] : await appliedMigrations(db, migrationTable);
  refuseNewer(applied, label);
  if (applied.length === Object.keys(migrations).length) return;
  if (!serialise) return migrateFrom(db, label, applied);
  // Under the lock, look again: another command may have migrated meanwhile (a newer dbd too).
  return serialise(async () => {
    const now = await appliedMigrations(db);
    refuseNewer(now, label);
    return migrateFrom(db, label, now);
  });
}

/** A database written by a newer dbd has migrations this build does not know: refuse it
 * untouched rather than guess at its schema. */
function refuseNewer(applied: string[], label: string): void {
  const unknown = unknownMigrations(applied);
  if (unknown.length > 0) {
    throw databaseError(t('db.newerVersion', { path: label, migration: unknown[unknown.length - 1] }));
  }
}

async function migrateFrom(db: Kysely<Database>, label: string, applied: string[]): Promise<void> {
  if (applied.length === Object.keys(migrations).length) return;
  let { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  // Several commands opening a new database at once race to create it: the loser finds the
  // tables made (or the file locked) by the winner. Look again before calling it a failure.
  for (let attempt = 0; error && attempt < 5; attempt++) {
    if ((await appliedMigrations(db).catch(() => [])).length === Object.keys(migrations).length) return;
    await new Promise((resolve) => setTimeout(resolve, 50 * (attempt + 1)));
    ({ error, results } = await new Migrator({ db, provider }).migrateToLatest());
  }
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? '?';
    throw databaseError(t('db.migrationFailed', { migration: failed, reason: String((error as Error).message ?? error) }));
  }
  // An existing database upgraded to a newer schema: the trail says when and by which command.
  const ran = (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  if (applied.length > 0 && ran.length > 0) await recordAudit(db, { changes: 0, added: {}, migrations: ran });
}

/**
 * Refuse another program's database: one that holds tables but no migration table must not be
 * given dbd's. (dbd's migrator makes its migration table before any other, so a database that
 * another dbd process is setting up at this moment is not taken for one.) Answers whether the
 * database has dbd's migration table (for migrate).
 */
export async function refuseForeignDatabase(db: Kysely<Database>, label: string, dialect: 'sqlite' | 'postgres'): Promise<boolean> {
  let tables = await db.introspection.getTables({ withInternalKyselyTables: true });
  if (dialect === 'postgres') {
    // dbd's tables live in the connection's current schema: other schemas (an extension's, another
    // application's) are not dbd's business, and do not make the database another program's.
    const current = (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema;
    tables = tables.filter((table) => table.schema === current);
  }
  const migrationTable = tables.some((table) => table.name === 'kysely_migration');
  if (tables.length > 0 && !migrationTable) {
    throw databaseError(t(dialect === 'postgres' ? 'db.pgNotDbd' : 'db.notDbd', { path: label }));
  }
  return migrationTable;
}

/** The migrations applied to the database; `migrationTable` true when the caller knows it has
 * the migration table (no need to look). */
export async function appliedMigrations(db: Kysely<Database>, migrationTable?: boolean): Promise<string[]> {
  if (!migrationTable && !(await db.introspection.getTables({ withInternalKyselyTables: true })).some((table) => table.name === 'kysely_migration')) return [];
  const rows = await (db as unknown as Kysely<{ kysely_migration: { name: string } }>)
    .selectFrom('kysely_migration')
    .select('name')
    .orderBy('name')
    .execute();
  return rows.map((row) => row.name);
}

/** Applied migrations this build does not know (a database written by a newer dbd). */
export function unknownMigrations(applied: string[]): string[] {
  return applied.filter((name) => !(name in migrations));
}
