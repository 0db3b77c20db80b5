// The one place that knows the database is PostgreSQL through the pg driver: connecting
// (PGPASSWORD and ~/.pgpass work as with psql), migrating, write transactions taken in turn,
// and compiled statements for hot paths. Everything else talks kysely, as on SQLite.
import pg from 'pg';
// ~/.pgpass as psql reads it (pg's own lookup is deprecated and warns on every connection).
import pgpass from 'pgpass';
import { parseIntoClientConfig } from 'pg-connection-string';
// Server-side cursors, for the queries that stream (monthly export lists of a million rows).
import Cursor from 'pg-cursor';
import { type Compilable, Kysely, PostgresDialect, sql } from 'kysely';
import { DbdError, ExitCode, databaseError, usageError } from '../errors.js';
import { t } from '../i18n/index.js';
import { currentCommandLine, markAudit, maskArgument, osUser, recordAudit, summariseSince } from './audit.js';
import { migrate, refuseForeignDatabase } from './migrate.js';
import { numbersThrough } from './numbers.js';
import { busyTimeoutMs, describeDatabase, type DbHandle, type InsertQuery, type OpenOptions, type SnapshotReaders } from './open.js';
import { compileWithParameters, type PreparedInsert, type PreparedStatement } from './prepared.js';
import type { Database } from './schema.js';

// Counts and sums come back as int8/numeric, which pg gives as strings by default: dbd's
// figures are far below 2^53, so numbers, as SQLite gives them.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value));

/**
 * Every write transaction of every dbd process on one database takes this advisory lock first,
 * so writers take turns as they do on SQLite: a transaction never meets another's half-done
 * work, so it is never retried and never fails half-way (readers are not held up).
 */
const WRITE_LOCK = 0x64626477; // "dbdw"


/** The password as psql finds it: in the URL, else PGPASSWORD, else the password file. */
async function passwordFor(url: string): Promise<string> {
  const parsed = new URL(url);
  if (parsed.password) return decodeURIComponent(parsed.password);
  if (process.env.PGPASSWORD) return process.env.PGPASSWORD;
  const user = decodeURIComponent(parsed.username) || process.env.PGUSER || osUser();
  const info = {
    host: parsed.hostname || process.env.PGHOST || 'localhost',
    port: parsed.port || process.env.PGPORT || '5432',
    database: decodeURIComponent(parsed.pathname.slice(1)) || user,
    user,
  };
  return new Promise((resolve) => pgpass(info, (found: string | undefined) => resolve(found ?? '')));
}


/** A database on a server always exists once connected to: options.mustExist needs nothing more. */
export async function openPostgres(url: string, options: OpenOptions = {}): Promise<DbHandle> {
  const label = describeDatabase(url);
  const waitMs = busyTimeoutMs(process.env);
  // The URL's parts, its password left to passwordFor (pg would otherwise prefer its own lookup).
  const { password: _password, ...fromUrl } = parseIntoClientConfig(url);
  const client = new pg.Client({
    ...fromUrl,
    password: () => passwordFor(url),
    // Shown in pg_stat_activity: whoever waits for the write lock learns which command holds it.
    // The server keeps printable ASCII only, 63 bytes of it.
    application_name: `dbd ${process.pid} ${osUser()} ${currentCommandLine()}`.replace(/[^\x20-\x7e]/g, '?').slice(0, 63),
    connectionTimeoutMillis: Math.max(waitMs, 5_000),
    // Waiting for the write lock (or any row lock) ends after the busy timeout, as on SQLite.
    options: `-c lock_timeout=${Math.round(waitMs)}`,
  });
  client.on('error', () => undefined); // a connection dropped by the server: the next query reports it
  try {
    await client.connect();
  } catch (error) {
    throw translatePostgresError(error, label);
  }
  // One connection per process: kysely's queries, the compiled statements and the transaction
  // all share it, one user at a time (reports run queries side by side; pg wants them queued).
  const turns = takingTurns();
  const pool = { connect: async () => Object.assign(client, { release: await turns() }), end: () => client.end() };
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool, cursor: Cursor }) });
  try {
    await migrate(db, label, await refuseForeignDatabase(db, label, 'postgres'));
    if (options.readonly) await sql`set session characteristics as transaction read only`.execute(db);
  } catch (error) {
    await db.destroy().catch(() => undefined);
    throw error instanceof DbdError ? error : translatePostgresError(error, label);
  }
  return makeHandle(db, client, turns, label);
}

