// Table → CSV: UTF-8 with a BOM (so that Excel detects it) or GBK, formula-safe, written atomically.
import { stringify } from 'csv-stringify/sync';
import iconv from 'iconv-lite';
import { t } from '../i18n/index.js';
import { writeFileAtomic } from './atomic.js';
import { type CellValue, type Column, type Row, type Table, cleanNumber, formatRate, safeText } from './table.js';

export type CsvEncoding = 'utf8' | 'gbk';
export interface CsvOptions { encoding?: CsvEncoding }

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
/** RFC 4180 line ends, as Excel itself writes them. */
const RECORD_DELIMITER = '\r\n';

/** One CSV field. Numbers in numeric columns stay plain numbers (a negative number too); rates are
 * '89.47%' text and an undefined rate is empty; every other text is formula-safe. */
export function csvCell(column: Column, value: CellValue | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return '';
    return column.kind === 'rate' ? formatRate(value) : String(cleanNumber(value));
  }
  return safeText(value);
}

function records(table: Table): string[][] {
  const row = (r: Row): string[] => table.columns.map((c) => csvCell(c, r[c.key]));
  return [table.columns.map((c) => safeText(c.header)), ...table.rows.map(row), ...(table.totals ?? []).map(row)];
}

/** Several tables in one CSV: the first column 表 holds each row's table name; the other columns
 * are the union of the tables' columns by key, in order of first appearance (a table without a
 * column leaves it empty). Each table's totals follow its rows. */
function combinedRecords(tables: Table[]): string[][] {
  const columns: Column[] = [];
  for (const table of tables) {
    for (const c of table.columns) if (!columns.some((k) => k.key === c.key)) columns.push(c);
  }
  const out: string[][] = [[safeText(t('render.tableColumn')), ...columns.map((c) => safeText(c.header))]];
  for (const table of tables) {
    const own = new Map(table.columns.map((c) => [c.key, c]));
    const name = safeText(table.name);
    for (const r of [...table.rows, ...(table.totals ?? [])]) {
      out.push([name, ...columns.map((c) => (own.has(c.key) ? csvCell(own.get(c.key)!, r[c.key]) : ''))]);
    }
  }
  return out;
}

function stringifyRecords(recs: string[][]): string {
  return stringify(recs, { record_delimiter: RECORD_DELIMITER });
}

/** The CSV text of a table (no BOM): header, rows, totals. */
export function csvString(table: Table): string {
  return stringifyRecords(records(table));
}

/** The CSV text of several tables in one file (see combinedRecords); one table is plain csvString. */
export function csvStringMany(tables: Table[]): string {
  return tables.length === 1 ? csvString(tables[0]) : stringifyRecords(combinedRecords(tables));
}

/** Encoded bytes. GBK cannot hold every character: rather than write '?' in place of a name,
 * an unencodable character is an error naming its line and column (the user can keep UTF-8). */
function encode(recs: string[][], encoding: CsvEncoding): Buffer {
  const text = stringifyRecords(recs);
  if (encoding === 'utf8') return Buffer.concat([BOM, Buffer.from(text, 'utf8')]);
  const bytes = iconv.encode(text, 'gbk');
  if (iconv.decode(bytes, 'gbk') !== text) throw unencodable(recs);
  return bytes;
}

function unencodable(recs: string[][]): Error {
  for (let r = 0; r < recs.length; r++) {
    for (let c = 0; c < recs[r].length; c++) {
      for (const ch of recs[r][c]) {
        if (iconv.decode(iconv.encode(ch, 'gbk'), 'gbk') !== ch) {
          const code = 'U+' + ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
          return new Error(t('render.gbkUnencodable', { char: ch, code, line: r + 1, column: c + 1 }));
        }
      }
    }
  }
  return new Error(t('render.gbkUnencodable', { char: '?', code: '?', line: '?', column: '?' }));
}

/** Write one table as CSV, atomically. UTF-8 with BOM by default; 'gbk' has no BOM. */
export async function writeCsv(path: string, table: Table, opts: CsvOptions = {}): Promise<void> {
  await writeFileAtomic(path, encode(records(table), opts.encoding ?? 'utf8'));
}

/** Write several tables into one CSV file (a 表 column first when there is more than one). */
export async function writeCsvMany(path: string, tables: Table[], opts: CsvOptions = {}): Promise<void> {
  const recs = tables.length === 1 ? records(tables[0]) : combinedRecords(tables);
  await writeFileAtomic(path, encode(recs, opts.encoding ?? 'utf8'));
}
