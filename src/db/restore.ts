// dbd restore: replace the database by a backup. The backup is checked first, on a private copy
// (SQLite integrity check; a dbd database whose schema this build knows), so that nothing is
// replaced by a damaged or foreign file and the backup itself is never modified. The copy is
// brought to the current schema and then moved over the database in one rename; the database
// it replaces is kept beside it as <name>.before-restore-<date-time>.sqlite.
import fs from 'node:fs';
import path from 'node:path';
import { databaseError, DbdError, ExitCode, usageError } from '../errors.js';
import { t } from '../i18n/index.js';
import { removeOnInterrupt } from '../interrupt.js';
import { followLink } from '../render/outputPath.js';
import { recordAudit } from './audit.js';
import { fileStamp, fileStem, fileSystemError, freeFileName, sameFile } from './backup.js';
import { checkDatabaseFile, openDatabase, settleDatabaseFile, unknownMigrations, type DatabaseFileCheck } from './open.js';
import { migrations } from './migrations/index.js';
import { currentWriter } from './writerNote.js';

export interface RestoreResult {
  database: string;
  restoredFrom: string;
  /** Where the replaced database was kept, or null when there was none. */
  keptAs: string | null;
  counts: DatabaseFileCheck['counts'];
  /** Migrations applied to bring the backup to this build's schema. */
  migrated: string[];
}

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');
/** Tables that make a file a dbd database. */
const DBD_TABLES = ['members', 'orgs', 'checkins', 'audit'];

export async function restoreDatabase(source: string, given: string, options: { force?: boolean; now?: Date } = {}): Promise<RestoreResult> {
  const now = options.now ?? new Date();
  // Through a symbolic link, the file it points to is replaced (and kept beside it), not the link.
  const target = followLink(given);
  checkSourceFile(source);
  if (sameFile(source, target)) throw usageError(t('safety.restoreSame', { file: source }));
  const replacing = fs.existsSync(target);
  if (replacing && !fs.statSync(target).isFile()) throw usageError(t('safety.restoreTargetNotFile', { db: target }));
  if (replacing && !options.force) throw usageError(t('safety.restoreExists', { db: target, file: source }));

  const temp = path.join(path.dirname(path.resolve(target)), `.${path.basename(target)}.restore-${process.pid}`);
  // The copy and what SQLite and dbd write beside it: removed at the end, or when interrupted.
  const tempFiles = ['', '-wal', '-shm', '-writer'].map((suffix) => `${temp}${suffix}`);
  for (const file of tempFiles) removeOnInterrupt(file);
  try {
    try {
      fs.mkdirSync(path.dirname(path.resolve(target)), { recursive: true });
      copyPrivately(source, temp);
      if (fs.existsSync(`${source}-wal`)) copyPrivately(`${source}-wal`, `${temp}-wal`);
    } catch (error) {
      throw fileSystemError(error, target);
    }
    const check = await verifyCopy(temp, source);
    const handle = await openDatabase(temp, { mustExist: true });
    const migrated = Object.keys(migrations).filter((name) => !check.migrations.includes(name));
    let keptAs: string | null = null;
    try {
      if (replacing) keptAs = path.resolve(keptName(target, now));
      await recordAudit(handle.db, { changes: 0, added: {}, restoredFrom: path.resolve(source), ...(keptAs ? { keptAs } : {}) });
      await handle.close();
      try {
        if (replacing) keepReplaced(target, keptAs!);
        // One rename: other processes see the old database or the restored one, never a mix.
        fs.renameSync(temp, target);
      } catch (error) {
        throw fileSystemError(error, target);
      }
      return { database: given, restoredFrom: source, keptAs, counts: check.counts, migrated };
    } catch (error) {
      await handle.close().catch(() => undefined);
      throw error;
    }
  } finally {
    for (const file of tempFiles) {
      try {
        fs.rmSync(file, { force: true });
      } catch {
        // nothing was created there
      }
    }
  }
}