function makeHandle(db: Kysely<Database>, client: pg.Client, turns: () => Promise<() => void>, label: string): DbHandle {
  let depth = 0;
  let statements = 0;
  const guard = <T>(run: () => Promise<T>): Promise<T> =>
    run().catch((error: unknown) => {
      throw error instanceof DbdError ? error : translatePostgresError(error, label);
    });
  /** fn in a transaction that `begin` begins: committed, or rolled back on any throw (the
   * server's errors in the user's words). */
  const transaction = async <T>(begin: { execute(db: Kysely<Database>): Promise<unknown> }, fn: () => Promise<T>): Promise<T> => {
    depth++;
    try {
      await begin.execute(db);
      const result = await fn();
      await sql`commit`.execute(db);
      return result;
    } catch (error) {
      await sql`rollback`.execute(db).catch(() => undefined);
      throw error instanceof DbdError ? error : translatePostgresError(error, label);
    } finally {
      depth--;
    }
  };
  const handle: DbHandle = {
    db,
    path: label,
    dialect: 'postgres',
    async writeTransaction<T>(fn: () => Promise<T>): Promise<T> {
      if (depth > 0) return fn();
      return transaction(sql`begin`, async () => {
        await takeWriteLock(db, label);
        const mark = await markAudit(db);
        const result = await fn();
        // The audit row goes into the same transaction: committed with the change, or not at all.
        const summary = await summariseSince(db, mark);
        if (summary) await recordAudit(db, summary);
        return result;
      });
    },
    async savepoint<T>(fn: () => Promise<T>, keep: (result: T) => boolean): Promise<T> {
      await sql`savepoint dbd_row`.execute(db);
      try {
        const result = await fn();
        if (keep(result)) await sql`release savepoint dbd_row`.execute(db);
        else await sql`rollback to savepoint dbd_row`.execute(db);
        return result;
      } catch (error) {
        await sql`rollback to savepoint dbd_row`.execute(db);
        throw error;
      }
    },
    prepare<P extends string>(query: Compilable, names: readonly P[]): PreparedStatement<P> {
      const { compiled, bind } = compileWithParameters(query, names, toPostgres);
      // A named statement: the server parses and plans it once for this connection.
      const name = `dbd_${++statements}`;
      const execute = (values: Record<P, unknown>) =>
        guard(async () => {
          const done = await turns();
          try {
            return await client.query<Record<string, unknown>>({ name, text: compiled.sql, values: [...bind(values)] });
          } finally {
            done();
          }
        });
      return {
        async run(values) {
          const result = await execute(values);
          return { changes: result.rowCount ?? result.rows.length };
        },
        async get<R>(values: Record<P, unknown>) {
          return (await execute(values)).rows[0] as R | undefined;
        },
        async all<R>(values: Record<P, unknown>) {
          return (await execute(values)).rows as R[];
        },
      };
    },
    prepareInsert<P extends string>(query: InsertQuery, names: readonly P[]): PreparedInsert<P> {
      const statement = handle.prepare(query.returning('id'), names);
      return {
        async insert(values) {
          return (await statement.get<{ id: number }>(values))?.id;
        },
      };
    },
    // The server keeps its indexes up to date itself; a bulk load defers nothing.
    deferIndexes() {},
    restoreIndexes() {},
    async backup() {
      throw usageError(t('db.pgBackup'));
    },
    translateError: (error: unknown) => (error instanceof DbdError ? error : translatePostgresError(error, label)),
    // One connection: no helper. REPEATABLE READ: every statement sees the transaction's first
    // snapshot (READ COMMITTED would take a new one per statement).
    async readSnapshot<T>(fn: (db: Kysely<Database>, readers: SnapshotReaders) => Promise<T>): Promise<T> {
      const local = numbersThrough(db);
      // Inside a transaction already (a write, or another read): fn runs in it.
      if (depth > 0) return fn(db, { local });
      return transaction(sql`begin isolation level repeatable read read only`, () => fn(db, { local }));
    },
    async close() {
      await db.destroy();
    },
  };
  return handle;
}

