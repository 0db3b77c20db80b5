// dbd copy: a whole database, table by table, from one backend to another (SQLite file ↔
// PostgreSQL), keeping every id, so that a town that started on a file can join the city server
// and a server's database can be kept as a file. The copy reads one consistent snapshot of the
// source, writes the target in one transaction (a failure leaves it as empty as it was), pages
// through each table by id so that memory stays bounded, and checks row counts and highest ids
// on both sides before it commits.
import fs from 'node:fs';
import { type Kysely, type Transaction } from 'kysely';
import { databaseError, usageError } from '../errors.js';
import { t } from '../i18n/index.js';
import { sameFile } from './backup.js';
import { describeDatabase, isPostgresUrl, openDatabase, type DbHandle } from './open.js';
import type { Database } from './schema.js';

/** Every table, parents before children (foreign keys are checked on every insert). */
export const COPIED_TABLES = ['towns', 'communities', 'units', 'orgs', 'members', 'checkins', 'pairings', 'activities', 'weekly_reports', 'audit'] as const;
export type CopiedTable = (typeof COPIED_TABLES)[number];

/**
 * The indexes no insert needs (none is unique), built once at the end on an SQLite target: one
 * sort each instead of millions of random inserts (the server maintains its own; see
 * DbHandle.deferIndexes). A name missing here only makes the copy slower.
 */
const DEFERRABLE_INDEXES = [
  'communities_base_name',
  'orgs_short_name',
  'orgs_parent',
  'orgs_unit',
  'members_phone',
  'members_name',
  'members_org',
  'members_town',
  'checkins_member_date',
  'checkins_community_date',
  'pairings_org',
  'pairings_community',
  'activities_date',
  'weekly_reports_week',
];

/** SQLite's limit on bound parameters in one statement (PostgreSQL's is 65,535). */
const MAX_PARAMETERS = 32_766;
const DEFAULT_PAGE_ROWS = 5_000;
/** Organisations whose parent is set again by one UPDATE (a CASE of this many branches). */
const PARENT_BATCH = 500;

export interface CopyProgress {
  table: CopiedTable;
  /** Rows of this table copied so far. */
  rows: number;
  /** Rows of all tables copied so far, and in all. */
  copied: number;
  total: number;
}

export interface CopyOptions {
  /** Rows read from the source per query (default 5,000). */
  pageRows?: number;
  onProgress?: (progress: CopyProgress) => void;
}

export interface CopyResult {
  /** Source and target as messages name them (no password). */
  from: string;
  to: string;
  /** Rows per table, the same on both sides. */
  counts: Record<CopiedTable, number>;
  total: number;
}

interface TableFigures { count: number; maxId: number }

type Row = Record<string, unknown>;
/** The tables as plain rows: the copy moves whatever columns the (identical) schemas have. */
type Rows = Kysely<Record<CopiedTable, Row & { id: number; parent_id: number | null }>>;

/**
 * Copy the database `from` (which must exist) into `to` (a file, created if missing, or a
 * server's database); both are brought to this build's schema first. Refuses a target holding
 * any row (a usage error: nothing is written) and a target that is the source itself.
 */
export async function copyDatabase(from: string, to: string, options: CopyOptions = {}): Promise<CopyResult> {
  if (sameDatabase(from, to)) throw usageError(t('safety.copySame', { db: describeDatabase(to) }));
  const createsFile = !isPostgresUrl(to) && !fs.existsSync(to);
  const source = await openDatabase(from, { mustExist: true });
  let target: DbHandle | undefined;
  let finished = false;
  try {
    target = await openDatabase(to);
    const result = await copyBetween(source, target, options);
    finished = true;
    return result;
  } finally {
    await target?.close().catch(() => undefined);
    await source.close().catch(() => undefined);
    // A file made for this copy and left empty by its failure is removed with its companions.
    // (existsSync: a path that could not be made, under a file say, is not there to remove.)
    if (createsFile && !finished) for (const file of ['', '-wal', '-shm'].map((suffix) => `${to}${suffix}`)) if (fs.existsSync(file)) fs.rmSync(file);
  }
}

