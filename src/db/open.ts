// The one place that knows the database is SQLite through better-sqlite3: opening the file
// (mode 0600, WAL, busy timeout), migrating, transactions, and prepared statements for hot
// paths. Everything else talks kysely.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import { type Compilable, type InsertQueryBuilder, Kysely, SqliteDialect } from 'kysely';
import { databaseError, DbdError, ExitCode, usageError } from '../errors.js';
import { t } from '../i18n/index.js';
import type { Database } from './schema.js';
import { markAudit, maskArgument, recordAudit, summariseSince } from './audit.js';
import { appliedMigrations, migrate, refuseForeignDatabase } from './migrate.js';
import { compileWithParameters, type Awaitable, type PreparedInsert, type PreparedStatement } from './prepared.js';
import { flatNumbers, type NumberReader } from './numbers.js';
import type { SnapshotOptions, SnapshotReply, SnapshotRequest } from './snapshotWorker.js';
import { clearWriterNote, currentWriter, writeWriterNote } from './writerNote.js';

export interface DbHandle {
  db: Kysely<Database>;
  /** The database as messages name it: a file path, or a PostgreSQL URL without its password. */
  path: string;
  dialect: 'sqlite' | 'postgres';
  /**
   * Run fn inside one write transaction: all of it is written, or (on any throw) none. Writers
   * take turns (SQLite's write lock; on PostgreSQL an advisory lock), so a transaction never
   * meets another's half-done work and never has to be retried.
   */
  writeTransaction<T>(fn: () => Promise<T>): Promise<T>;
  /** Run fn in a savepoint: on a throw, or when keep(result) is false, its writes are undone. */
  savepoint<T>(fn: () => Promise<T>, keep: (result: T) => boolean): Promise<T>;
  /** Compile a kysely query once and run it many times with named parameters. */
  prepare<P extends string>(query: Compilable, names: readonly P[]): PreparedStatement<P>;
  /**
   * The same for an INSERT of one row into a table with an integer id, answering the new id.
   * SQLite reads it from the connection (a RETURNING clause measured 25% slower on a million-row
   * import); PostgreSQL adds `RETURNING id`.
   */
  prepareInsert<P extends string>(query: InsertQuery, names: readonly P[]): PreparedInsert<P>;
  /**
   * Bulk loads, inside writeTransaction: drop these indexes, so that a million rows cost one
   * sort each instead of a million random inserts. They are built again by restoreIndexes()
   * (call it before any query that needs them) and in any case before the commit.
   */
  deferIndexes(names: readonly string[]): Awaitable<void>;
  /** Build every deferred index that is missing (a no-op when none is). */
  restoreIndexes(): Awaitable<void>;
  /** A consistent copy of the database, taken while others may be writing, written to `target`
   * as it goes (the caller gives a temporary name and puts the copy in place: db/backup.ts). */
  backup(target: string): Promise<void>;
  /** The database's own error (corrupt, locked, unreadable) in the user's words, exit 4; any
   * other error as it is. For reads, which run outside writeTransaction. */
  translateError(error: unknown): Error;
  /**
   * Run fn in one read transaction, so that all its queries see one state of the database. With
   * `helper` wished for a large database (the caller tells; DBD_READ_WORKER=always|never
   * overrides the size), a worker thread reads that very state through a connection of its
   * own, so that a long report can use a second core; readers.helper is undefined when none can
   * be had (SQLite only; not from TypeScript sources; not while another process holds the write
   * lock), and its `numbers` fail when it could not begin (the caller then reads on one thread).
   * Inside a transaction, fn runs in it, without a helper.
   */
  readSnapshot<T>(fn: (db: Kysely<Database>, readers: SnapshotReaders) => Promise<T>, options?: { helper?: HelperWish }): Promise<T>;
  close(): Promise<void>;
}

/** The readers of a snapshot (readSnapshot): this connection's, and a helper thread's if any. */
export interface SnapshotReaders {
  local: NumberReader;
  helper?: NumberReader;
}

