// Whole files or nothing: write next to the target, flush, then rename over it. Files are
// created owner-only (0600): exports and backups hold personal data. Missing parent folders
// are created (and removed again if the file cannot be written); a path that cannot be written
// is a usage error naming it (outputPath.ts). A FileBatch holds several files under their
// temporary names until all of them are written, so that a bundle is all or nothing.
import { randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { copyFile, link, lstat, mkdir, open, rename, rmdir, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { removeOnInterrupt } from '../interrupt.js';
import { followLink, outputPathError } from './outputPath.js';

/** Bytes a file name may have on the usual file systems (ext4, APFS, NTFS). */
const NAME_MAX = 255;

/** The temporary name used while writing `path`: hidden, in the same directory (so that rename
 * is atomic on the same file system), ending in .tmp. The target's name is shortened in it when
 * needed, so that any name the target may have, the temporary file may have too. */
export function tempPathFor(path: string): string {
  const suffix = `.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  let name = basename(path);
  while (Buffer.byteLength(`.${name}${suffix}`) > NAME_MAX) name = Array.from(name).slice(0, -1).join('');
  const temp = join(dirname(path), `.${name}${suffix}`);
  removeOnInterrupt(temp);
  return temp;
}

const nothing = async (): Promise<void> => undefined;

/** Create the folders missing above `file`; returns what removes them again (those still empty). */
async function makeParents(file: string): Promise<() => Promise<void>> {
  const dir = dirname(resolve(file));
  const first = await mkdir(dir, { recursive: true });
  if (first === undefined) return nothing;
  return async () => {
    for (let current = dir; ; current = dirname(current)) {
      try {
        await rmdir(current);
      } catch {
        return;
      }
      if (current === first || dirname(current) === current) return;
    }
  };
}

/** A file written under its temporary name, not yet renamed into place. */
interface StagedFile {
  target: string;
  temp: string;
  removeFolders: () => Promise<void>;
}

async function discardStaged(file: StagedFile): Promise<void> {
  await unlink(file.temp).catch(() => undefined);
  await file.removeFolders();
}

async function commitStaged(file: StagedFile): Promise<void> {
  try {
    await rename(file.temp, file.target);
  } catch (err) {
    await discardStaged(file);
    throw outputPathError(err, file.target);
  }
}

/** Files written under temporary names, renamed into place together by commit() once all are
 * written, or all removed by discard(). */
export class FileBatch {
  private readonly staged: StagedFile[] = [];

  add(file: StagedFile): void {
    this.staged.push(file);
  }

  /**
   * Rename every file into place, all or none: a target that is a folder stops the batch before
   * anything is moved, and the files a target replaces are moved aside first, so that should a
   * rename fail nonetheless, every file put in place is taken back and the old ones restored.
   */
  async commit(): Promise<void> {
    const files = this.staged.splice(0);
    for (const file of files) {
      if (!(await lstat(file.target).catch(() => undefined))?.isDirectory()) continue;
      for (const staged of [...files].reverse()) await discardStaged(staged);
      throw outputPathError(Object.assign(new Error(`${file.target} is a folder`), { code: 'EISDIR' }), file.target);
    }
    // The file a target replaces is kept under a second name (a hard link, else a copy) while
    // the new one is renamed over it: the target is always the old file or the new one.
    const placed: Array<{ file: StagedFile; kept: string | null }> = [];
    try {
      for (const file of files) {
        let kept: string | null = tempPathFor(file.target);
        try {
          await link(file.target, kept).catch(async (err: NodeJS.ErrnoException) => {
            if (err.code === 'ENOENT') throw err;
            await copyFile(file.target, kept!);
          });
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw outputPathError(err, file.target);
          kept = null; // nothing there to replace
        }
        placed.push({ file, kept });
        await rename(file.temp, file.target).catch((err) => {
          throw outputPathError(err, file.target);
        });
      }
    } catch (err) {
      const lost: string[] = [];
      for (const { file, kept } of placed.reverse()) {
        if (kept) await rename(kept, file.target).catch(() => lost.push(kept));
        else await unlink(file.target).catch(() => undefined);
        await discardStaged(file);
      }
      for (const file of files.slice(placed.length).reverse()) await discardStaged(file);
      // A file that could not be put back stays under its kept name: say where.
      if (lost.length > 0 && err instanceof Error) err.message += ` (${lost.join(', ')})`;
      throw err;
    }
    for (const { kept } of placed) if (kept) await unlink(kept).catch(() => undefined);
  }

  /** Remove every file not yet committed (and the folders created for them). */
  async discard(): Promise<void> {
    // Newest first: the folders created for the first file are removed last, when empty.
    for (const file of this.staged.splice(0).reverse()) await discardStaged(file);
  }
}

/** Run `work` with a new batch, then commit the batch; on any failure, discard it. */
export async function withFileBatch<T>(work: (batch: FileBatch) => Promise<T>): Promise<T> {
  const batch = new FileBatch();
  try {
    const result = await work(batch);
    await batch.commit();
    return result;
  } catch (err) {
    await batch.discard();
    throw err;
  }
}

/** Write `data` to `path` atomically: a reader sees the old file or the new one, never half a
 * file; on any failure the temporary file is removed and the error rethrown. */
export async function writeFileAtomic(given: string, data: Uint8Array): Promise<void> {
  const path = followLink(given);
  const temp = tempPathFor(path);
  let removeFolders = nothing;
  try {
    removeFolders = await makeParents(path);
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (err) {
    await discardStaged({ target: path, temp, removeFolders });
    throw outputPathError(err, path);
  }
  await commitStaged({ target: path, temp, removeFolders });
}

/** Like writeFileAtomic, for a writer that streams into a file: `write` fills the stream
 * and resolves when it has finished writing; the file is then flushed and renamed — or, with a
 * batch, left under its temporary name until the batch is committed. */
export async function writeStreamAtomic(path: string, write: (stream: WriteStream) => Promise<void>, batch?: FileBatch): Promise<void> {
  const staged = await stageStream(path, write);
  if (batch) batch.add(staged);
  else await commitStaged(staged);
}

async function stageStream(given: string, write: (stream: WriteStream) => Promise<void>): Promise<StagedFile> {
  const path = followLink(given);
  const temp = tempPathFor(path);
  let removeFolders = nothing;
  let closed: Promise<void> | undefined;
  let stream: WriteStream | undefined;
  // Errors of the file itself (its folder, opening, writing, flushing) are the output path's
  // problem; anything else the writer throws (a row that cannot be encoded, a database error
  // while rows are streamed) passes through as it is.
  const fileErrors = new Set<unknown>();
  const fileStep = async <T>(step: () => Promise<T>): Promise<T> => {
    try {
      return await step();
    } catch (err) {
      fileErrors.add(err);
      throw err;
    }
  };
  try {
    removeFolders = await fileStep(() => makeParents(path));
    stream = createWriteStream(temp, { flags: 'wx', mode: 0o600 });
    const opened = stream;
    opened.on('error', (err) => fileErrors.add(err));
    closed = new Promise<void>((resolve, reject) => {
      opened.on('close', resolve);
      opened.on('error', reject);
    });
    // A failure to open surfaces through `closed` as well as through the writer: observe it
    // now so that it never goes unhandled while the writer fails first.
    closed.catch(() => undefined);
    await Promise.race([write(stream), closed.then(() => undefined)]);
    if (!stream.writableEnded) stream.end();
    await closed;
    await fileStep(async () => {
      const handle = await open(temp, 'r+');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    });
    return { target: path, temp, removeFolders };
  } catch (err) {
    // A writer that fails early may do so before the file is even open: close it first, so
    // that the temporary file is not created after it has been removed.
    stream?.destroy();
    await closed?.catch(() => undefined);
    await discardStaged({ target: path, temp, removeFolders });
    throw fileErrors.has(err) ? outputPathError(err, path) : err;
  }
}
