import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import stringWidth from 'string-width';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setLang } from '../../src/i18n/index.js';
import { formatForPath, writeTableFile, writeXlsx } from '../../src/render/xlsx.js';
import type { ReportMeta, Table } from '../../src/render/table.js';
import { rateTable } from '../helpers/rateTable.js';


let dir: string;
beforeEach(() => {
  setLang('zh');
  dir = mkdtempSync(join(tmpdir(), 'dbd-render-xlsx-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  setLang('zh');
});

const meta: ReportMeta = {
  title: '2026年11月报到率',
  entries: [
    ['截至日期', '2026-11-30'],
    ['阈值', '90%'],
    ['生成时间', '2026-12-01 08:00'],
    ['dbd 版本', '0.1.0'],
  ],
};

async function load(path: string): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  return wb;
}

describe('writeXlsx', () => {
  it('writes a data sheet with a bold frozen filtered header and typed cells', async () => {
    const path = join(dir, 'rate.xlsx');
    await writeXlsx(path, [rateTable()], meta);
    expect(readdirSync(dir)).toEqual(['rate.xlsx']);
    const wb = await load(path);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['报到率', '说明']);
    const ws = wb.worksheets[0];

    const header = ws.getRow(1);
    expect((header.values as unknown[]).slice(1)).toEqual(['党组织', '街道', '应报到人数', 'reported', '报到率', '时长', '日期', '身份证号']);
    for (let c = 1; c <= 8; c++) expect(header.getCell(c).font?.bold).toBe(true);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    // header plus the three data rows; the total row stays outside the filter
    expect(ws.autoFilter).toBe('A1:H4');
    expect(ws.rowCount).toBe(5);

    const r2 = ws.getRow(2);
    expect(r2.getCell(1).value).toBe('第一党支部');
    expect(r2.getCell(3).value).toBe(19);
    expect(typeof r2.getCell(3).value).toBe('number');
    expect(r2.getCell(3).numFmt).toBe('0');
    expect(r2.getCell(5).value).toBe(0.8947);
    expect(r2.getCell(5).numFmt).toBe('0.00%');
    expect(r2.getCell(6).value).toBe(12.5);
    expect(r2.getCell(7).value).toBe('2026-11-02');
    expect(r2.getCell(8).value).toBe('110105********123X');
    expect(r2.getCell(8).numFmt).toBe('@');
    expect(ws.getRow(3).getCell(6).value).toBe(0.3);

    // an undefined rate is the text —, other nulls empty
    const r4 = ws.getRow(4);
    expect(r4.getCell(5).value).toBe('—');
    expect(r4.getCell(6).value).toBe(null);
    expect(r4.getCell(3).value).toBe(0);
  });

  it('fills highlighted rows red on every cell, others not', async () => {
    const path = join(dir, 'rate.xlsx');
    await writeXlsx(path, [rateTable()], meta);
    const ws = (await load(path)).worksheets[0];
    for (let c = 1; c <= 8; c++) {
      const cell = ws.getRow(2).getCell(c);
      expect(cell.fill).toMatchObject({ type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFC7CE' } });
      expect(cell.font?.color?.argb).toBe('FF9C0006');
      const plain = ws.getRow(3).getCell(c);
      expect(plain.fill === undefined || (plain.fill.type === 'pattern' && plain.fill.pattern === 'none')).toBe(true);
      expect(plain.font?.color?.argb).not.toBe('FF9C0006');
    }
  });

  it('writes totals bold after the rows', async () => {
    const path = join(dir, 'rate.xlsx');
    await writeXlsx(path, [rateTable()], meta);
    const ws = (await load(path)).worksheets[0];
    const total = ws.getRow(5);
    expect(total.getCell(1).value).toBe('合计');
    expect(total.getCell(3).value).toBe(139);
    expect(total.getCell(5).value).toBe(0.9856);
    for (let c = 1; c <= 8; c++) expect(total.getCell(c).font?.bold).toBe(true);
    expect(ws.getRow(2).getCell(1).font?.bold).toBeFalsy();
  });

  it('makes columns wide enough for Chinese text', async () => {
    const table = rateTable();
    table.rows.push({ org: '某某市某某区某某街道某某社区第一党支部委员会', town: 'x'.repeat(100) });
    const path = join(dir, 'w.xlsx');
    await writeXlsx(path, [table], meta);
    const ws = (await load(path)).worksheets[0];
    // exceljs omits a column of width 9 (its default); the sheet declares 9 as its default width
    expect(ws.properties.defaultColWidth).toBe(9);
    const widthOf = (i: number): number => ws.getColumn(i).width ?? ws.properties.defaultColWidth!;
    table.columns.forEach((c, i) => {
      const width = widthOf(i + 1);
      expect(width).toBeGreaterThanOrEqual(6);
      expect(width).toBeLessThanOrEqual(60);
      expect(width).toBeGreaterThanOrEqual(Math.min(60, stringWidth(c.header) + 2));
    });
    expect(ws.getColumn(1).width).toBe(stringWidth('某某市某某区某某街道某某社区第一党支部委员会') + 2);
    expect(ws.getColumn(2).width).toBe(60);
    expect(ws.getColumn(3).width).toBe(stringWidth('应报到人数') + 2);
    expect(widthOf(5)).toBe(stringWidth('100.00%') + 2);
  });

  it('writes the 说明 sheet last with the title, entries and sheet list', async () => {
    const path = join(dir, 'm.xlsx');
    const second: Table = { name: '低于90%组织', title: '低于 90% 的组织', columns: [{ key: 'a', header: 'a', kind: 'text' }], rows: [] };
    await writeXlsx(path, [rateTable(), second], meta);
    const wb = await load(path);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['报到率', '低于90%组织', '说明']);
    const about = wb.getWorksheet('说明')!;
    expect(about.getCell('A1').value).toBe('2026年11月报到率');
    expect(about.getCell('A1').font?.bold).toBe(true);
    const pairs = [2, 3, 4, 5].map((r) => [about.getCell(r, 1).value, about.getCell(r, 2).value]);
    expect(pairs).toEqual(meta.entries);
    expect([about.getCell('A7').value, about.getCell('B7').value]).toEqual(['工作表', '内容']);
    expect([about.getCell('A8').value, about.getCell('B8').value]).toEqual(['报到率', '报到率（截至 2026-11-30）']);
    expect([about.getCell('A9').value, about.getCell('B9').value]).toEqual(['低于90%组织', '低于 90% 的组织']);
    expect(about.getColumn(2).width).toBeGreaterThanOrEqual(stringWidth('报到率（截至 2026-11-30）'));
    // an empty table still has its header and filter
    const ws2 = wb.worksheets[1];
    expect(ws2.getCell('A1').value).toBe('a');
    expect(ws2.autoFilter).toBe('A1:A1');
  });

  it('names the about sheet About in English', async () => {
    setLang('en');
    const path = join(dir, 'en.xlsx');
    await writeXlsx(path, [rateTable()], meta);
    const wb = await load(path);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['报到率', 'About']);
    expect(wb.getWorksheet('About')!.getCell('A7').value).toBe('Sheet');
  });

  it('sanitises and de-duplicates sheet names', async () => {
    const path = join(dir, 'n.xlsx');
    const mk = (name: string): Table => ({ name, title: name, columns: [{ key: 'a', header: 'a', kind: 'int' }], rows: [{ a: 1 }] });
    await writeXlsx(path, [mk('a/b:c'), mk('A_B_C'), mk('说明'), mk('镇'.repeat(40))], meta);
    const names = (await load(path)).worksheets.map((w) => w.name);
    expect(names).toEqual(['a_b_c', 'A_B_C (2)', '说明 (2)', '镇'.repeat(31), '说明']);
  });

  it("guards formula-like text with a leading ' and keeps negative numbers numeric", async () => {
    const path = join(dir, 'f.xlsx');
    const table: Table = {
      name: 'f',
      title: 'f',
      columns: [{ key: 't', header: 't', kind: 'text' }, { key: 'n', header: 'n', kind: 'int' }],
      rows: [
        { t: '=1+2', n: -5 },
        { t: '+86 138', n: '-' },
        { t: '@x', n: null },
        { t: '-x', n: null },
        { t: 'a=b', n: null },
      ],
    };
    await writeXlsx(path, [table], { title: '=evil', entries: [['+k', '-v']] });
    const wb = await load(path);
    const ws = wb.worksheets[0];
    const col = [2, 3, 4, 5, 6].map((r) => ws.getCell(r, 1).value);
    expect(col).toEqual(["'=1+2", "'+86 138", "'@x", "'-x", 'a=b']);
    expect(ws.getCell('B2').value).toBe(-5);
    expect(ws.getCell('B3').value).toBe("'-");
    for (let r = 2; r <= 6; r++) expect(ws.getCell(r, 1).formula).toBeUndefined();
    const about = wb.getWorksheet('说明')!;
    expect([about.getCell('A1').value, about.getCell('A2').value, about.getCell('B2').value]).toEqual(["'=evil", "'+k", "'-v"]);
  });

  it("cuts a text longer than a cell holds (Excel's 32,767 characters) and says so with …", async () => {
    const path = join(dir, 'long.xlsx');
    const long = '备注'.repeat(20_000);
    const table: Table = { name: 'l', title: 'l', columns: [{ key: 't', header: 't', kind: 'text' }], rows: [{ t: long }, { t: '短' }] };
    await writeXlsx(path, [table], meta);
    const ws = (await load(path)).worksheets[0];
    const cut = ws.getCell('A2').value as string;
    expect(cut.length).toBe(32767);
    expect(cut.endsWith('…')).toBe(true);
    expect(long.startsWith(cut.slice(0, -1))).toBe(true);
    expect(ws.getCell('A3').value).toBe('短');
  });

  it('replaces an existing file atomically and leaves no temporary file', async () => {
    const path = join(dir, 'r.xlsx');
    writeFileSync(path, 'not a workbook');
    mkdirSync(join(dir, 'sub'));
    await writeXlsx(path, [rateTable()], meta);
    expect(readdirSync(dir).sort()).toEqual(['r.xlsx', 'sub']);
    expect((await load(path)).worksheets[0].name).toBe('报到率');
    // Exports hold personal data: readable by their owner only.
    expect(statSync(path).mode & 0o777).toBe(0o600);
    // Under a file, where no folder can be made: refused, nothing left behind.
    await expect(writeXlsx(join(dir, 'r.xlsx', 'r.xlsx'), [rateTable()], meta)).rejects.toThrow(/无法写入 .*r\.xlsx：.*r\.xlsx 是文件，不是文件夹/);
    expect(readdirSync(dir).sort()).toEqual(['r.xlsx', 'sub']);
  });
});

describe('writeTableFile', () => {
  it('picks the format by extension, case-insensitively', async () => {
    await writeTableFile(join(dir, 'a.XLSX'), [rateTable()], meta);
    await writeTableFile(join(dir, 'b.csv'), [rateTable()], meta, { encoding: 'gbk' });
    expect(readdirSync(dir).sort()).toEqual(['a.XLSX', 'b.csv']);
    expect((await load(join(dir, 'a.XLSX'))).worksheets.map((w) => w.name)).toEqual(['报到率', '说明']);
    expect(formatForPath('x/y.Csv')).toBe('csv');
  });

  it('refuses an unknown extension with a localised message', async () => {
    await expect(writeTableFile(join(dir, 'a.txt'), [rateTable()], meta)).rejects.toThrow(/不支持的输出文件类型 \.txt：.*a\.txt（请使用 \.xlsx 或 \.csv）/);
    expect(() => formatForPath('report')).toThrow('不支持的输出文件类型 （无扩展名）：report（请使用 .xlsx 或 .csv）');
    setLang('en');
    expect(() => formatForPath('a.ods')).toThrow('unknown output file type .ods: a.ods (use .xlsx or .csv)');
    expect(readdirSync(dir)).toEqual([]);
  });
});
