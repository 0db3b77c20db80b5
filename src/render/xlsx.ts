// Tables → one .xlsx workbook: a sheet per table, then the 说明 (About) sheet; written atomically.
// Also writeTableFile, which picks xlsx or csv by the output file's extension.
//
// The sheets are written as SpreadsheetML text straight into a streaming zip (zipWriter.ts):
// every workbook dbd writes is a Table, which needs a handful of cell styles, and exceljs's
// streaming writer spent more than half of a large export registering a style per cell and
// has no back-pressure (a sheet's XML piled up in memory). See bench/RESULTS.md.
import { extname } from 'node:path';
import { usageError } from '../errors.js';
import { t } from '../i18n/index.js';
import { checkOutputFile, type KeptFiles } from './outputPath.js';
import { type FileBatch, writeStreamAtomic } from './atomic.js';
import { type CsvOptions, writeCsvMany } from './csv.js';
import {
  type CellValue,
  type Column,
  type ReportMeta,
  type Row,
  type SheetSource,
  type StreamedTable,
  type Table,
  NO_RATE,
  cleanNumber,
  displayWidth,
  formatRate,
  rateValue,
  safeText,
  uniqueSheetNames,
} from './table.js';
import { type ZipEntry, ZipWriter } from './zipWriter.js';

export const HIGHLIGHT_FILL = 'FFFFC7CE';
export const HIGHLIGHT_FONT = 'FF9C0006';
export const MIN_COLUMN_WIDTH = 6;
export const MAX_COLUMN_WIDTH = 60;
/** Excel itself refuses this sheet name. */
const EXCEL_RESERVED = 'History';
/** Column width units (characters) that fit across a portrait A4 page at 100%. */
const PORTRAIT_WIDTH = 95;
/** The sheet's default column width (Excel's own, 8.43, is narrower). */
const DEFAULT_COLUMN_WIDTH = 9;
const ROW_HEIGHT = 15;

// ---- cells and styles ------------------------------------------------------------------------

/** Built-in number formats (no numFmts entry needed): General, 0, 0.00%, @ (text). */
type NumFmt = 'General' | '0' | '0.00%' | '@';
const NUM_FMT_ID: Record<NumFmt, number> = { General: 0, '0': 1, '0.00%': 10, '@': 49 };

interface XCell { value: string | number | null; numFmt?: NumFmt; right?: boolean; shown: string }

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
  const text = withinCellLimit(safeText(typeof value === 'number' ? String(cleanNumber(value)) : value));
  // An ID cell is formatted as text ('@') too, so that editing it in Excel never turns an
  // 18-digit number into 1.10105E+17.
  return { value: text, right: numeric, shown: text, numFmt: column.kind === 'id' ? '@' : undefined };
}

/** Characters a cell can hold in Excel: a longer text makes Excel report the file damaged. */
const CELL_MAX_CHARS = 32767;

/** Text cut to what a cell holds, ending in … (never half a surrogate pair). */
function withinCellLimit(text: string): string {
  if (text.length <= CELL_MAX_CHARS) return text;
  let end = CELL_MAX_CHARS - 1;
  if (/[\ud800-\udbff]/.test(text[end - 1])) end--;
  return `${text.slice(0, end)}…`;
}

type FontKind = 'regular' | 'bold' | 'title' | 'highlight';
type Align = 'none' | 'right' | 'top' | 'wrapTop';
interface CellFormat { numFmt: NumFmt; font: FontKind; fill: boolean; align: Align }

const FONTS: Record<FontKind, string> = {
  regular: '<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>',
  bold: '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>',
  title: '<font><b/><sz val="14"/><name val="Calibri"/><family val="2"/></font>',
  highlight: `<font><sz val="11"/><color rgb="${HIGHLIGHT_FONT}"/><name val="Calibri"/><family val="2"/></font>`,
};
const FONT_ORDER: FontKind[] = ['regular', 'bold', 'title', 'highlight'];
const ALIGNMENTS: Record<Align, string> = {
  none: '',
  right: '<alignment horizontal="right"/>',
  top: '<alignment vertical="top"/>',
  wrapTop: '<alignment vertical="top" wrapText="1"/>',
};

/** The cell formats of one workbook, numbered as they are first used (0: the default). */
class Styles {
  private readonly ids = new Map<string, number>();
  private readonly formats: CellFormat[] = [];

