// Text files in the encodings offices save them in, and files that are not quite: which
// encoding a file is read in, and that bytes which are not text are an error naming their line,
// never replacement characters in the data.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { readCsvRows } from '../../src/ingest/csvReader.js';
import { DecodeError, detectEncoding } from '../../src/ingest/decode.js';

const header = '姓名,身份证号,报到社区,所属街道,报到时间\r\n';
const row = (name: string) => `${name},340104198505266011,青山社区,青山街道,2026-03-05\r\n`;
const gbk = (text: string) => iconv.encode(text, 'gbk');
const utf8 = (text: string) => Buffer.from(text, 'utf8');

async function read(bytes: Buffer): Promise<string[][] | DecodeError> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dbd-decode-'));
  const file = path.join(dir, 'x.csv');
  fs.writeFileSync(file, bytes);
  try {
    const rows: string[][] = [];
    for await (const r of readCsvRows(file, detectEncoding(bytes.subarray(0, 64 * 1024)), ',', { maxColumns: 100, maxCellChars: 1000 })) rows.push(r.cells.map(String));
    return rows;
  } catch (error) {
    if (error instanceof DecodeError) return error;
    throw error;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('detectEncoding', () => {
  it('GBK text is GBK, however short its Chinese part', () => {
    for (const text of [header, header + row('王伟'), '社区名单\r\n街道,社区\r\n青山街道,青山社区\r\n']) {
      expect(detectEncoding(gbk(text)).encoding).toBe('gb18030');
    }
  });

  it('UTF-8 with one row saved in GBK, or one character cut in two, stays UTF-8', () => {
    expect(detectEncoding(Buffer.concat([utf8(header + row('王伟')), gbk(row('李兰泽'))])).encoding).toBe('utf-8');
    expect(detectEncoding(Buffer.concat([utf8(header), utf8('王伟').subarray(0, 4), utf8(',1\r\n' + row('丁思昊'))])).encoding).toBe('utf-8');
  });

  it('UTF-16 without a byte order mark is told by its NULs, and refused (--encoding reads it)', () => {
    expect(() => detectEncoding(Buffer.from(header + row('王伟'), 'utf16le'))).toThrow(expect.objectContaining({ code: 'utf16-without-bom', encoding: 'utf-16le' }));
    expect(() => detectEncoding(Buffer.from(header + row('王伟'), 'utf16le').swap16())).toThrow(expect.objectContaining({ code: 'utf16-without-bom', encoding: 'utf-16be' }));
  });
});

describe('decoding', () => {
  it('a UTF-8 file with one GBK row is refused as mixed, naming that row', async () => {
    const result = await read(Buffer.concat([utf8(header + row('王伟')), gbk(row('李兰泽')), utf8(row('丁思昊'))]));
    expect(result).toBeInstanceOf(DecodeError);
    expect(result).toMatchObject({ code: 'invalid-utf8', line: 3 });
  });

  it('bytes that are not GBK in a GBK file are refused, naming their line', async () => {
    const bad = Buffer.concat([gbk(header + row('王伟')), Buffer.from([0xcd, 0xf5, 0xff, 0x80]), gbk(row('').slice(0))]);
    const result = await read(bad);
    expect(result).toMatchObject({ code: 'invalid-bytes', line: 3, encoding: 'gb18030' });
  });

  it('bytes that are not UTF-16 (a lone surrogate) in a UTF-16 file are refused', async () => {
    const text = Buffer.from(header + row('王伟'), 'utf16le');
    const lone = Buffer.from([0x00, 0xd8, 0x41, 0x00]); // U+D800 then "A"
    const result = await read(Buffer.concat([Buffer.from([0xff, 0xfe]), text, lone, Buffer.from(row('丁'), 'utf16le')]));
    expect(result).toMatchObject({ code: 'invalid-bytes', line: 3 });
  });

  it('a GBK file whose first megabytes are plain ASCII is read as GBK, not refused as mixed', async () => {
    const filler = ',,,,\r\n'.repeat(300_000); // 1.8 MB: past the sniffed head and the first chunks
    const rows = await read(Buffer.concat([utf8(filler), gbk(header + row('王伟'))]));
    expect(Array.isArray(rows)).toBe(true);
    const table = rows as string[][];
    expect(table.slice(-2)).toEqual([header.trim().split(','), row('王伟').trim().split(',')]);
  });

});

describe('decoding: GBK behind a plain-ASCII head, and the line an error names', () => {
  it('GBK whose first characters happen to be valid UTF-8 (一 is D2 BB) is still read as GBK', async () => {
    const filler = ',,,,\r\n'.repeat(20_000);
    const rows = (await read(Buffer.concat([utf8(filler), gbk('x,一\r\n姓名,王伟\r\n')]))) as string[][];
    expect(rows.slice(-2)).toEqual([['x', '一'], ['姓名', '王伟']]);
  });

  // Each file begins with Chinese text, so that it is told as UTF-8 (bad bytes in a file with no
  // Chinese at all would make it GBK).
  const prefix = utf8('中文,名称\n');
  const chunk = 1 << 20;
  /** Lines of a,b filling the first chunk up to `end` bytes, the last one padded with x. */
  const filler = (end: number) => {
    const n = Math.floor((end - prefix.length - 8) / 4);
    return { n, bytes: Buffer.concat([prefix, utf8('a,b\n'.repeat(n) + 'x'.repeat(end - prefix.length - 4 * n))]) };
  };

  it('counts lines ending in CR alone and in LF alone, mixed', async () => {
    const result = await read(Buffer.concat([prefix, utf8('a,b\r1,2\n3,4\r5,6\n'), Buffer.from([0xff]), utf8(',7\n')]));
    expect(result).toMatchObject({ code: 'invalid-utf8', line: 6 });
  });

  it('counts a CRLF cut between two chunks of the file once', async () => {
    const { n, bytes: head } = filler(chunk - 1);
    const bytes = Buffer.concat([head, utf8('\r'), utf8('\n1,2\n3,'), Buffer.from([0xff]), utf8('\n')]);
    expect(bytes[chunk - 1]).toBe(13); // the CR is the first chunk's last byte
    // Lines: the prefix, n of a,b, the x line (ended by the cut CRLF), 1,2, then 3,<bad>.
    expect(await read(bytes)).toMatchObject({ code: 'invalid-utf8', line: n + 4 });
  });

  it('names the line of a bad sequence begun at the end of the chunk before', async () => {
    const { n, bytes: head } = filler(chunk - 1);
    // E4 (the start of a Chinese character) ends the first chunk; the second begins with ASCII.
    const bytes = Buffer.concat([head, Buffer.from([0xe4]), utf8(',A\n'.repeat(5000))]);
    expect(bytes[chunk - 1]).toBe(0xe4);
    expect(await read(bytes)).toMatchObject({ code: 'invalid-utf8', line: n + 2 });
  });
});

describe('line endings', () => {
  it('a CRLF file with lines appended in LF (and one in CR) loses no row', async () => {
    const text = header + row('王伟').replace('\r\n', '\n') + row('李兰泽') + row('丁思昊').replace('\r\n', '\r') + row('赵六');
    const rows = (await read(utf8('\ufeff' + text))) as string[][];
    expect(rows.map((r) => r[0])).toEqual(['姓名', '王伟', '李兰泽', '丁思昊', '赵六']);
  });

  it('a quoted cell keeps its line breaks, whatever they are', async () => {
    const rows = (await read(utf8('a,b\r\n1,"x\r\ny"\n2,"p\nq"\r\n'))) as string[][];
    expect(rows).toEqual([['a', 'b'], ['1', 'x\r\ny'], ['2', 'p\nq']]);
  });

  it('the Ctrl-Z end-of-file mark old programs add is a blank line, not a row', async () => {
    const rows = (await read(utf8(header + row('王伟') + '\u001a'))) as string[][];
    expect(rows.filter((r) => r.some((c) => c !== ''))).toHaveLength(2);
  });
});