export { param, type PreparedInsert, type PreparedStatement } from './prepared.js';

/** An INSERT into a table with an integer `id` column, as prepareInsert takes it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any table with an id
export type InsertQuery = InsertQueryBuilder<any, any, any> & { returning(column: 'id'): Compilable };
export { unknownMigrations } from './migrate.js';

export const DEFAULT_DB_PATH = 'dbd.sqlite';

/** The database as messages name it: a file path as given; a server's URL without its password. */
export function describeDatabase(target: string): string {
  return isPostgresUrl(target) ? maskArgument(target) : target;
}

/** Whether a --db value names a PostgreSQL server rather than a file. */
export function isPostgresUrl(target: string): boolean {
  return /^postgres(ql)?:\/\//i.test(target);
}

export function resolveDbPath(option: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  // An empty DBD_DB means "not set"; an empty --db was typed, and must not fall back to ./dbd.sqlite.
  if (option === '') throw usageError(t('common.emptyDb'));
  return option || env.DBD_DB || DEFAULT_DB_PATH;
}

/** How long a command waits for another's write (DBD_BUSY_TIMEOUT_MS; 15 s). */
export function busyTimeoutMs(env: NodeJS.ProcessEnv): number {
  const fromEnv = Number(env.DBD_BUSY_TIMEOUT_MS);
  return Number.isFinite(fromEnv) && fromEnv >= 0 ? fromEnv : 15_000;
}

export interface OpenOptions {
  /** Refuse to create a missing file (reading commands on a path that does not exist). */
  mustExist?: boolean;
  readonly?: boolean;
  /**
   * A command that reads much and writes little (reports, exports, listings): a small page
   * cache and sorts on disk. Measured on a million members: SQLite's sorter is faster on disk
   * (a 1M-row GROUP BY 0.55 s against 0.95 s in memory), reading is as fast from the system's
   * file cache, and the process stays some 100 MB smaller.
   */
  reporting?: boolean;
}

export async function openDatabase(dbPath: string, options: OpenOptions = {}): Promise<DbHandle> {
  if (isPostgresUrl(dbPath)) {
    // Loaded only when asked for: SQLite users never load the PostgreSQL driver.
    const { openPostgres } = await import('./postgres.js');
    return openPostgres(dbPath, options);
  }
  const exists = fs.existsSync(dbPath);
  if (!exists && options.mustExist) throw databaseError(t('db.missing', { path: dbPath }));
  if (exists && fs.statSync(dbPath).isDirectory()) throw usageError(t('db.folderAsDb', { path: dbPath }));
  if (!exists) {
    // Personal data: the file is the owner's only, from its first byte (WAL and SHM files
    // inherit this mode from the main file).
    try {
      fs.mkdirSync(path.dirname(path.resolve(dbPath)), { recursive: true });
      fs.closeSync(fs.openSync(dbPath, 'a', 0o600));
      fs.chmodSync(dbPath, 0o600);
    } catch (error) {
      // A file where a folder of the path should be, no permission, a full disk: in words, for
      // every command that may create the database (import, copy --to, record…).
      throw databaseError(t('safety.cannotWrite', { file: dbPath, reason: (error as Error).message }));
    }
  } else if (!options.readonly && fs.statSync(dbPath).size === 0) {
    // An empty file made beforehand (touch) is about to hold personal data as a new one would.
    try {
      fs.chmodSync(dbPath, 0o600);
    } catch {
      // not ours to change: it keeps the mode its owner gave it
    }
  }
  let native: BetterSqlite3.Database;
  try {
    native = new BetterSqlite3(dbPath, { timeout: busyTimeoutMs(process.env), readonly: options.readonly ?? false });
  } catch (error) {
    throw translateSqliteError(error, dbPath);
  }
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: native }) });
  try {
    // Before the pragmas: switching to WAL rewrites the file's header, and another program's
    // database is to be left exactly as it was.
    const migrationTable = await refuseForeignDatabase(db, dbPath, 'sqlite');
    native.pragma('journal_mode = WAL');
    native.pragma('synchronous = NORMAL');
    native.pragma('foreign_keys = ON');
    native.pragma(options.reporting ? REPORT_PAGE_CACHE : PAGE_CACHE);
    native.pragma(options.reporting ? TEMP_STORE_FILE : TEMP_STORE_MEMORY);
    await migrate(db, dbPath, migrationTable, async (fn) => {
      // The migrations of a new or older database under the write lock, as one transaction.
      native.exec('BEGIN IMMEDIATE');
      try {
        const result = await fn();
        native.exec('COMMIT');
        return result;
      } catch (error) {
        if (native.inTransaction) native.exec('ROLLBACK');
        throw error;
      }
    });
  } catch (error) {
    await db.destroy().catch(() => undefined);
    throw error instanceof DbdError ? error : translateSqliteError(error, dbPath);
  }
  return makeHandle(native, db, dbPath);
}

