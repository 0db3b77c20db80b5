import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import {
  __testing,
  type Cell,
  type SheetRow,
  type XlsxLimits,
  XlsxError,
  excelSerialToDate,
  fixedDecimalsOf,
  isDateFormatCode,
  openXlsx,
} from '../../src/ingest/xlsxReader.js';

const SAMPLES = '/work/shared/samples';
let tmp = '';

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dbd-xlsx-'));
});
afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

function tmpFile(name: string): string {
  return path.join(tmp, name);
}

// ---------------------------------------------------------------------------
// Reading helpers
// ---------------------------------------------------------------------------

interface ReadResult {
  sheets: { name: string; index: number; hidden: boolean }[];
  rows: Map<string, SheetRow[]>;
}

async function readAll(file: string, limits?: Partial<XlsxLimits>): Promise<ReadResult> {
  const wb = await openXlsx(file, limits);
  try {
    const rows = new Map<string, SheetRow[]>();
    for (const s of wb.sheets) {
      const list: SheetRow[] = [];
      for await (const r of wb.rows(s)) list.push(r);
      rows.set(s.name, list);
    }
    return { sheets: wb.sheets.map((s) => ({ ...s })), rows };
  } finally {
    await wb.close();
  }
}

async function firstSheetRows(file: string, limits?: Partial<XlsxLimits>): Promise<SheetRow[]> {
  const r = await readAll(file, limits);
  return [...r.rows.values()][0]!;
}

/** 'B12' → cell value from a list of rows (null when absent). */
function at(rows: SheetRow[], ref: string): Cell | undefined {
  const m = /^([A-Z]+)(\d+)$/.exec(ref)!;
  let col = 0;
  for (const ch of m[1]!) col = col * 26 + (ch.charCodeAt(0) - 64);
  const row = rows.find((r) => r.rowNumber === Number(m[2]));
  if (!row) return undefined;
  return row.cells[col - 1] ?? null;
}

async function expectXlsxError(p: Promise<unknown>, ...codes: string[]): Promise<XlsxError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(XlsxError);
    expect(codes).toContain((err as XlsxError).code);
    return err as XlsxError;
  }
  throw new Error(`expected XlsxError ${codes.join('|')}, but it resolved`);
}

// ---------------------------------------------------------------------------
// exceljs reference comparison
// ---------------------------------------------------------------------------

function excelText(v: unknown): string {
  if (v && typeof v === 'object' && 'richText' in v) {
    return (v as { richText: { text: string }[] }).richText.map((r) => r.text).join('');
  }
  return String(v);
}

/** exceljs cell value → the shape our reader returns. */
function normaliseExceljs(v: unknown): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v instanceof Date) return v;
  const o = v as Record<string, unknown>;
  if ('richText' in o) return excelText(o);
  if ('hyperlink' in o) return normaliseExceljs(o.text);
  if ('formula' in o || 'sharedFormula' in o) {
    const res = o.result;
    if (res && typeof res === 'object' && 'error' in (res as object)) return { error: String((res as { error: unknown }).error) };
    const r = normaliseExceljs(res);
    return { formula: typeof o.formula === 'string' ? o.formula : '', result: r as string | number | boolean | Date | null };
  }
  if ('error' in o) return { error: String(o.error) };
  throw new Error(`unexpected exceljs value ${JSON.stringify(v)}`);
}

type Grid = Record<string, Cell>;

async function exceljsGrids(file: string): Promise<Map<string, Grid>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const out = new Map<string, Grid>();
  for (const ws of wb.worksheets) {
    const grid: Grid = {};
    ws.eachRow({ includeEmpty: true }, (row, r) => {
      row.eachCell({ includeEmpty: false }, (cell, c) => {
        const v = normaliseExceljs(cell.value);
        if (v !== null) grid[`${r}:${c}`] = v;
      });
    });
    out.set(ws.name, grid);
  }
  return out;
}

function ourGrid(rows: SheetRow[]): Grid {
  const grid: Grid = {};
  let prev = 0;
  for (const row of rows) {
    expect(row.rowNumber).toBeGreaterThan(prev); // ascending, no duplicates
    prev = row.rowNumber;
    expect(row.cells.some((c) => c !== null)).toBe(true); // only rows with content
    expect(row.cells[row.cells.length - 1]).not.toBeNull(); // trailing nulls trimmed
    row.cells.forEach((c, i) => {
      if (c !== null) grid[`${row.rowNumber}:${i + 1}`] = c;
    });
  }
  return grid;
}

/** Every cell of every sheet equals exceljs's non-streaming reader. Returns our rows. */
async function expectSameAsExceljs(file: string): Promise<ReadResult> {
  const ours = await readAll(file);
  const ref = await exceljsGrids(file);
  expect(ours.sheets.map((s) => s.name).sort()).toEqual([...ref.keys()].sort());
  for (const [name, grid] of ref) {
    const mine = ourGrid(ours.rows.get(name)!);
    expect(mine, `sheet ${name}`).toEqual(grid);
  }
  return ours;
}

// ---------------------------------------------------------------------------
// Tiny zip / xlsx writer for hand-made parts
// ---------------------------------------------------------------------------

interface ZipInput {
  name: string;
  data: string | Buffer;
  method?: 0 | 8;
  /** Raw compressed bytes to store instead of compressing `data` (zip bombs, damage). */
  raw?: Buffer;
  /** Uncompressed size to declare (defaults to the real one). */
  declaredSize?: number;
}

