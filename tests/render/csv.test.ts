import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DbdError } from '../../src/errors.js';
import { setLang } from '../../src/i18n/index.js';
import { csvString, csvStringMany, writeCsv, writeCsvMany } from '../../src/render/csv.js';
import type { Table } from '../../src/render/table.js';
import { rateTable } from '../helpers/rateTable.js';


let dir: string;
beforeEach(() => {
  setLang('zh');
  dir = mkdtempSync(join(tmpdir(), 'dbd-render-csv-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  setLang('zh');
});

const evil = (): Table => ({
  name: 'e',
  title: 'e',
  columns: [
    { key: 'text', header: 'text', kind: 'text' },
    { key: 'n', header: 'n', kind: 'int' },
    { key: 'x', header: 'x', kind: 'number' },
  ],
  rows: [
    { text: '=HYPERLINK("http://x","y")', n: -5, x: -1.5 },
    { text: '+1', n: 0, x: 0 },
    { text: '-2+3', n: '-3', x: null },
    { text: '@SUM(A1:A2)', n: null, x: null },
    { text: '\tTAB', n: null, x: null },
    { text: '\rCR', n: null, x: null },
    { text: '\u0007bell', n: null, x: null },
    { text: 'a=b, "q"', n: null, x: null },
  ],
});

describe('csvString', () => {
  it('writes header, rows, totals; rates as text (none: —), numbers as numbers, null empty', () => {
    expect(csvString(rateTable())).toBe(
      [
        '党组织,街道,应报到人数,reported,报到率,时长,日期,身份证号',
        '第一党支部,Xinhua,19,17,89.47%,12.5,2026-11-02,110105********123X',
        'ABC Branch,城关镇,120,120,100.00%,0.3,2026-11-03,110105********0012',
        '空支部,,0,0,—,,,',
        '合计,,139,137,98.56%,12.8,,',
        '',
      ].join('\r\n'),
    );
  });

  it('makes formula-like text safe but keeps negative numbers numeric', () => {
    const records = parse(csvString(evil()), { relax_quotes: true }) as string[][];
    expect(records.slice(1).map((r) => r[0])).toEqual([
      `'=HYPERLINK("http://x","y")`,
      "'+1",
      "'-2+3",
      "'@SUM(A1:A2)",
      "'\tTAB",
      "'\rCR",
      "'\u0007bell",
      'a=b, "q"',
    ]);
    expect(records[1].slice(1)).toEqual(['-5', '-1.5']);
    // a string in a numeric column is text and is guarded like any text
    expect(records[3][1]).toBe("'-3");
  });

  it('combines several tables with a first column 表', () => {
    const a: Table = { name: '甲', title: '', columns: [{ key: 'k', header: 'K', kind: 'int' }], rows: [{ k: 1 }] };
    const b: Table = {
      name: '=乙',
      title: '',
      columns: [{ key: 'k', header: 'K', kind: 'int' }, { key: 'm', header: 'M', kind: 'text' }],
      rows: [{ k: 2, m: 'z' }],
      totals: [{ k: 2, m: '合计' }],
    };
    expect(csvStringMany([a, b])).toBe('表,K,M\r\n甲,1,\r\n\'=乙,2,z\r\n\'=乙,2,合计\r\n');
    expect(csvStringMany([a])).toBe(csvString(a));
    setLang('en');
    expect(csvStringMany([a, b]).startsWith('Table,K,M\r\n')).toBe(true);
  });
});

describe('writeCsv', () => {
  it('writes UTF-8 with a BOM by default', async () => {
    const path = join(dir, 'rate.csv');
    await writeCsv(path, rateTable());
    const bytes = readFileSync(path);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3).toString('utf8')).toBe(csvString(rateTable()));
    expect(readdirSync(dir)).toEqual(['rate.csv']);
  });

  it('writes GBK without a BOM on request, round-tripping through iconv-lite', async () => {
    const path = join(dir, 'rate.csv');
    await writeCsv(path, rateTable(), { encoding: 'gbk' });
    const bytes = readFileSync(path);
    expect([...bytes.subarray(0, 3)]).not.toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.includes(Buffer.from('第一党支部', 'utf8'))).toBe(false);
    expect(bytes.includes(iconv.encode('第一党支部', 'gbk'))).toBe(true);
    expect(iconv.decode(bytes, 'gbk')).toBe(csvString(rateTable()));
  });

  it('refuses a character GBK cannot hold rather than writing ?', async () => {
    const path = join(dir, 'x.csv');
    const table: Table = { name: 'x', title: '', columns: [{ key: 'a', header: 'a', kind: 'text' }], rows: [{ a: 'ok' }, { a: 'bad•' }] };
    await expect(writeCsv(path, table, { encoding: 'gbk' })).rejects.toThrow('字符“•”（U+2022）无法用 GBK 编码（第 3 行第 1 列）');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses it as invalid data (exit 3) naming the file, and in a new folder leaves no folder behind', async () => {
    const path = join(dir, 'new', 'x.csv');
    const table: Table = { name: 'x', title: '', columns: [{ key: 'a', header: 'a', kind: 'text' }], rows: [{ a: '𠮷' }] };
    const error = await writeCsv(path, table, { encoding: 'gbk' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DbdError);
    expect((error as DbdError).exitCode).toBe(3);
    expect((error as DbdError).message).toBe(`${path}：字符“𠮷”（U+20BB7）无法用 GBK 编码（第 2 行第 1 列），未写出文件；请改用 UTF-8（默认编码）`);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('replaces an existing file whole and leaves no temporary file', async () => {
    const path = join(dir, 'out.csv');
    writeFileSync(path, 'old contents that are longer than the new ones '.repeat(100));
    const small: Table = { name: 's', title: '', columns: [{ key: 'a', header: 'a', kind: 'int' }], rows: [{ a: 1 }] };
    await writeCsv(path, small);
    expect(readFileSync(path, 'utf8')).toBe('\ufeffa\r\n1\r\n');
    expect(readdirSync(dir)).toEqual(['out.csv']);
  });

  it('leaves nothing behind when the target cannot be written: a usage error naming it', async () => {
    writeFileSync(join(dir, 'afile'), 'x');
    const path = join(dir, 'afile', 'out.csv');
    const error = await writeCsv(path, rateTable()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DbdError);
    expect((error as DbdError).exitCode).toBe(2);
    expect((error as DbdError).message).toBe(`无法写入 ${path}：${join(dir, 'afile')} 是文件，不是文件夹`);
    expect(readdirSync(dir)).toEqual(['afile']);
  });

  it('creates the missing folders of the target', async () => {
    await writeCsv(join(dir, 'a', 'b', 'out.csv'), rateTable());
    expect(readdirSync(join(dir, 'a', 'b'))).toEqual(['out.csv']);
  });

  it('writes several tables into one file', async () => {
    const path = join(dir, 'all.csv');
    const a = rateTable();
    const b = { ...rateTable(), name: '第二' };
    await writeCsvMany(path, [a, b]);
    const text = readFileSync(path, 'utf8');
    expect(text.startsWith('\ufeff表,党组织,')).toBe(true);
    expect(text).toContain('\r\n第二,第一党支部,');
  });
});