/** A queue of one: each call waits for the previous holder, and returns the function that ends its turn. */
function takingTurns(): () => Promise<() => void> {
  let last: Promise<void> = Promise.resolve();
  return () => {
    let end!: () => void;
    const turn = new Promise<void>((resolve) => (end = resolve));
    const ready = last.then(() => end);
    last = last.then(() => turn);
    return ready;
  };
}

/** Wait for the write lock; past the busy timeout, name the dbd process that holds it. */
async function takeWriteLock(db: Kysely<Database>, label: string): Promise<void> {
  try {
    await sql`select pg_advisory_xact_lock(${WRITE_LOCK})`.execute(db);
  } catch (error) {
    if ((error as { code?: string }).code !== '55P03') throw error;
    await sql`rollback`.execute(db).catch(() => undefined);
    const holder = await lockHolder(db).catch(() => undefined);
    throw new DbdError(t('db.locked', { path: label }), ExitCode.database, [
      holder ? t('safety.lockHeldBy', holder) : t('safety.lockHeldByOther'),
    ]);
  }
}

async function lockHolder(db: Kysely<Database>): Promise<{ pid: number; user: string; command: string; since: string } | undefined> {
  const catalog = db as unknown as Kysely<{
    pg_locks: { pid: number; locktype: string; objid: number; granted: boolean; database: number };
    pg_database: { oid: number; datname: string };
    pg_stat_activity: { pid: number; application_name: string; usename: string; xact_start: Date | null };
  }>;
  const row = await catalog
    .selectFrom('pg_locks')
    .innerJoin('pg_stat_activity', 'pg_stat_activity.pid', 'pg_locks.pid')
    .select(['pg_stat_activity.application_name', 'pg_stat_activity.usename', 'pg_stat_activity.xact_start', 'pg_locks.pid'])
    .where('pg_locks.locktype', '=', 'advisory')
    .where('pg_locks.objid', '=', WRITE_LOCK)
    // Advisory locks are per database: the holder on this one, not a writer elsewhere on the server.
    .where('pg_locks.database', '=', (eb) => eb.selectFrom('pg_database').select('oid').where('datname', '=', sql<string>`current_database()`))
    .where('pg_locks.granted', '=', true)
    .executeTakeFirst();
  if (!row) return undefined;
  // application_name is "dbd <pid> <user> <command line>" when the holder is dbd.
  const match = /^dbd (\d+) (\S+) (.*)$/.exec(row.application_name ?? '');
  return {
    pid: match ? Number(match[1]) : row.pid,
    user: match ? match[2] : row.usename,
    command: match ? match[3] : row.application_name || '?',
    since: row.xact_start ? new Date(row.xact_start).toISOString() : '?',
  };
}

function toPostgres(value: unknown): unknown {
  return value === undefined ? null : value;
}

/** The server's and the network's errors, in the user's words, with exit code 4. */
export function translatePostgresError(error: unknown, label: string): Error {
  const code = String((error as { code?: string })?.code ?? '');
  const reason = (error as Error)?.message ?? String(error);
  if (['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', 'ECONNRESET', 'EAI_AGAIN'].includes(code) || /timeout exceeded when trying to connect|Connection terminated/i.test(reason)) {
    return databaseError(t('db.pgUnreachable', { url: label, reason: maskArgument(reason) }));
  }
  if (code === '28P01' || code === '28000' || /password authentication|SASL|no password/i.test(reason)) {
    return databaseError(t('db.pgAuth', { url: label }));
  }
  if (code === '3D000') return databaseError(t('db.pgNoDatabase', { url: label }));
  if (code === '55P03' || code === '57014') return new DbdError(t('db.locked', { path: label }), ExitCode.database, [t('safety.lockHeldByOther')]);
  if (code === '25006') return databaseError(t('db.io', { path: label, reason: maskArgument(reason) }));
  if (code.startsWith('53') || code.startsWith('58') || code === '42501') return databaseError(t('db.io', { path: label, reason: maskArgument(reason) }));
  return error instanceof Error ? error : new Error(String(error));
}