function buildZip(entries: ZipInput[], opts: { zip64?: boolean } = {}): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const data = typeof e.data === 'string' ? Buffer.from(e.data, 'utf8') : e.data;
    const method = e.method ?? 8;
    const comp = e.raw ?? (method === 8 ? zlib.deflateRawSync(data) : data);
    const crc = zlib.crc32(data) >>> 0;
    const usize = e.declaredSize ?? data.length;
    const name = Buffer.from(e.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(opts.zip64 ? 45 : 20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(0x21, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(comp.length, 18);
    local.writeUInt32LE(usize, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    parts.push(local, name, comp);

    const extra = opts.zip64 ? Buffer.alloc(28) : Buffer.alloc(0);
    if (opts.zip64) {
      extra.writeUInt16LE(0x0001, 0);
      extra.writeUInt16LE(24, 2);
      extra.writeBigUInt64LE(BigInt(usize), 4);
      extra.writeBigUInt64LE(BigInt(comp.length), 12);
      extra.writeBigUInt64LE(BigInt(offset), 20);
    }
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(opts.zip64 ? 45 : 20, 4);
    c.writeUInt16LE(opts.zip64 ? 45 : 20, 6);
    c.writeUInt16LE(0x800, 8);
    c.writeUInt16LE(method, 10);
    c.writeUInt16LE(0, 12);
    c.writeUInt16LE(0x21, 14);
    c.writeUInt32LE(crc, 16);
    c.writeUInt32LE(opts.zip64 ? 0xffffffff : comp.length, 20);
    c.writeUInt32LE(opts.zip64 ? 0xffffffff : usize, 24);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt16LE(extra.length, 30);
    c.writeUInt32LE(opts.zip64 ? 0xffffffff : offset, 42);
    central.push(c, name, extra);
    offset += local.length + name.length + comp.length;
  }
  const cd = Buffer.concat(central);
  const tail: Buffer[] = [];
  if (opts.zip64) {
    const z = Buffer.alloc(56);
    z.writeUInt32LE(0x06064b50, 0);
    z.writeBigUInt64LE(44n, 4);
    z.writeUInt16LE(45, 12);
    z.writeUInt16LE(45, 14);
    z.writeBigUInt64LE(BigInt(entries.length), 24);
    z.writeBigUInt64LE(BigInt(entries.length), 32);
    z.writeBigUInt64LE(BigInt(cd.length), 40);
    z.writeBigUInt64LE(BigInt(offset), 48);
    const loc = Buffer.alloc(20);
    loc.writeUInt32LE(0x07064b50, 0);
    loc.writeBigUInt64LE(BigInt(offset + cd.length), 8);
    loc.writeUInt32LE(1, 16);
    tail.push(z, loc);
  }
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(opts.zip64 ? 0xffff : entries.length, 8);
  eocd.writeUInt16LE(opts.zip64 ? 0xffff : entries.length, 10);
  eocd.writeUInt32LE(opts.zip64 ? 0xffffffff : cd.length, 12);
  eocd.writeUInt32LE(opts.zip64 ? 0xffffffff : offset, 16);
  return Buffer.concat([...parts, cd, ...tail, eocd]);
}

const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const RNS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

interface SheetSpec {
  name: string;
  /** Contents of <sheetData>, or a whole worksheet document when it starts with '<?xml' or '<worksheet'. */
  xml: string;
  /** Anything after </sheetData> (e.g. <mergeCells>). */
  after?: string;
  state?: string;
  target?: string;
  part?: string;
}

interface XlsxSpec {
  sheets: SheetSpec[];
  /** Either plain strings or a raw sst document. */
  sharedStrings?: string[] | string;
  styles?: string;
  workbookPr?: string;
  method?: 0 | 8;
  zip64?: boolean;
  extraRels?: string;
  extraSheetsXml?: string;
  overrides?: Record<string, ZipInput>;
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function stylesXml(numFmts: [number, string][], xfNumFmtIds: number[]): string {
  const fmts = numFmts.map(([id, code]) => `<numFmt numFmtId="${id}" formatCode="${escapeXml(code)}"/>`).join('');
  const xfs = xfNumFmtIds.map((id) => `<xf numFmtId="${id}" fontId="0" fillId="0" borderId="0" xfId="0"><alignment wrapText="1"/></xf>`).join('');
  return (
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="${NS}">` +
    (fmts ? `<numFmts count="${numFmts.length}">${fmts}</numFmts>` : '') +
    `<fonts count="1"><font><sz val="11"/></font></fonts><fills count="1"><fill><patternFill/></fill></fills>` +
    `<borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="22" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
    `<cellXfs count="${xfNumFmtIds.length}">${xfs}</cellXfs></styleSheet>`
  );
}

function buildXlsx(spec: XlsxSpec): Buffer {
  const method = spec.method ?? 8;
  const entries: ZipInput[] = [];
  const sheetEntries: string[] = [];
  const rels: string[] = [];
  spec.sheets.forEach((s, i) => {
    const part = s.part ?? `xl/worksheets/sheet${i + 1}.xml`;
    const target = s.target ?? `worksheets/sheet${i + 1}.xml`;
    const doc =
      s.xml.startsWith('<?xml') || s.xml.startsWith('<worksheet') || s.xml.startsWith('<x:')
        ? s.xml
        : `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="${NS}" xmlns:r="${RNS}"><dimension ref="A1"/><sheetData>${s.xml}</sheetData>${s.after ?? ''}</worksheet>`;
    entries.push({ name: part, data: doc, method });
    rels.push(`<Relationship Id="rId${i + 1}" Type="${REL}/worksheet" Target="${escapeXml(target)}"/>`);
    sheetEntries.push(
      `<sheet name="${escapeXml(s.name)}" sheetId="${i + 1}"${s.state ? ` state="${s.state}"` : ''} r:id="rId${i + 1}"/>`,
    );
  });
  if (spec.sharedStrings !== undefined) {
    const sst =
      typeof spec.sharedStrings === 'string'
        ? spec.sharedStrings
        : `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="${NS}" count="${spec.sharedStrings.length}">` +
          spec.sharedStrings.map((t) => `<si><t xml:space="preserve">${escapeXml(t)}</t></si>`).join('') +
          `</sst>`;
    entries.push({ name: 'xl/sharedStrings.xml', data: sst, method });
    rels.push(`<Relationship Id="rIdS" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/>`);
  }
  if (spec.styles !== undefined) {
    entries.push({ name: 'xl/styles.xml', data: spec.styles, method });
    rels.push(`<Relationship Id="rIdY" Type="${REL}/styles" Target="/xl/styles.xml"/>`);
  }
  if (spec.extraRels) rels.push(spec.extraRels);
  const workbook =
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="${NS}" xmlns:r="${RNS}">` +
    (spec.workbookPr ?? '<workbookPr/>') +
    `<sheets>${sheetEntries.join('')}${spec.extraSheetsXml ?? ''}</sheets></workbook>`;
  entries.unshift(
    {
      name: '[Content_Types].xml',
      data:
        `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
        `<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
        `<Default Extension="xml" ContentType="application/xml"/>` +
        `<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>`,
      method,
    },
    {
      name: '_rels/.rels',
      data: `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
      method,
    },
    { name: 'xl/workbook.xml', data: workbook, method },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data: `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels.join('')}</Relationships>`,
      method,
    },
  );
  for (const [name, e] of Object.entries(spec.overrides ?? {})) {
    const i = entries.findIndex((x) => x.name === name);
    if (i >= 0) entries[i] = e;
    else entries.push(e);
  }
  return buildZip(entries, { zip64: spec.zip64 });
}

let fileSeq = 0;
function writeXlsx(spec: XlsxSpec, name = `hand${++fileSeq}.xlsx`): string {
  const p = tmpFile(name);
  fs.writeFileSync(p, buildXlsx(spec));
  return p;
}

async function rowsOf(spec: XlsxSpec, limits?: Partial<XlsxLimits>): Promise<SheetRow[]> {
  return firstSheetRows(writeXlsx(spec), limits);
}

const d = (y: number, m: number, day: number, h = 0, mi = 0, s = 0): Date => new Date(Date.UTC(y, m - 1, day, h, mi, s));

// ---------------------------------------------------------------------------
// exceljs-built workbooks
// ---------------------------------------------------------------------------

