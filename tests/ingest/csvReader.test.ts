// CSV reading: telling a tab-separated "CSV" from a comma-separated one, and naming the row of a problem.
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CsvError, readCsvBatches, readCsvRows, sniffDelimiter, unwrapEquals } from '../../src/ingest/csvReader.js';

describe('sniffDelimiter', () => {
  it.each([
    ['姓名,身份证号,所在党组织\n甲,110101199003070011,一支部\n', '.csv', ','],
    ['姓名\t身份证号\t所在党组织\n甲\t110101199003070011\t一支部\n', '.csv', '\t'],
    ['姓名\t身份证号\t所在党组织\n甲\t110101199003070011\t一支部\n', '.txt', '\t'],
    ['樟溪区在职党员花名册\n姓名\t身份证号\t所在党组织\n甲\t110101199003070011\t一支部\n', '.txt', '\t'],
    ['樟溪区在职党员花名册\r\n姓名\t身份证号\t备注\r\n甲\t110101199003070011\t调入,待核\r\n乙\t110101199003070012\t\r\n', '.csv', '\t'],
    ['樟溪区在职党员花名册\n姓名,身份证号,所在党组织\n甲,110101199003070011,一支部\n', '.txt', ','],
    ['anything', '.tsv', '\t'],
  ])('%j (%s) → %j', (head, extension, delimiter) => {
    expect(sniffDelimiter(head, extension)).toBe(delimiter);
  });
});

describe('CSV problems name the row as the spreadsheet shows it', () => {
  const rowOfProblem = async (text: string) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dbd-csv-'));
    const file = path.join(dir, 'x.csv');
    fs.writeFileSync(file, text);
    try {
      for await (const batch of readCsvBatches(file, { encoding: 'utf-8', bomLength: 0 }, ',', { maxColumns: 100, maxCellChars: 1000 })) void batch;
      return undefined;
    } catch (error) {
      return error instanceof CsvError ? { kind: error.code, row: error.rowNumber } : error;
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };

  it('an over-long cell below short rows', async () => {
    const rows = ['姓名,身份证号', ...Array.from({ length: 5 }, (_, i) => `甲${i},1`), `乙,${'x'.repeat(5000)}`, '丙,2'];
    expect(await rowOfProblem(rows.join('\n') + '\n')).toEqual({ kind: 'too-large', row: 7 });
  });

  it('a quote left open', async () => {
    expect(await rowOfProblem('姓名,身份证号\n甲,1\n乙,"2\n丙,3\n')).toEqual({ kind: 'unclosed-quote', row: 3 });
  });
});

describe('="…" cells (how a CSV keeps Excel from mangling long numbers)', () => {
  it.each([
    ['="110105199701010011"', '110105199701010011'],
    ['="013900000001"', '013900000001'],
    ['=""', ''],
    ['=SUM(A1:A3)', '=SUM(A1:A3)'],
    ['="1"&"2"', '="1"&"2"'],
    ['="a""b"', '="a""b"'],
    ['=', '='],
    ['a""', 'a""'],
  ])('%j → %j', (cell, value) => {
    expect(unwrapEquals(cell)).toBe(value);
  });

  it('are read as their inner text, unquoted or quoted, on the fast path and after falling back', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dbd-csv-'));
    const read = async (text: string) => {
      const file = path.join(dir, 'x.csv');
      fs.writeFileSync(file, text);
      const cells: unknown[][] = [];
      for await (const row of readCsvRows(file, { encoding: 'utf-8', bomLength: 0 }, ',', { maxColumns: 100, maxCellChars: 1000 })) cells.push(row.cells);
      return cells;
    };
    const expected = [['姓名', '身份证号', '联系电话'], ['张三', '110105199701010011', '13900000001'], ['李四', '110105199701010038', '13900000002']];
    expect(await read('姓名,身份证号,联系电话\n张三,="110105199701010011",="13900000001"\n李四,"=""110105199701010038""",="13900000002"\n')).toEqual(expected);
    // A stray quote further on sends the file to csv-parse: the same values.
    expect(await read('姓名,身份证号,联系电话\n张三,="110105199701010011",="13900000001"\n李四,="110105199701010038",="13900000002"\n王五,a"b,\n')).toEqual([...expected, ['王五', 'a"b', '']]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
