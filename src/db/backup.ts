// dbd backup: a consistent copy of the database (SQLite's online backup API, so other dbd
// processes may go on writing), readable by its owner only, checked after it is written.
import fs from 'node:fs';
import path from 'node:path';
import { databaseError, DbdError, usageError } from '../errors.js';
import { t } from '../i18n/index.js';
import { removeOnInterrupt } from '../interrupt.js';
import { checkOutputDir, checkOutputFile } from '../render/outputPath.js';
import { checkDatabaseFile, type DatabaseFileCheck, type DbHandle } from './open.js';

export interface BackupResult {
  file: string;
  bytes: number;
  counts: DatabaseFileCheck['counts'];
}

/** YYYYMMDD-HHMMSS in local time, for file names. */
export function fileStamp(now: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`;
}

/** The database file name without its extension: dbd.sqlite → dbd. */
export function fileStem(file: string): string {
  const base = path.basename(file);
  const extension = path.extname(base);
  return extension ? base.slice(0, -extension.length) : base;
}

/** dir/base.sqlite, or base-2, base-3 … when that is taken: a name made from the time to the
 * second may be made twice within one second. */
export function freeFileName(dir: string, base: string): string {
  let candidate = path.join(dir, `${base}.sqlite`);
  for (let n = 2; fs.existsSync(candidate); n++) candidate = path.join(dir, `${base}-${n}.sqlite`);
  return candidate;
}

/**
 * Where a backup goes: FILE itself, or a dated file inside FILE when it is a directory (a free
 * name: dbd chose it, so it replaces nothing). A path that cannot be written (empty, under a
 * file) is wrong usage, found before any work is done.
 */
export function backupTarget(requested: string, dbPath: string, now: Date): string {
  const isDirectory = requested.endsWith('/') || requested.endsWith(path.sep) || (fs.existsSync(requested) && fs.statSync(requested).isDirectory());
  if (!isDirectory) {
    checkOutputFile(requested);
    return requested;
  }
  checkOutputDir(requested);
  return freeFileName(requested, `${fileStem(dbPath)}-${fileStamp(now)}`);
}

export function sameFile(a: string, b: string): boolean {
  if (path.resolve(a) === path.resolve(b)) return true;
  try {
    const sa = fs.statSync(a);
    const sb = fs.statSync(b);
    return sa.dev === sb.dev && sa.ino === sb.ino;
  } catch {
    return false;
  }
}

export async function backupDatabase(handle: DbHandle, target: string, options: { force?: boolean } = {}): Promise<BackupResult> {
  if (sameFile(target, handle.path)) throw usageError(t('safety.backupIsDatabase', { file: target }));
  if (fs.existsSync(target)) {
    if (fs.statSync(target).isDirectory()) throw usageError(t('safety.backupIsDirectory', { file: target }));
    if (!options.force) throw usageError(t('safety.backupExists', { file: target }));
  }
  // Written and checked under a hidden name, renamed into place only when sound: a failed backup
  // leaves no file behind, and an older backup given with --force is kept until then.
  const temp = path.join(path.dirname(path.resolve(target)), `.${path.basename(target)}.backup-${process.pid}`);
  // The copy and what SQLite writes beside it: removed at the end, or when interrupted.
  const tempFiles = ['', '-wal', '-shm', '-journal'].map((suffix) => `${temp}${suffix}`);
  for (const file of tempFiles) removeOnInterrupt(file);
  try {
    try {
      fs.mkdirSync(path.dirname(temp), { recursive: true });
      await handle.backup(temp);
    } catch (error) {
      throw fileSystemError(error, target);
    }
    // The copy holds the database's pages as they are: a damaged page found in it is the database's.
    const check = await checkDatabaseFile(temp, { quick: true, label: handle.path });
    if (check.integrity.join() !== 'ok') {
      throw databaseError(t('safety.backupDamaged', { db: handle.path, problems: check.integrity.slice(0, 5).join(t('common.groupSeparator')) }));
    }
    try {
      // An old copy's leftover WAL would be replayed onto the new copy: remove it with the copy.
      for (const suffix of ['-wal', '-shm']) fs.rmSync(`${target}${suffix}`, { force: true });
      fs.renameSync(temp, target);
    } catch (error) {
      throw fileSystemError(error, target);
    }
    return { file: target, bytes: fs.statSync(target).size, counts: check.counts };
  } finally {
    for (const file of tempFiles) fs.rmSync(file, { force: true });
  }
}

/** A file that cannot be written (no such folder, no permission, disk full): exit 4, in words. */
export function fileSystemError(error: unknown, file: string): Error {
  if (error instanceof DbdError) return error;
  const code = (error as NodeJS.ErrnoException)?.code;
  if (typeof code === 'string') return databaseError(t('safety.cannotWrite', { file, reason: (error as Error).message }));
  return error instanceof Error ? error : new Error(String(error));
}
