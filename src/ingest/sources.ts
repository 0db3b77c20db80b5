// A file on the command line → its sheets, each a stream of rows. Workbooks by their content
// (a zip), old .xls and damaged files recognised by their first bytes, whatever the name.
import fs from 'node:fs';
import path from 'node:path';
import { dataError, usageError } from '../errors.js';
import { t } from '../i18n/index.js';
import type { SheetRow } from './cells.js';
import { CsvError, readCsvBatches, sniffDelimiter } from './csvReader.js';
import { byteOrderMark, DecodeError, detectEncoding, normaliseEncodingName, readHead, type Detected, type TextEncoding } from './decode.js';
import { openXlsx, XlsxError } from './xlsxReader.js';

export interface SheetSource {
  file: string;
  name: string;
  rows(): AsyncIterable<SheetRow>;
  /** The same rows a chunk at a time: cheaper per row, for reading whole large sheets. */
  batches(): AsyncIterable<SheetRow[]>;
}

export interface OpenedFile {
  file: string;
  /** An .xlsx workbook (else a text file). */
  workbook: boolean;
  /** A text file's open descriptor, read until close(): a parse worker reads it too, so that a
   * file replaced or removed during the import is read as it was when the import began. */
  fd?: number;
  sheets: SheetSource[];
  close(): Promise<void>;
}

export const LIMITS = {
  maxColumns: 1000,
  maxCellChars: 32_767,
  maxUncompressedBytes: 4 * 1024 ** 3,
  maxRatio: 200,
};

export interface OpenOptions {
  encoding?: string;
  /** An open descriptor of a text file (another thread's OpenedFile.fd), read and left open. */
  fd?: number;
}

/** A file named on the command line must exist and not be a folder: a path that does not is wrong
 * usage (SPEC §9, exit 2), as a bad option value is; what the file holds is the data's problem. */
export function checkInputFile(file: string): fs.Stats {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw usageError(t('ingest.fileNotFound', { file }));
  }
  if (stat.isDirectory()) throw usageError(t('ingest.isDirectory', { file }));
  // A pipe is read once, and a file is read more than once (the header is looked for first).
  if (!stat.isFile()) throw usageError(t('ingest.notRegularFile', { file }));
  try {
    fs.accessSync(file, fs.constants.R_OK);
  } catch {
    throw usageError(t('ingest.fileUnreadable', { file }));
  }
  return stat;
}

export async function openSource(file: string, options: OpenOptions = {}): Promise<OpenedFile> {
  const name = path.basename(file);
  const stat = options.fd === undefined ? checkInputFile(file) : fs.fstatSync(options.fd);
  if (stat.size === 0) throw dataError(t('ingest.emptyFile', { file: name }));
  const head = readHead(options.fd ?? file, 128);
  if (head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0) {
    // The same container holds an old .xls and a password-protected .xlsx: the advice differs.
    throw dataError(t(holdsEncryptedPackage(file) ? 'ingest.encryptedWorkbook' : 'ingest.oldXls', { file: name }));
  }
  const extension = path.extname(file).toLowerCase();
  if (isOpenDocument(head)) throw dataError(t('ingest.openDocument', { file: name }));
  if (head[0] === 0x50 && head[1] === 0x4b) return openWorkbook(file, name);
  if (extension === '.xlsx' || extension === '.xlsm' || extension === '.xls' || extension === '.et') {
    throw dataError(t('ingest.notWorkbook', { file: name }));
  }
  return openText(file, name, extension, options);
}

const ENCRYPTED_PACKAGE = Buffer.from('EncryptedPackage', 'utf16le');

/** Whether an OLE2 file has the EncryptedPackage stream of a password-protected workbook (its
 * directory names it in UTF-16; the directory may lie anywhere in the file). */
