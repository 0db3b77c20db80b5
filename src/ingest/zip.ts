/**
 * Minimal read-only zip access on Node built-ins (fs + zlib), used by the
 * .xlsx reader.
 *
 * - Reads the end-of-central-directory record (zip64 aware) and the central
 *   directory at file offsets; never reads the whole archive.
 * - Streams one entry at a time through zlib.createInflateRaw (method 8) or
 *   passes it through (method 0), counting inflated bytes so that a zip bomb
 *   is stopped as soon as it crosses the limits, without buffering it.
 */
import { promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import * as zlib from 'node:zlib';

export type XlsxErrorCode =
  | 'not-zip'
  | 'old-xls'
  | 'truncated'
  | 'not-workbook'
  | 'too-large'
  | 'too-many-columns'
  | 'bad-xml';

/** Every failure that is the file's fault is an XlsxError; callers translate by `code`. */
export class XlsxError extends Error {
  readonly code: XlsxErrorCode;
  constructor(code: XlsxErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'XlsxError';
    this.code = code;
  }
}

export interface ZipEntry {
  /** Name as stored (forward slashes). */
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
  /** CRC-32 of the inflated bytes, from the central directory. */
  crc32: number;
}

export interface ZipStreamLimits {
  /** Abort with 'too-large' once more than this many bytes have been inflated. */
  maxBytes: number;
  /** Abort with 'too-large' once inflated > ratio × compressed size, checked above RATIO_FLOOR bytes. */
  maxRatio: number;
  /** Wording for the error message, e.g. 'xl/sharedStrings.xml'. */
  what?: string;
}

/** Ratio checks only apply once an entry has inflated past this many bytes. */
export const RATIO_FLOOR = 10 * 1024 * 1024;

const SIG_EOCD = 0x06054b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;
const SIG_ZIP64_EOCD = 0x06064b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_LOCAL = 0x04034b50;
const OLE2_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0]);
/** Central directories of real workbooks are a few KB; refuse absurd ones. */
const MAX_CENTRAL_DIRECTORY = 256 * 1024 * 1024;
const READ_CHUNK = 256 * 1024;
const INFLATE_CHUNK = 256 * 1024;

function u64(buf: Buffer, off: number): number {
  const v = buf.readBigUInt64LE(off);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new XlsxError('not-zip', 'zip64 field out of range');
  return Number(v);
}

export class ZipFile {
  readonly path: string;
  readonly size: number;
  /** Entries keyed by lower-cased name (OPC part names are case-insensitive). */
  private readonly byName: Map<string, ZipEntry>;
  private fh: FileHandle | null;

  private constructor(path: string, fh: FileHandle, size: number, entries: ZipEntry[]) {
    this.path = path;
    this.fh = fh;
    this.size = size;
    this.byName = new Map();
    for (const e of entries) {
      const key = e.name.toLowerCase();
      if (!this.byName.has(key)) this.byName.set(key, e);
    }
  }

  static async open(path: string): Promise<ZipFile> {
    const fh = await fsp.open(path, 'r');
    try {
      const size = (await fh.stat()).size;
      const entries = await readCentralDirectory(fh, size);
      return new ZipFile(path, fh, size, entries);
    } catch (err) {
      await fh.close().catch(() => undefined);
      throw err;
    }
  }

  get entries(): ZipEntry[] {
    return [...this.byName.values()];
  }

  /** Look an entry up by part name; a leading '/' is ignored, case-insensitive. */
  get(name: string): ZipEntry | undefined {
    const key = (name.startsWith('/') ? name.slice(1) : name).toLowerCase();
    return this.byName.get(key);
  }

  async close(): Promise<void> {
    const fh = this.fh;
    this.fh = null;
    if (fh) await fh.close();
  }

  private handle(): FileHandle {
    if (!this.fh) throw new Error('xlsx file is closed');
    return this.fh;
  }

