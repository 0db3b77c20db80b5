// CSV reading: telling a tab-separated "CSV" from a comma-separated one, and naming the row of a problem.
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CsvError, readCsvBatches, sniffDelimiter } from '../../src/ingest/csvReader.js';

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
