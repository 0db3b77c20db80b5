// Tables → one .xlsx workbook: a sheet per table, then the 说明 (About) sheet; written atomically.
// Also writeTableFile, which picks xlsx or csv by the output file's extension.
import { extname } from 'node:path';
import ExcelJS from 'exceljs';
import { t } from '../i18n/index.js';
import { writeStreamAtomic } from './atomic.js';
import { type CsvOptions, writeCsvMany } from './csv.js';
import {
  type CellValue,
  type Column,
  type ReportMeta,
  type Row,
  type Table,
  NO_RATE,
  cleanNumber,
  displayWidth,
  formatRate,
  rateValue,
  safeText,
  uniqueSheetNames,
} from './table.js';

export const HIGHLIGHT_FILL = 'FFFFC7CE';
export const HIGHLIGHT_FONT = 'FF9C0006';
export const MIN_COLUMN_WIDTH = 6;
export const MAX_COLUMN_WIDTH = 60;
/** Excel itself refuses this sheet name. */
const EXCEL_RESERVED = 'History';
/** Column width units (characters) that fit across a portrait A4 page at 100%. */
const PORTRAIT_WIDTH = 95;

interface XCell { value: string | number | null; numFmt?: string; right?: boolean; shown: string }

/** How a value is stored. The column kind decides: int/number/rate columns store numbers
 * (int with numFmt '0', number with General, rate as the truncated ratio with '0.00%', an
 * undefined rate as the text '—'); text/date/id columns store text (an ID is never a number that
 * could lose digits; dates stay 'YYYY-MM-DD' text). Every text is formula-safe (leading '). */
function xcell(column: Column, value: CellValue | undefined): XCell {
  const numeric = column.kind === 'int' || column.kind === 'number' || column.kind === 'rate';
  if (typeof value === 'number' && !Number.isFinite(value)) value = null;
  if (value === null || value === undefined) {
    return column.kind === 'rate' ? { value: NO_RATE, right: true, shown: NO_RATE } : { value: null, shown: '' };
  }
  if (typeof value === 'number' && numeric) {
    if (column.kind === 'rate') return { value: rateValue(value), numFmt: '0.00%', shown: formatRate(value) };
    const n = cleanNumber(value);
    return column.kind === 'int' ? { value: n, numFmt: '0', shown: String(n) } : { value: n, shown: String(n) };
  }
  const text = safeText(typeof value === 'number' ? String(cleanNumber(value)) : value);
  // An ID cell is formatted as text ('@') too, so that editing it in Excel never turns an
  // 18-digit number into 1.10105E+17.
  return { value: text, right: numeric, shown: text, numFmt: column.kind === 'id' ? '@' : undefined };
}

function clampWidth(w: number): number {
  return Math.min(MAX_COLUMN_WIDTH, Math.max(MIN_COLUMN_WIDTH, w));
}

/** Rows looked at to size the columns: enough to see the data's shape without measuring every
 * cell of a million-row sheet. */
const WIDTH_SAMPLE_ROWS = 5000;

function columnWidths(table: Table): number[] {
  const widths = table.columns.map((c) => Math.max(c.minWidth ?? 0, displayWidth(safeText(c.header))));
  const sample = [...table.rows.slice(0, WIDTH_SAMPLE_ROWS), ...(table.totals ?? [])];
  for (const row of sample) {
    table.columns.forEach((c, i) => {
      widths[i] = Math.max(widths[i], displayWidth(xcell(c, row[c.key]).shown));
    });
  }
  return widths.map((w) => clampWidth(w + 2));
}

/** A data sheet, streamed: each row is written out as soon as it is styled, so memory stays
 * bounded by the table itself rather than by the spreadsheet library's cell objects. */
function addDataSheet(wb: ExcelJS.stream.xlsx.WorkbookWriter, name: string, table: Table): void {
  const { columns } = table;
  const widths = columnWidths(table);
  const ws = wb.addWorksheet(name, {
    views: [{ state: 'frozen', xSplit: 0, ySplit: 1, topLeftCell: 'A2', activeCell: 'A2' }],
    // exceljs leaves out a column whose width is 9 (its own default), and Excel's default is
    // narrower (8.43); declaring 9 as the sheet default keeps such a column at 9.
    properties: { defaultColWidth: 9 },
    pageSetup: printSetup(widths.reduce((sum, w) => sum + w, 0), true),
  });
  ws.columns = widths.map((width) => ({ width }));
  // The filter covers the header and the data rows, not the totals, so that sorting or filtering
  // in Excel never moves a total in among the rows.
  if (columns.length > 0) {
    ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1 + table.rows.length, column: columns.length } };
  }

  const header = ws.addRow(columns.map((c) => safeText(c.header)));
  header.eachCell((cell) => {
    cell.font = { bold: true };
  });
  header.commit();

  const put = (row: Row, kind: 'data' | 'total'): void => {
    const cells = columns.map((c) => xcell(c, row[c.key]));
    const xrow = ws.addRow(cells.map((x) => x.value));
    const highlighted = kind === 'data' && table.highlight?.(row) === true;
    cells.forEach((x, i) => {
      const cell = xrow.getCell(i + 1);
      if (x.numFmt) cell.numFmt = x.numFmt;
      if (x.right) cell.alignment = { horizontal: 'right' };
      if (highlighted) {
        cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: HIGHLIGHT_FILL } };
        cell.font = { color: { argb: HIGHLIGHT_FONT } };
      }
      if (kind === 'total') cell.font = { bold: true };
    });
    xrow.commit();
  };
  for (const row of table.rows) put(row, 'data');
  for (const row of table.totals ?? []) put(row, 'total');
  ws.commit();
}

