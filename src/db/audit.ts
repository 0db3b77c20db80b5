// The audit trail: who (OS user), when, which command line and how many rows, for every
// transaction that changed something. DbHandle.writeTransaction writes the row inside the same
// transaction, so a rolled-back import or a dry run leaves no trace, and a committed one always
// does. Personal data never reaches the trail: ID and mobile numbers in arguments are masked,
// and so is the password of a postgres:// URL.
import os from 'node:os';
import { type Kysely, SqliteAdapter } from 'kysely';
import { maskIdNumber } from '../domain/idNumber.js';
import type { Database } from './schema.js';

/** The tables whose new rows an audit entry counts (the audit table itself is not counted). */
export const AUDITED_TABLES = ['towns', 'communities', 'units', 'orgs', 'members', 'checkins', 'pairings', 'activities', 'weekly_reports'] as const;
export type AuditedTable = (typeof AUDITED_TABLES)[number];

export interface AuditSummary {
  /** Rows inserted, updated or deleted by the transaction (SQLite's total_changes()). */
  changes: number;
  /** New rows per table (only tables that gained rows). */
  added: Partial<Record<AuditedTable, number>>;
  /** What the command says about itself, e.g. the file a database was restored from. */
  note?: string;
  /** Schema migrations applied to an existing database. */
  migrations?: string[];
  /** dbd restore: the backup file the database was restored from. */
  restoredFrom?: string;
  /** dbd restore: where the replaced database was kept. */
  keptAs?: string;
}

export interface AuditEntry {
  id: number;
  at: string;
  user: string;
  command: string;
  summary: AuditSummary;
}

let invocation: string[] | undefined;

/** The arguments of this dbd run (main.ts sets them; library callers may). */
export function setInvocation(args: string[]): void {
  invocation = [...args];
}

/** The command line as the audit trail records it: masked, shell-quoted, starting with "dbd". */
export function currentCommandLine(): string {
  return commandLine(invocation ?? process.argv.slice(2));
}

export function commandLine(args: string[]): string {
  return ['dbd', ...args.map((arg) => shellQuote(maskArgument(arg)))].join(' ');
}

const POSTGRES_PASSWORD = /(postgres(?:ql)?:\/\/[^:/@\s]*:)[^@\s]*@/gi;
const PASSWORD_PARAMETER = /([?&](?:password|pass|pwd)=)[^&\s]*/gi;
// 15-digit (first generation) or 18-character ID numbers, not part of a longer number.
const ID_NUMBER = /(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])/g;
// Mainland mobile numbers, optionally with +86.
const MOBILE = /(?<!\d)((?:\+?86)?1[3-9]\d{9})(?!\d)/g;

/** One argument with secrets and personal numbers masked. */
export function maskArgument(arg: string): string {
  return arg
    .replace(POSTGRES_PASSWORD, '$1***@')
    .replace(PASSWORD_PARAMETER, '$1***')
    .replace(ID_NUMBER, (id: string) => maskIdNumber(id))
    .replace(MOBILE, (phone: string) => `${phone.slice(0, -8)}****${phone.slice(-4)}`);
}

function shellQuote(arg: string): string {
  if (arg !== '' && /^[\p{L}\p{N}_\-./:=@,+%*]+$/u.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The OS account running dbd; containers without a passwd entry fall back to the environment or uid. */
export function osUser(): string {
  try {
    const name = os.userInfo().username;
    if (name) return name;
  } catch {
    // no passwd entry for this uid
  }
  const fromEnv = process.env.USER || process.env.LOGNAME || process.env.USERNAME;
  if (fromEnv) return fromEnv;
  return typeof process.getuid === 'function' ? `uid ${process.getuid()}` : 'unknown';
}

/** Where a transaction starts: the connection's change counter and each table's highest id. */
export interface AuditMark {
  changes: number;
  maxIds: Record<AuditedTable, number>;
}

/** Rows this connection has inserted, updated or deleted so far (only differences are used). */
async function totalChanges(db: Kysely<Database>): Promise<number> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) {
    const row = await db.selectNoFrom((eb) => eb.fn<number>('total_changes', []).as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }
  // PostgreSQL counts the current transaction's row changes per table.
  const stats = db as unknown as Kysely<{ pg_stat_xact_user_tables: { n_tup_ins: number; n_tup_upd: number; n_tup_del: number } }>;
  const row = await stats
    .selectFrom('pg_stat_xact_user_tables')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>(eb('n_tup_ins', '+', eb('n_tup_upd', '+', eb.ref('n_tup_del')))), eb.lit(0)).as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function maxIds(db: Kysely<Database>): Promise<Record<AuditedTable, number>> {
  const result = {} as Record<AuditedTable, number>;
  for (const table of AUDITED_TABLES) {
    // max(id) is one index lookup; ids only grow (nothing is ever deleted), so the
    // difference is the number of rows added.
    const row = await db.selectFrom(table).select((eb) => eb.fn.max<number | null>('id').as('id')).executeTakeFirst();
    result[table] = Number(row?.id ?? 0);
  }
  return result;
}

export async function markAudit(db: Kysely<Database>): Promise<AuditMark> {
  return { changes: await totalChanges(db), maxIds: await maxIds(db) };
}

/** What happened since the mark; undefined when nothing was written. */
export async function summariseSince(db: Kysely<Database>, mark: AuditMark): Promise<AuditSummary | undefined> {
  const changes = (await totalChanges(db)) - mark.changes;
  if (changes <= 0) return undefined;
  const now = await maxIds(db);
  const added: AuditSummary['added'] = {};
  for (const table of AUDITED_TABLES) {
    const delta = now[table] - mark.maxIds[table];
    if (delta > 0) added[table] = delta;
  }
  return { changes, added };
}

export async function recordAudit(db: Kysely<Database>, summary: AuditSummary, at = new Date().toISOString()): Promise<void> {
  await db
    .insertInto('audit')
    .values({ at, os_user: osUser(), command: currentCommandLine(), summary: JSON.stringify(summary) })
    .execute();
}

/** The latest entries, newest first. */
export async function readAudit(db: Kysely<Database>, limit: number): Promise<AuditEntry[]> {
  const rows = await db.selectFrom('audit').selectAll().orderBy('id', 'desc').limit(limit).execute();
  return rows.map((row) => ({ id: row.id, at: row.at, user: row.os_user, command: row.command, summary: parseSummary(row.summary) }));
}

export async function countAudit(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('audit').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

function parseSummary(text: string): AuditSummary {
  try {
    const value = JSON.parse(text) as Partial<AuditSummary>;
    return {
      changes: Number(value.changes ?? 0),
      added: value.added ?? {},
      ...(value.note ? { note: String(value.note) } : {}),
      ...(Array.isArray(value.migrations) ? { migrations: value.migrations.map(String) } : {}),
      ...(value.restoredFrom ? { restoredFrom: String(value.restoredFrom) } : {}),
      ...(value.keptAs ? { keptAs: String(value.keptAs) } : {}),
    };
  } catch {
    // A summary written by hand or by another tool: keep its text as the note.
    return { changes: 0, added: {}, note: text };
  }
}