function makeHandle(native: BetterSqlite3.Database, db: Kysely<Database>, dbPath: string): DbHandle {
  let depth = 0;
  // Made on first use: only bulk loads defer indexes.
  let indexes: ReturnType<typeof deferrableIndexes> | undefined;
  const local: NumberReader = {
    async numbers(queries) {
      const out: Float64Array[] = [];
      for (const query of queries) {
        // Between queries, let the thread handle what has come in (a helper's answers, which
        // let go of the write lock: see startSnapshotHelper).
        await new Promise((resolve) => setImmediate(resolve));
        const compiled = query.compile();
        const statement = native.prepare(compiled.sql).raw(true);
        out.push(flatNumbers(statement.all(...compiled.parameters.map(toSqlite)) as unknown[][], statement.columns().length));
      }
      return out;
    },
  };
  return {
    db,
    path: dbPath,
    dialect: 'sqlite',
    async writeTransaction<T>(fn: () => Promise<T>): Promise<T> {
      if (depth > 0) return fn();
      try {
        // IMMEDIATE takes the write lock now (waiting up to the busy timeout), so a
        // transaction never fails half-way because another process started writing.
        native.exec('BEGIN IMMEDIATE');
      } catch (error) {
        throw translateSqliteError(error, dbPath);
      }
      depth++;
      writeWriterNote(dbPath);
      try {
        const mark = await markAudit(db);
        const result = await fn();
        indexes?.restore();
        // The audit row goes into the same transaction: committed with the change, or not at all.
        const summary = await summariseSince(db, mark);
        if (summary) await recordAudit(db, summary);
        clearWriterNote(dbPath);
        native.exec('COMMIT');
        indexes?.end();
        return result;
      } catch (error) {
        clearWriterNote(dbPath);
        if (native.inTransaction) native.exec('ROLLBACK');
        indexes?.end();
        throw error instanceof DbdError ? error : translateSqliteError(error, dbPath);
      } finally {
        depth--;
      }
    },
    deferIndexes(names: readonly string[]) {
      if (depth === 0) throw new Error('deferIndexes needs a write transaction');
      (indexes ??= deferrableIndexes(native, db)).defer(names);
    },
    restoreIndexes() {
      indexes?.restore();
    },
    async savepoint<T>(fn: () => Promise<T>, keep: (result: T) => boolean): Promise<T> {
      native.exec('SAVEPOINT dbd_row');
      try {
        const result = await fn();
        native.exec(keep(result) ? 'RELEASE dbd_row' : 'ROLLBACK TO dbd_row; RELEASE dbd_row');
        return result;
      } catch (error) {
        native.exec('ROLLBACK TO dbd_row; RELEASE dbd_row');
        throw error;
      }
    },
    prepare<P extends string>(query: Compilable, names: readonly P[]): PreparedStatement<P> {
      const { compiled, bind } = compileWithParameters(query, names, toSqlite);
      const statement = native.prepare(compiled.sql);
      // SQLite answers synchronously: plain values, no promise per row on the hot path.
      return {
        run(values) {
          return { changes: statement.run(bind(values)).changes };
        },
        get<R>(values: Record<P, unknown>) {
          return statement.get(bind(values)) as R | undefined;
        },
        all<R>(values: Record<P, unknown>) {
          return statement.all(bind(values)) as R[];
        },
      };
    },
    prepareInsert<P extends string>(query: InsertQuery, names: readonly P[]): PreparedInsert<P> {
      const { compiled, bind } = compileWithParameters(query, names, toSqlite);
      const statement = native.prepare(compiled.sql);
      return {
        insert(values) {
          const result = statement.run(bind(values));
          return result.changes === 1 ? Number(result.lastInsertRowid) : undefined;
        },
      };
    },
    async backup(target: string) {
      fs.rmSync(target, { force: true });
      fs.closeSync(fs.openSync(target, 'w', 0o600));
      try {
        // All pages in one step: a step-wise copy restarts whenever another process writes,
        // and might never finish on a busy database; one step reads one consistent snapshot.
        await native.backup(target, { progress: () => 0x7fffffff });
        fs.chmodSync(target, 0o600);
      } catch (error) {
        fs.rmSync(target, { force: true });
        throw translateSqliteError(error, dbPath);
      }
    },
    translateError: (error: unknown) => (error instanceof DbdError ? error : translateSqliteError(error, dbPath)),
    async readSnapshot<T>(fn: (db: Kysely<Database>, readers: SnapshotReaders) => Promise<T>, options: { helper?: HelperWish } = {}): Promise<T> {
      if (native.inTransaction) return fn(db, { local });
      const setting = snapshotHelperSetting();
      const wish = options.helper;
      const wanted = wish !== undefined && wish !== false && (setting === 'always' || (setting === 'by-size' && wish.large));
      // The write lock first (when a helper is to begin at the same state), then this
      // connection's snapshot, then the helper's.
      const lock = wanted ? takeWriteLock(dbPath) : undefined;
      let helper: (NumberReader & { end(): void }) | undefined;
      let failed = false;
      try {
        beginRead(native);
        if (lock) helper = startSnapshotHelper(dbPath, lock);
        return await fn(db, { local, helper });
      } catch (error) {
        failed = true;
        throw error;
      } finally {
        lock?.release();
        try {
          if (native.inTransaction) native.exec('COMMIT');
        } catch (error) {
          // Ending a read that failed (a full disk may have ended it already) must not hide why it failed.
          if (!failed) throw translateSqliteError(error, dbPath);
        } finally {
          helper?.end();
        }
      }
    },
    async close() {
      await db.destroy();
    },
  };
}