describe('workbooks written by exceljs', () => {
  let full = '';
  let streamed = '';

  beforeAll(async () => {
    // Regular writer: shared strings.
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('数据');
    ws.getCell('A1').value = '姓名';
    ws.getCell('B1').value = 42;
    ws.getCell('C1').value = -3.25;
    ws.getCell('D1').value = true;
    ws.getCell('E1').value = false;
    ws.getCell('F1').value = { error: '#N/A' } as ExcelJS.CellErrorValue;
    ws.getCell('G1').value = { richText: [{ text: '红', font: { bold: true } }, { text: '色 & <蓝>' }] };
    ws.getCell('A2').value = 1;
    ws.getCell('B2').value = 2;
    ws.getCell('C2').value = { formula: 'A2+B2', result: 3 } as ExcelJS.CellFormulaValue;
    ws.getCell('D2').value = { formula: 'A1&"x"', result: '姓名x' } as ExcelJS.CellFormulaValue;
    ws.getCell('E2').value = { formula: 'A2>0', result: true } as ExcelJS.CellFormulaValue;
    ws.getCell('F2').value = { formula: 'NA()', result: { error: '#N/A' } } as unknown as ExcelJS.CellFormulaValue;
    ws.getCell('G2').value = { formula: 'DATE(2024,2,29)', result: d(2024, 2, 29) } as ExcelJS.CellFormulaValue;
    ws.getCell('G2').numFmt = 'yyyy-mm-dd';
    ws.getCell('H1').value = 1;
    ws.getCell('H2').value = { formula: 'H1*2', result: 2, shareType: 'shared', ref: 'H2:H4' } as ExcelJS.CellFormulaValue;
    ws.getCell('H3').value = { sharedFormula: 'H2', result: 4 } as ExcelJS.CellSharedFormulaValue;
    ws.getCell('H4').value = { sharedFormula: 'H2', result: 8 } as ExcelJS.CellSharedFormulaValue;
    // dates: built-in (mm-dd-yy → id 14, h:mm → id 20) and custom formats
    ws.getCell('A3').value = d(2026, 3, 5);
    ws.getCell('A3').numFmt = 'mm-dd-yy';
    ws.getCell('B3').value = d(1899, 12, 30, 13, 30);
    ws.getCell('B3').numFmt = 'h:mm';
    ws.getCell('C3').value = d(1985, 5, 1);
    ws.getCell('C3').numFmt = 'yyyy.mm';
    ws.getCell('D3').value = d(2026, 10, 8);
    ws.getCell('D3').numFmt = 'yyyy年m月d日';
    ws.getCell('E3').value = d(2026, 11, 21, 8, 15, 30);
    ws.getCell('E3').numFmt = 'yyyy-mm-dd hh:mm:ss';
    // text-formatted number stays a number; plain number formats stay numbers
    ws.getCell('A4').value = 13700001111;
    ws.getCell('A4').numFmt = '@';
    ws.getCell('B4').value = 1234.5;
    ws.getCell('B4').numFmt = '#,##0.00';
    ws.getCell('C4').value = 0.25;
    ws.getCell('C4').numFmt = '0%';
    ws.getCell('D4').value = 320106198703024000; // 18-digit ID stored as a number
    ws.getCell('E4').value = '320106198703024011'; // and as text
    ws.getCell('F4').value = 'line1\r\nline2';
    ws.getCell('G4').value = '  spaced  ';
    ws.getCell('A5').value = { text: '链接', hyperlink: 'https://example.org' };
    ws.getRow(6).hidden = true;
    ws.getCell('A6').value = 'hidden row';
    ws.getColumn(9).hidden = true;
    ws.getCell('I6').value = 'hidden column';

    const mg = wb.addWorksheet('合并');
    mg.getCell('A1').value = '樟溪区在职党员到社区报到花名册';
    mg.mergeCells('A1:F1');
    mg.getCell('A2').value = '序号';
    mg.mergeCells('A2:A3');
    mg.getCell('B2').value = '基本信息';
    mg.mergeCells('B2:D2');
    mg.getCell('B3').value = '姓名';
    mg.getCell('C3').value = '性别';
    mg.getCell('D3').value = '民族';
    mg.getCell('E2').value = '身份证号';
    mg.mergeCells('E2:E3');
    mg.getCell('F2').value = '备注';
    mg.mergeCells('F2:F6'); // tall merge: rows 4..6 exist only because of it (plus A4)
    mg.getCell('A4').value = 1;
    mg.getCell('B8').value = '块';
    mg.mergeCells('B8:C10'); // block merge, rows 9-10 otherwise empty
    mg.getCell('A12').value = 'end';

    const hidden = wb.addWorksheet('隐藏', { state: 'hidden' });
    hidden.getCell('A1').value = 'secret';

    const wide = wb.addWorksheet('Wide');
    wide.getCell('A1').value = 'left';
    wide.getCell('XFD1').value = 'far right';
    wide.getCell('XFC2').value = 7;

    const sparse = wb.addWorksheet('Sparse');
    sparse.getCell('C5').value = 'c5';
    sparse.getCell('Z5').value = 'z5';
    sparse.getCell('A1000').value = 'a1000';
    sparse.getCell('B70000').value = 70000;

    full = tmpFile('exceljs-full.xlsx');
    await wb.xlsx.writeFile(full);

    // Streaming writer: inline strings (incl. inline rich text), 2 sheets.
    streamed = tmpFile('exceljs-streamed.xlsx');
    const sw = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: streamed, useSharedStrings: false, useStyles: true });
    const s1 = sw.addWorksheet('流');
    s1.addRow(['序号', '姓名', '出生年月', '身份证号', '备注']).commit();
    for (let i = 1; i <= 300; i++) {
      const row = s1.addRow([
        i,
        `王${i}`,
        d(1960 + (i % 40), 1 + (i % 12), 1 + (i % 28)),
        String(330105197503252000n + BigInt(i)),
        i % 3 === 0 ? { richText: [{ text: 'A&B ' }, { text: '<富>', font: { italic: true } }] } : i % 5 === 0 ? null : `备注${i}`,
      ]);
      row.getCell(3).numFmt = 'yyyy.mm';
      row.commit();
    }
    s1.commit();
    const s2 = sw.addWorksheet('second');
    s2.addRow([null, 'b1']).commit();
    s2.commit();
    await sw.commit();
  });

  it('every cell of every sheet matches exceljs readFile (shared strings)', async () => {
    const ours = await expectSameAsExceljs(full);
    expect(ours.sheets).toEqual([
      { name: '数据', index: 0, hidden: false },
      { name: '合并', index: 1, hidden: false },
      { name: '隐藏', index: 2, hidden: true },
      { name: 'Wide', index: 3, hidden: false },
      { name: 'Sparse', index: 4, hidden: false },
    ]);
  });

  it('every cell of every sheet matches exceljs readFile (streaming writer, inline strings)', async () => {
    const ours = await expectSameAsExceljs(streamed);
    const rows = ours.rows.get('流')!;
    expect(rows).toHaveLength(301);
    expect(at(rows, 'E4')).toBe('A&B <富>');
    expect(at(rows, 'C2')).toEqual(d(1961, 2, 2));
    expect(ours.rows.get('second')).toEqual([{ rowNumber: 1, cells: [null, 'b1'] }]);
  });

  it('decodes each cell type', async () => {
    const rows = (await readAll(full)).rows.get('数据')!;
    expect(at(rows, 'A1')).toBe('姓名');
    expect(at(rows, 'B1')).toBe(42);
    expect(at(rows, 'C1')).toBe(-3.25);
    expect(at(rows, 'D1')).toBe(true);
    expect(at(rows, 'E1')).toBe(false);
    expect(at(rows, 'F1')).toEqual({ error: '#N/A' });
    expect(at(rows, 'G1')).toBe('红色 & <蓝>');
    expect(at(rows, 'C2')).toEqual({ formula: 'A2+B2', result: 3 });
    expect(at(rows, 'D2')).toEqual({ formula: 'A1&"x"', result: '姓名x' });
    expect(at(rows, 'E2')).toEqual({ formula: 'A2>0', result: true });
    expect(at(rows, 'F2')).toEqual({ error: '#N/A' }); // formula whose cached result is an error
    expect(at(rows, 'G2')).toEqual({ formula: 'DATE(2024,2,29)', result: d(2024, 2, 29) });
    expect(at(rows, 'H2')).toEqual({ formula: 'H1*2', result: 2 });
    expect(at(rows, 'H3')).toEqual({ formula: '', result: 4 }); // shared formula, no text of its own
    expect(at(rows, 'A5')).toBe('链接');
  });

  it('turns date-formatted numbers into UTC dates, leaves other formats as numbers', async () => {
    const rows = (await readAll(full)).rows.get('数据')!;
    expect(at(rows, 'A3')).toEqual(d(2026, 3, 5));
    expect(at(rows, 'B3')).toEqual(d(1899, 12, 30, 13, 30));
    expect(at(rows, 'C3')).toEqual(d(1985, 5, 1));
    expect(at(rows, 'D3')).toEqual(d(2026, 10, 8));
    expect(at(rows, 'E3')).toEqual(d(2026, 11, 21, 8, 15, 30));
    expect(at(rows, 'A4')).toBe(13700001111); // '@' text format: still a number
    expect(at(rows, 'B4')).toBe(1234.5);
    expect(at(rows, 'C4')).toBe(0.25);
    expect(at(rows, 'D4')).toBe(320106198703024000);
    expect(typeof at(rows, 'D4')).toBe('number');
    expect(at(rows, 'E4')).toBe('320106198703024011');
    expect(at(rows, 'F4')).toBe('line1\nline2');
    expect(at(rows, 'G4')).toBe('  spaced  ');
  });

  it('returns hidden rows, hidden columns and hidden sheets', async () => {
    const r = await readAll(full);
    const rows = r.rows.get('数据')!;
    expect(at(rows, 'A6')).toBe('hidden row');
    expect(at(rows, 'I6')).toBe('hidden column');
    expect(r.rows.get('隐藏')).toEqual([{ rowNumber: 1, cells: ['secret'] }]);
  });

  it('fills merged ranges, horizontal and vertical, including rows that exist only through a merge', async () => {
    const rows = (await readAll(full)).rows.get('合并')!;
    expect(rows.map((r) => r.rowNumber)).toEqual([1, 2, 3, 4, 5, 6, 8, 9, 10, 12]);
    expect(rows[0]!.cells).toEqual(Array(6).fill('樟溪区在职党员到社区报到花名册'));
    expect(rows[1]!.cells).toEqual(['序号', '基本信息', '基本信息', '基本信息', '身份证号', '备注']);
    expect(rows[2]!.cells).toEqual(['序号', '姓名', '性别', '民族', '身份证号', '备注']);
    expect(rows[3]!.cells).toEqual([1, null, null, null, null, '备注']);
    expect(rows[4]).toEqual({ rowNumber: 5, cells: [null, null, null, null, null, '备注'] });
    expect(rows[5]).toEqual({ rowNumber: 6, cells: [null, null, null, null, null, '备注'] });
    for (const r of rows.slice(6, 9)) expect(r.cells).toEqual([null, '块', '块']);
    expect(rows[9]).toEqual({ rowNumber: 12, cells: ['end'] });
  });

  it('reads a cell in column XFD and sparse rows', async () => {
    const r = await readAll(full);
    const wide = r.rows.get('Wide')!;
    expect(wide[0]!.cells).toHaveLength(16384);
    expect(wide[0]!.cells[0]).toBe('left');
    expect(wide[0]!.cells[16383]).toBe('far right');
    expect(wide[1]!.cells[16382]).toBe(7);
    const sparse = r.rows.get('Sparse')!;
    expect(sparse.map((x) => x.rowNumber)).toEqual([5, 1000, 70000]);
    expect(sparse[0]!.cells).toHaveLength(26);
    expect(sparse[0]!.cells[2]).toBe('c5');
    expect(sparse[0]!.cells[25]).toBe('z5');
    expect(sparse[2]!.cells).toEqual([null, 70000]);
  });

  it('allows early exit, re-reading and reading two sheets at once', async () => {
    const wb = await openXlsx(full);
    try {
      for await (const row of wb.rows(wb.sheets[0]!)) {
        expect(row.rowNumber).toBe(1);
        break;
      }
      const a = wb.rows(wb.sheets[1]!)[Symbol.asyncIterator]();
      const b = wb.rows(wb.sheets[1]!)[Symbol.asyncIterator]();
      const [ra, rb] = await Promise.all([a.next(), b.next()]);
      expect(ra.value).toEqual(rb.value);
      await a.return?.();
      await b.return?.();
      let n = 0;
      for await (const _ of wb.rows(wb.sheets[0]!)) n++;
      expect(n).toBe(6);
    } finally {
      await wb.close();
    }
  });
});