  /** Absolute offset of the entry's compressed data (after its local header). */
  private async dataOffset(entry: ZipEntry): Promise<number> {
    const fh = this.handle();
    if (entry.localHeaderOffset + 30 > this.size) {
      throw new XlsxError('truncated', `zip entry ${entry.name} lies past the end of the file`);
    }
    const hdr = Buffer.alloc(30);
    const { bytesRead } = await fh.read(hdr, 0, 30, entry.localHeaderOffset);
    if (bytesRead < 30 || hdr.readUInt32LE(0) !== SIG_LOCAL) {
      throw new XlsxError('truncated', `zip entry ${entry.name}: local header missing or damaged`);
    }
    const start = entry.localHeaderOffset + 30 + hdr.readUInt16LE(26) + hdr.readUInt16LE(28);
    if (start + entry.compressedSize > this.size) {
      throw new XlsxError('truncated', `zip entry ${entry.name} lies past the end of the file`);
    }
    return start;
  }

  /**
   * Streams the inflated bytes of an entry. Stops with 'too-large' as soon as
   * the limits are crossed; inflate errors and short data become 'truncated'.
   */
  async *stream(entry: ZipEntry, limits: ZipStreamLimits): AsyncGenerator<Buffer, void, undefined> {
    const what = limits.what ?? entry.name;
    if (entry.flags & 1) throw new XlsxError('not-zip', `zip entry ${entry.name} is encrypted`);
    if (entry.method !== 0 && entry.method !== 8) {
      throw new XlsxError('not-zip', `zip entry ${entry.name} uses unsupported compression method ${entry.method}`);
    }
    if (entry.uncompressedSize > limits.maxBytes) {
      throw tooLarge(what, limits.maxBytes);
    }
    const start = await this.dataOffset(entry);
    const csize = entry.compressedSize;
    const fh = this.handle();
    // Compressed bytes handed to the inflater so far: the ratio is checked against them, not
    // only against the whole entry, so that a bomb is stopped within its first megabytes.
    let fed = 0;
    const checkTotal = (total: number): void => {
      if (total > limits.maxBytes) throw tooLarge(what, limits.maxBytes);
      if (total > RATIO_FLOOR && total > limits.maxRatio * (entry.method === 0 ? csize : Math.min(csize, fed))) {
        throw new XlsxError(
          'too-large',
          `${what} inflates more than ${limits.maxRatio} times its compressed size (zip bomb?)`,
        );
      }
    };

    // Every byte is checked against the entry's CRC-32 once all are read: damage inside an
    // entry that still inflates (or one stored uncompressed) would otherwise reach the data.
    let crc = 0;
    const checkIntact = (total: number, computed: number): void => {
      if (total !== entry.uncompressedSize || computed !== entry.crc32) {
        throw new XlsxError('truncated', `zip entry ${entry.name} is damaged (its CRC-32 or size does not match)`);
      }
    };

    if (entry.method === 0) {
      // Stored: read the bytes directly.
      const buf = Buffer.allocUnsafe(Math.min(READ_CHUNK, Math.max(csize, 1)));
      let pos = 0;
      while (pos < csize) {
        const want = Math.min(buf.length, csize - pos);
        const { bytesRead } = await fh.read(buf, 0, want, start + pos);
        if (bytesRead <= 0) throw new XlsxError('truncated', `zip entry ${entry.name} is cut short`);
        pos += bytesRead;
        checkTotal(pos);
        const chunk = Buffer.from(buf.subarray(0, bytesRead));
        crc = zlib.crc32(chunk, crc);
        yield chunk;
      }
      checkIntact(pos, crc);
      return;
    }

    if (csize === 0) throw new XlsxError('truncated', `zip entry ${entry.name} has no data`);

    const inflate = zlib.createInflateRaw({ chunkSize: INFLATE_CHUNK });
    let srcError: unknown = null;
    let stopped = false;
    // Feed the inflater from positional reads with back-pressure.
    const pump = async (): Promise<void> => {
      const buf = Buffer.allocUnsafe(Math.min(READ_CHUNK, csize));
      let pos = 0;
      try {
        while (pos < csize && !stopped) {
          const want = Math.min(buf.length, csize - pos);
          const { bytesRead } = await fh.read(buf, 0, want, start + pos);
          if (bytesRead <= 0) throw new XlsxError('truncated', `zip entry ${entry.name} is cut short`);
          pos += bytesRead;
          fed = pos;
          const ok = inflate.write(Buffer.from(buf.subarray(0, bytesRead)));
          if (!ok && !stopped) {
            await new Promise<void>((resolve) => {
              const done = (): void => {
                inflate.off('drain', done);
                inflate.off('close', done);
                resolve();
              };
              inflate.on('drain', done);
              inflate.on('close', done);
            });
          }
        }
        if (!stopped) inflate.end();
      } catch (err) {
        srcError = err;
        inflate.destroy(err instanceof Error ? err : new Error(String(err)));
      }
    };
    void pump();

    let total = 0;
    try {
      for await (const chunk of inflate as AsyncIterable<Buffer>) {
        total += chunk.length;
        checkTotal(total);
        crc = zlib.crc32(chunk, crc);
        yield chunk;
      }
      checkIntact(total, crc);
    } catch (err) {
      if (err instanceof XlsxError) throw err;
      if (srcError instanceof XlsxError) throw srcError;
      if (srcError && !isZlibError(srcError)) throw srcError; // e.g. I/O error, file closed
      if (!isZlibError(err)) throw err;
      throw new XlsxError('truncated', `zip entry ${entry.name} is damaged or cut short (${(err as Error).message})`, {
        cause: err,
      });
    } finally {
      stopped = true;
      inflate.destroy();
    }
  }