function checkSourceFile(source: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(source);
  } catch {
    // A path that does not exist is wrong usage (SPEC §9), not a database problem.
    throw usageError(t('safety.restoreMissing', { file: source }));
  }
  if (stat.isDirectory()) throw usageError(t('safety.restoreIsDirectory', { file: source }));
  if (!stat.isFile()) throw databaseError(t('safety.restoreNotSqlite', { file: source }));
  const head = Buffer.alloc(SQLITE_HEADER.length);
  const fd = fs.openSync(source, 'r');
  try {
    fs.readSync(fd, head, 0, head.length, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (!head.equals(SQLITE_HEADER)) throw databaseError(t('safety.restoreNotSqlite', { file: source }));
}

/** The copy must be a sound dbd database of a schema this build knows (older ones are upgraded). */
async function verifyCopy(copy: string, source: string): Promise<DatabaseFileCheck> {
  let check: DatabaseFileCheck;
  try {
    check = await checkDatabaseFile(copy);
  } catch (error) {
    if (error instanceof DbdError) throw databaseError(t('safety.restoreDamaged', { file: source, problems: error.message }));
    throw error;
  }
  if (check.integrity.join() !== 'ok') {
    throw databaseError(t('safety.restoreDamaged', { file: source, problems: check.integrity.slice(0, 5).join(t('common.groupSeparator')) }));
  }
  if (check.migrations.length === 0 || DBD_TABLES.some((table) => !check.tables.includes(table))) {
    throw databaseError(t('safety.restoreNotDbd', { file: source }));
  }
  const unknown = unknownMigrations(check.migrations);
  if (unknown.length > 0) throw databaseError(t('safety.restoreNewer', { file: source, migration: unknown[unknown.length - 1] }));
  return check;
}

/** Copy a file into a new file that only its owner can read, from its first byte. */
function copyPrivately(from: string, to: string): void {
  const input = fs.openSync(from, 'r');
  try {
    const output = fs.openSync(to, 'wx', 0o600);
    try {
      fs.fchmodSync(output, 0o600);
      const buffer = Buffer.allocUnsafe(1 << 20);
      for (;;) {
        const read = fs.readSync(input, buffer, 0, buffer.length, null);
        if (read === 0) break;
        let written = 0;
        while (written < read) written += fs.writeSync(output, buffer, written, read - written);
      }
      fs.fsyncSync(output);
    } finally {
      fs.closeSync(output);
    }
  } finally {
    fs.closeSync(input);
  }
}

function keptName(target: string, now: Date): string {
  return freeFileName(path.dirname(target), `${fileStem(target)}.before-restore-${fileStamp(now)}`);
}

/**
 * Keep the database about to be replaced under `keptAs`. Its WAL is folded in first, so that the
 * kept file is whole and no stale WAL is left to be replayed onto the restored database; a
 * database that another process still has open is not replaced.
 */
function keepReplaced(target: string, keptAs: string): void {
  const writer = currentWriter(target);
  if (writer) {
    throw new DbdError(t('safety.restoreInUse', { db: target }), ExitCode.database, [
      t('safety.lockHeldBy', { pid: writer.pid, user: writer.user, command: writer.command, since: writer.since }),
    ]);
  }
  if (settleDatabaseFile(target) === 'in-use') throw databaseError(t('safety.restoreInUse', { db: target }));
  const wal = `${target}-wal`;
  // Hard link: the database stays at its name until the rename replaces it (copy where links fail).
  try {
    fs.linkSync(target, keptAs);
  } catch {
    copyPrivately(target, keptAs);
  }
  fs.chmodSync(keptAs, 0o600);
  // A damaged database that could not be settled keeps its WAL beside the kept copy.
  if (fs.existsSync(wal)) fs.renameSync(wal, `${keptAs}-wal`);
  fs.rmSync(`${target}-shm`, { force: true });
}
