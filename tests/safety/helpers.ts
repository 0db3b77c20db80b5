// Shared pieces of the safety tests: the built dbd run asynchronously (for concurrency and
// crash tests), a sample database made once and copied, and a digest of a database's content.
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { setInvocation } from '../../src/db/audit.js';
import { openDatabase } from '../../src/db/open.js';
import { importFiles } from '../../src/ingest/importFiles.js';
import { copyDatabase, dbTarget, onPostgres } from '../helpers/backend.js';
import { contentDigest as databaseDigest, count } from '../helpers/db.js';
import { BIN, DEMO_FIXTURES, ROOT, SAMPLE_ORDER, onBackend, tempDir } from '../helpers/cli.js';

export interface AsyncRun { status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; ms: number }

export const TEST_ENV = { LANG: '', LC_ALL: '', LC_MESSAGES: '', NO_COLOR: '1', DBD_TODAY: '2026-11-21' };

export function startDbd(args: string[], env: Record<string, string> = {}): { child: ChildProcess; done: Promise<AsyncRun> } {
  const started = Date.now();
  const backend = onBackend(args, env, ROOT);
  const child = spawn(process.execPath, [BIN, ...backend.args], { cwd: ROOT, env: { ...process.env, ...TEST_ENV, ...backend.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr!.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const done = new Promise<AsyncRun>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr, ms: Date.now() - started }));
  });
  return { child, done };
}

export function runDbdAsync(args: string[], env: Record<string, string> = {}): Promise<AsyncRun> {
  return startDbd(args, env).done;
}

let samples: string | undefined;

/**
 * The six sample files imported one command each, as tests/helpers/cli.ts sampleDatabase() does
 * with the real bin/dbd, but in this process (six process start-ups less per test file); the
 * audit trail records the same command lines.
 */
async function buildSamples(): Promise<string> {
  const db = path.join(tempDir('dbd-samples-'), 'samples.sqlite');
  const handle = await openDatabase(dbTarget(db));
  try {
    for (const file of SAMPLE_ORDER) {
      const full = path.join(DEMO_FIXTURES, file);
      setInvocation(['import', full, '--db', db]);
      const result = await importFiles(handle, [full], { today: TEST_ENV.DBD_TODAY });
      if (!result.written) throw new Error(`importing ${file} failed`);
    }
  } finally {
    await handle.close();
  }
  return db;
}

/** Build the sample database once per test file: call in beforeAll before copyOfSamples(). */
export async function prepareSamples(): Promise<void> {
  samples ??= await buildSamples();
}

/** A fresh copy of the database holding the six sample files. */
export function copyOfSamples(dir = tempDir('dbd-safety-')): string {
  if (!samples) throw new Error('call prepareSamples() in beforeAll first');
  const copy = path.join(dir, 'dbd.sqlite');
  copyDatabase(samples, copy);
  if (!onPostgres) fs.chmodSync(copy, 0o600);
  return copy;
}

export function withDb<T>(file: string, fn: (db: Database.Database) => T, options: { readonly?: boolean } = { readonly: true }): T {
  const db = new Database(file, { readonly: options.readonly ?? true, fileMustExist: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

export function countRows(file: string, table: string): number {
  if (onPostgres) return count(file, table);
  return withDb(file, (db) => (db.prepare(`select count(*) as n from "${table}"`).get() as { n: number }).n);
}

export function integrity(file: string): string {
  return withDb(file, (db) => (db.pragma('integrity_check') as Array<{ integrity_check: string }>).map((row) => row.integrity_check).join(';'));
}

/** SHA-256 of every row of every table (audit included), in a stable order. */
export function contentDigest(file: string): string {
  if (onPostgres) return databaseDigest(file, { ignore: [], includeAudit: true });
  return withDb(file, (db) => {
    const hash = crypto.createHash('sha256');
    const tables = db.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name").all() as Array<{ name: string }>;
    for (const { name } of tables) {
      const rows = db.prepare(`select * from "${name}" order by rowid`).raw().all();
      hash.update(`${name}\n${JSON.stringify(rows)}\n`);
    }
    return hash.digest('hex');
  });
}

export function fileDigest(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** No stack trace reached the user: no "    at f (file:line)" lines, no Node error names. */
export function hasStackTrace(text: string): boolean {
  return /^\s+at .+(:\d+:\d+\)?|\(node:)/m.test(text) || /\b(TypeError|RangeError|ReferenceError|SyntaxError): /.test(text);
}
