// CSV/TSV/TXT rows with the row numbers a spreadsheet program would show for the file.
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { decodeFile, type Detected } from './decode.js';
import type { SheetRow } from './cells.js';

export class CsvError extends Error {
  constructor(readonly code: 'unclosed-quote' | 'too-large' | 'too-many-columns' | 'malformed', readonly rowNumber: number, message: string) {
    super(message);
  }
}

export interface CsvLimits { maxColumns: number; maxCellChars: number }

/** Tab when the first line has tabs and no commas (many systems export "CSV" that way). */
export function sniffDelimiter(firstText: string, extension: string): string {
  if (extension === '.tsv') return '\t';
  const firstLine = firstText.split(/\r?\n/, 1)[0] ?? '';
  const tabs = firstLine.split('\t').length - 1;
  const commas = firstLine.split(',').length - 1;
  if (extension === '.txt') return tabs >= commas && tabs > 0 ? '\t' : ',';
  return tabs > 0 && commas === 0 ? '\t' : ',';
}

export async function* readCsvRows(path: string, detected: Detected, delimiter: string, limits: CsvLimits): AsyncGenerator<SheetRow> {
  const parser = parse({
    delimiter,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    bom: true,
    max_record_size: limits.maxCellChars * 4,
  });
  const input = Readable.from(decodeFile(path, detected));
  input.on('error', (error) => parser.destroy(error));
  input.pipe(parser);
  let rowNumber = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      rowNumber++;
      if (record.length > limits.maxColumns) {
        throw new CsvError('too-many-columns', rowNumber, `row ${rowNumber} has ${record.length} columns`);
      }
      for (const value of record) {
        if (value.length > limits.maxCellChars) throw new CsvError('too-large', rowNumber, `cell too long in row ${rowNumber}`);
      }
      yield { rowNumber, cells: record };
    }
  } catch (error) {
    input.destroy();
    if (error instanceof CsvError) throw error;
    const code = (error as { code?: string }).code;
    if (code === 'CSV_QUOTE_NOT_CLOSED') throw new CsvError('unclosed-quote', rowNumber + 1, 'quote not closed');
    if (code === 'CSV_MAX_RECORD_SIZE') throw new CsvError('too-large', rowNumber + 1, 'record too large');
    if (typeof code === 'string' && code.startsWith('CSV_')) throw new CsvError('malformed', rowNumber + 1, (error as Error).message);
    throw error;
  }
}