/** Begin a read transaction and read, which fixes its snapshot (SQLite takes it at the first
 * read, not at BEGIN). */
function beginRead(native: BetterSqlite3.Database): void {
  native.exec('BEGIN');
  native.pragma('schema_version');
}

const SNAPSHOT_WORKER = new URL('./snapshotWorker.js', import.meta.url);
/** How long a report waits for another process's write to finish, and then for its helper to
 * begin, before reading on one thread. */
const SNAPSHOT_LOCK_WAIT_MS = 250;

/** Whether readSnapshot should start a helper: not at all, or when the database is large. */
export type HelperWish = false | { large: boolean };

/**
 * Whether a report may use a snapshot helper: DBD_READ_WORKER=never turns it off, =always on
 * whatever the database's size (tests); never from TypeScript sources, where no compiled worker
 * exists. The caller decides by size otherwise (readSnapshot's `helper`).
 */
function snapshotHelperSetting(): 'never' | 'always' | 'by-size' {
  if (process.env.DBD_READ_WORKER === 'never') return 'never';
  if (SNAPSHOT_WORKER.protocol !== 'file:' || !fs.existsSync(fileURLToPath(SNAPSHOT_WORKER))) return 'never';
  return process.env.DBD_READ_WORKER === 'always' ? 'always' : 'by-size';
}

