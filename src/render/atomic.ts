// Whole files or nothing: write next to the target, flush, then rename over it. Files are
// created owner-only (0600): exports and backups hold personal data.
import { randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** The temporary name used while writing `path`: hidden, in the same directory (so that rename
 * is atomic on the same file system), ending in .tmp. */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/** Write `data` to `path` atomically: a reader sees the old file or the new one, never half a
 * file; on any failure the temporary file is removed and the error rethrown. */
export async function writeFileAtomic(path: string, data: Uint8Array): Promise<void> {
  const temp = tempPathFor(path);
  try {
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw err;
  }
}

/** Like writeFileAtomic, for a writer that streams into a file: `write` fills the stream
 * and resolves when it has finished writing; the file is then flushed and renamed. */
export async function writeStreamAtomic(path: string, write: (stream: WriteStream) => Promise<void>): Promise<void> {
  const temp = tempPathFor(path);
  let closed: Promise<void> | undefined;
  let stream: WriteStream | undefined;
  try {
    stream = createWriteStream(temp, { flags: 'wx', mode: 0o600 });
    const opened = stream;
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
    const handle = await open(temp, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (err) {
    // A writer that fails early may do so before the file is even open: close it first, so
    // that the temporary file is not created after it has been removed.
    stream?.destroy();
    await closed?.catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw err;
  }
}