// ---------------------------------------------------------------------------
// Real-shaped samples
// ---------------------------------------------------------------------------

describe('sample files', () => {
  const samples = fs.existsSync(SAMPLES)
    ? [
        ...fs.readdirSync(SAMPLES).filter((f) => f.endsWith('.xlsx')).map((f) => path.join(SAMPLES, f)),
        path.join(SAMPLES, 'bad', '身份证号存成数字.xlsx'),
      ]
    : [];

  it.skipIf(samples.length === 0).each(samples)('%s: every cell matches exceljs readFile', async (file) => {
    await expectSameAsExceljs(file);
  });

  it.skipIf(samples.length === 0)('roster: merged two-level header, yyyy.mm dates, text IDs, row numbers', async () => {
    const rows = await firstSheetRows(path.join(SAMPLES, '在职党员花名册.xlsx'));
    const numbers = rows.map((r) => r.rowNumber);
    expect(numbers.slice(0, 5)).toEqual([1, 2, 3, 4, 5]);
    expect(numbers.slice(-3)).toEqual([88, 89, 91]); // row 90 is blank
    expect(at(rows, 'B3')).toBe('基本信息');
    expect(at(rows, 'E3')).toBe('基本信息');
    expect(at(rows, 'A4')).toBe('序号'); // vertical merge A3:A4
    expect(at(rows, 'F4')).toBe('身份证号');
    expect(at(rows, 'B4')).toBe('姓名');
    expect(at(rows, 'E5')).toBeInstanceOf(Date);
    const ids = rows.slice(4, 88).map((r) => r.cells[5]);
    expect(ids.every((v) => typeof v === 'string' && /^\d{17}[\dXx]$/.test(v))).toBe(true);
    expect(ids.some((v) => typeof v === 'string' && v.endsWith('x'))).toBe(true);
  });

  it.skipIf(samples.length === 0)('ID numbers stored as numbers stay numbers', async () => {
    const rows = await firstSheetRows(path.join(SAMPLES, 'bad', '身份证号存成数字.xlsx'));
    for (const r of ['B2', 'B3', 'B4']) {
      const v = at(rows, r);
      expect(typeof v).toBe('number');
      expect(Number.isInteger(v)).toBe(true);
      expect(v as number).toBeGreaterThan(1e17);
    }
    expect(at(rows, 'B2')).toBe(3.20106198703024e17);
  });

  it.skipIf(samples.length === 0)('a sample cut in half → truncated or not-zip', async () => {
    const buf = fs.readFileSync(path.join(SAMPLES, '在职党员花名册.xlsx'));
    const f = tmpFile('roster-half.xlsx');
    fs.writeFileSync(f, buf.subarray(0, buf.length >> 1));
    await expectXlsxError(openXlsx(f), 'truncated', 'not-zip');
  });

  it.skipIf(samples.length === 0)('old binary .xls → old-xls', async () => {
    await expectXlsxError(openXlsx(path.join(SAMPLES, 'bad', '旧格式.xls')), 'old-xls');
  });
});

// ---------------------------------------------------------------------------
// XML details, on hand-made parts
// ---------------------------------------------------------------------------