  constructor() {
    this.id({ numFmt: 'General', font: 'regular', fill: false, align: 'none' });
  }

  id(format: CellFormat): number {
    const key = `${format.numFmt}|${format.font}|${format.fill ? 1 : 0}|${format.align}`;
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.formats.length;
      this.formats.push(format);
      this.ids.set(key, id);
    }
    return id;
  }

  xml(): string {
    const xfs = this.formats.map((f) => {
      const attrs =
        `numFmtId="${NUM_FMT_ID[f.numFmt]}" fontId="${FONT_ORDER.indexOf(f.font)}" fillId="${f.fill ? 2 : 0}" borderId="0" xfId="0"` +
        (f.numFmt !== 'General' ? ' applyNumberFormat="1"' : '') +
        (f.font !== 'regular' ? ' applyFont="1"' : '') +
        (f.fill ? ' applyFill="1"' : '') +
        (f.align !== 'none' ? ' applyAlignment="1"' : '');
      return f.align === 'none' ? `<xf ${attrs}/>` : `<xf ${attrs}>${ALIGNMENTS[f.align]}</xf>`;
    });
    return (
      XML_HEAD +
      `<styleSheet xmlns="${MAIN_NS}">` +
      `<fonts count="${FONT_ORDER.length}">${FONT_ORDER.map((k) => FONTS[k]).join('')}</fonts>` +
      '<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>' +
      `<fill><patternFill patternType="solid"><fgColor rgb="${HIGHLIGHT_FILL}"/><bgColor indexed="64"/></patternFill></fill></fills>` +
      '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
      '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
      `<cellXfs count="${xfs.length}">${xfs.join('')}</cellXfs>` +
      '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
      '<dxfs count="0"/><tableStyles count="0"/></styleSheet>'
    );
  }
}