/** Copy between two open databases (see copyDatabase). */
export async function copyBetween(source: DbHandle, target: DbHandle, options: CopyOptions = {}): Promise<CopyResult> {
  const pageRows = Math.max(1, options.pageRows ?? DEFAULT_PAGE_ROWS);
  // One snapshot of the source: other dbd commands may go on writing to it meanwhile.
  let reading = source.db.transaction();
  if (source.dialect === 'postgres') reading = reading.setIsolationLevel('repeatable read').setAccessMode('read only');
  // SQLite ends the snapshot by itself when it meets a damaged page, and the rollback that follows
  // then fails in turn: report the first error, not that one.
  let failure: unknown;
  try {
    return await reading.execute((snapshot) =>
      copySnapshot(source, snapshot, target, pageRows, options).catch((error: unknown) => {
        failure ??= error;
        throw error;
      }),
    );
  } catch (error) {
    throw failure ?? source.translateError(error);
  }
}

/** A read of the source: its errors (a damaged page) name the source, not the target whose
 * write transaction it runs in. */
async function fromSource<T>(source: DbHandle, read: Promise<T>): Promise<T> {
  try {
    return await read;
  } catch (error) {
    throw source.translateError(error);
  }
}

/** The copy proper, from the source's snapshot into the target's one write transaction. */
async function copySnapshot(source: DbHandle, snapshot: Transaction<Database>, target: DbHandle, pageRows: number, options: CopyOptions): Promise<CopyResult> {
  const expected = await fromSource(source, figures(snapshot));
  const total = COPIED_TABLES.reduce((sum, table) => sum + expected[table].count, 0);
  return target.writeTransaction(async () => {
    // Inside the transaction: no other writer can fill the target between the look and the copy.
    await refuseUnlessEmpty(target);
    if (target.dialect === 'sqlite') await target.deferIndexes(DEFERRABLE_INDEXES);
    let copied = 0;
    for (const table of COPIED_TABLES) {
      const rows = await copyTable(source, snapshot, target, table, pageRows, (done) => {
        options.onProgress?.({ table, rows: done, copied: copied + done, total });
      });
      copied += rows;
    }
    await restoreParents(source, snapshot, target, pageRows);
    await target.restoreIndexes();
    if (target.dialect === 'postgres') await resetSequences(target, expected);
    await verify(target, expected);
    const counts = Object.fromEntries(COPIED_TABLES.map((table) => [table, expected[table].count])) as Record<CopiedTable, number>;
    return { from: source.path, to: target.path, counts, total };
  });
}

function sameDatabase(a: string, b: string): boolean {
  if (isPostgresUrl(a) || isPostgresUrl(b)) return isPostgresUrl(a) && isPostgresUrl(b) && serverDatabase(a) === serverDatabase(b);
  return sameFile(a, b);
}