describe('XML details', () => {
  it('decodes entities, numeric references, _xHHHH_ escapes, CR/LF and CDATA', async () => {
    const rows = await rowsOf({
      sheets: [
        {
          name: 'S',
          xml:
            `<row r="1">` +
            `<c r="A1" t="inlineStr"><is><t>a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos;</t></is></c>` +
            `<c r="B1" t="inlineStr"><is><t>&#27167;&#x6EAA;&#128512;&#x1F600;</t></is></c>` +
            `<c r="C1" t="inlineStr"><is><t>one_x000D_two_x000A_three</t></is></c>` +
            `<c r="D1" t="inlineStr"><is><t>keep _x005F_x000D_ literal, bad _x12_ and _xZZZZ_</t></is></c>` +
            `<c r="E1" t="inlineStr"><is><t xml:space="preserve">a\r\nb\rc</t></is></c>` +
            `<c r="F1" t="inlineStr"><is><t><![CDATA[<raw> & stuff]]> tail</t></is></c>` +
            `<c r="G1" t="s"><v>0</v></c>` +
            `<c r="H1" t="str"><f>"x"&amp;"y"</f><v>x&amp;y</v></c>` +
            `<c r="I1" t="inlineStr"><is><t>&unknown; &amp</t></is></c>` +
            `<c r="J1" t="str"><v><![CDATA[a &amp; b]]></v></c>` +
            `</row>`,
        },
      ],
      sharedStrings: `<sst xmlns="${NS}"><si><t>S&amp;P_x000D_</t></si></sst>`,
    });
    expect(rows[0]!.cells).toEqual([
      `a & b <c> "d" 'e'`,
      '樟溪😀😀',
      'one\rtwo\nthree',
      'keep _x000D_ literal, bad _x12_ and _xZZZZ_',
      'a\nb\nc',
      '<raw> & stuff tail',
      'S&P\r',
      { formula: '"x"&"y"', result: 'x&y' },
      '&unknown; &amp',
      'a &amp; b',
    ]);
  });

  it('concatenates rich-text runs and ignores phonetic runs, in shared and inline strings', async () => {
    const sst =
      `<sst xmlns="${NS}" count="3" uniqueCount="3">` +
      `<si><r><rPr><b/><sz val="11"/><rFont val="宋体"/></rPr><t>樟</t></r><r><t xml:space="preserve">溪 </t></r><r><t>区</t></r></si>` +
      `<si><t>東京</t><rPh sb="0" eb="2"><t>トウキョウ</t></rPh><phoneticPr fontId="1"/></si>` +
      `<si/>` +
      `<si><t/></si>` +
      `</sst>`;
    const rows = await rowsOf({
      sheets: [
        {
          name: 'S',
          xml:
            `<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c>` +
            `<c r="E1" t="inlineStr"><is><r><rPr><i/></rPr><t>富</t></r><r><t>文本</t></r><rPh sb="0" eb="1"><t>フ</t></rPh></is></c></row>`,
        },
      ],
      sharedStrings: sst,
    });
    expect(rows[0]!.cells).toEqual(['樟溪 区', '東京', '', '', '富文本']);
  });

  it('uses position order when r is missing on cells and rows; keeps sparse gaps', async () => {
    const rows = await rowsOf({
      sheets: [
        {
          name: 'S',
          xml:
            `<row><c t="inlineStr"><is><t>a</t></is></c><c><v>2</v></c><c r="E1"><v>5</v></c><c><v>6</v></c></row>` +
            `<row><c><v>1</v></c></row>` +
            `<row r="7" hidden="1" ht="0"><c r="B7"><v>7</v></c></row>` +
            `<row><c r="C8"><v>8</v></c></row>` +
            `<row r="9" spans="1:3"><c r="A9" s="0"/><c r="B9" t="s"/><c r="C9" t="n"></c></row>` +
            `<row r="10"/>` +
            `<row r="11" customFormat="1"><c r="A11"><v></v></c><c r="AA11"><v>27</v></c></row>`,
        },
      ],
    });
    expect(rows).toEqual([
      { rowNumber: 1, cells: ['a', 2, null, null, 5, 6] },
      { rowNumber: 2, cells: [1] },
      { rowNumber: 7, cells: [null, 7] },
      { rowNumber: 8, cells: [null, null, 8] },
      { rowNumber: 11, cells: [...Array(26).fill(null), 27] },
    ]);
  });

  it('reads booleans, errors, str/formula variants, ISO dates and whitespace-tolerant values', async () => {
    const rows = await rowsOf({
      sheets: [
        {
          name: 'S',
          xml:
            `<row r="1">` +
            `<c r="A1" t="b"><v>1</v></c><c r="B1" t="b"><v>0</v></c>` +
            `<c r="C1" t="e"><v>#DIV/0!</v></c><c r="D1" t="e"><f>1/0</f><v>#DIV/0!</v></c>` +
            `<c r="E1" t="str"><f>A1&amp;""</f><v>TRUE</v></c>` +
            `<c r="F1"><f>SUM(1,2)</f></c>` +
            `<c r="G1"><f t="shared" si="3"/><v>12.5</v></c>` +
            `<c r="H1" t="b"><f>TRUE()</f><v>1</v></c>` +
            `<c r="I1" t="d"><v>2026-03-05T10:20:30Z</v></c>` +
            `<c r="J1" t="d"><v>2026-03-05</v></c>` +
            `<c r="K1"><v>1.5E+3</v></c>` +
            `<c r="L1" t="str"><v></v></c>` +
            `<c r="M1"><f t="array" ref="M1">{1}</f><v>1</v></c>` +
            `</row>`,
        },
      ],
    });
    expect(rows[0]!.cells).toEqual([
      true,
      false,
      { error: '#DIV/0!' },
      { error: '#DIV/0!' },
      { formula: 'A1&""', result: 'TRUE' },
      { formula: 'SUM(1,2)', result: null },
      { formula: '', result: 12.5 },
      { formula: 'TRUE()', result: true },
      d(2026, 3, 5, 10, 20, 30),
      d(2026, 3, 5),
      1500,
      '',
      { formula: '{1}', result: 1 },
    ]);
  });

  it('stores an 18-digit ID written by Excel as 3.20106198703024E+17 as a number', async () => {
    const rows = await rowsOf({
      sheets: [{ name: 'S', xml: `<row r="2"><c r="B2" s="1"><v>3.20106198703024E+17</v></c><c r="C2" s="1"><v>13700001111</v></c></row>` }],
      styles: stylesXml([], [0, 49]),
    });
    expect(rows[0]!.cells).toEqual([null, 320106198703024000, 13700001111]);
  });

  it('recognises built-in and custom date formats; honours date1904', async () => {
    const ids = [14, 15, 22, 27, 31, 36, 45, 47, 50, 58, 0, 1, 2, 49, 164, 165, 166, 167, 168, 169, 170, 171, 172, 173];
    const styles = stylesXml(
      [
        [164, 'yyyy.mm'],
        [165, 'yyyy年m月d日'],
        [166, 'yyyy-mm-dd'],
        [167, 'm/d/yy'],
        [168, '0.00_);[Red]\\(0.00\\)'],
        [169, '#,##0 "元/m²"'],
        [170, '[$-804]yyyy"年"m"月"'],
        [171, '[h]:mm:ss'],
        [172, 'YYYY-MM-DD'],
        [173, '@'],
      ],
      ids,
    );
    const cells = ids.map((_, i) => `<c r="${String.fromCharCode(65 + (i % 26))}1" s="${i}"><v>45356.25</v></c>`).join('');
    const spec: XlsxSpec = { sheets: [{ name: 'S', xml: `<row r="1">${cells}</row>` }], styles };
    const rows = await rowsOf(spec);
    const date = d(2024, 3, 5, 6);
    const expected = ids.map((id) => ([0, 1, 2, 49, 168, 169, 173].includes(id) ? 45356.25 : date));
    expect(rows[0]!.cells).toEqual(expected);

    const rows1904 = await rowsOf({ ...spec, workbookPr: '<workbookPr date1904="1"/>' });
    expect(rows1904[0]!.cells[0]).toEqual(d(2028, 3, 6, 6));
    expect(excelSerialToDate(25569)).toEqual(new Date(0));
    expect(excelSerialToDate(0, true)).toEqual(d(1904, 1, 1));
  });

  it('tells the decimals a number format shows', () => {
    const cases: Array<[string, number]> = [
      ['General', 0],
      ['0', 0],
      ['#,##0', 0],
      ['0.00', 2],
      ['#,##0.00', 2],
      ['0.0', 1],
      ['0.00_);[Red]\\(0.00\\)', 2],
      ['0.00"元"', 2],
      ['"第"0.0', 1],
      ['[Red]0.00', 2],
      ['_(* #,##0.00_)', 2],
      ['0.00%', 0],
      ['0.00E+00', 0],
      ['# ?/?', 0],
      ['@', 0],
    ];
    for (const [code, decimals] of cases) expect(fixedDecimalsOf(code), code).toBe(decimals);
  });

  it('gives, for numbers with decimals, the decimals their format shows: 1985.1 in 0.00 shows 1985.10', async () => {
    // Styles: General, built-in 0.00 (2) and #,##0.00 (4), custom 0.00 and 0.0, a date, text.
    const styles = stylesXml([[164, '0.00'], [165, '0.0'], [166, 'yyyy.mm']], [0, 2, 4, 164, 165, 166, 49]);
    const cells = [0, 1, 2, 3, 4, 5, 6].map((s, i) => `<c r="${String.fromCharCode(65 + i)}1" s="${s}"><v>1985.1</v></c>`).join('');
    const whole = `<c r="A2" s="1"><v>1985</v></c><c r="B2" s="1" t="s"><v>0</v></c><c r="C2"><v>1985.1</v></c>`;
    const rows = await rowsOf({ sheets: [{ name: 'S', xml: `<row r="1">${cells}</row><row r="2">${whole}</row>` }], sharedStrings: ['1985.10'], styles });
    expect(rows[0]!.cells.slice(0, 5)).toEqual([1985.1, 1985.1, 1985.1, 1985.1, 1985.1]);
    expect(rows[0]!.shownDecimals).toEqual(new Map([[1, 2], [2, 2], [3, 2], [4, 1]]));
    // Whole numbers, text and General cells: nothing to say.
    expect(rows[1]!.cells).toEqual([1985, '1985.10', 1985.1]);
    expect(rows[1]!.shownDecimals).toBeUndefined();
  });

  it('classifies format codes', () => {
    for (const code of ['yyyy.mm', 'yyyy年m月d日', 'yyyy-mm-dd', 'm/d/yy', 'h:mm AM/PM', '[h]:mm', 'mm:ss', 'yyyy"年"m"月"', '[$-F800]dddd, mmmm dd, yyyy', 'yyyy-mm-dd;@']) {
      expect(isDateFormatCode(code), code).toBe(true);
    }
    for (const code of ['General', '0', '0.00', '#,##0.00', '0%', '0.00E+00', '@', '"yyyy"0', '[Red]0.00', '0.00_);[Red]\\(0.00\\)', '#,##0 "元"', '0\\d', '# ?/?']) {
      expect(isDateFormatCode(code), code).toBe(false);
    }
  });

  it('fills vertical merges over missing rows and empty <c/> elements; empty masters clear the range', async () => {
    const rows = await rowsOf({
      sheets: [
        {
          name: 'S',
          xml:
            `<row r="2"><c r="A2" t="inlineStr"><is><t>部门</t></is></c><c r="B2" t="inlineStr"><is><t>姓名</t></is></c></row>` +
            `<row r="3"><c r="A3" s="0"/><c r="B3" t="inlineStr"><is><t>张三</t></is></c></row>` +
            `<row r="6"><c r="B6" t="inlineStr"><is><t>李四</t></is></c><c r="C6" t="inlineStr"><is><t>ignored</t></is></c></row>` +
            `<row r="8"><c r="E8" t="inlineStr"><is><t>slave value dropped</t></is></c></row>` +
            `<row r="9"><c r="A9"><v>9</v></c></row>`,
          after:
            `<mergeCells count="4"><mergeCell ref="A2:A7"/><mergeCell ref="B6:C6"/>` +
            `<mergeCell ref="D7:E8"/><mergeCell ref="A11:B12"/><mergeCell ref="F9:F10"/></mergeCells>` +
            `<conditionalFormatting sqref="A1"><cfRule type="expression" priority="1"><formula>A1&gt;0</formula></cfRule></conditionalFormatting>`,
        },
      ],
    });
    expect(rows).toEqual([
      { rowNumber: 2, cells: ['部门', '姓名'] },
      { rowNumber: 3, cells: ['部门', '张三'] },
      { rowNumber: 4, cells: ['部门'] },
      { rowNumber: 5, cells: ['部门'] },
      { rowNumber: 6, cells: ['部门', '李四', '李四'] },
      { rowNumber: 7, cells: ['部门'] },
      { rowNumber: 9, cells: [9] },
    ]);
  });

  it('fills a vertical merge that runs past the last <row>', async () => {
    const rows = await rowsOf({
      sheets: [
        {
          name: 'S',
          xml: `<row r="1"><c r="B1" t="inlineStr"><is><t>备注</t></is></c></row>`,
          after: `<mergeCells count="1"><mergeCell ref="B1:C4"/></mergeCells>`,
        },
      ],
    });
    expect(rows).toEqual([1, 2, 3, 4].map((r) => ({ rowNumber: r, cells: [null, '备注', '备注'] })));
  });

  it('leaves a box of notes in its first cell: not over the header, not in the rows it covers', async () => {
    const note = '注意事项：1.身份证号用文本格式；2.外派人员在状态栏注明';
    const rows = await rowsOf({
      sheets: [
        {
          name: 'S',
          xml:
            `<row r="1"><c r="A1" t="inlineStr"><is><t>花名册</t></is></c><c r="F1" t="inlineStr"><is><t>${note}</t></is></c></row>` +
            `<row r="2"><c r="A2" t="inlineStr"><is><t>姓名</t></is></c><c r="B2" t="inlineStr"><is><t>身份证号</t></is></c></row>` +
            `<row r="3"><c r="A3" t="inlineStr"><is><t>张三</t></is></c></row>`,
          after: `<mergeCells count="2"><mergeCell ref="F1:H5"/><mergeCell ref="C2:D3"/></mergeCells>`,
        },
      ],
    });
    // C2:D3 is empty; a short label over several rows and columns is still carried.
    expect(rows).toEqual([
      { rowNumber: 1, cells: ['花名册', null, null, null, null, note] },
      { rowNumber: 2, cells: ['姓名', '身份证号'] },
      { rowNumber: 3, cells: ['张三'] },
    ]);
    const label = await rowsOf({
      sheets: [{ name: 'S', xml: `<row r="1"><c r="A1" t="inlineStr"><is><t>基本信息</t></is></c></row>`, after: `<mergeCells count="1"><mergeCell ref="A1:B2"/></mergeCells>` }],
    });
    expect(label).toEqual([1, 2].map((r) => ({ rowNumber: r, cells: ['基本信息', '基本信息'] })));
  });

  it('handles namespace prefixes, single quotes, comments and an XML declaration', async () => {
    const xml =
      `<?xml version="1.0" encoding="UTF-8"?>\n<!-- generated -->\n<x:worksheet xmlns:x="${NS}"><x:sheetPr/><x:sheetData>` +
      `<x:row r='1'><x:c r='A1' t='inlineStr'><x:is><x:t>前缀</x:t></x:is></x:c><!-- note --><x:c r="B1" t="s"><x:v>0</x:v></x:c></x:row>` +
      `<x:row r="2"><x:c r="A2"><x:f>1+1</x:f><x:v>2</x:v></x:c></x:row>` +
      `</x:sheetData><x:mergeCells count="1"><x:mergeCell ref="B1:B3"/></x:mergeCells></x:worksheet>`;
    const rows = await rowsOf({
      sheets: [{ name: 'S', xml }],
      sharedStrings: `<x:sst xmlns:x="${NS}"><x:si><x:t>共享</x:t></x:si></x:sst>`,
    });
    expect(rows).toEqual([
      { rowNumber: 1, cells: ['前缀', '共享'] },
      { rowNumber: 2, cells: [{ formula: '1+1', result: 2 }, '共享'] },
      { rowNumber: 3, cells: [null, '共享'] },
    ]);
  });

  it('maps sheets through workbook.xml.rels: relative, absolute and ../ targets; skips chartsheets', async () => {
    const file = writeXlsx({
      sheets: [
        { name: 'Abs', xml: `<row r="1"><c r="A1"><v>1</v></c></row>`, target: '/xl/worksheets/sheet1.xml' },
        { name: 'Rel', xml: `<row r="1"><c r="A1"><v>2</v></c></row>`, target: 'worksheets/sheet2.xml', state: 'veryHidden' },
        { name: 'Up', xml: `<row r="1"><c r="A1"><v>3</v></c></row>`, target: '../xl/other/s3.xml', part: 'xl/other/s3.xml' },
      ],
      extraRels: `<Relationship Id="rIdC" Type="${REL}/chartsheet" Target="chartsheets/sheet1.xml"/>`,
      extraSheetsXml: `<sheet name="Chart" sheetId="9" r:id="rIdC"/>`,
    });
    const r = await readAll(file);
    expect(r.sheets).toEqual([
      { name: 'Abs', index: 0, hidden: false },
      { name: 'Rel', index: 1, hidden: true },
      { name: 'Up', index: 2, hidden: false },
    ]);
    expect([...r.rows.values()].map((rows) => rows[0]!.cells[0])).toEqual([1, 2, 3]);
  });

  it('reads stored (uncompressed) entries and zip64 archives', async () => {
    const sheets = [{ name: 'S', xml: `<row r="1"><c r="A1" t="inlineStr"><is><t>存储</t></is></c></row>` }];
    expect((await rowsOf({ sheets, method: 0 }))[0]!.cells).toEqual(['存储']);
    expect((await rowsOf({ sheets, zip64: true }))[0]!.cells).toEqual(['存储']);
  });

  it('gives the same rows whatever the chunk boundaries (tags, entities, UTF-8 sequences split)', async () => {
    const sst = ['共享一', 'R&D <x>', '東京'];
    let body = '';
    for (let r = 1; r <= 40; r++) {
      body +=
        `<row r="${r}" spans="1:6">` +
        `<c r="A${r}" t="inlineStr"><is><r><t>樟溪&amp;${r}</t></r><rPh><t>x</t></rPh><r><t xml:space="preserve"> 区</t></r></is></c>` +
        `<c r="B${r}" t="s"><v>${r % 3}</v></c>` +
        `<c r="C${r}" s="1"><v>${45000 + r}</v></c>` +
        `<c r="D${r}"><f>A${r}*2</f><v>${r * 2}</v></c>` +
        `<c r="F${r}" t="inlineStr"><is><t>&#x1F600;_x000D_${'长'.repeat(r % 7)}</t></is></c>` +
        `</row>`;
    }
    const xml = Buffer.from(
      `<?xml version="1.0"?><worksheet xmlns="${NS}"><sheetData>${body}</sheetData><mergeCells count="3"><mergeCell ref="E1:E3"/><mergeCell ref="B2:B4"/><mergeCell ref="A41:B42"/></mergeCells></worksheet>`,
    );
    const opts = { sharedStrings: sst, dateStyles: Uint8Array.from([0, 1]) };
    const whole = await __testing.sheetRows([xml], opts);
    expect(whole).toHaveLength(40);
    expect(whole[0]!.cells).toEqual(['樟溪&1 区', 'R&D <x>', d(2023, 3, 16), { formula: 'A1*2', result: 2 }, null, '😀\r长']);
    expect(whole[3]!.cells[1]).toBe('東京'); // B4 filled from B2 (merge B2:B4)
    for (const size of [1, 2, 3, 5, 7, 13, 64, 1000]) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < xml.length; i += size) chunks.push(xml.subarray(i, i + size));
      expect(await __testing.sheetRows(chunks, opts), `chunk size ${size}`).toEqual(whole);
    }
    const sstXml = Buffer.from(`<sst xmlns="${NS}">${sst.map((s) => `<si><t>${escapeXml(s)}</t></si>`).join('')}</sst>`);
    for (const size of [1, 2, 3, 7]) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < sstXml.length; i += size) chunks.push(sstXml.subarray(i, i + size));
      expect(await __testing.sharedStrings(chunks)).toEqual(sst);
    }
  });

  it('handles a big sheet whose tags straddle inflate chunks', async () => {
    let body = '';
    const n = 20000;
    for (let r = 1; r <= n; r++) {
      body += `<row r="${r}"><c r="A${r}"><v>${r}</v></c><c r="B${r}" t="inlineStr"><is><t>第${r}行 &amp; 樟溪区</t></is></c><c r="C${r}" t="s"><v>${r % 2}</v></c></row>`;
    }
    const rows = await rowsOf({ sheets: [{ name: 'S', xml: body }], sharedStrings: ['甲', '乙'] });
    expect(rows).toHaveLength(n);
    rows.forEach((row, i) => {
      const r = i + 1;
      expect(row).toEqual({ rowNumber: r, cells: [r, `第${r}行 & 樟溪区`, r % 2 ? '乙' : '甲'] });
    });
  });
});