function holdsEncryptedPackage(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(1 << 20);
    let position = 0;
    let tail = Buffer.alloc(0);
    for (;;) {
      const read = fs.readSync(fd, buffer, 0, buffer.length, position);
      if (read <= 0) return false;
      const window = Buffer.concat([tail, buffer.subarray(0, read)]);
      if (window.includes(ENCRYPTED_PACKAGE)) return true;
      tail = window.subarray(Math.max(0, window.length - ENCRYPTED_PACKAGE.length));
      position += read;
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** An OpenDocument spreadsheet (.ods, whatever its name): a zip whose first entry is its stored
 * mimetype. */
function isOpenDocument(head: Buffer): boolean {
  return head.length > 38 && head.readUInt32LE(0) === 0x04034b50 && head.toString('latin1', 30, 38) === 'mimetype' && head.toString('latin1', 38).includes('opendocument.spreadsheet');
}

async function openWorkbook(file: string, name: string): Promise<OpenedFile> {
  try {
    const workbook = await openXlsx(file, { maxColumns: LIMITS.maxColumns, maxCellChars: LIMITS.maxCellChars, maxUncompressedBytes: LIMITS.maxUncompressedBytes, maxRatio: LIMITS.maxRatio });
    return {
      file: name,
      workbook: true,
      sheets: workbook.sheets.map((sheet) => ({
        file: name,
        name: sheet.name,
        rows: () => translateXlsxErrors(workbook.rows(sheet), name, sheet.name),
        batches: () => translateXlsxErrors(workbook.batches(sheet), name, sheet.name),
      })),
      close: () => workbook.close(),
    };
  } catch (error) {
    throw translateXlsx(error, name, undefined);
  }
}

async function* translateXlsxErrors<T>(rows: AsyncIterable<T>, file: string, sheet: string): AsyncGenerator<T> {
  try {
    yield* rows;
  } catch (error) {
    throw translateXlsx(error, file, sheet);
  }
}

function translateXlsx(error: unknown, file: string, sheet: string | undefined): Error {
  if (!(error instanceof XlsxError)) return error instanceof Error ? error : new Error(String(error));
  const where = sheet ? `${file} [${sheet}]` : file;
  switch (error.code) {
    case 'old-xls':
      return dataError(t('ingest.oldXls', { file }));
    case 'too-large':
      return dataError(t('ingest.tooLarge', { file: where }));
    case 'too-many-columns':
      return dataError(t('ingest.tooManyColumns', { file: where, max: LIMITS.maxColumns }));
    case 'truncated':
      return dataError(t('ingest.truncated', { file }));
    default:
      return dataError(t('ingest.notWorkbook', { file }));
  }
}

/** Encodings as the messages name them. */
const ENCODING_NAMES: Record<TextEncoding, string> = { 'utf-8': 'UTF-8', gb18030: 'GBK/GB18030', 'utf-16le': 'UTF-16', 'utf-16be': 'UTF-16' };

function openText(file: string, name: string, extension: string, options: OpenOptions): OpenedFile {
  const fd = options.fd ?? fs.openSync(file, 'r');
  try {
    return openTextFrom(fd, file, name, extension, options);
  } catch (error) {
    if (options.fd === undefined) fs.closeSync(fd);
    throw error;
  }
}

function openTextFrom(fd: number, file: string, name: string, extension: string, options: OpenOptions): OpenedFile {
  const head = readHead(fd); // read once: its mark, its encoding, its delimiter
  let detected: Detected;
  if (options.encoding) {
    const encoding = normaliseEncodingName(options.encoding);
    if (!encoding) throw usageError(t('ingest.unknownEncoding', { encoding: options.encoding }));
    const bom = byteOrderMark(head)?.bomLength ?? 0;
    detected = { encoding, bomLength: bom };
  } else {
    try {
      detected = detectEncoding(head);
    } catch (error) {
      if (error instanceof DecodeError) {
        throw dataError(error.code === 'utf16-without-bom' ? t('ingest.utf16WithoutBom', { file: name, encoding: error.encoding === 'utf-16be' ? 'utf-16be' : 'utf-16le' }) : t('ingest.binaryText', { file: name }));
      }
      throw error;
    }
  }
  const headText = new TextDecoder(detected.encoding).decode(head.subarray(detected.bomLength, 8192));
  const delimiter = sniffDelimiter(headText, extension);
  const sheetName = path.basename(name, path.extname(name));
  let closed = false;
  return {
    file: name,
    workbook: false,
    sheets: [
      {
        file: name,
        name: sheetName,
        rows: () => rowsOf(translateCsvErrors(readCsvBatches(file, detected, delimiter, LIMITS, fd), name, sheetName)),
        batches: () => translateCsvErrors(readCsvBatches(file, detected, delimiter, LIMITS, fd), name, sheetName),
      },
    ],
    fd,
    close: async () => {
      if (options.fd === undefined && !closed) fs.closeSync(fd);
      closed = true;
    },
  };
}

async function* rowsOf(batches: AsyncIterable<SheetRow[]>): AsyncGenerator<SheetRow> {
  for await (const batch of batches) yield* batch;
}

async function* translateCsvErrors(batches: AsyncIterable<SheetRow[]>, file: string, sheet: string): AsyncGenerator<SheetRow[]> {
  let last = 0;
  try {
    for await (const batch of batches) {
      if (batch.length > 0) last = batch[batch.length - 1].rowNumber;
      yield batch;
    }
  } catch (error) {
    if (error instanceof DecodeError) {
      const row = error.line ?? last + 1;
      if (error.code === 'invalid-bytes') throw dataError(t('ingest.invalidBytes', { file, row, encoding: ENCODING_NAMES[error.encoding ?? 'gb18030'] }));
      throw dataError(t('ingest.mixedEncoding', { file, row }));
    }
    if (error instanceof CsvError) {
      const key = { 'unclosed-quote': 'ingest.unclosedQuote', 'too-large': 'ingest.cellTooLarge', 'too-many-columns': 'ingest.tooManyColumns', malformed: 'ingest.malformedCsv', nul: 'safety.nulInCsv' }[error.code];
      throw dataError(t(key, { file, sheet, row: error.rowNumber, max: LIMITS.maxColumns, reason: error.message }));
    }
    throw error;
  }
}
