// CSV/TSV/TXT rows with the row numbers a spreadsheet program would show for the file.
// Well-formed files (nearly all: what Excel, WPS and database exports write) are split by a
// focused fast path (./strictCsv.ts); at the first irregularity the file is read again from
// its start by csv-parse, which handles every oddity, and the rows already given are skipped.
import { Readable } from 'node:stream';
import { parse, type Options as CsvParseOptions } from 'csv-parse';
import { decodeFile, type Detected } from './decode.js';
import type { SheetRow } from './cells.js';
import { StrictCsvParser } from './strictCsv.js';

export class CsvError extends Error {
  constructor(readonly code: 'unclosed-quote' | 'too-large' | 'too-many-columns' | 'malformed' | 'nul', readonly rowNumber: number, message: string) {
    super(message);
  }
}

export interface CsvLimits { maxColumns: number; maxCellChars: number }

/**
 * Tab when the first lines are split by tabs rather than commas (many systems export "CSV"
 * that way). Several lines are looked at: a title line above the header has neither.
 */
export function sniffDelimiter(headText: string, extension: string): string {
  if (extension === '.tsv') return '\t';
  const lines = headText.split(/\r?\n|\r/);
  if (lines.length > 1) lines.pop(); // the head may end inside a line
  let tabLines = 0;
  let commaLines = 0;
  for (const line of lines.filter((l) => l.trim() !== '').slice(0, 10)) {
    const tabs = line.includes('\t');
    const commas = line.includes(',');
    if (tabs && !commas) tabLines++;
    else if (commas && !tabs) commaLines++;
  }
  if (extension === '.txt') return tabLines >= commaLines && tabLines > 0 ? '\t' : ',';
  return tabLines > commaLines ? '\t' : ',';
}

export async function* readCsvRows(path: string, detected: Detected, delimiter: string, limits: CsvLimits): AsyncGenerator<SheetRow> {
  for await (const batch of readCsvBatches(path, detected, delimiter, limits)) yield* batch;
}

/** The rows of a file, those of each decoded chunk together. */
export async function* readCsvBatches(path: string, detected: Detected, delimiter: string, limits: CsvLimits, fd?: number): AsyncGenerator<SheetRow[]> {
  let given = 0;
  if (StrictCsvParser.supports(delimiter)) {
    const strict = new StrictCsvParser(delimiter, limits.maxCellChars * 4);
    let records: string[][] = [];
    let regular = true;
    for await (const chunk of decodeFile(path, detected, fd)) {
      // A NUL is refused below, with the row that holds it.
      regular = !chunk.includes('\u0000') && strict.feed(chunk, records);
      if (!regular) break;
      // Rows are numbered (and checked) one by one, so an error names the right row.
      const rows: SheetRow[] = [];
      for (const record of records) rows.push(checkedRow(++given, record, limits, true));
      records = [];
      if (rows.length > 0) yield rows;
    }
    if (regular && strict.end(records)) {
      const rows = records.map((record) => checkedRow(++given, record, limits, true));
      if (rows.length > 0) yield rows;
      return;
    }
  }
  let batch: SheetRow[] = [];
  try {
    for await (const row of readCsvParse(path, detected, delimiter, limits, given, fd)) {
      batch.push(row);
      if (batch.length === 1000) {
        yield batch;
        batch = [];
      }
    }
  } catch (error) {
    if (batch.length > 0) yield batch; // the rows before the problem, as one by one
    throw error;
  }
  if (batch.length > 0) yield batch;
}

/** `nulFree`: the text was checked for NUL as a whole already. */
function checkedRow(rowNumber: number, record: string[], limits: CsvLimits, nulFree = false): SheetRow {
  if (record.length > limits.maxColumns) {
    throw new CsvError('too-many-columns', rowNumber, `row ${rowNumber} has ${record.length} columns`);
  }
  // The end-of-file mark (Ctrl-Z) some old DOS-era programs still add: a blank line.
  if (record.length === 1 && record[0] === '\u001a') record[0] = '';
  for (let i = 0; i < record.length; i++) {
    const value = record[i];
    if (value.length > limits.maxCellChars) throw new CsvError('too-large', rowNumber, `cell too long in row ${rowNumber}`);
    // A NUL never belongs in a text file: binary data, or UTF-16 read as something else.
    if (!nulFree && value.includes('\u0000')) throw new CsvError('nul', rowNumber, `NUL byte in row ${rowNumber}`);
    if (value.charCodeAt(0) === 0x3d) record[i] = unwrapEquals(value);
  }
  return { rowNumber, cells: record };
}

/**
 * A cell written ="110105199701010011" (so that Excel keeps it as text) is its inner text. Only
 * that whole-cell form: anything else starting with = stays as it is (a formula is not data).
 */
export function unwrapEquals(value: string): string {
  return value.length >= 3 && value.charCodeAt(0) === 0x3d && value.charCodeAt(1) === 0x22 && value.charCodeAt(value.length - 1) === 0x22 && value.indexOf('"', 2) === value.length - 1
    ? value.slice(2, -1)
    : value;
}

/** How csv-parse reads every file (the delimiter is the file's own). */
export const CSV_PARSE_OPTIONS: CsvParseOptions = {
  relax_column_count: true,
  relax_quotes: true,
  // Every line ending, wherever it is: left to itself csv-parse takes the first one it meets
  // for the whole file, and a CRLF file with lines appended in LF would lose rows into cells.
  record_delimiter: ['\r\n', '\n', '\r'],
  skip_empty_lines: false,
  bom: true,
};

/** csv-parse for any file; the first `skip` records were given already by the fast path. */
async function* readCsvParse(path: string, detected: Detected, delimiter: string, limits: CsvLimits, skip: number, fd?: number): AsyncGenerator<SheetRow> {
  const parser = parse({ ...CSV_PARSE_OPTIONS, delimiter, max_record_size: limits.maxCellChars * 4 });
  const input = Readable.from(decodeFile(path, detected, fd));
  input.on('error', (error) => parser.destroy(error));
  input.pipe(parser);
  let rowNumber = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      rowNumber++;
      if (rowNumber <= skip) continue;
      yield checkedRow(rowNumber, record, limits);
    }
  } catch (error) {
    input.destroy();
    if (error instanceof CsvError) throw error;
    const { code, records } = error as { code?: string; records?: number };
    // The parser may fail with records still unread in its buffer: its own count names the row.
    const failedRow = Math.max(rowNumber, typeof records === 'number' ? records : 0) + 1;
    if (code === 'CSV_QUOTE_NOT_CLOSED') throw new CsvError('unclosed-quote', failedRow, 'quote not closed');
    if (code === 'CSV_MAX_RECORD_SIZE') throw new CsvError('too-large', failedRow, 'record too large');
    if (typeof code === 'string' && code.startsWith('CSV_')) throw new CsvError('malformed', failedRow, (error as Error).message);
    throw error;
  }
}