// ---------------------------------------------------------------------------
// Errors and limits
// ---------------------------------------------------------------------------

/** A deflate stream that inflates to `repeat` copies of `unit`, built without materialising it. */
function deflateBomb(unit: string, repeat: number): Buffer {
  const block = Buffer.from(unit.repeat(Math.ceil((1 << 20) / unit.length)));
  const flushed = zlib.deflateRawSync(block, { level: 9, finishFlush: zlib.constants.Z_FULL_FLUSH });
  const copies = Math.ceil((repeat * unit.length) / block.length);
  return Buffer.concat([...Array(copies).fill(flushed), zlib.deflateRawSync(Buffer.alloc(0))]);
}

describe('errors', () => {
  const validSpec: XlsxSpec = {
    sheets: [{ name: 'S', xml: Array.from({ length: 200 }, (_, i) => `<row r="${i + 1}"><c r="A${i + 1}" t="inlineStr"><is><t>行${i + 1} ${'数据'.repeat(20)}</t></is></c></row>`).join('') }],
  };

  it('random bytes and empty files → not-zip', async () => {
    let x = 12345;
    const rnd = Buffer.alloc(4096, 0).map(() => ((x = (x * 1103515245 + 12345) & 0x7fffffff), x & 0xff));
    const a = tmpFile('random.xlsx');
    fs.writeFileSync(a, rnd);
    await expectXlsxError(openXlsx(a), 'not-zip');
    const b = tmpFile('empty.xlsx');
    fs.writeFileSync(b, '');
    await expectXlsxError(openXlsx(b), 'not-zip');
    const c = tmpFile('text.xlsx');
    fs.writeFileSync(c, '姓名,身份证号\n张三,1\n');
    await expectXlsxError(openXlsx(c), 'not-zip');
  });

  it('OLE2 header → old-xls', async () => {
    const f = tmpFile('ole.xlsx');
    fs.writeFileSync(f, Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(1024)]));
    await expectXlsxError(openXlsx(f), 'old-xls');
  });

  it('a valid xlsx cut in half → truncated or not-zip', async () => {
    const buf = buildXlsx(validSpec);
    const f = tmpFile('half.xlsx');
    fs.writeFileSync(f, buf.subarray(0, buf.length >> 1));
    await expectXlsxError(openXlsx(f), 'truncated', 'not-zip');
  });

  it('central directory intact but data missing → truncated', async () => {
    const buf = buildXlsx(validSpec);
    const eocd = buf.length - 22;
    const cdOffset = buf.readUInt32LE(eocd + 16);
    // drop the first 40% of the data but keep the central directory: offsets now point past EOF
    const cut = Math.floor(cdOffset * 0.4);
    const f = tmpFile('hole.xlsx');
    fs.writeFileSync(f, Buffer.concat([buf.subarray(0, cut), buf.subarray(cdOffset)]));
    await expectXlsxError(openXlsx(f), 'truncated');
  });

  it('damaged deflate data in a sheet → truncated', async () => {
    const f = writeXlsx({
      ...validSpec,
      overrides: { 'xl/worksheets/sheet1.xml': { name: 'xl/worksheets/sheet1.xml', data: 'x'.repeat(500), raw: Buffer.alloc(300, 0xff) } },
    });
    await expectXlsxError(firstSheetRows(f), 'truncated');
    const g = writeXlsx({
      ...validSpec,
      overrides: {
        'xl/worksheets/sheet1.xml': {
          name: 'xl/worksheets/sheet1.xml',
          data: '',
          raw: zlib.deflateRawSync(Buffer.from(`<worksheet xmlns="${NS}"><sheetData>${'<row/>'.repeat(5000)}</sheetData></worksheet>`)).subarray(0, 20),
        },
      },
    });
    await expectXlsxError(firstSheetRows(g), 'truncated');
  });

  it('a zip without xl/workbook.xml → not-workbook', async () => {
    const f = tmpFile('plain.zip.xlsx');
    fs.writeFileSync(
      f,
      buildZip([
        { name: 'readme.txt', data: 'hello' },
        { name: 'word/document.xml', data: '<w:document/>' },
      ]),
    );
    await expectXlsxError(openXlsx(f), 'not-workbook');
    // a .docx: its officeDocument part is not a workbook
    const docx = tmpFile('doc.docx.xlsx');
    fs.writeFileSync(
      docx,
      buildZip([
        {
          name: '_rels/.rels',
          data: `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="word/document.xml"/></Relationships>`,
        },
        { name: 'word/document.xml', data: '<w:document xmlns:w="x"><w:body/></w:document>' },
      ]),
    );
    await expectXlsxError(openXlsx(docx), 'not-workbook');
  });

  it('a workbook part without <sheets> → bad-xml', async () => {
    const f = writeXlsx({
      ...validSpec,
      overrides: { 'xl/workbook.xml': { name: 'xl/workbook.xml', data: `<workbook xmlns="${NS}"><workbookPr/></workbook>` } },
    });
    await expectXlsxError(openXlsx(f), 'bad-xml');
  });

  it('a sheet that inflates past maxUncompressedBytes → too-large, without buffering it', async () => {
    const unit = '<row r="1"><c r="A1"><v>1</v></c></row>';
    const raw = deflateBomb(unit, (256 << 20) / unit.length); // ~256 MB inflated
    const doc = `<worksheet xmlns="${NS}"><sheetData>`;
    const f = writeXlsx({
      ...validSpec,
      overrides: {
        'xl/worksheets/sheet1.xml': {
          name: 'xl/worksheets/sheet1.xml',
          data: doc,
          raw: Buffer.concat([zlib.deflateRawSync(Buffer.from(doc), { finishFlush: zlib.constants.Z_FULL_FLUSH }), raw]),
          declaredSize: 1000, // lies
        },
      },
    });
    const before = process.memoryUsage().rss;
    let peak = before;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    try {
      const bySize = await expectXlsxError(firstSheetRows(f, { maxUncompressedBytes: 8 << 20, maxRatio: 1e9 }), 'too-large');
      expect(bySize.message).toContain('larger than the limit');
      // ratio rule with the default size limit: stops shortly after 10 MB
      const byRatio = await expectXlsxError(firstSheetRows(f), 'too-large');
      expect(byRatio.message).toContain('200 times');
    } finally {
      clearInterval(timer);
    }
    expect(peak - before).toBeLessThan(100 << 20);
  });

  it('a declared size above the limit → too-large before inflating', async () => {
    const f = writeXlsx({
      ...validSpec,
      overrides: {
        'xl/worksheets/sheet1.xml': { name: 'xl/worksheets/sheet1.xml', data: `<worksheet xmlns="${NS}"><sheetData/></worksheet>`, declaredSize: 50 << 20 },
      },
    });
    await expectXlsxError(firstSheetRows(f, { maxUncompressedBytes: 1 << 20 }), 'too-large');
  });

  it('sharedStrings past maxSharedStringsBytes → too-large', async () => {
    const head = `<sst xmlns="${NS}">`;
    const raw = Buffer.concat([
      zlib.deflateRawSync(Buffer.from(head), { finishFlush: zlib.constants.Z_FULL_FLUSH }),
      deflateBomb('<si><t>重复的字符串</t></si>', 400000),
    ]);
    const f = writeXlsx({
      ...validSpec,
      sharedStrings: ['x'],
      overrides: { 'xl/sharedStrings.xml': { name: 'xl/sharedStrings.xml', data: head, raw, declaredSize: 100 } },
    });
    await expectXlsxError(firstSheetRows(f, { maxSharedStringsBytes: 1 << 20 }), 'too-large');
  });

  it('damage inside an entry that still reads (stored, or deflated) → truncated, by its CRC-32', async () => {
    const good = `<row r="1"><c r="A1" t="inlineStr"><is><t>110105198703021234</t></is></c></row>`;
    const damaged = good.replace('1234', '1235');
    const sheetPart = (entry: Partial<ZipInput>) => ({
      sheets: [{ name: 'S', xml: good }],
      overrides: {
        'xl/worksheets/sheet1.xml': {
          name: 'xl/worksheets/sheet1.xml',
          data: `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${NS}"><sheetData>${good}</sheetData></worksheet>`,
          ...entry,
        },
      },
    });
    const wholeDamaged = Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${NS}"><sheetData>${damaged}</sheetData></worksheet>`);
    await expectXlsxError(rowsOf(sheetPart({ method: 0, raw: wholeDamaged })), 'truncated');
    await expectXlsxError(rowsOf(sheetPart({ method: 8, raw: zlib.deflateRawSync(wholeDamaged) })), 'truncated');
    expect(at(await rowsOf(sheetPart({ method: 0 })), 'A1')).toBe('110105198703021234');
  });

  it('a sheet and shared strings saved in UTF-16 (with their byte order mark) read as in UTF-8', async () => {
    const utf16 = (xml: string, be = false) => {
      const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml, 'utf16le')]);
      return be ? bytes.swap16() : bytes;
    };
    const sheet = `<?xml version="1.0" encoding="UTF-16"?><worksheet xmlns="${NS}"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>青山社区</t></is></c></row></sheetData></worksheet>`;
    const sst = `<?xml version="1.0" encoding="UTF-16"?><sst xmlns="${NS}"><si><t>王伟</t></si></sst>`;
    for (const be of [false, true]) {
      const rows = await rowsOf({
        sheets: [{ name: 'S', xml: '' }],
        sharedStrings: [],
        overrides: {
          'xl/worksheets/sheet1.xml': { name: 'xl/worksheets/sheet1.xml', data: utf16(sheet, be) },
          'xl/sharedStrings.xml': { name: 'xl/sharedStrings.xml', data: utf16(sst, be) },
        },
      });
      expect(rows.map((r) => r.cells)).toEqual([['王伟', '青山社区']]);
    }
  });

  it('a sheet whose rows stop without </sheetData> (cut short inside an intact zip) → truncated', async () => {
    const cut = `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${NS}"><sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2"><v>2</v></c>`;
    await expectXlsxError(rowsOf({ sheets: [{ name: 'S', xml: cut }] }), 'truncated');
    const afterRow = `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${NS}"><sheetData><row r="1"><c r="A1"><v>1</v></c></row>`;
    await expectXlsxError(rowsOf({ sheets: [{ name: 'S', xml: afterRow }] }), 'truncated');
    // An empty sheet written <sheetData/>, or a worksheet with no sheetData at all, is no damage.
    expect(await rowsOf({ sheets: [{ name: 'S', xml: `<?xml version="1.0"?><worksheet xmlns="${NS}"><sheetData/></worksheet>` }] })).toEqual([]);
    expect(await rowsOf({ sheets: [{ name: 'S', xml: `<?xml version="1.0"?><worksheet xmlns="${NS}"></worksheet>` }] })).toEqual([]);
  });

  it('an empty cell beyond maxColumns (a border drawn far out) is no column; one with a value is', async () => {
    const far = (cell: string) => ({ sheets: [{ name: 'S', xml: `<row r="1"><c r="A1"><v>1</v></c>${cell}</row>` }] });
    expect((await rowsOf(far('<c r="AQH1" s="3"/>'), { maxColumns: 1000 }))[0].cells).toEqual([1]);
    expect((await rowsOf(far('<c r="AQH1" t="inlineStr"><is><t></t></is></c>'), { maxColumns: 1000 }))[0].cells).toEqual([1]);
    await expectXlsxError(rowsOf(far('<c r="AQH1"><v>7</v></c>'), { maxColumns: 1000 }), 'too-many-columns');
  });

  it('a cell beyond maxColumns → too-many-columns, with or without r', async () => {
    const far = { sheets: [{ name: 'S', xml: `<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="ALM2"><v>1</v></c></row>` }] };
    const e = await expectXlsxError(rowsOf(far, { maxColumns: 1000 }), 'too-many-columns');
    expect(e.message).toContain('ALM2');
    expect(await rowsOf(far, { maxColumns: 1001 })).toHaveLength(2);
    const positional = { sheets: [{ name: 'S', xml: `<row>${'<c><v>1</v></c>'.repeat(11)}</row>` }] };
    await expectXlsxError(rowsOf(positional, { maxColumns: 10 }), 'too-many-columns');
    const beyondXfd = { sheets: [{ name: 'S', xml: `<row r="1"><c r="XFE1"><v>1</v></c></row>` }] };
    await expectXlsxError(rowsOf(beyondXfd), 'too-many-columns');
    const absurd = { sheets: [{ name: 'S', xml: `<row r="1"><c r="${'Z'.repeat(5000)}1"><v>1</v></c></row>` }] };
    await expectXlsxError(rowsOf(absurd), 'too-many-columns');
  });

  it('cell text longer than maxCellChars → too-large', async () => {
    const long = '长'.repeat(101);
    await expectXlsxError(
      rowsOf({ sheets: [{ name: 'S', xml: `<row r="1"><c r="A1" t="inlineStr"><is><t>${long}</t></is></c></row>` }] }, { maxCellChars: 100 }),
      'too-large',
    );
    await expectXlsxError(
      rowsOf({ sheets: [{ name: 'S', xml: `<row r="1"><c r="A1" t="s"><v>0</v></c></row>` }], sharedStrings: [long] }, { maxCellChars: 100 }),
      'too-large',
    );
    await expectXlsxError(
      rowsOf({ sheets: [{ name: 'S', xml: `<row r="1"><c r="A1" t="str"><f>REPT("长",101)</f><v>${long}</v></c></row>` }] }, { maxCellChars: 100 }),
      'too-large',
    );
    const ok = await rowsOf({ sheets: [{ name: 'S', xml: `<row r="1"><c r="A1" t="inlineStr"><is><t>${long}</t></is></c></row>` }] });
    expect(ok[0]!.cells[0]).toBe(long);
  });

  it('a row begun before the one above it is closed → bad-xml (its cells were dropped silently)', async () => {
    const rows = '<row r="1"><c r="A1" t="inlineStr"><is><t>甲</t></is></c></row><row r="2"><c r="A2"><v>1</v></c><row r="3"><c r="A3"><v>2</v></c></row>';
    await expectXlsxError(rowsOf({ sheets: [{ name: 'S', xml: rows }] }), 'bad-xml');
    // Self-closing rows, and rows closed as they should be, are read.
    const fine = await rowsOf({ sheets: [{ name: 'S', xml: '<row r="1"/><row r="2"><c r="A2"><v>1</v></c></row><row r="3" spans="1:1"><c r="A3"><v>2</v></c></row>' }] });
    expect(fine.map((row) => [row.rowNumber, row.cells])).toEqual([
      [2, [1]],
      [3, [2]],
    ]);
  });

  it('a shared-string index that does not exist → bad-xml', async () => {
    await expectXlsxError(
      rowsOf({ sheets: [{ name: 'S', xml: `<row r="1"><c r="A1" t="s"><v>5</v></c></row>` }], sharedStrings: ['a'] }),
      'bad-xml',
    );
  });
});
