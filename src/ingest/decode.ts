// Text files as they come from Chinese offices: UTF-8 with or without BOM, GBK/GB18030 (what
// Excel and WPS save on Chinese Windows), UTF-16 with BOM. Detected from the first bytes,
// then decoded as a stream; a file that stops being valid UTF-8 part-way is an error.
import fs from 'node:fs';

export type TextEncoding = 'utf-8' | 'gb18030' | 'utf-16le' | 'utf-16be';

export class DecodeError extends Error {
  constructor(
    readonly code: 'binary' | 'invalid-utf8' | 'empty',
    message: string,
    readonly byteOffset?: number,
    /** 1-based line of the file where the bad bytes are. */
    readonly line?: number,
  ) {
    super(message);
  }
}

/** Where the first bytes that are not UTF-8 start in `chunk` (a sequence cut at its end is not bad). */
function firstInvalidUtf8(chunk: Buffer): number {
  let low = 0;
  let high = chunk.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(chunk.subarray(0, mid + 1), { stream: true });
      low = mid + 1;
    } catch {
      high = mid;
    }
  }
  return low;
}

function countNewlines(bytes: Buffer): number {
  let count = 0;
  for (let i = bytes.indexOf(0x0a); i >= 0; i = bytes.indexOf(0x0a, i + 1)) count++;
  return count;
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

export interface Detected { encoding: TextEncoding; bomLength: number }

export function detectEncoding(head: Buffer): Detected {
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  if (looksBinary(head)) throw new DecodeError('binary', 'binary');
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return { encoding: 'utf-8', bomLength: 0 };
  } catch {
    return { encoding: 'gb18030', bomLength: 0 };
  }
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

export function readHead(path: string, bytes = SNIFF_BYTES): Buffer {
  const fd = fs.openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const read = fs.readSync(fd, buffer, 0, bytes, 0);
    return buffer.subarray(0, read);
  } finally {
    fs.closeSync(fd);
  }
}

/** Decoded text chunks of a file, BOM removed. */
export async function* decodeFile(path: string, detected: Detected): AsyncGenerator<string> {
  const decoder = new TextDecoder(detected.encoding, { fatal: detected.encoding === 'utf-8' });
  let offset = 0;
  let newlines = 0;
  let first = true;
  for await (const raw of fs.createReadStream(path, { highWaterMark: 1 << 20 })) {
    let chunk = raw as Buffer;
    if (first && detected.bomLength > 0) chunk = chunk.subarray(detected.bomLength);
    first = false;
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch {
      const bad = firstInvalidUtf8(chunk);
      throw new DecodeError('invalid-utf8', 'invalid utf-8', offset + bad, newlines + countNewlines(chunk.subarray(0, bad)) + 1);
    }
    if (text) yield text;
    if (detected.encoding === 'utf-8') newlines += countNewlines(chunk);
    offset += chunk.length;
  }
  try {
    const rest = decoder.decode();
    if (rest) yield rest;
  } catch {
    throw new DecodeError('invalid-utf8', 'invalid utf-8', offset);
  }
}
