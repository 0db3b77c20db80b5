/**
 * A workbook's shared strings, held compactly. A sheet's cells name them by number, anywhere in
 * the sheet, so all of them are held while it is read: hundreds of thousands of short texts (ID
 * numbers, phones, names). As one JavaScript string each they cost some 16 bytes of header and 8
 * of array slot beside their text: 22 MB for the 558,682 of a 200,000-row roster. Here their
 * bytes are kept in buffers of a megabyte (latin-1 for texts of one byte a character, UTF-8 for
 * the others), each entry its buffer, start and length: 7 MB for the same. An entry is decoded
 * when a cell asks for it, into an ordinary string (a slice of a longer string would make every
 * later look at its characters slower); the entries asked for again and again (a gender, a
 * community, a status) are remembered in a small table by their number.
 */
const POOL_BYTES = 1 << 20;
const CACHE_SIZE = 1 << 13;

interface Filling {
  pool: number;
  bytes: Buffer;
  used: number;
}

export class SharedStrings {
  private readonly pools: Buffer[] = [];
  private poolOf = new Uint16Array(1024);
  private startOf = new Int32Array(1024);
  /** Byte length, negative for UTF-8 (latin-1 otherwise). */
  private lengthOf = new Int32Array(1024);
  private count = 0;
  private readonly filling: { latin1?: Filling; utf8?: Filling } = {};
  private readonly cachedNumber = new Int32Array(CACHE_SIZE).fill(-1);
  private readonly cachedText: string[] = new Array<string>(CACHE_SIZE).fill('');

  get length(): number {
    return this.count;
  }

  push(text: string): void {
    if (this.count === this.poolOf.length) this.grow();
    const index = this.count++;
    const latin1 = isOneByte(text);
    const size = latin1 ? text.length : Buffer.byteLength(text, 'utf8');
    const kind = latin1 ? 'latin1' : 'utf8';
    let filling = this.filling[kind];
    if (!filling || filling.used + size > filling.bytes.length) {
      if (filling) this.seal(kind);
      filling = { pool: this.pools.length, bytes: Buffer.allocUnsafe(Math.max(POOL_BYTES, size)), used: 0 };
      if (filling.pool > 0xffff) throw new RangeError('too many shared strings');
      this.pools.push(filling.bytes);
      this.filling[kind] = filling;
    }
    const written = filling.bytes.write(text, filling.used, latin1 ? 'latin1' : 'utf8');
    this.poolOf[index] = filling.pool;
    this.startOf[index] = filling.used;
    this.lengthOf[index] = latin1 ? written : -written;
    filling.used += written;
  }

  /** No more entries: each buffer cut to what it holds. */
  finish(): void {
    this.seal('latin1');
    this.seal('utf8');
  }

  get(index: number): string | undefined {
    if (!Number.isInteger(index) || index < 0 || index >= this.count) return undefined;
    const slot = index & (CACHE_SIZE - 1);
    if (this.cachedNumber[slot] === index) return this.cachedText[slot];
    const pool = this.pools[this.poolOf[index]];
    const start = this.startOf[index];
    const length = this.lengthOf[index];
    const text = length >= 0 ? pool.toString('latin1', start, start + length) : pool.toString('utf8', start, start - length);
    this.cachedNumber[slot] = index;
    this.cachedText[slot] = text;
    return text;
  }

  toArray(): string[] {
    return Array.from({ length: this.count }, (_, index) => this.get(index)!);
  }

  private seal(kind: 'latin1' | 'utf8'): void {
    const filling = this.filling[kind];
    if (!filling) return;
    // A copy of what it holds: the rest of the megabyte goes.
    this.pools[filling.pool] = Buffer.from(filling.bytes.subarray(0, filling.used));
    delete this.filling[kind];
  }

  private grow(): void {
    const size = this.poolOf.length * 2;
    const poolOf = new Uint16Array(size);
    poolOf.set(this.poolOf);
    const startOf = new Int32Array(size);
    startOf.set(this.startOf);
    const lengthOf = new Int32Array(size);
    lengthOf.set(this.lengthOf);
    this.poolOf = poolOf;
    this.startOf = startOf;
    this.lengthOf = lengthOf;
  }
}

function isOneByte(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0xff) return false;
  return true;
}