/** The write lock, held by a connection of its own: taken, or undefined when it cannot be had
 * in time (a write going on; a read-only file). `release` may be called any number of times. */
function takeWriteLock(dbPath: string): { release(): void } | undefined {
  let lock: BetterSqlite3.Database;
  try {
    lock = new BetterSqlite3(dbPath, { fileMustExist: true, timeout: SNAPSHOT_LOCK_WAIT_MS });
  } catch {
    return undefined;
  }
  const release = () => {
    if (!lock.open) return;
    try {
      if (lock.inTransaction) lock.exec('ROLLBACK');
    } catch {
      // Closing the connection ends its transaction all the same.
    } finally {
      lock.close();
    }
  };
  try {
    lock.exec('BEGIN IMMEDIATE');
  } catch {
    release();
    return undefined;
  }
  return { release };
}

/**
 * Start a helper whose read transaction begins at the state this connection reads, while `lock`
 * holds the write lock (no writer can commit in between). The helper starts (about 40 ms) while
 * this thread already reads; the lock is let go as soon as the helper has begun, which this
 * thread learns between its queries (NumberReader yields there), or after SNAPSHOT_LOCK_WAIT_MS
 * at most: a helper not begun by then is stopped, and its share read here. Writers wait
 * meanwhile, as they wait for each other. A helper that fails to start or to begin answers
 * nothing: its readers' `numbers` fail, and the caller reads on one thread.
 */
function startSnapshotHelper(dbPath: string, lock: { release(): void }): (NumberReader & { end(): void }) | undefined {
  let worker: Worker;
  try {
    // Small heaps: the helper holds only its share's figures.
    const options: SnapshotOptions = { dbPath, timeoutMs: busyTimeoutMs(process.env), pragmas: [REPORT_PAGE_CACHE, TEMP_STORE_FILE] };
    worker = new Worker(SNAPSHOT_WORKER, { workerData: options, resourceLimits: { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 64 } });
  } catch {
    return undefined;
  }
  let next = 0;
  let stopped: Error | undefined;
  const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  const stop = (error: Error) => {
    stopped ??= error;
    for (const { reject } of waiting.values()) reject(stopped);
    waiting.clear();
  };
  worker.on('message', (reply: SnapshotReply) => {
    const call = waiting.get(reply.id);
    if (!call) return;
    waiting.delete(reply.id);
    if (reply.error) call.reject(Object.assign(new Error(reply.error.message), { code: reply.error.code }));
    else call.resolve(reply.result);
  });
  worker.on('error', (error) => stop(error));
  worker.on('exit', () => stop(new Error('the snapshot helper stopped')));
  const request = (message: WithoutId<SnapshotRequest>): Promise<unknown> =>
    new Promise((resolve, reject) => {
      if (stopped) return reject(stopped);
      const id = ++next;
      waiting.set(id, { resolve, reject });
      worker.postMessage({ ...message, id });
    });
  const abandon = () => {
    stop(new Error('the snapshot helper did not begin in time'));
    void worker.terminate();
  };
  const late = setTimeout(abandon, SNAPSHOT_LOCK_WAIT_MS);
  late.unref();
  // Only a helper that has begun while the lock was held may answer.
  const begun = request({ type: 'begin' });
  begun.then(
    () => {
      clearTimeout(late);
      lock.release();
    },
    () => {
      clearTimeout(late);
      lock.release();
      abandon();
    },
  );
  return {
    numbers: async (queries) => {
      const compiled = queries.map((query) => query.compile());
      // Sent at once (the helper answers in order, and only once begun); used only if it began.
      const [, result] = await Promise.all([begun, request({ type: 'numbers', queries: compiled.map((c) => ({ sql: c.sql, parameters: c.parameters.map(toSqlite) })) })]);
      return result as Float64Array[];
    },
    end: () => {
      clearTimeout(late);
      if (stopped) return;
      worker.postMessage({ id: ++next, type: 'end' } satisfies SnapshotRequest);
      worker.unref(); // it closes its connection and ends; the command need not wait for it
    },
  };
}

