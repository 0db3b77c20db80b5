// Text files as they come from Chinese offices: UTF-8 with or without BOM, GBK/GB18030 (what
// Excel and WPS save on Chinese Windows), UTF-16 with BOM (without one: told apart, and refused
// with advice). Detected from the first bytes, then decoded as a stream; bytes that are not
// text in the file's encoding are an error naming their line, wherever they are.
import fs from 'node:fs';

export type TextEncoding = 'utf-8' | 'gb18030' | 'utf-16le' | 'utf-16be';

export class DecodeError extends Error {
  constructor(
    /** invalid-utf8: a UTF-8 file that stops being UTF-8; invalid-bytes: bytes that are not text
     * in the file's (detected or given) encoding. */
    readonly code: 'binary' | 'utf16-without-bom' | 'invalid-utf8' | 'invalid-bytes' | 'empty',
    message: string,
    readonly byteOffset?: number,
    /** 1-based line of the file where the bad bytes are. */
    readonly line?: number,
    readonly encoding?: TextEncoding,
  ) {
    super(message);
  }
}

/** Where the first bytes that are not text in `encoding` start in `chunk` (a sequence cut at its
 * end is not bad). */
function firstInvalid(chunk: Buffer, encoding: TextEncoding): number {
  let low = 0;
  let high = chunk.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    try {
      new TextDecoder(encoding, { fatal: true }).decode(chunk.subarray(0, mid + 1), { stream: true });
      low = mid + 1;
    } catch {
      high = mid;
    }
  }
  return low;
}

/** Line breaks of a text read chunk by chunk: CRLF, LF or CR alone, mixed as they come (a
 * CRLF cut between two chunks counted once). */
class LineCounter {
  lines = 0;
  private endsInCr = false;

  /** Count the breaks of `text`, the next piece of the file. */
  add(text: string): void {
    this.lines += LineCounter.count(text, this.endsInCr);
    if (text.length > 0) this.endsInCr = text.charCodeAt(text.length - 1) === 13;
  }

  /** The breaks of `text` were it the next piece (the line an error in it is on: lines + this + 1). */
  upTo(text: string): number {
    return this.lines + LineCounter.count(text, this.endsInCr);
  }

  /** The breaks of `text` alone, after a piece that ended in CR when `afterCr`. */
  static count(text: string, afterCr = false): number {
    let n = 0;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
    for (let i = text.indexOf('\r'); i >= 0; i = text.indexOf('\r', i + 1)) if (text.charCodeAt(i + 1) !== 10) n++;
    // A CR at the end of a text is counted above as a break of its own; the LF that may
    // follow in the next piece is then not one.
    if (afterCr && text.charCodeAt(0) === 10) n--;
    return n;
  }
}

/**
 * Well-formed three-byte UTF-8 sequences for Chinese characters and punctuation (U+3000 to
 * U+9FFF) in bytes, and bytes that begin no well-formed sequence.
 */
function utf8Evidence(bytes: Uint8Array): { chinese: number; invalid: number } {
  let chinese = 0;
  let invalid = 0;
  for (let i = 0; i < bytes.length; ) {
    const lead = bytes[i];
    if (lead < 0x80) {
      i++;
      continue;
    }
    const length = lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
    if (length === 0) {
      invalid++;
      i++;
      continue;
    }
    if (i + length > bytes.length) break; // cut at the end of the bytes looked at
    let wellFormed = true;
    for (let k = 1; k < length && wellFormed; k++) wellFormed = bytes[i + k] >= 0x80 && bytes[i + k] <= 0xbf;
    if (wellFormed) {
      if (length === 3 && lead >= 0xe3 && lead <= 0xe9) chinese++;
      i += length;
    } else {
      invalid++;
      i++;
    }
  }
  return { chinese, invalid };
}

/**
 * UTF-8 with some bad bytes (a row pasted from a GBK file, a character cut in two) rather than
 * GBK. GBK text read as UTF-8 forms a Chinese character only by rare chance (about one in two
 * hundred of its characters, against one or two bad bytes for each), while UTF-8 text is made
 * of them: one per four bad bytes is UTF-8 with a few bad characters, even in a short file.
 */
function mostlyUtf8(bytes: Uint8Array): boolean {
  const { chinese, invalid } = utf8Evidence(bytes);
  return chinese >= 2 && 4 * chinese >= invalid;
}

const SNIFF_BYTES = 64 * 1024;

