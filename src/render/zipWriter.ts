// A streaming zip writer for the xlsx renderer: entries deflated as they are written, with
// back-pressure from the output (a sheet of any length never piles up in memory), sizes and
// CRC in a data descriptor after each entry, the central directory at the end.
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { constants, crc32, createDeflateRaw } from 'node:zlib';

/** Text is gathered up to this many UTF-16 units before it is encoded and compressed. */
const CHUNK_UNITS = 1 << 16;
/** Bit 3: sizes and CRC follow the data; bit 11: names are UTF-8. */
const FLAGS = 0x0808;
const DEFLATE = 8;
const VERSION = 20;
const MAX_32 = 0xffffffff;

interface EntryRecord { name: Buffer; crc: number; compressed: number; size: number; offset: number }

/** An entry being written: text in, deflated bytes out. `write` returns a promise only when the
 * output is full, so that a writer awaits only then. */
export class ZipEntry {
  private parts: string[] = [];
  private units = 0;
  crc = 0;
  size = 0;
  compressed = 0;

  constructor(private readonly deflate: ReturnType<typeof createDeflateRaw>) {}

  write(text: string): Promise<void> | undefined {
    this.parts.push(text);
    this.units += text.length;
    return this.units >= CHUNK_UNITS ? this.flush() : undefined;
  }

  /** Encode and compress what has been gathered; resolves when the compressor can take more. */
  async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    const bytes = Buffer.from(this.parts.join(''), 'utf8');
    this.parts = [];
    this.units = 0;
    this.crc = crc32(bytes, this.crc);
    this.size += bytes.length;
    if (!this.deflate.write(bytes)) await once(this.deflate, 'drain');
  }
}

export class ZipWriter {
  private offset = 0;
  private readonly entries: EntryRecord[] = [];
  private readonly stamp: { time: number; date: number };

  constructor(private readonly out: Writable, modified = new Date()) {
    this.stamp = dosDateTime(modified);
  }

  /** Add one entry: `fill` writes its text; the entry is complete when fill resolves. */
  async add(name: string, fill: (entry: ZipEntry) => Promise<void> | void): Promise<void> {
    const nameBytes = Buffer.from(name, 'utf8');
    const offset = this.offset;
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(VERSION, 4);
    header.writeUInt16LE(FLAGS, 6);
    header.writeUInt16LE(DEFLATE, 8);
    header.writeUInt16LE(this.stamp.time, 10);
    header.writeUInt16LE(this.stamp.date, 12);
    // CRC and sizes (14..25) stay zero: they are in the data descriptor.
    header.writeUInt16LE(nameBytes.length, 26);
    await this.put(Buffer.concat([header, nameBytes]));

    const deflate = createDeflateRaw({ level: constants.Z_BEST_SPEED });
    const entry = new ZipEntry(deflate);
    const drained = this.pipeCompressed(deflate, entry);
    try {
      await fill(entry);
      await entry.flush();
    } finally {
      deflate.end();
    }
    await drained;
    if (entry.size > MAX_32 || entry.compressed > MAX_32 || this.offset > MAX_32) throw new Error(`zip entry ${name} is too large (over 4 GB)`);

    const descriptor = Buffer.alloc(16);
    descriptor.writeUInt32LE(0x08074b50, 0);
    descriptor.writeUInt32LE(entry.crc >>> 0, 4);
    descriptor.writeUInt32LE(entry.compressed, 8);
    descriptor.writeUInt32LE(entry.size, 12);
    await this.put(descriptor);
    this.entries.push({ name: nameBytes, crc: entry.crc >>> 0, compressed: entry.compressed, size: entry.size, offset });
  }

  /** The central directory and its end record; the output stream is then ended. */
  async finish(): Promise<void> {
    const start = this.offset;
    for (const e of this.entries) {
      const record = Buffer.alloc(46);
      record.writeUInt32LE(0x02014b50, 0);
      record.writeUInt16LE(VERSION, 4);
      record.writeUInt16LE(VERSION, 6);
      record.writeUInt16LE(FLAGS, 8);
      record.writeUInt16LE(DEFLATE, 10);
      record.writeUInt16LE(this.stamp.time, 12);
      record.writeUInt16LE(this.stamp.date, 14);
      record.writeUInt32LE(e.crc, 16);
      record.writeUInt32LE(e.compressed, 20);
      record.writeUInt32LE(e.size, 24);
      record.writeUInt16LE(e.name.length, 28);
      record.writeUInt32LE(e.offset, 42);
      await this.put(Buffer.concat([record, e.name]));
    }
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(this.entries.length, 8);
    end.writeUInt16LE(this.entries.length, 10);
    end.writeUInt32LE(this.offset - start, 12);
    end.writeUInt32LE(start, 16);
    await this.put(end);
    this.out.end();
  }

  private async put(bytes: Buffer): Promise<void> {
    this.offset += bytes.length;
    if (!this.out.write(bytes)) await once(this.out, 'drain');
  }

  /** Compressed bytes to the output as they come, pausing the compressor while the output is full. */
  private pipeCompressed(deflate: ReturnType<typeof createDeflateRaw>, entry: ZipEntry): Promise<void> {
    return new Promise((resolve, reject) => {
      deflate.on('data', (chunk: Buffer) => {
        entry.compressed += chunk.length;
        this.offset += chunk.length;
        if (!this.out.write(chunk)) {
          deflate.pause();
          this.out.once('drain', () => deflate.resume());
        }
      });
      deflate.on('end', resolve);
      deflate.on('error', reject);
    });
  }
}

/** MS-DOS date and time (local, two-second steps), as zip headers hold them. */
function dosDateTime(d: Date): { time: number; date: number } {
  const year = Math.min(Math.max(d.getFullYear(), 1980), 2107);
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | (d.getSeconds() >> 1),
    date: ((year - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}
