// Table → CSV: UTF-8 with a BOM (so that Excel detects it) or GBK, formula-safe, written atomically.
import { once } from 'node:events';
import { stringify } from 'csv-stringify/sync';
import iconv from 'iconv-lite';
import { dataError } from '../errors.js';
import { t } from '../i18n/index.js';
import { type FileBatch, writeStreamAtomic } from './atomic.js';
import { type CellValue, type Column, type Row, type SheetSource, type StreamedTable, type Table, cleanNumber, formatRate, NO_RATE, safeText } from './table.js';

export type CsvEncoding = 'utf8' | 'gbk';
export interface CsvOptions {
  encoding?: CsvEncoding;
  /** Leave the file under its temporary name until the batch is committed. */
  batch?: FileBatch;
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
/** RFC 4180 line ends, as Excel itself writes them. */
const RECORD_DELIMITER = '\r\n';

/** One CSV field. Numbers in numeric columns stay plain numbers (a negative number too); rates are
 * '89.47%' text and an undefined rate is '—', as the terminal and the workbook show it (SPEC §6);
 * every other text is formula-safe. */
export function csvCell(column: Column, value: CellValue | undefined): string {
  if (value === null || value === undefined || (typeof value === 'number' && !Number.isFinite(value))) return column.kind === 'rate' ? NO_RATE : '';
  if (typeof value === 'number') {
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

/** Records are encoded and written this many at a time. */
const BATCH_RECORDS = 2000;

/** Encoded bytes of some records. GBK cannot hold every character: rather than write '?' in
 * place of a name, an unencodable character is a data error (exit 3: the data cannot be written
 * as asked) naming the file, line and column (the user can keep UTF-8); `firstLine` is the file
 * line of the first record. */
function encode(recs: string[][], encoding: CsvEncoding, firstLine: number, file: string): Buffer {
  const text = stringifyRecords(recs);
  if (encoding === 'utf8') return Buffer.from(text, 'utf8');
  const bytes = iconv.encode(text, 'gbk');
  if (iconv.decode(bytes, 'gbk') !== text) throw unencodable(recs, firstLine, file);
  return bytes;
}

function unencodable(recs: string[][], firstLine: number, file: string): Error {
  for (let r = 0; r < recs.length; r++) {
    for (let c = 0; c < recs[r].length; c++) {
      for (const ch of recs[r][c]) {
        if (iconv.decode(iconv.encode(ch, 'gbk'), 'gbk') !== ch) {
          const code = 'U+' + ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
          return dataError(t('render.gbkUnencodable', { file, char: ch, code, line: firstLine + r, column: c + 1 }));
        }
      }
    }
  }
  return dataError(t('render.gbkUnencodable', { file, char: '?', code: '?', line: '?', column: '?' }));
}

/** The records of one or several tables (see combinedRecords), streamed table by table. */
async function* recordsOf(tables: Array<Table | StreamedTable>): AsyncIterable<string[]> {
  if (tables.length === 1) {
    const [table] = tables;
    const record = (r: Row): string[] => table.columns.map((c) => csvCell(c, r[c.key]));
    yield table.columns.map((c) => safeText(c.header));
    for await (const r of table.rows) yield record(r);
    for (const r of table.totals ?? []) yield record(r);
    return;
  }
  const columns: Column[] = [];
  for (const table of tables) {
    for (const c of table.columns) if (!columns.some((k) => k.key === c.key)) columns.push(c);
  }
  yield [safeText(t('render.tableColumn')), ...columns.map((c) => safeText(c.header))];
  for (const table of tables) {
    const own = new Map(table.columns.map((c) => [c.key, c]));
    const name = safeText(table.name);
    const record = (r: Row): string[] => [name, ...columns.map((c) => (own.has(c.key) ? csvCell(own.get(c.key)!, r[c.key]) : ''))];
    for await (const r of table.rows) yield record(r);
    for (const r of table.totals ?? []) yield record(r);
  }
}

/** Write one table as CSV, atomically. UTF-8 with BOM by default; 'gbk' has no BOM. */
export async function writeCsv(path: string, table: Table | StreamedTable, opts: CsvOptions = {}): Promise<void> {
  await writeCsvMany(path, [table], opts);
}

/** Write several tables into one CSV file (a 表 column first when there is more than one),
 * streamed: a streamed table's rows are encoded and written as they are read. The columns of a
 * combined file are the union of every table's, so tables given as functions are all built first. */
export async function writeCsvMany(path: string, sources: SheetSource[], opts: CsvOptions = {}): Promise<void> {
  const tables: Array<Table | StreamedTable> = [];
  for (const source of sources) tables.push(typeof source === 'function' ? await source() : source);
  const encoding = opts.encoding ?? 'utf8';
  await writeStreamAtomic(path, async (stream) => {
    const put = async (bytes: Buffer) => {
      if (!stream.write(bytes)) await once(stream, 'drain');
    };
    if (encoding === 'utf8') await put(BOM);
    let chunk: string[][] = [];
    let line = 1;
    const flush = async () => {
      await put(encode(chunk, encoding, line, path));
      line += chunk.length;
      chunk = [];
    };
    for await (const record of recordsOf(tables)) {
      chunk.push(record);
      if (chunk.length >= BATCH_RECORDS) await flush();
    }
    await flush();
    stream.end();
  }, opts.batch);
}