export function normaliseEncodingName(name: string): TextEncoding | undefined {
  const key = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (key === 'utf8' || key === 'utf8bom') return 'utf-8';
  if (key === 'gbk' || key === 'gb2312' || key === 'gb18030' || key === 'cp936' || key === 'ansi') return 'gb18030';
  if (key === 'utf16' || key === 'utf16le' || key === 'unicode') return 'utf-16le';
  if (key === 'utf16be') return 'utf-16be';
  return undefined;
}

export interface Detected {
  encoding: TextEncoding;
  bomLength: number;
  /** UTF-8 only because the head looked at was plain ASCII: the file may yet turn out GBK. */
  asciiHead?: boolean;
}

/** The byte order mark at the start of head, if any. */
export function byteOrderMark(head: Buffer): Detected | undefined {
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  return undefined;
}

export function detectEncoding(head: Buffer): Detected {
  const marked = byteOrderMark(head);
  if (marked) return marked;
  // Not guessed further: the mark is what tells UTF-16 (SPEC §4); --encoding reads it.
  const utf16 = utf16WithoutMark(head);
  if (utf16) throw new DecodeError('utf16-without-bom', utf16, undefined, undefined, utf16);
  if (looksBinary(head)) throw new DecodeError('binary', 'binary');
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return { encoding: 'utf-8', bomLength: 0, asciiHead: firstNonAscii(head) === head.length };
  } catch {
    // A UTF-8 file with a stray bad row stays UTF-8: reading it names the row (invalid-utf8).
    return { encoding: mostlyUtf8(head.subarray(firstNonAscii(head))) ? 'utf-8' : 'gb18030', bomLength: 0 };
  }
}

/**
 * UTF-16 saved without its byte order mark: the digits, commas and line breaks of a table are
 * each a byte and a NUL, so one half of the byte positions is full of NULs and the other has
 * hardly any.
 */
function utf16WithoutMark(head: Buffer): TextEncoding | undefined {
  const length = Math.min(head.length, 4096) & ~1;
  if (length < 8) return undefined;
  let evenNuls = 0;
  let oddNuls = 0;
  for (let i = 0; i < length; i += 2) {
    if (head[i] === 0) evenNuls++;
    if (head[i + 1] === 0) oddNuls++;
  }
  const pairs = length / 2;
  // (A Chinese character may have a NUL byte too: U+4E00 一 is 00 4E.)
  if (oddNuls >= pairs * 0.2 && evenNuls * 10 <= oddNuls) return 'utf-16le';
  if (evenNuls >= pairs * 0.2 && oddNuls * 10 <= evenNuls) return 'utf-16be';
  return undefined;
}

/** NUL bytes or many control characters: not a text file (a renamed workbook, an image…). */
function looksBinary(head: Buffer): boolean {
  if (head.length === 0) return false;
  let control = 0;
  for (let i = 0; i < head.length; i++) {
    const byte = head[i];
    if (byte === 0) return true;
    if (byte < 0x09 || (byte > 0x0d && byte < 0x20 && byte !== 0x1b)) control++;
  }
  return control > head.length * 0.05;
}

/** The first bytes of a file, by its path or an open descriptor (left open). */
export function readHead(file: string | number, bytes = SNIFF_BYTES): Buffer {
  const fd = typeof file === 'number' ? file : fs.openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const read = fs.readSync(fd, buffer, 0, bytes, 0);
    return buffer.subarray(0, read);
  } finally {
    if (fd !== file) fs.closeSync(fd);
  }
}

/**
 * A file's bytes from its start, a megabyte at a time, through the descriptor given (left open:
 * it is read again, or by another thread, and its owner closes it) or one opened here. Reads
 * at positions, so that several readers of one descriptor do not disturb each other; a read
 * stream would close a descriptor it was given when stopped early.
 */
async function* fileChunks(path: string, fd: number | undefined): AsyncGenerator<Buffer> {
  const own = fd === undefined ? await fs.promises.open(path, 'r') : undefined;
  const descriptor = own?.fd ?? fd!;
  try {
    let position = 0;
    for (;;) {
      const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
      const read = await new Promise<number>((resolve, reject) => fs.read(descriptor, buffer, 0, CHUNK_BYTES, position, (error, bytes) => (error ? reject(error) : resolve(bytes))));
      if (read === 0) return;
      position += read;
      yield read < CHUNK_BYTES ? buffer.subarray(0, read) : buffer;
    }
  } finally {
    await own?.close();
  }
}

const CHUNK_BYTES = 1 << 20;