/** A message without its id (added when it is sent). */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

// The page cache of writing commands (32 MB) and of reporting ones (8 MB, see
// OpenOptions.reporting). A bulk load writes mostly new pages: measured, 32 MB inserts as fast
// as 64 MB. It is set once, at opening: shrinking it later frees pages that the allocator
// keeps, so the process would stay at the larger size (measured: a million check-ins peaked
// 27 MB higher when the cache went from 64 to 32 MB after the first rows).
const PAGE_CACHE = 'cache_size = -32768';
const REPORT_PAGE_CACHE = 'cache_size = -8192';
// Where SQLite sorts and keeps temporary tables: in memory for writing commands (statement
// journals of savepoints), on disk for reporting ones and index builds.
const TEMP_STORE_MEMORY = 'temp_store = MEMORY';
const TEMP_STORE_FILE = 'temp_store = FILE';

/**
 * Indexes dropped for a bulk load and their definitions. restore() looks at the schema rather
 * than trusting its own notes: a savepoint rolled back (dbd import --skip-invalid writes each
 * row in one) may have undone a drop or a rebuild.
 */
function deferrableIndexes(native: BetterSqlite3.Database, db: Kysely<Database>) {
  const master = db as unknown as Kysely<{ sqlite_master: { type: string; name: string; sql: string | null } }>;
  const query = master.selectFrom('sqlite_master').select('sql').where('type', '=', 'index').where('name', '=', '').compile();
  const statement = native.prepare<unknown[], { sql: string | null }>(query.sql);
  const definitionOf = { get: (name: string) => statement.get(...query.parameters.slice(0, -1), name) };
  const deferred = new Map<string, string>();
  return {
    defer(names: readonly string[]): void {
      for (const name of names) {
        const definition = definitionOf.get(name)?.sql;
        if (!definition) continue; // absent, or an automatic index (UNIQUE): left alone
        if (!deferred.has(name)) deferred.set(name, definition);
        native.prepare(db.schema.dropIndex(name).compile().sql).run();
      }
    },
    restore(): void {
      const missing = [...deferred].filter(([name]) => !definitionOf.get(name));
      if (missing.length === 0) return;
      // Sort on disk, not in memory: a million-row index would otherwise add some 50 MB.
      const inMemory = Number(native.pragma('temp_store', { simple: true })) === 2;
      native.pragma(TEMP_STORE_FILE);
      try {
        // The definition is SQLite's own text for the index, as the migration created it.
        for (const [, definition] of missing) native.exec(definition);
      } finally {
        if (inMemory) native.pragma(TEMP_STORE_MEMORY); // as it was
      }
    },
    /** The transaction is over (committed or rolled back). */
    end(): void {
      deferred.clear();
    },
  };
}