// ---- XML text ----------------------------------------------------------------------------------

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
/** Characters XML escapes, and those it cannot hold at all (dropped, as spreadsheet programs do). */
const NEEDS_ESCAPE = /[<>&"\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffe\uffff]/;
const ESCAPES = /[<>&"\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffe\uffff]/g;
const ESCAPED: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' };

function xmlText(text: string): string {
  return NEEDS_ESCAPE.test(text) ? text.replace(ESCAPES, (ch) => ESCAPED[ch] ?? '') : text;
}

/** An inline string's <t>: leading or trailing white space kept by xml:space. */
function inlineText(text: string): string {
  const escaped = xmlText(text);
  const padded = /^\s|\s$/.test(escaped);
  return padded ? `<is><t xml:space="preserve">${escaped}</t></is>` : `<is><t>${escaped}</t></is>`;
}

/** 1 → A, 27 → AA. */
function columnLetters(n: number): string {
  let s = '';
  for (; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** A sheet name in a formula or defined name: quoted, apostrophes doubled. */
function sheetRef(name: string): string {
  return `'${name.replace(/'/g, "''")}'`;
}

/** One cell's XML; an empty cell (null or '') only when it carries a style. */
function cellXml(ref: string, value: string | number | null, style: number): string {
  const s = style === 0 ? '' : ` s="${style}"`;
  if (value === null || value === '') return style === 0 ? '' : `<c r="${ref}"${s}/>`;
  if (typeof value === 'number') return `<c r="${ref}"${s}><v>${value}</v></c>`;
  return `<c r="${ref}"${s} t="inlineStr">${inlineText(value)}</c>`;
}

// ---- sheets ------------------------------------------------------------------------------------

function clampWidth(w: number): number {
  return Math.min(MAX_COLUMN_WIDTH, Math.max(MIN_COLUMN_WIDTH, w));
}

/** Rows looked at to size the columns: enough to see the data's shape without measuring every
 * cell of a million-row sheet. */
const WIDTH_SAMPLE_ROWS = 5000;

function columnWidths(columns: Column[], sample: Row[], totals: Row[]): number[] {
  const widths = columns.map((c) => Math.max(c.minWidth ?? 0, displayWidth(safeText(c.header))));
  for (const rows of [sample, totals]) {
    for (const row of rows) {
      columns.forEach((c, i) => {
        widths[i] = Math.max(widths[i], displayWidth(xcell(c, row[c.key]).shown));
      });
    }
  }
  return widths.map((w) => clampWidth(w + 2));
}

/** A4 paper, every column on one page width (as many pages down as needed), landscape when the
 * sheet is wider than a portrait page holds, centred: so that printing from Excel, WPS or
 * LibreOffice gives whole tables, not columns cut off onto pages of their own. (The header row
 * repeated on every page is a defined name of the workbook.) */
function printXml(totalWidth: number): string {
  const orientation = totalWidth > PORTRAIT_WIDTH ? 'landscape' : 'portrait';
  return (
    '<printOptions horizontalCentered="1"/>' +
    '<pageMargins left="0.5" right="0.5" top="0.6" bottom="0.6" header="0.3" footer="0.3"/>' +
    `<pageSetup paperSize="9" orientation="${orientation}" fitToWidth="1" fitToHeight="0"/>`
  );
}

function sheetStart(widths: number[], frozenHeader: boolean): string {
  const view = frozenHeader
    ? '<sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView>'
    : '<sheetView workbookViewId="0"/>';
  const cols = widths.map((w, i) => `<col min="${i + 1}" max="${i + 1}" width="${w}" customWidth="1"/>`).join('');
  return (
    XML_HEAD +
    `<worksheet xmlns="${MAIN_NS}" xmlns:r="${REL_NS}">` +
    '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>' +
    `<sheetViews>${view}</sheetViews>` +
    `<sheetFormatPr defaultRowHeight="${ROW_HEIGHT}" defaultColWidth="${DEFAULT_COLUMN_WIDTH}"/>` +
    (cols ? `<cols>${cols}</cols>` : '') +
    '<sheetData>'
  );
}

interface WrittenSheet { name: string; title: string; lastColumn: string; lastDataRow: number; header: boolean }

/** A data sheet, streamed row by row: a bold frozen header, typed cells, the highlight in red
 * on every cell of a highlighted row (a total's fill too), the totals bold after the rows. Of a streamed table only
 * the first rows are held (to size the columns). */
async function writeDataSheet(entry: ZipEntry, styles: Styles, table: Table | StreamedTable): Promise<WrittenSheet> {
  const { columns } = table;
  const totals = table.totals ?? [];
  const refs = columns.map((_, i) => columnLetters(i + 1));
  const held = Array.isArray(table.rows) ? (table.rows as Row[]) : undefined;
  let sample: Row[];
  let rest: AsyncIterator<Row> | Iterator<Row> | undefined;
  if (held) sample = held.length > WIDTH_SAMPLE_ROWS ? held.slice(0, WIDTH_SAMPLE_ROWS) : held;
  else {
    sample = [];
    const rows = table.rows as AsyncIterable<Row> | Iterable<Row>;
    rest = Symbol.asyncIterator in rows ? rows[Symbol.asyncIterator]() : rows[Symbol.iterator]();
    while (sample.length < WIDTH_SAMPLE_ROWS) {
      const next = await rest.next();
      if (next.done) {
        rest = undefined;
        break;
      }
      sample.push(next.value);
    }
  }
  const widths = columnWidths(columns, sample, totals);
  await entry.write(sheetStart(widths, true));

  const styleOf = (x: XCell, font: FontKind, fill: boolean) => styles.id({ numFmt: x.numFmt ?? 'General', font, fill, align: x.right ? 'right' : 'none' });
  const headerStyle = styles.id({ numFmt: 'General', font: 'bold', fill: false, align: 'none' });
  let r = 1;
  let xml = `<row r="1">`;
  columns.forEach((c, i) => (xml += cellXml(`${refs[i]}1`, safeText(c.header), headerStyle)));
  await entry.write(xml + '</row>');

  const put = (row: Row, kind: 'data' | 'total'): Promise<void> | undefined => {
    r++;
    // A subtotal or total below the threshold is filled red too (bold, as totals are).
    const highlighted = table.highlight?.(row) === true;
    const font: FontKind = kind === 'total' ? 'bold' : highlighted ? 'highlight' : 'regular';
    let line = `<row r="${r}">`;
    for (let i = 0; i < columns.length; i++) {
      const x = xcell(columns[i], row[columns[i].key]);
      line += cellXml(`${refs[i]}${r}`, x.value, styleOf(x, font, highlighted));
    }
    return entry.write(line + '</row>');
  };
  // Awaited only when the output is full (put returns a promise only then).
  for (const row of held ?? sample) await put(row, 'data');
  sample = [];
  if (rest) for (let next = await rest.next(); !next.done; next = await rest.next()) await put(next.value, 'data');
  const lastDataRow = r;
  for (const row of totals) await put(row, 'total');

  const lastColumn = columnLetters(Math.max(1, columns.length));
  // The filter covers the header and the data rows, not the totals, so that sorting or
  // filtering in Excel never moves a total in among the rows.
  const filter = columns.length > 0 ? `<autoFilter ref="A1:${lastColumn}${lastDataRow}"/>` : '';
  await entry.write(`</sheetData>${filter}${printXml(widths.reduce((sum, w) => sum + w, 0))}</worksheet>`);
  return { name: table.name, title: table.title, lastColumn, lastDataRow, header: columns.length > 0 };
}

/** 说明: the title in A1 (bold), then the caller's [label, value] entries, then a blank row and
 * a list of the data sheets with their titles. */
function aboutSheetXml(styles: Styles, meta: ReportMeta, sheets: Array<[string, string]>): string {
  const listed: Array<[string, string]> = [...meta.entries];
  if (sheets.length > 0) listed.push([t('render.sheetColumn'), t('render.titleColumn')], ...sheets);
  const w = (i: 0 | 1): number => Math.max(0, ...listed.map((r) => displayWidth(safeText(r[i]))));
  const labelWidth = clampWidth(w(0) + 2);
  const valueWidth = clampWidth(w(1) + 2);
  const style = (font: FontKind, align: Align) => styles.id({ numFmt: 'General', font, fill: false, align });
  let r = 0;
  const rows: string[] = [];
  r++;
  rows.push(`<row r="${r}">${cellXml(`A${r}`, safeText(meta.title), style('title', 'none'))}</row>`);
  // A long value (the rules text) wraps inside its column instead of running off the page; the
  // row is given the height of its lines, because LibreOffice keeps the default height of an
  // imported row and would show the first line only.
  const pair = (label: string, value: string, labelBold: boolean, valueBold: boolean) => {
    r++;
    const lines = Math.ceil(displayWidth(safeText(value)) / (valueWidth - 1));
    const height = lines > 1 ? ` ht="${ROW_HEIGHT * lines}" customHeight="1"` : '';
    rows.push(
      `<row r="${r}"${height}>` +
        cellXml(`A${r}`, safeText(label), style(labelBold ? 'bold' : 'regular', 'top')) +
        cellXml(`B${r}`, safeText(value), style(valueBold ? 'bold' : 'regular', 'wrapTop')) +
        '</row>',
    );
  };
  for (const [label, value] of meta.entries) pair(label, value, true, false);
  if (sheets.length > 0) {
    r++; // a blank row
    pair(t('render.sheetColumn'), t('render.titleColumn'), true, true);
    for (const [sheet, sheetTitle] of sheets) pair(sheet, sheetTitle, false, false);
  }
  return sheetStart([labelWidth, valueWidth], false) + rows.join('') + '</sheetData>' + printXml(labelWidth + valueWidth) + '</worksheet>';
}

// ---- the workbook ------------------------------------------------------------------------------

function workbookXml(names: string[], sheets: WrittenSheet[]): string {
  const defined: string[] = [];
  sheets.forEach((sheet, i) => {
    if (!sheet.header) return;
    const ref = sheetRef(names[i]);
    defined.push(`<definedName name="_xlnm._FilterDatabase" localSheetId="${i}" hidden="1">${xmlText(`${ref}!$A$1:$${sheet.lastColumn}$${sheet.lastDataRow}`)}</definedName>`);
    defined.push(`<definedName name="_xlnm.Print_Titles" localSheetId="${i}">${xmlText(`${ref}!$1:$1`)}</definedName>`);
  });
  const list = names.map((name, i) => `<sheet name="${xmlText(name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('');
  return (
    XML_HEAD +
    `<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}">` +
    '<bookViews><workbookView activeTab="0"/></bookViews>' +
    `<sheets>${list}</sheets>` +
    (defined.length ? `<definedNames>${defined.join('')}</definedNames>` : '') +
    '<calcPr calcId="171027"/></workbook>'
  );
}

function workbookRelsXml(sheetCount: number): string {
  const rels = Array.from({ length: sheetCount }, (_, i) => `<Relationship Id="rId${i + 1}" Type="${REL_NS}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`);
  rels.push(`<Relationship Id="rId${sheetCount + 1}" Type="${REL_NS}/styles" Target="styles.xml"/>`);
  return XML_HEAD + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels.join('')}</Relationships>`;
}

function contentTypesXml(sheetCount: number): string {
  const sheets = Array.from(
    { length: sheetCount },
    (_, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`,
  ).join('');
  return (
    XML_HEAD +
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
    '<Default Extension="xml" ContentType="application/xml"/>' +
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
    sheets +
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>' +
    '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>' +
    '</Types>'
  );
}

const ROOT_RELS =
  XML_HEAD +
  '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  `<Relationship Id="rId1" Type="${REL_NS}/officeDocument" Target="xl/workbook.xml"/>` +
  '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>' +
  `<Relationship Id="rId3" Type="${REL_NS}/extended-properties" Target="docProps/app.xml"/>` +
  '</Relationships>';

const APP_XML =
  XML_HEAD + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>dbd</Application></Properties>';

function coreXml(created: Date): string {
  const when = created.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return (
    XML_HEAD +
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    '<dc:creator>dbd</dc:creator>' +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${when}</dcterms:created>` +
    `<dcterms:modified xsi:type="dcterms:W3CDTF">${when}</dcterms:modified>` +
    '</cp:coreProperties>'
  );
}

/** Write the workbook (one sheet per table, unique sanitised names, 说明/About last) to `path`
 * atomically: streamed into a temporary file next to it (owner-only: exports hold personal
 * data), then renamed over the target. A table given as a function is built when its sheet is
 * written, and a streamed table's rows are read as they are written: one sheet's rows at a time. */
export async function writeXlsx(path: string, tables: SheetSource[], meta: ReportMeta, opts: { batch?: FileBatch } = {}): Promise<void> {
  await writeStreamAtomic(path, async (stream) => {
    const created = new Date();
    const zip = new ZipWriter(stream, created);
    const styles = new Styles();
    await zip.add('[Content_Types].xml', (e) => e.write(contentTypesXml(tables.length + 1)));
    await zip.add('_rels/.rels', (e) => e.write(ROOT_RELS));
    await zip.add('docProps/app.xml', (e) => e.write(APP_XML));
    await zip.add('docProps/core.xml', (e) => e.write(coreXml(created)));
    const sheets: WrittenSheet[] = [];
    for (const [i, source] of tables.entries()) {
      const table = typeof source === 'function' ? await source() : source;
      await zip.add(`xl/worksheets/sheet${i + 1}.xml`, async (e) => {
        sheets.push(await writeDataSheet(e, styles, table));
      });
    }
    const about = t('render.aboutSheet');
    const names = uniqueSheetNames(
      sheets.map((s) => s.name),
      [about, EXCEL_RESERVED],
    );
    const aboutXml = aboutSheetXml(styles, meta, sheets.map((s, i) => [names[i], s.title]));
    await zip.add(`xl/worksheets/sheet${sheets.length + 1}.xml`, (e) => e.write(aboutXml));
    await zip.add('xl/workbook.xml', (e) => e.write(workbookXml([...names, about], sheets)));
    await zip.add('xl/_rels/workbook.xml.rels', (e) => e.write(workbookRelsXml(sheets.length + 1)));
    await zip.add('xl/styles.xml', (e) => e.write(styles.xml()));
    await zip.finish();
  }, opts.batch);
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

/**
 * The format of an output file asked for by an option, checked before any work is done: an empty
 * path, a wrong extension (`badExtension`: the command's own words for it) or a path that
 * cannot be written is a usage error (exit 2).
 */
export function checkTableOutput(path: string, badExtension?: string, keep: KeptFiles = {}): TableFileFormat {
  if (path === '') throw usageError(t('render.outEmpty'));
  let format: TableFileFormat;
  try {
    format = formatForPath(path);
  } catch (error) {
    throw usageError(badExtension ?? (error as Error).message);
  }
  checkOutputFile(path, keep);
  return format;
}

/** Write tables to `path` as .xlsx or .csv according to its extension. A CSV has no 说明 sheet, so
 * `meta` is not written there; several tables go into one CSV with a first column 表 naming each
 * row's table. The encoding option applies to CSV only. */
export async function writeTableFile(path: string, tables: SheetSource[], meta: ReportMeta, opts: CsvOptions = {}): Promise<void> {
  if (formatForPath(path) === 'xlsx') await writeXlsx(path, tables, meta, opts);
  else await writeCsvMany(path, tables, opts);
}
