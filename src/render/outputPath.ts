// Output paths named on the command line (--out, --dir, --errors, --html). A path that cannot
// be written is wrong usage (SPEC §9, exit 2) in words that name it, never a raw system message
// with the hidden temporary file's name. Missing parent folders are not a problem: they are
// created when the file is written.
import fs from 'node:fs';
import path from 'node:path';
import { DbdError, usageError } from '../errors.js';
import { t } from '../i18n/index.js';

/** The file a path names: through a symbolic link, the file it points to (so that writing or
 * replacing it replaces that file, not the link); the path itself when nothing is there yet. */
export function followLink(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return file;
  }
}

function statOf(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch {
    return undefined;
  }
}

/** The nearest folder at or above `dir` that exists, or the path of a file that stands where a
 * folder would have to be created. */
function nearestExisting(dir: string): { path: string; isDirectory: boolean } {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    const stat = statOf(current);
    if (stat) return { path: current, isDirectory: stat.isDirectory() };
    if (path.dirname(current) === current) return { path: current, isDirectory: true };
  }
}

/** A path found on the disk, shown the way the user gave theirs (relative or absolute). */
function asGiven(found: string, given: string): string {
  return path.isAbsolute(given) ? found : path.relative(process.cwd(), found) || '.';
}

/** Where `folder` would be created, a folder must exist to create it in, and be writable. */
function checkCreatable(folder: string, shown: string): void {
  const existing = nearestExisting(folder);
  if (!existing.isDirectory) throw usageError(t('render.outParentIsFile', { path: shown, parent: asGiven(existing.path, shown) }));
  try {
    fs.accessSync(existing.path, fs.constants.W_OK | fs.constants.X_OK);
  } catch {
    throw usageError(t('render.outCannotWrite', { path: shown, reason: t('render.reasonNoPermission') }));
  }
}

/** Check, before any work is done and without touching the disk, that `file` can be written as
 * an output file: not a folder or a device, and in a folder that exists or can be created. */
export function checkOutputFile(file: string, keep: KeptFiles = {}): void {
  if (file === '') throw usageError(t('render.outEmpty'));
  const stat = statOf(file);
  if (stat?.isDirectory()) throw usageError(t('render.outIsDirectory', { path: file }));
  if (stat && !stat.isFile()) throw usageError(t('render.outNotFile', { path: file }));
  if (stat) {
    for (const [what, files] of [['whatInput', keep.inputs ?? []], ['whatDatabase', keep.database ? [keep.database] : []]] as const) {
      if (files.some((kept) => isSameFile(stat, kept))) throw usageError(t('render.outIsInput', { path: file, what: t(`render.${what}`) }));
    }
    // Root may write any file: its mode says whether it is meant to be kept as it is.
    if ((stat.mode & 0o222) === 0 || !canWrite(file)) throw usageError(t('render.outReadOnly', { path: file }));
  }
  checkCreatable(path.dirname(path.resolve(file)), file);
}

/** Files an output must not be written over: the files being imported, the database. */
export interface KeptFiles {
  inputs?: readonly string[];
  database?: string;
}

function isSameFile(stat: fs.Stats, other: string): boolean {
  const otherStat = statOf(other);
  return otherStat !== undefined && otherStat.dev === stat.dev && otherStat.ino === stat.ino;
}

function canWrite(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Check, before any work is done and without touching the disk, that `dir` can hold output
 * files: a folder, or one that can be created. */
export function checkOutputDir(dir: string): void {
  if (dir === '') throw usageError(t('render.outEmpty'));
  const stat = statOf(dir);
  if (stat && !stat.isDirectory()) throw usageError(t('render.dirIsFile', { path: dir }));
  checkCreatable(dir, dir);
}

/** Whether an error is the file system's (it carries an errno code), not a DbdError or a bug. */
function isSystemError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && !(error instanceof DbdError) && typeof (error as NodeJS.ErrnoException).code === 'string';
}

/**
 * A file-system error met while writing `target` (creating its folder, writing it under its
 * temporary name or renaming it into place), as a usage error that names `target`. The caller
 * passes only errors of its own file operations: a database error met while rows are streamed
 * into the file keeps its own exit code.
 */
export function outputPathError(error: unknown, target: string): unknown {
  if (!isSystemError(error)) return error;
  switch (error.code) {
    case 'EISDIR':
      return usageError(t('render.outIsDirectory', { path: target }));
    case 'ENOTDIR':
    case 'EEXIST': {
      // A file stands where a folder of the path should be.
      const existing = nearestExisting(path.dirname(path.resolve(target)));
      if (!existing.isDirectory) return usageError(t('render.outParentIsFile', { path: target, parent: asGiven(existing.path, target) }));
      return usageError(t('render.outCannotWrite', { path: target, reason: error.code }));
    }
    case 'EACCES':
    case 'EPERM':
      return usageError(t('render.outCannotWrite', { path: target, reason: t('render.reasonNoPermission') }));
    case 'EROFS':
      return usageError(t('render.outCannotWrite', { path: target, reason: t('render.reasonReadOnly') }));
    case 'ENOSPC':
    case 'EDQUOT':
      return usageError(t('render.outCannotWrite', { path: target, reason: t('render.reasonNoSpace') }));
    case 'ENAMETOOLONG':
      return usageError(t('render.outCannotWrite', { path: target, reason: t('render.reasonNameTooLong') }));
    case 'ENOENT':
      return usageError(t('render.outCannotWrite', { path: target, reason: t('render.reasonNoFolder') }));
    default:
      return usageError(t('render.outCannotWrite', { path: target, reason: error.code ?? '' }));
  }
}