function toSqlite(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

/** SQLite's own errors, in the user's words, with exit code 4. */
export function translateSqliteError(error: unknown, dbPath: string): Error {
  // Extended codes (SQLITE_BUSY_SNAPSHOT, SQLITE_READONLY_DIRECTORY, SQLITE_IOERR_WRITE…) are their family's.
  const family = ((error as { code?: string })?.code ?? '').replace(/^(SQLITE_[A-Z]+)_.*$/, '$1');
  if (family === 'SQLITE_BUSY' || family === 'SQLITE_LOCKED') {
    // Name the process to wait for when it is a dbd process (see writerNote.ts).
    const writer = currentWriter(dbPath);
    const holder = writer
      ? t('safety.lockHeldBy', { pid: writer.pid, user: writer.user, command: writer.command, since: writer.since })
      : t('safety.lockHeldByOther');
    return new DbdError(t('db.locked', { path: dbPath }), ExitCode.database, [holder]);
  }
  if (family === 'SQLITE_CORRUPT' || family === 'SQLITE_NOTADB') {
    // A spreadsheet given as --db (dbd --db 花名册.xlsx …) is a slip, not a damaged database to restore.
    if (/\.(xlsx|xlsm|xls|csv|txt|et)$/i.test(dbPath)) return usageError(t('db.spreadsheetAsDb', { path: dbPath }));
    return databaseError(t('db.corrupt', { path: dbPath }));
  }
  if (family === 'SQLITE_READONLY') {
    // The folder or the database's -shm file cannot be written: SQLite needs both even to read.
    return new DbdError(t('db.io', { path: dbPath, reason: (error as Error).message }), ExitCode.database, [t('db.readOnlyAdvice', { path: dbPath })]);
  }
  if (family === 'SQLITE_CANTOPEN' || family === 'SQLITE_PERM' || family === 'SQLITE_FULL' || family === 'SQLITE_IOERR') {
    return databaseError(t('db.io', { path: dbPath, reason: (error as Error).message }));
  }
  return error instanceof Error ? error : new Error(String(error));
}

/** What a database file holds, read without migrating it (for dbd restore and backup checks). */
export interface DatabaseFileCheck {
  /** 'ok', or SQLite's list of problems. */
  integrity: string[];
  /** Applied migrations, in order ([] when the file has no migration table). */
  migrations: string[];
  tables: string[];
  /** Row counts of the main tables that exist. */
  counts: Partial<Record<'members' | 'checkins' | 'activities' | 'orgs', number>>;
}

/**
 * Check a database file: integrity, schema version and contents. Opened read-write because a
 * file in WAL mode needs its shared-memory index even to be read: give it a copy when the file
 * itself must stay untouched. Throws a database error (exit 4) when it is not SQLite at all.
 */
export async function checkDatabaseFile(file: string, options: { quick?: boolean; label?: string } = {}): Promise<DatabaseFileCheck> {
  // label: the database as messages name it, when `file` is a private copy of it.
  const label = options.label ?? file;
  let native: BetterSqlite3.Database;
  try {
    native = new BetterSqlite3(file, { fileMustExist: true, timeout: busyTimeoutMs(process.env) });
  } catch (error) {
    throw translateSqliteError(error, label);
  }
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: native }) });
  try {
    const rows = native.pragma(options.quick ? 'quick_check' : 'integrity_check') as Array<Record<string, string>>;
    const integrity = rows.map((row) => String(Object.values(row)[0]));
    const tables = (await db.introspection.getTables({ withInternalKyselyTables: true })).map((table) => table.name);
    const migrationNames = tables.includes('kysely_migration') ? await appliedMigrations(db) : [];
    const counts: DatabaseFileCheck['counts'] = {};
    for (const table of ['members', 'checkins', 'activities', 'orgs'] as const) {
      if (!tables.includes(table)) continue;
      const row = await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      counts[table] = Number(row.n);
    }
    return { integrity, migrations: migrationNames, tables, counts };
  } catch (error) {
    throw error instanceof DbdError ? error : translateSqliteError(error, label);
  } finally {
    await db.destroy().catch(() => undefined);
  }
}

/**
 * Fold a database's write-ahead log into the file and close it, so that the file alone holds
 * everything: 'settled'; 'in-use' when another connection still has the database open (its WAL
 * remains); 'unopenable' when SQLite cannot open or checkpoint it (a damaged file).
 */
export function settleDatabaseFile(file: string): 'settled' | 'in-use' | 'unopenable' {
  try {
    const native = new BetterSqlite3(file, { fileMustExist: true, timeout: busyTimeoutMs(process.env) });
    try {
      native.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      native.close();
    }
  } catch {
    return 'unopenable';
  }
  // The last connection to close removes the WAL; if it is still there, someone else is connected.
  return fs.existsSync(`${file}-wal`) ? 'in-use' : 'settled';
}