/** 说明: the title in A1 (bold), then the caller's [label, value] entries, then a blank row and
 * a list of the data sheets with their titles. */
function addAboutSheet(wb: ExcelJS.stream.xlsx.WorkbookWriter, name: string, meta: ReportMeta, sheets: Array<[string, string]>): void {
  const listed: Array<[string, string]> = [...meta.entries];
  if (sheets.length > 0) listed.push([t('render.sheetColumn'), t('render.titleColumn')], ...sheets);
  const w = (i: 0 | 1): number => Math.max(0, ...listed.map((r) => displayWidth(safeText(r[i]))));
  const labelWidth = clampWidth(w(0) + 2);
  const valueWidth = clampWidth(w(1) + 2);
  // The page set-up goes in with the sheet: a streamed sheet writes its properties first.
  const ws = wb.addWorksheet(name, { pageSetup: printSetup(labelWidth + valueWidth, false) });
  ws.getColumn(1).width = labelWidth;
  ws.getColumn(2).width = valueWidth;
  // A long value (the rules text) wraps inside its column instead of running off the page; the
  // row is given the height of its lines, because LibreOffice keeps the default height of an
  // imported row and would show the first line only.
  const addPair = (label: string, value: string, bold: boolean) => {
    const row = ws.addRow([safeText(label), safeText(value)]);
    row.getCell(1).alignment = { vertical: 'top' };
    row.getCell(2).alignment = { wrapText: true, vertical: 'top' };
    if (bold) row.getCell(1).font = { bold: true };
    const lines = Math.ceil(displayWidth(safeText(value)) / (valueWidth - 1));
    if (lines > 1) row.height = 15 * lines;
    return row;
  };
  const title = ws.addRow([safeText(meta.title)]);
  title.getCell(1).font = { bold: true, size: 14 };
  for (const [label, value] of meta.entries) addPair(label, value, true);
  if (sheets.length > 0) {
    ws.addRow([]);
    const head = addPair(t('render.sheetColumn'), t('render.titleColumn'), true);
    head.getCell(2).font = { bold: true };
    for (const [sheet, sheetTitle] of sheets) addPair(sheet, sheetTitle, false);
  }
  ws.commit();
}

/** A4 paper, every column on one page width (as many pages down as needed), landscape when the
 * sheet is wider than a portrait page holds, the header row repeated on every page: so that
 * printing from Excel, WPS or LibreOffice gives whole tables, not columns cut off onto pages
 * of their own. */
function printSetup(totalWidth: number, header: boolean): Partial<ExcelJS.PageSetup> {
  return {
    paperSize: 9,
    orientation: totalWidth > PORTRAIT_WIDTH ? 'landscape' : 'portrait',
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    horizontalCentered: true,
    margins: { left: 0.5, right: 0.5, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
    ...(header ? { printTitlesRow: '1:1' } : {}),
  };
}

/** Write the workbook (one sheet per table, unique sanitised names, 说明/About last) to `path`
 * atomically: streamed into a temporary file next to it (owner-only: exports hold personal
 * data), then renamed over the target. */
export async function writeXlsx(path: string, tables: Table[], meta: ReportMeta): Promise<void> {
  await writeStreamAtomic(path, async (stream) => {
    const about = t('render.aboutSheet');
    const names = uniqueSheetNames(
      tables.map((tb) => tb.name),
      [about, EXCEL_RESERVED],
    );
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false });
    wb.creator = 'dbd';
    wb.created = new Date();
    tables.forEach((table, i) => addDataSheet(wb, names[i], table));
    addAboutSheet(wb, about, meta, tables.map((table, i) => [names[i], table.title]));
    await wb.commit();
  });
}

export type TableFileFormat = 'xlsx' | 'csv';

/** The format an output path asks for by its extension (case-insensitive), or an Error with a
 * localised message. */
export function formatForPath(path: string): TableFileFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.xlsx') return 'xlsx';
  if (ext === '.csv') return 'csv';
  throw new Error(t('render.unknownExtension', { path, ext: ext === '' ? t('render.noExtension') : ext }));
}

/** Write tables to `path` as .xlsx or .csv according to its extension. A CSV has no 说明 sheet, so
 * `meta` is not written there; several tables go into one CSV with a first column 表 naming each
 * row's table. The encoding option applies to CSV only. */
export async function writeTableFile(path: string, tables: Table[], meta: ReportMeta, opts: CsvOptions = {}): Promise<void> {
  if (formatForPath(path) === 'xlsx') await writeXlsx(path, tables, meta);
  else await writeCsvMany(path, tables, opts);
}