/** Decoded text chunks of a file, BOM removed. Bytes that are not text in the encoding are an
 * error naming their line, never replacement characters in the data. */
export async function* decodeFile(path: string, detected: Detected, fd?: number): AsyncGenerator<string> {
  let encoding = detected.encoding;
  let decoder = new TextDecoder(encoding, { fatal: true });
  // Detected as UTF-8 only because its head was plain ASCII: until a character beyond ASCII is
  // read, the file may still turn out to be GBK (a long table of numbers above the Chinese).
  let asciiSoFar = detected.asciiHead === true;
  let offset = 0;
  const lines = new LineCounter();
  let first = true;
  // The last bytes of the chunk before: the start of a character the decoder may be holding.
  let tail: Buffer = Buffer.alloc(0);
  const failure = (chunk: Buffer) => {
    // Searched from the held bytes on, so that a bad sequence begun in the chunk before is
    // found where it begins.
    const held = heldBytes(tail, encoding);
    const bytes = Buffer.concat([held, chunk]);
    const bad = firstInvalid(bytes, encoding);
    const line = lines.upTo(new TextDecoder(encoding).decode(bytes.subarray(held.length, Math.max(held.length, bad)))) + 1;
    const at = offset - held.length + bad;
    return notText(encoding, at, line);
  };
  const switchToGbk = (chunk: Buffer): string => {
    // The bytes the UTF-8 decoder was holding are the start of the first GBK character.
    const bytes = Buffer.concat([heldBytes(tail, encoding), chunk]);
    encoding = 'gb18030';
    decoder = new TextDecoder(encoding, { fatal: true });
    try {
      return decoder.decode(bytes, { stream: true });
    } catch {
      throw failure(chunk);
    }
  };
  for await (const raw of fileChunks(path, fd)) {
    let chunk = raw as Buffer;
    if (first && detected.bomLength > 0) chunk = chunk.subarray(detected.bomLength);
    first = false;
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch {
      if (!asciiSoFar || mostlyUtf8(chunk.subarray(firstNonAscii(chunk)))) throw failure(chunk);
      text = switchToGbk(chunk);
    }
    if (asciiSoFar && !isAsciiText(text)) {
      asciiSoFar = false;
      // The first characters beyond ASCII decoded as UTF-8, but GBK text can do so by chance
      // (一 in GBK is һ in UTF-8): the encoding that gives Chinese characters is the file's.
      const read = Buffer.concat([tail, chunk]);
      const beyond = read.subarray(firstNonAscii(read));
      if (encoding === 'utf-8' && !hasChinese(new TextDecoder('utf-8').decode(beyond)) && hasChinese(new TextDecoder('gb18030').decode(beyond))) {
        text = switchToGbk(chunk);
      }
    }
    if (text) yield text;
    lines.add(text);
    offset += chunk.length;
    tail = chunk.subarray(Math.max(0, chunk.length - 3));
  }
  try {
    const rest = decoder.decode();
    if (rest) yield rest;
  } catch {
    throw notText(encoding, offset, lines.lines + 1);
  }
}

/** Bytes that are not text in `encoding` at byte `at`, on `line`: in a UTF-8 file, another
 * encoding mixed in; in any other, bytes that are none of its characters. */
function notText(encoding: TextEncoding, at: number, line: number): DecodeError {
  return encoding === 'utf-8' ? new DecodeError('invalid-utf8', 'invalid utf-8', at, line, encoding) : new DecodeError('invalid-bytes', `invalid ${encoding}`, at, line, encoding);
}

/** The bytes at the end of `tail` that a stream decoder holds: the start of a character still
 * to come (they decode to nothing yet, and are not wrong). */
function heldBytes(tail: Buffer, encoding: TextEncoding): Buffer {
  for (let k = Math.min(3, tail.length); k > 0; k--) {
    const suffix = tail.subarray(tail.length - k);
    try {
      if (new TextDecoder(encoding, { fatal: true }).decode(suffix, { stream: true }) === '') return suffix;
    } catch {
      // not the start of a character
    }
  }
  return tail.subarray(tail.length);
}

const CHINESE = /[\u3400-\u9fff]/;
function hasChinese(text: string): boolean {
  return CHINESE.test(text);
}

/** The position of the first byte beyond ASCII (the length when there is none). */
function firstNonAscii(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length && bytes[i] < 0x80) i++;
  return i;
}

const NON_ASCII = /[^\u0000-\u007f]/;
function isAsciiText(text: string): boolean {
  return !NON_ASCII.test(text);
}