/** host:port/database of a URL: who logs in, and how, does not make it another database. */
function serverDatabase(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname.toLowerCase()}:${parsed.port || '5432'}${decodeURIComponent(parsed.pathname)}`;
  } catch {
    return url;
  }
}

async function figures(db: Kysely<Database>): Promise<Record<CopiedTable, TableFigures>> {
  const rows = db as unknown as Rows;
  const result = {} as Record<CopiedTable, TableFigures>;
  for (const table of COPIED_TABLES) {
    const row = await rows
      .selectFrom(table)
      .select((eb) => [eb.fn.countAll<number>().as('count'), eb.fn.max<number | null>('id').as('maxId')])
      .executeTakeFirstOrThrow();
    result[table] = { count: Number(row.count), maxId: Number(row.maxId ?? 0) };
  }
  return result;
}

async function refuseUnlessEmpty(target: DbHandle): Promise<void> {
  const rows = target.db as unknown as Rows;
  for (const table of COPIED_TABLES) {
    const found = await rows.selectFrom(table).select('id').limit(1).executeTakeFirst();
    if (found) {
      const { count } = (await figures(target.db))[table];
      throw usageError(t('safety.copyNotEmpty', { db: target.path, table: tableLabel(table), count }));
    }
  }
}

/**
 * One table, page by page in id order, each page inserted in as few statements as the parameter
 * limit allows. Organisations go in without their parent (a parent may come later in id order):
 * restoreParents sets them once all are in. Returns the rows copied.
 */
async function copyTable(source: DbHandle, snapshot: Transaction<Database>, target: DbHandle, table: CopiedTable, pageRows: number, onPage: (rows: number) => void): Promise<number> {
  const from = snapshot as unknown as Rows;
  const to = target.db as unknown as Rows;
  let lastId = 0;
  let copied = 0;
  for (;;) {
    const page = await fromSource(source, from.selectFrom(table).selectAll().where('id', '>', lastId).orderBy('id').limit(pageRows).execute());
    if (page.length === 0) break;
    const rows = table === 'orgs' ? page.map((row) => ({ ...row, parent_id: null })) : page;
    const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / Object.keys(rows[0]).length));
    for (let start = 0; start < rows.length; start += perStatement) {
      await to.insertInto(table).values(rows.slice(start, start + perStatement)).execute();
    }
    lastId = Number(page[page.length - 1].id);
    copied += page.length;
    onPage(copied);
    if (page.length < pageRows) break;
  }
  return copied;
}

/** Set each organisation's parent, now that every organisation is in: one UPDATE per batch. */
async function restoreParents(source: DbHandle, snapshot: Transaction<Database>, target: DbHandle, pageRows: number): Promise<void> {
  let lastId = 0;
  for (;;) {
    const page = await fromSource(
      source,
      snapshot.selectFrom('orgs').select(['id', 'parent_id']).where('id', '>', lastId).where('parent_id', 'is not', null).orderBy('id').limit(pageRows).execute(),
    );
    for (let start = 0; start < page.length; start += PARENT_BATCH) {
      const batch = page.slice(start, start + PARENT_BATCH);
      await target.db
        .updateTable('orgs')
        .set((eb) => {
          const [first, ...rest] = batch;
          let parent = eb.case('id').when(first.id).then(first.parent_id);
          for (const org of rest) parent = parent.when(org.id).then(org.parent_id);
          return { parent_id: parent.end() };
        })
        .where(
          'id',
          'in',
          batch.map((org) => org.id),
        )
        .execute();
    }
    if (page.length < pageRows) break;
    lastId = page[page.length - 1].id;
  }
}

/**
 * PostgreSQL numbers new rows from each table's sequence, which explicit ids do not advance:
 * set it to the highest id copied, so that the next check-in does not collide with one copied.
 */
async function resetSequences(target: DbHandle, expected: Record<CopiedTable, TableFigures>): Promise<void> {
  for (const table of COPIED_TABLES) {
    const { maxId } = expected[table];
    if (maxId === 0) continue; // an empty table: its fresh sequence starts at 1 as it should
    await target.db
      .selectNoFrom((eb) => eb.fn('setval', [eb.fn('pg_get_serial_sequence', [eb.val(table), eb.val('id')]), eb.val(maxId)]).as('value'))
      .execute();
  }
}

/** The target holds what the source's snapshot held: as many rows, up to the same highest id. */
async function verify(target: DbHandle, expected: Record<CopiedTable, TableFigures>): Promise<void> {
  const found = await figures(target.db);
  for (const table of COPIED_TABLES) {
    const want = expected[table];
    const got = found[table];
    if (want.count !== got.count || want.maxId !== got.maxId) {
      throw databaseError(
        t('safety.copyMismatch', { table: tableLabel(table), source: want.count, sourceMax: want.maxId, target: got.count, targetMax: got.maxId }),
      );
    }
  }
}

export function tableLabel(table: CopiedTable): string {
  return t(`safety.table_${table}`);
}