  /** Reads a (small) entry completely, bounded by `maxBytes`. */
  async read(entry: ZipEntry, maxBytes: number, maxRatio: number): Promise<Buffer> {
    const parts: Buffer[] = [];
    for await (const chunk of this.stream(entry, { maxBytes, maxRatio })) parts.push(chunk);
    return Buffer.concat(parts);
  }
}

function isZlibError(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && code.startsWith('Z_');
}

function tooLarge(what: string, max: number): XlsxError {
  return new XlsxError('too-large', `${what} is larger than the limit of ${max} bytes uncompressed`);
}

async function readAt(fh: FileHandle, pos: number, len: number): Promise<Buffer> {
  const buf = Buffer.alloc(len);
  let got = 0;
  while (got < len) {
    const { bytesRead } = await fh.read(buf, got, len - got, pos + got);
    if (bytesRead <= 0) break;
    got += bytesRead;
  }
  return got === len ? buf : buf.subarray(0, got);
}

async function readCentralDirectory(fh: FileHandle, size: number): Promise<ZipEntry[]> {
  const head = await readAt(fh, 0, Math.min(size, 8));
  if (head.length >= 4 && head.subarray(0, 4).equals(OLE2_MAGIC)) {
    throw new XlsxError('old-xls', 'this is an old binary Excel (.xls) or an encrypted workbook, not .xlsx');
  }
  if (size < 22) throw new XlsxError('not-zip', 'not a zip file (too short)');

  // The EOCD record is at the end, followed by a comment of up to 65535 bytes.
  const tailLen = Math.min(size, 22 + 0xffff);
  const tailStart = size - tailLen;
  const tail = await readAt(fh, tailStart, tailLen);
  let eocd = -1;
  let loose = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail[i] === 0x50 && tail.readUInt32LE(i) === SIG_EOCD) {
      const commentLen = tail.readUInt16LE(i + 20);
      if (i + 22 + commentLen === tail.length) {
        eocd = i;
        break;
      }
      if (loose < 0) loose = i;
    }
  }
  if (eocd < 0) eocd = loose;
  if (eocd < 0) {
    if (head.length >= 4 && head.readUInt32LE(0) === SIG_LOCAL) {
      throw new XlsxError('truncated', 'zip file is cut short (no end-of-central-directory record)');
    }
    throw new XlsxError('not-zip', 'not a zip file (no end-of-central-directory record)');
  }

  let total = tail.readUInt16LE(eocd + 10);
  let cdSize = tail.readUInt32LE(eocd + 12);
  let cdOffset = tail.readUInt32LE(eocd + 16);

  // zip64: a locator sits right before the EOCD record.
  const locAbs = tailStart + eocd - 20;
  if (locAbs >= 0) {
    const loc = eocd >= 20 ? tail.subarray(eocd - 20, eocd) : await readAt(fh, locAbs, 20);
    if (loc.length === 20 && loc.readUInt32LE(0) === SIG_ZIP64_LOCATOR) {
      const z64Off = u64(loc, 8);
      if (z64Off + 56 > size) throw new XlsxError('truncated', 'zip64 end-of-central-directory lies past the end of the file');
      const z = await readAt(fh, z64Off, 56);
      if (z.length < 56 || z.readUInt32LE(0) !== SIG_ZIP64_EOCD) {
        throw new XlsxError('not-zip', 'damaged zip64 end-of-central-directory record');
      }
      total = u64(z, 32);
      cdSize = u64(z, 40);
      cdOffset = u64(z, 48);
    }
  }

  if (cdOffset + cdSize > size) {
    throw new XlsxError('truncated', 'zip central directory lies past the end of the file (file cut short?)');
  }
  if (cdSize > MAX_CENTRAL_DIRECTORY) throw new XlsxError('too-large', 'zip central directory is implausibly large');
  const cd = await readAt(fh, cdOffset, cdSize);
  if (cd.length < cdSize) throw new XlsxError('truncated', 'zip central directory is cut short');

  const entries: ZipEntry[] = [];
  let p = 0;
  for (let n = 0; n < total || p + 46 <= cd.length; n++) {
    if (p + 46 > cd.length) {
      if (n < total) throw new XlsxError('truncated', 'zip central directory is cut short');
      break;
    }
    if (cd.readUInt32LE(p) !== SIG_CENTRAL) {
      if (n < total) throw new XlsxError('not-zip', 'damaged zip central directory');
      break;
    }
    const flags = cd.readUInt16LE(p + 8);
    const method = cd.readUInt16LE(p + 10);
    const crc32 = cd.readUInt32LE(p + 16);
    let csize = cd.readUInt32LE(p + 20);
    let usize = cd.readUInt32LE(p + 24);
    const nameLen = cd.readUInt16LE(p + 28);
    const extraLen = cd.readUInt16LE(p + 30);
    const commentLen = cd.readUInt16LE(p + 32);
    let offset = cd.readUInt32LE(p + 42);
    const end = p + 46 + nameLen + extraLen + commentLen;
    if (end > cd.length) throw new XlsxError('truncated', 'zip central directory is cut short');
    const name = cd.toString(flags & 0x800 ? 'utf8' : 'latin1', p + 46, p + 46 + nameLen).replace(/\\/g, '/');
    // zip64 extended information extra field
    let x = p + 46 + nameLen;
    const xEnd = x + extraLen;
    while (x + 4 <= xEnd) {
      const id = cd.readUInt16LE(x);
      const len = cd.readUInt16LE(x + 2);
      if (id === 0x0001) {
        let f = x + 4;
        const fEnd = Math.min(f + len, xEnd);
        if (usize === 0xffffffff && f + 8 <= fEnd) {
          usize = u64(cd, f);
          f += 8;
        }
        if (csize === 0xffffffff && f + 8 <= fEnd) {
          csize = u64(cd, f);
          f += 8;
        }
        if (offset === 0xffffffff && f + 8 <= fEnd) {
          offset = u64(cd, f);
          f += 8;
        }
      }
      x += 4 + len;
    }
    if (offset + csize > size) {
      throw new XlsxError('truncated', `zip entry ${name} lies past the end of the file (file cut short?)`);
    }
    entries.push({ name, method, flags, compressedSize: csize, uncompressedSize: usize, localHeaderOffset: offset, crc32 });
    p = end;
  }
  return entries;
}
