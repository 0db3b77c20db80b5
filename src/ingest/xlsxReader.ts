/**
 * Fast, streaming, memory-bounded .xlsx reader on Node built-ins only.
 *
 * - Zip access: ./zip.ts (central directory at offsets, entries inflated as streams).
 * - XML: a hand-written indexOf-based scanner. Each inflated chunk is viewed as
 *   a latin1 string (one char per byte, so string and byte offsets agree); tags
 *   and values cut by a chunk boundary are carried over as bytes, and text
 *   values are decoded as UTF-8 from the bytes only once complete, so
 *   multi-byte characters split across chunks decode correctly.
 * - Merged cells: a cheap first pass inflates the sheet and only looks for
 *   <mergeCell ref> after </sheetData>; the real pass then fills every cell of
 *   each merged range with its top-left value (as exceljs's non-streaming
 *   reader shows them), including rows that exist only because of a vertical
 *   merge.
 *
 * Only sharedStrings (compactly: ./sharedStrings.ts), workbook.xml, its .rels and
 * styles.xml are ever held in memory whole.
 */
import { StringDecoder } from 'node:string_decoder';
import { SharedStrings } from './sharedStrings.js';
import { XlsxError, ZipFile, type ZipEntry } from './zip.js';

export { XlsxError } from './zip.js';
export type { XlsxErrorCode } from './zip.js';

/**
 * A cell value:
 * - t="s" / "inlineStr" / "str" → string (rich text runs concatenated, phonetic runs dropped,
 *   entities and _xHHHH_ escapes decoded); t="b" → boolean; t="e" → ErrorCell;
 * - numbers → number, or a Date (UTC) when the cell's number format is a date/time format;
 *   text-formatted ('@') numbers stay numbers;
 * - cells with <f> → FormulaCell with the cached result (null when none), except that a formula
 *   whose cached result is an error is returned as that ErrorCell;
 * - every cell of a merged range carries the range's top-left value, except a box of notes
 *   (several rows and columns holding a sentence or a long text), which stays in its first cell.
 */
export type Cell = string | number | boolean | Date | null | FormulaCell | ErrorCell;
export interface FormulaCell {
  /** Formula text without '='; '' for cells of a shared formula other than its first cell. */
  formula: string;
  result: string | number | boolean | Date | null;
}
export interface ErrorCell {
  /** e.g. '#N/A', '#DIV/0!' */
  error: string;
}
export interface SheetRow {
  /** 1-based, as Excel shows it. */
  rowNumber: number;
  /** cells[0] is column A; trailing empty cells are trimmed; gaps are null. */
  cells: Cell[];
  /**
   * For a number that is not whole, in a format that shows a fixed count of decimals (0.00,
   * #,##0.00 → 2): column → that count. Absent when no cell of the row has one. The number alone
   * cannot say what the cell shows: 1985.1 in a 0.00 cell shows 1985.10 (a month: October).
   */
  shownDecimals?: Map<number, number>;
}
export interface SheetInfo {
  name: string;
  /** 0-based position among the workbook's worksheets, in workbook order. */
  index: number;
  /** state="hidden" or "veryHidden". */
  hidden: boolean;
}
export interface XlsxLimits {
  /** Per zip entry, inflated bytes. Default 2 GiB. */
  maxUncompressedBytes: number;
  /** inflated / compressed, enforced once an entry passes 10 MB. Default 200. */
  maxRatio: number;
  /** Highest allowed column (1-based count). Default 16384 (XFD). */
  maxColumns: number;
  /** Longest allowed cell text. Default 32767 (Excel's limit). */
  maxCellChars: number;
  /** Inflated size limit of xl/sharedStrings.xml. Default 512 MiB. */
  maxSharedStringsBytes: number;
}
export interface XlsxWorkbook {
  sheets: SheetInfo[];
  /** Rows with at least one non-empty cell (after merge filling), in sheet order. */
  rows(sheet: SheetInfo): AsyncIterable<SheetRow>;
  /** The same rows a chunk at a time (cheaper per row than rows() for large sheets). */
  batches(sheet: SheetInfo): AsyncIterable<SheetRow[]>;
  close(): Promise<void>;
}

/** Columns a worksheet can have (A to XFD): a reference beyond is not a cell at all. */
const EXCEL_COLUMNS = 16384;

export const DEFAULT_XLSX_LIMITS: Readonly<XlsxLimits> = Object.freeze({
  maxUncompressedBytes: 2 * 1024 * 1024 * 1024,
  maxRatio: 200,
  maxColumns: EXCEL_COLUMNS,
  maxCellChars: 32767,
  maxSharedStringsBytes: 512 * 1024 * 1024,
});

/** Small parts (workbook.xml, rels, styles.xml) are read whole; refuse absurd ones. */
const MAX_SMALL_PART = 64 * 1024 * 1024;

// ---------------------------------------------------------------------------
// Public helpers
// ---------------------------------------------------------------------------

/** 0 → 'A', 25 → 'Z', 26 → 'AA'. */
export function columnName(index: number): string {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/** Built-in number formats that are dates or times (ids 14–22, 27–36, 45–47, 50–58). */
export function isBuiltinDateFormat(id: number): boolean {
  return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) || (id >= 50 && id <= 58);
}

/**
 * True if a number format code shows a date or time: it has y, m, d, h or s
 * (any case) outside quoted text, [...] blocks and escaped/padding characters.
 * Elapsed-time blocks such as [h] or [mm] also count.
 */
export function isDateFormatCode(code: string): boolean {
  const n = code.length;
  for (let i = 0; i < n; i++) {
    const c = code.charCodeAt(i);
    switch (c) {
      case 34: {
        // "quoted text"
        const end = code.indexOf('"', i + 1);
        if (end < 0) return false;
        i = end;
        break;
      }
      case 91: {
        // [Red], [$-804], [DBNum1], [<=100] … but [h], [mm], [ss] are elapsed time
        const end = code.indexOf(']', i + 1);
        if (end < 0) return false;
        if (/^(h+|m+|s+)$/i.test(code.slice(i + 1, end))) return true;
        i = end;
        break;
      }
      case 92: // \x  literal
      case 95: // _x  padding
      case 42: // *x  fill
        i++;
        break;
      case 121: case 89: // y Y
      case 109: case 77: // m M
      case 100: case 68: // d D
      case 104: case 72: // h H
      case 115: case 83: // s S
        return true;
      default:
        break;
    }
  }
  return false;
}

/** Built-in number formats that show two decimals: 0.00, #,##0.00, currency and accounting ones. */
const BUILTIN_TWO_DECIMALS = new Set([2, 4, 7, 8, 39, 40, 43, 44]);

/**
 * The decimals a (non-date) number format code shows for positive numbers: 2 for 0.00,
 * #,##0.00_) or 0.00"元"; 0 for General, whole-number formats, text (@) and those that show
 * something else than the number's decimals (percent, scientific, fractions).
 */
export function fixedDecimalsOf(code: string): number {
  let decimals = -1; // -1 until the decimal point
  for (let i = 0; i < code.length; i++) {
    const c = code[i]!;
    if (c === '"') {
      const end = code.indexOf('"', i + 1);
      if (end < 0) break;
      i = end;
    } else if (c === '[') {
      const end = code.indexOf(']', i + 1);
      if (end < 0) break;
      i = end;
    } else if (c === '\\' || c === '_' || c === '*') i++;
    else if (c === ';') break; // the positive numbers' section only
    else if (c === '%' || c === 'E' || c === 'e' || c === '/' || c === '@') return 0;
    else if (c === '.' && decimals < 0) decimals = 0;
    else if (decimals >= 0 && (c === '0' || c === '#' || c === '?')) decimals++;
  }
  return Math.max(decimals, 0);
}

/** Excel serial → JS Date at UTC (1900 system: 25569 = 1970-01-01; 1904 system shifted by 1462 days). */
export function excelSerialToDate(serial: number, date1904 = false): Date {
  return new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 86400000));
}

// ---------------------------------------------------------------------------
// XML text decoding
// ---------------------------------------------------------------------------

/** Decodes XML character/entity references (&amp; &lt; &gt; &quot; &apos; &#N; &#xH;). */
export function decodeEntities(s: string): string {
  let i = s.indexOf('&');
  if (i < 0) return s;
  let out = '';
  let last = 0;
  const n = s.length;
  while (i >= 0) {
    let rep: string | null = null;
    let end = -1;
    const c1 = s.charCodeAt(i + 1);
    if (c1 === 35) {
      // &#...;
      let k = i + 2;
      let cp = 0;
      let digits = 0;
      const hex = s.charCodeAt(k) === 120 || s.charCodeAt(k) === 88;
      if (hex) k++;
      for (; k < n && digits < 8; k++, digits++) {
        const c = s.charCodeAt(k);
        let d: number;
        if (c >= 48 && c <= 57) d = c - 48;
        else if (hex && c >= 97 && c <= 102) d = c - 87;
        else if (hex && c >= 65 && c <= 70) d = c - 55;
        else break;
        cp = cp * (hex ? 16 : 10) + d;
      }
      if (digits > 0 && s.charCodeAt(k) === 59 && cp <= 0x10ffff) {
        rep = cp < 0x10000 ? String.fromCharCode(cp) : String.fromCodePoint(cp);
        end = k;
      }
    } else {
      const semi = s.indexOf(';', i + 2);
      if (semi > 0 && semi - i <= 5) {
        switch (s.slice(i + 1, semi)) {
          case 'amp': rep = '&'; break;
          case 'lt': rep = '<'; break;
          case 'gt': rep = '>'; break;
          case 'quot': rep = '"'; break;
          case 'apos': rep = "'"; break;
          default: break;
        }
        end = semi;
      }
    }
    if (rep === null) {
      i = s.indexOf('&', i + 1);
      continue;
    }
    out += s.slice(last, i) + rep;
    last = end + 1;
    i = s.indexOf('&', last);
  }
  return out + s.slice(last);
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/** Decodes OOXML _xHHHH_ escapes (e.g. _x000D_ → CR; _x005F_ → '_'). */
export function decodeOoxmlEscapes(s: string): string {
  let i = s.indexOf('_x');
  if (i < 0) return s;
  let out = '';
  let last = 0;
  while (i >= 0) {
    if (
      i + 6 < s.length &&
      s.charCodeAt(i + 6) === 95 &&
      isHex(s.charCodeAt(i + 2)) &&
      isHex(s.charCodeAt(i + 3)) &&
      isHex(s.charCodeAt(i + 4)) &&
      isHex(s.charCodeAt(i + 5))
    ) {
      out += s.slice(last, i) + String.fromCharCode(parseInt(s.slice(i + 2, i + 6), 16));
      last = i + 7;
      i = s.indexOf('_x', last);
    } else {
      i = s.indexOf('_x', i + 1);
    }
  }
  return out + s.slice(last);
}

/** Raw XML character data → string: line-end normalisation, entities, then _xHHHH_. */
function decodeText(raw: string): string {
  let s = raw;
  if (s.indexOf('\r') >= 0) s = s.replace(/\r\n?/g, '\n');
  if (s.indexOf('&') >= 0) s = decodeEntities(s);
  if (s.indexOf('_x') >= 0) s = decodeOoxmlEscapes(s);
  return s;
}

// ---------------------------------------------------------------------------
// Small-document helpers (workbook.xml, rels, styles.xml): regex based
// ---------------------------------------------------------------------------

const ATTR_RE = /([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

function parseAttrs(src: string): Map<string, string> {
  const m = new Map<string, string>();
  ATTR_RE.lastIndex = 0;
  let a: RegExpExecArray | null;
  while ((a = ATTR_RE.exec(src))) {
    const name = a[1]!;
    const value = decodeEntities(a[2] ?? a[3] ?? '');
    m.set(name, value);
    const colon = name.indexOf(':');
    if (colon >= 0) {
      const local = name.slice(colon + 1);
      // Prefixed form stored under 'prefix:local' and '*:local' (e.g. r:id → '*:id').
      m.set('*:' + local, value);
    }
  }
  return m;
}

/** Start tags named `local` (any namespace prefix), quote-aware. */
function findTags(xml: string, local: string): Map<string, string>[] {
  const re = new RegExp(
    `<(?:[A-Za-z_][\\w.-]*:)?${local}(?=[\\s/>])((?:\\s+[^\\s=/>]+\\s*=\\s*(?:"[^"]*"|'[^']*'))*)\\s*/?>`,
    'g',
  );
  const out: Map<string, string>[] = [];
  let m: RegExpExecArray | null;
  while ((m = re.exec(xml))) out.push(parseAttrs(m[1] ?? ''));
  return out;
}

/** Inner text of the first element named `local`, or null. */
function elementBody(xml: string, local: string): string | null {
  const re = new RegExp(
    `<((?:[A-Za-z_][\\w.-]*:)?${local})(?=[\\s/>])(?:\\s+[^\\s=/>]+\\s*=\\s*(?:"[^"]*"|'[^']*'))*\\s*(/?)>`,
  );
  const m = re.exec(xml);
  if (!m) return null;
  if (m[2] === '/') return '';
  const start = m.index + m[0].length;
  const end = xml.indexOf(`</${m[1]}>`, start);
  return end < 0 ? xml.slice(start) : xml.slice(start, end);
}

/**
 * The bytes of a streamed part as UTF-8, which the scanners read: a part some writers (.NET's)
 * save in UTF-16, with its byte order mark, is transcoded as it streams; any other is passed on.
 */
async function* asUtf8(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer, void, undefined> {
  let decoder: TextDecoder | null | undefined;
  for await (const chunk of source) {
    if (decoder === undefined) {
      const le = chunk.length >= 2 && chunk[0] === 0xff && chunk[1] === 0xfe;
      const be = chunk.length >= 2 && chunk[0] === 0xfe && chunk[1] === 0xff;
      decoder = le || be ? new TextDecoder(le ? 'utf-16le' : 'utf-16be', { ignoreBOM: false }) : null;
    }
    if (decoder === null) yield chunk;
    else {
      const text = decoder.decode(chunk, { stream: true });
      if (text) yield Buffer.from(text, 'utf8');
    }
  }
  if (decoder) {
    const rest = decoder.decode();
    if (rest) yield Buffer.from(rest, 'utf8');
  }
}

function bufferToXml(buf: Buffer): string {
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return buf.toString('utf16le', 2);
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) {
    const swapped = Buffer.from(buf.subarray(2));
    swapped.swap16();
    return swapped.toString('utf16le');
  }
  const s = buf.toString('utf8');
  return s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
}

/** Resolves a relationship target against the folder of its source part ('' = package root). */
function resolvePart(baseDir: string, target: string): string {
  let t = target;
  try {
    t = decodeURIComponent(t);
  } catch {
    /* keep as is */
  }
  t = t.replace(/\\/g, '/');
  const parts = t.startsWith('/') ? [] : baseDir.split('/').filter(Boolean);
  for (const seg of t.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return parts.join('/');
}

function dirOf(part: string): string {
  const i = part.lastIndexOf('/');
  return i < 0 ? '' : part.slice(0, i);
}

function relsPathOf(part: string): string {
  const i = part.lastIndexOf('/');
  return i < 0 ? `_rels/${part}.rels` : `${part.slice(0, i)}/_rels/${part.slice(i + 1)}.rels`;
}

interface Relationship {
  id: string;
  type: string;
  target: string;
  external: boolean;
}

function parseRels(xml: string): Relationship[] {
  return findTags(xml, 'Relationship').map((a) => ({
    id: a.get('Id') ?? '',
    type: a.get('Type') ?? '',
    target: a.get('Target') ?? '',
    external: (a.get('TargetMode') ?? '').toLowerCase() === 'external',
  }));
}

function relTypeIs(type: string, suffix: string): boolean {
  return type.toLowerCase().endsWith('/' + suffix.toLowerCase());
}

// ---------------------------------------------------------------------------
// Workbook
// ---------------------------------------------------------------------------

interface SheetPart {
  info: SheetInfo;
  part: string | null;
}

interface WorkbookContext {
  zip: ZipFile;
  limits: XlsxLimits;
  date1904: boolean;
  /** dateStyles[s] = 1 when cellXfs[s] is a date/time number format. */
  dateStyles: Uint8Array;
  /** decimalStyles[s]: the decimals cellXfs[s]'s number format shows (fixedDecimalsOf). */
  decimalStyles: Uint8Array;
  sharedStringsPart: string | null;
}

async function readSmallPart(zip: ZipFile, entry: ZipEntry, limits: XlsxLimits): Promise<string> {
  const max = Math.min(limits.maxUncompressedBytes, MAX_SMALL_PART);
  return bufferToXml(await zip.read(entry, max, limits.maxRatio));
}

interface CellStyles {
  dateStyles: Uint8Array;
  decimalStyles: Uint8Array;
}

const NO_STYLES: CellStyles = { dateStyles: new Uint8Array(0), decimalStyles: new Uint8Array(0) };

function parseStyles(xml: string): CellStyles {
  const customCodes = new Map<number, string>();
  const numFmts = elementBody(xml, 'numFmts');
  if (numFmts) {
    for (const a of findTags(numFmts, 'numFmt')) {
      const id = Number(a.get('numFmtId'));
      if (Number.isInteger(id)) customCodes.set(id, a.get('formatCode') ?? '');
    }
  }
  const cellXfs = elementBody(xml, 'cellXfs') ?? '';
  const xfs = findTags(cellXfs, 'xf');
  const dateStyles = new Uint8Array(xfs.length);
  const decimalStyles = new Uint8Array(xfs.length);
  xfs.forEach((a, i) => {
    const id = Number(a.get('numFmtId') ?? '0');
    const custom = customCodes.get(id);
    const isDate = custom !== undefined ? isDateFormatCode(custom) : isBuiltinDateFormat(id);
    dateStyles[i] = isDate ? 1 : 0;
    if (!isDate) decimalStyles[i] = Math.min(custom !== undefined ? fixedDecimalsOf(custom) : BUILTIN_TWO_DECIMALS.has(id) ? 2 : 0, 255);
  });
  return { dateStyles, decimalStyles };
}

export async function openXlsx(path: string, limits?: Partial<XlsxLimits>): Promise<XlsxWorkbook> {
  const lim: XlsxLimits = { ...DEFAULT_XLSX_LIMITS };
  if (limits) {
    for (const k of Object.keys(lim) as (keyof XlsxLimits)[]) {
      const v = limits[k];
      if (typeof v === 'number' && v > 0) lim[k] = v;
    }
  }
  const zip = await ZipFile.open(path);
  try {
    // Locate the workbook part through _rels/.rels, falling back to xl/workbook.xml.
    let wbPart = 'xl/workbook.xml';
    const rootRelsEntry = zip.get('_rels/.rels');
    if (rootRelsEntry) {
      const rels = parseRels(await readSmallPart(zip, rootRelsEntry, lim));
      const doc = rels.find((r) => relTypeIs(r.type, 'officeDocument') && !r.external);
      if (doc && zip.get(resolvePart('', doc.target))) wbPart = resolvePart('', doc.target);
    }
    const wbEntry = zip.get(wbPart);
    if (!wbEntry) throw new XlsxError('not-workbook', 'the zip file is not an Excel workbook (no xl/workbook.xml)');
    const wbXml = await readSmallPart(zip, wbEntry, lim);
    if (!/<(?:[A-Za-z_][\w.-]*:)?workbook[\s/>]/.test(wbXml)) {
      throw new XlsxError('not-workbook', `the zip file is not an Excel workbook (${wbPart} is not a workbook part)`);
    }

    const wbPr = findTags(wbXml, 'workbookPr')[0];
    const d1904 = (wbPr?.get('date1904') ?? '').toLowerCase();
    const date1904 = d1904 === '1' || d1904 === 'true';

    const relsEntry = zip.get(relsPathOf(wbPart));
    const rels = relsEntry ? parseRels(await readSmallPart(zip, relsEntry, lim)) : [];
    const relById = new Map(rels.map((r) => [r.id, r]));
    const base = dirOf(wbPart);

    const sheetsXml = elementBody(wbXml, 'sheets');
    if (sheetsXml === null) throw new XlsxError('bad-xml', `${wbPart} has no <sheets> element`);
    const sheetParts: SheetPart[] = [];
    for (const a of findTags(sheetsXml, 'sheet')) {
      const rid = a.get('r:id') ?? a.get('*:id') ?? '';
      const rel = relById.get(rid);
      if (rel && !relTypeIs(rel.type, 'worksheet')) continue; // chartsheet, dialogsheet, macrosheet
      const state = (a.get('state') ?? '').toLowerCase();
      const info: SheetInfo = {
        name: a.get('name') ?? `Sheet${sheetParts.length + 1}`,
        index: sheetParts.length,
        hidden: state === 'hidden' || state === 'veryhidden',
      };
      let part: string | null = null;
      if (rel && !rel.external) part = resolvePart(base, rel.target);
      sheetParts.push({ info, part });
    }

    const partOfType = (type: string, fallback: string): string | null => {
      const rel = rels.find((r) => relTypeIs(r.type, type) && !r.external);
      const p = rel ? resolvePart(base, rel.target) : fallback;
      return zip.get(p) ? p : zip.get(fallback) ? fallback : null;
    };
    const stylesPart = partOfType('styles', 'xl/styles.xml');
    const stylesEntry = stylesPart ? zip.get(stylesPart) : undefined;
    const { dateStyles, decimalStyles } = stylesEntry ? parseStyles(await readSmallPart(zip, stylesEntry, lim)) : NO_STYLES;

    const ctx: WorkbookContext = {
      zip,
      limits: lim,
      date1904,
      dateStyles,
      decimalStyles,
      sharedStringsPart: partOfType('sharedStrings', 'xl/sharedStrings.xml'),
    };
    return new Workbook(ctx, sheetParts);
  } catch (err) {
    await zip.close().catch(() => undefined);
    throw err;
  }
}

class Workbook implements XlsxWorkbook {
  readonly sheets: SheetInfo[];
  private readonly parts: SheetPart[];
  private readonly ctx: WorkbookContext;
  private sst: Promise<SharedStrings> | null = null;

  constructor(ctx: WorkbookContext, parts: SheetPart[]) {
    this.ctx = ctx;
    this.parts = parts;
    this.sheets = parts.map((p) => p.info);
  }

  async close(): Promise<void> {
    this.sst = null; // the shared strings can be tens of MB: let them go with the file
    await this.ctx.zip.close();
  }

  private sharedStrings(): Promise<SharedStrings> {
    if (!this.sst) {
      const part = this.ctx.sharedStringsPart;
      const entry = part ? this.ctx.zip.get(part) : undefined;
      this.sst = entry ? readSharedStrings(this.ctx, entry) : Promise.resolve(new SharedStrings());
    }
    return this.sst;
  }

  private partFor(sheet: SheetInfo): SheetPart {
    const byIndex = this.parts[sheet.index];
    if (byIndex && byIndex.info.name === sheet.name) return byIndex;
    const byName = this.parts.find((p) => p.info.name === sheet.name);
    if (!byName) throw new Error(`no sheet named ${JSON.stringify(sheet.name)} in this workbook`);
    return byName;
  }

  rows(sheet: SheetInfo): AsyncIterable<SheetRow> {
    const batches = this.batches(sheet);
    return {
      async *[Symbol.asyncIterator]() {
        for await (const batch of batches) yield* batch;
      },
    };
  }

  batches(sheet: SheetInfo): AsyncIterable<SheetRow[]> {
    const sp = this.partFor(sheet);
    return { [Symbol.asyncIterator]: () => this.readBatches(sp) };
  }

  private async *readBatches(sp: SheetPart): AsyncGenerator<SheetRow[], void, undefined> {
    const { zip, limits } = this.ctx;
    const entry = sp.part ? zip.get(sp.part) : undefined;
    if (!entry) throw new XlsxError('bad-xml', `worksheet "${sp.info.name}" is missing from the file`);
    const streamLimits = { maxBytes: limits.maxUncompressedBytes, maxRatio: limits.maxRatio, what: entry.name };
    // Shared strings and the merge pre-pass run side by side (inflate runs on the thread pool).
    const [sst, merges] = await Promise.all([
      this.sharedStrings(),
      scanMerges(asUtf8(zip.stream(entry, streamLimits)), limits.maxColumns, entry.name),
    ]);
    const opts: SheetOptions = {
      sharedStrings: sst,
      dateStyles: this.ctx.dateStyles,
      decimalStyles: this.ctx.decimalStyles,
      date1904: this.ctx.date1904,
      maxColumns: limits.maxColumns,
      maxCellChars: limits.maxCellChars,
    };
    yield* parseSheetBatches(asUtf8(zip.stream(entry, streamLimits)), opts, merges, `worksheet "${sp.info.name}"`);
  }
}

interface SheetOptions {
  sharedStrings: SharedStrings;
  /** dateStyles[s] = 1 when cellXfs[s] has a date/time number format. */
  dateStyles: Uint8Array;
  /** decimalStyles[s]: the decimals cellXfs[s]'s number format shows (fixedDecimalsOf). */
  decimalStyles: Uint8Array;
  date1904: boolean;
  maxColumns: number;
  maxCellChars: number;
}

/** Second pass: scans worksheet XML chunks into rows (the rows of each chunk together), filling merged ranges. */
async function* parseSheetBatches(
  source: AsyncIterable<Buffer>,
  opts: SheetOptions,
  merges: Merge[],
  what: string,
): AsyncGenerator<SheetRow[], void, undefined> {
  const parser = new SheetParser(opts, merges);
  const maxCarry = opts.maxCellChars * 10 + 1024 * 1024;
  let carry: Buffer | null = null;
  for await (const chunk of source) {
    const buf: Buffer = carry === null ? chunk : Buffer.concat([carry, chunk]);
    const used = parser.feed(latin1Slice.call(buf, 0, buf.length), buf);
    carry = used >= buf.length ? null : buf.subarray(used);
    if (carry !== null && carry.length > maxCarry) {
      throw new XlsxError('too-large', `${what} has an element longer than ${maxCarry} bytes`);
    }
    if (parser.out.length > 0) yield [...drain(parser)];
    if (parser.done) break;
  }
  if (!parser.done) {
    if (carry !== null && parser.phase === 1 && carry.toString('latin1').trim() !== '') {
      throw new XlsxError('bad-xml', `${what} ends in the middle of an element`);
    }
    // Rows begun but never closed by </sheetData>: a sheet cut short inside an intact zip (a
    // program that stopped writing half-way), not a short sheet.
    if (parser.phase === 1) throw new XlsxError('truncated', `${what} ends before its rows do (cut short?)`);
    parser.finish();
  }
  const last = [...drain(parser)];
  if (last.length > 0) yield last;
}

function* drain(parser: SheetParser): Generator<SheetRow, void, undefined> {
  const out = parser.out;
  parser.out = [];
  for (const item of out) {
    if ('gap' in item) yield* expandGap(item);
    else yield item;
  }
}

// ---------------------------------------------------------------------------
// Shared strings
// ---------------------------------------------------------------------------

async function readSharedStrings(ctx: WorkbookContext, entry: ZipEntry): Promise<SharedStrings> {
  const { zip, limits } = ctx;
  const streamLimits = { maxBytes: limits.maxSharedStringsBytes, maxRatio: limits.maxRatio, what: entry.name };
  return parseSharedStrings(asUtf8(zip.stream(entry, streamLimits)), limits.maxCellChars, entry.name);
}

async function parseSharedStrings(source: AsyncIterable<Buffer>, maxCellChars: number, what: string): Promise<SharedStrings> {
  const p = new SharedStringsParser();
  const maxCarry = maxCellChars * 10 + 1024 * 1024;
  let carry: Buffer | null = null;
  for await (const chunk of source) {
    const buf: Buffer = carry === null ? chunk : Buffer.concat([carry, chunk]);
    const used = p.feed(latin1Slice.call(buf, 0, buf.length), buf);
    carry = used >= buf.length ? null : buf.subarray(used);
    if (carry !== null && carry.length > maxCarry) {
      throw new XlsxError('too-large', `${what} has an element longer than ${maxCarry} bytes`);
    }
  }
  p.strings.finish();
  return p.strings;
}

class SharedStringsParser {
  readonly strings = new SharedStrings();
  private inSi = false;
  private inRPh = 0;
  private cur = '';

  /** Consumes complete tokens of `s` (the latin1 view of `buf`); returns how many bytes were used. */
  feed(s: string, buf: Buffer): number {
    const len = s.length;
    let i = 0;
    for (;;) {
      const lt = s.indexOf('<', i);
      if (lt < 0) return len;
      if (lt + 1 >= len) return lt;
      const c1 = s.charCodeAt(lt + 1);
      if (c1 === 33 || c1 === 63) {
        const end = skipSpecial(s, lt);
        if (end < 0) return lt;
        i = end;
        continue;
      }
      const closing = c1 === 47;
      let k = closing ? lt + 2 : lt + 1;
      let ns = k;
      let c = 0;
      for (; k < len; k++) {
        c = s.charCodeAt(k);
        if (c <= 32 || c === 62 || c === 47) break;
        if (c === 58) ns = k + 1;
      }
      if (k >= len) return lt;
      const nlen = k - ns;
      const c0 = s.charCodeAt(ns);
      const gt = tagEnd(s, k);
      if (gt < 0) return lt;
      const selfClosing = !closing && s.charCodeAt(gt - 1) === 47;
      if (closing) {
        if (nlen === 2 && c0 === 115 && s.charCodeAt(ns + 1) === 105) {
          // </si>
          this.strings.push(this.cur);
          this.cur = '';
          this.inSi = false;
          this.inRPh = 0;
        } else if (nlen === 3 && c0 === 114 && s.startsWith('rPh', ns)) {
          if (this.inRPh > 0) this.inRPh--;
        }
        i = gt + 1;
        continue;
      }
      if (nlen === 1 && c0 === 116) {
        // <t>
        if (selfClosing) {
          i = gt + 1;
          continue;
        }
        const r = readText(s, buf, gt + 1);
        if (r === null) return lt;
        if (this.inSi && this.inRPh === 0) this.cur += r.text;
        i = r.end;
        continue;
      }
      if (nlen === 2 && c0 === 115 && s.charCodeAt(ns + 1) === 105) {
        // <si>
        this.cur = '';
        this.inRPh = 0;
        if (selfClosing) this.strings.push('');
        else this.inSi = true;
      } else if (nlen === 3 && c0 === 114 && s.startsWith('rPh', ns)) {
        if (!selfClosing) this.inRPh++;
      }
      i = gt + 1;
    }
  }
}

// ---------------------------------------------------------------------------
// Scanner primitives
// ---------------------------------------------------------------------------

/** Index of the '>' that ends the tag whose attributes start at `k` (quote-aware), or -1. */
function tagEnd(s: string, k: number): number {
  const len = s.length;
  for (let j = k; j < len; j++) {
    const c = s.charCodeAt(j);
    if (c === 62) return j;
    if (c === 34 || c === 39) {
      const q = s.indexOf(c === 34 ? '"' : "'", j + 1);
      if (q < 0) return -1;
      j = q;
    }
  }
  return -1;
}

/** Skips <!-- -->, <![CDATA[ ]]>, <!DOCTYPE …>, <? ?> starting at `lt`; returns the index after it or -1. */
function skipSpecial(s: string, lt: number): number {
  if (s.startsWith('<!--', lt)) {
    const e = s.indexOf('-->', lt + 4);
    return e < 0 ? -1 : e + 3;
  }
  if (s.startsWith('<![CDATA[', lt)) {
    const e = s.indexOf(']]>', lt + 9);
    return e < 0 ? -1 : e + 3;
  }
  if (s.charCodeAt(lt + 1) === 63) {
    const e = s.indexOf('?>', lt + 2);
    return e < 0 ? -1 : e + 2;
  }
  if (lt + 9 > s.length) return -1; // could still become <![CDATA[ or <!--
  const e = tagEnd(s, lt + 2);
  return e < 0 ? -1 : e + 1;
}

interface TextResult {
  /** Decoded text. */
  text: string;
  /** Index of the '<' of the closing tag. */
  end: number;
}

/**
 * Text of bytes [a, b): `s` is the latin1 view of `buf` (one char per byte), so
 * ASCII can be sliced straight from `s`; anything else is decoded as UTF-8.
 */
function utf8At(s: string, buf: Buffer, a: number, b: number): string {
  for (let i = a; i < b; i++) {
    if (s.charCodeAt(i) > 127) return utf8Slice.call(buf, a, b);
  }
  // V8 makes substrings of 13+ characters "sliced" strings that keep the whole
  // chunk alive; a caller keeping such values (e.g. a set of ID numbers) would
  // pin every chunk. Copy those out of the buffer instead.
  return b - a < 13 ? s.slice(a, b) : latin1Slice.call(buf, a, b);
}

type SliceFn = (this: Buffer, start: number, end: number) => string;
// Buffer#utf8Slice / #latin1Slice skip toString()'s argument handling (they are
// what toString calls); fall back to toString if a runtime lacks them.
const proto = Buffer.prototype as unknown as { utf8Slice?: SliceFn; latin1Slice?: SliceFn };
const utf8Slice: SliceFn = proto.utf8Slice ?? function (this: Buffer, a: number, b: number) {
  return this.toString('utf8', a, b);
};
const latin1Slice: SliceFn = proto.latin1Slice ?? function (this: Buffer, a: number, b: number) {
  return this.toString('latin1', a, b);
};

/** Reads character data from `from` up to the next end tag, decoding it; null when incomplete. */
function readText(s: string, buf: Buffer, from: number): TextResult | null {
  let lt = s.indexOf('<', from);
  if (lt < 0) return null;
  if (s.charCodeAt(lt + 1) !== 33) return { text: decodeText(utf8At(s, buf, from, lt)), end: lt };
  // Text mixed with CDATA sections and/or comments.
  let text = decodeText(utf8At(s, buf, from, lt));
  for (;;) {
    if (lt + 9 > s.length) return null;
    if (s.startsWith('<![CDATA[', lt)) {
      const e = s.indexOf(']]>', lt + 9);
      if (e < 0) return null;
      text += utf8At(s, buf, lt + 9, e);
      from = e + 3;
    } else if (s.startsWith('<!--', lt)) {
      const e = s.indexOf('-->', lt + 4);
      if (e < 0) return null;
      from = e + 3;
    } else {
      return { text, end: lt };
    }
    lt = s.indexOf('<', from);
    if (lt < 0) return null;
    text += decodeText(utf8At(s, buf, from, lt));
    if (s.charCodeAt(lt + 1) !== 33) return { text, end: lt };
  }
}

// ---------------------------------------------------------------------------
// Merged cells
// ---------------------------------------------------------------------------

interface Merge {
  top: number; // 1-based row
  bottom: number;
  left: number; // 0-based column
  right: number;
  value: Cell;
}

/** Parses 'A1' → [row, col0] or null. */
function parseRef(ref: string): [number, number] | null {
  let i = 0;
  let col = 0;
  const n = ref.length;
  while (i < n && ref.charCodeAt(i) === 36) i++; // $
  for (; i < n; i++) {
    const c = ref.charCodeAt(i) & ~32; // upper-case
    if (c < 65 || c > 90) break;
    col = col * 26 + (c - 64);
    if (col > 1e7) return null;
  }
  if (col === 0) return null;
  while (i < n && ref.charCodeAt(i) === 36) i++;
  let row = 0;
  let digits = 0;
  for (; i < n; i++) {
    const c = ref.charCodeAt(i);
    if (c < 48 || c > 57) return null;
    row = row * 10 + (c - 48);
    digits++;
  }
  if (digits === 0 || row === 0) return null;
  return [row, col - 1];
}

/** A merged range over several rows and columns holding a sentence or a long text. */
function isNotesBox(m: Merge): boolean {
  return m.bottom > m.top && m.right > m.left && typeof m.value === 'string' && (m.value.length >= 15 || /[:：;；。]/.test(m.value));
}

function parseMergeRef(ref: string, maxColumns: number): Merge | null {
  const [a, b = a] = ref.trim().split(':');
  const p = parseRef(a!);
  const q = parseRef(b!);
  if (!p || !q) return null;
  const top = Math.min(p[0], q[0]);
  const bottom = Math.max(p[0], q[0]);
  const left = Math.min(p[1], q[1]);
  // Whole-row merges (A1:XFD1) are clamped rather than refused: no cell is referenced out there.
  const right = Math.min(Math.max(p[1], q[1]), maxColumns - 1);
  if (left > right || (top === bottom && left === right)) return null;
  return { top, bottom, left, right, value: null };
}

const SHEETDATA_END = Buffer.from('sheetData>');

/**
 * First pass: inflate the sheet and find <mergeCell ref="…"> elements, which
 * follow </sheetData>. Cells are not parsed; the bytes before </sheetData> are
 * only searched with Buffer.indexOf.
 */
async function scanMerges(source: AsyncIterable<Buffer>, maxColumns: number, what: string): Promise<Merge[]> {
  const merges: Merge[] = [];
  let decoder: StringDecoder | null = null; // set once </sheetData> has been found
  let carry = '';
  let prevTail: Buffer = Buffer.alloc(0);
  const maxCarry = 1024 * 1024;

  const feedTail = (s: string): number => {
    let i = 0;
    for (;;) {
      const p = s.indexOf('mergeCell', i);
      if (p < 0) return Math.max(i, s.length - 64);
      const lt = s.lastIndexOf('<', p);
      const after = s.charCodeAt(p + 9);
      if (p + 9 >= s.length) return lt >= i ? lt : p;
      if (lt < i || !(after <= 32 || after === 47 || after === 62) || /[\s>"'=]/.test(s.slice(lt + 1, p))) {
        i = p + 9;
        continue;
      }
      const gt = tagEnd(s, p + 9);
      if (gt < 0) return lt;
      const m = /(?:^|\s)ref\s*=\s*(?:"([^"]*)"|'([^']*)')/.exec(s.slice(p + 9, gt));
      if (m && s.charCodeAt(lt + 1) !== 47) {
        const merge = parseMergeRef(m[1] ?? m[2] ?? '', maxColumns);
        if (merge) merges.push(merge);
      }
      i = gt + 1;
    }
  };

  for await (const chunk of source) {
    if (decoder) {
      const s = carry + decoder.write(chunk);
      carry = s.slice(feedTail(s));
      if (carry.length > maxCarry) throw new XlsxError('bad-xml', `${what}: malformed <mergeCell> element`);
      continue;
    }
    // Look for "</sheetData>" (or "</x:sheetData>"), also across the chunk boundary.
    let found = -1;
    let foundIn: Buffer = chunk;
    if (prevTail.length > 0) {
      const seam = Buffer.concat([prevTail, chunk.subarray(0, 64)]);
      const at = findSheetDataEnd(seam);
      if (at >= 0) {
        found = at;
        foundIn = Buffer.concat([prevTail, chunk]);
      }
    }
    if (found < 0) found = findSheetDataEnd(chunk);
    if (found >= 0) {
      decoder = new StringDecoder('utf8');
      const s = decoder.write(foundIn.subarray(found));
      carry = s.slice(feedTail(s));
      continue;
    }
    // keep the last 64 bytes of the stream so far (chunks may be tiny)
    prevTail =
      chunk.length >= 64
        ? Buffer.from(chunk.subarray(chunk.length - 64))
        : Buffer.concat([prevTail, chunk]).subarray(Math.max(0, prevTail.length + chunk.length - 64));
  }
  if (decoder) feedTail(carry + decoder.end());
  merges.sort((a, b) => a.top - b.top || a.left - b.left);
  return merges;
}

/** Offset just after "</sheetData>" / "</prefix:sheetData>" in buf, or -1. */
function findSheetDataEnd(buf: Buffer): number {
  let from = 0;
  for (;;) {
    const p = buf.indexOf(SHEETDATA_END, from);
    if (p < 0) return -1;
    let q = p - 1;
    if (q >= 0 && buf[q] === 0x3a) {
      // prefix
      q--;
      while (q >= 0 && isNameByte(buf[q]!)) q--;
    }
    if (q >= 1 && buf[q] === 0x2f && buf[q - 1] === 0x3c) return p + SHEETDATA_END.length;
    from = p + 1;
  }
}

function isNameByte(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x5f || b === 0x2d || b === 0x2e;
}

interface GapItem {
  gap: true;
  from: number;
  to: number;
  merges: Merge[];
}

/** Rows that exist only because a vertical merge covers them. */
function* expandGap(g: GapItem): Generator<SheetRow, void, undefined> {
  for (let r = g.from; r <= g.to; r++) {
    const cells: Cell[] = [];
    let any = false;
    for (const m of g.merges) {
      if (m.bottom < r || m.top >= r) continue;
      while (cells.length <= m.right) cells.push(null);
      for (let c = m.left; c <= m.right; c++) cells[c] = m.value;
      any = true;
    }
    if (any) yield { rowNumber: r, cells };
  }
}

// ---------------------------------------------------------------------------
// Worksheet scanner
// ---------------------------------------------------------------------------

const T_N = 0;
const T_S = 1;
const T_STR = 2;
const T_INLINE = 3;
const T_B = 4;
const T_E = 5;
const T_D = 6;

class SheetParser {
  out: (SheetRow | GapItem)[] = [];
  /** 0: before <sheetData>, 1: inside, 2: done. */
  phase = 0;
  get done(): boolean {
    return this.phase === 2;
  }

  private readonly sst: SharedStrings;
  private readonly dateStyles: Uint8Array;
  private readonly decimalStyles: Uint8Array;
  private readonly date1904: boolean;
  private readonly maxColumns: number;
  private readonly maxCellChars: number;

  // merges
  private readonly merges: Merge[];
  private mergeIdx = 0;
  private active: Merge[] = [];
  private lastRow = 0;

  // row state
  private rowNum = 0;
  private inRow = false;
  /** The open row was begun by a <row> tag (not by a stray <c>). */
  private rowByTag = false;
  private rowFromCell = false;
  private cells: Cell[] = [];
  private lastCol = -1;
  /** The row's shownDecimals (SheetRow), made at its first such cell. */
  private rowDecimals: Map<number, number> | null = null;

  // cell state
  private inCell = false;
  private cCol = 0;
  private cType = T_N;
  private cStyle = -1;
  private cV: string | null = null;
  /** cV still needs XML decoding (false when it came through the CDATA path). */
  private cVRaw = true;
  private cF: string | null = null;
  private hasF = false;
  private inIs = false;
  private isText: string | null = null;
  private inRPh = 0;

  // attribute scratch (set by parseCellTag / parseRowTag)
  private aEnd = 0;
  private aSelf = false;

  constructor(opts: SheetOptions, merges: Merge[]) {
    this.sst = opts.sharedStrings;
    this.dateStyles = opts.dateStyles;
    this.decimalStyles = opts.decimalStyles;
    this.date1904 = opts.date1904;
    this.maxColumns = opts.maxColumns;
    this.maxCellChars = opts.maxCellChars;
    this.merges = merges;
  }

  /** Consumes complete tokens of `s` (the latin1 view of `buf`); returns the number of bytes used. */
  feed(s: string, buf: Buffer): number {
    const len = s.length;
    let i = 0;
    if (this.phase === 0) {
      const start = this.findSheetData(s);
      if (start < 0) return Math.max(0, len - 64);
      const gt = tagEnd(s, start);
      if (gt < 0) return Math.max(0, s.lastIndexOf('<', start));
      if (s.charCodeAt(gt - 1) === 47) {
        this.finish();
        return len;
      }
      this.phase = 1;
      i = gt + 1;
    }
    while (this.phase === 1) {
      // tags usually follow each other directly: avoid indexOf when we can
      const lt = s.charCodeAt(i) === 60 ? i : s.indexOf('<', i);
      if (lt < 0) return len;
      if (lt + 1 >= len) return lt;
      let c = s.charCodeAt(lt + 1);
      if (c === 47) {
        // end tag: </name> or </prefix:name >
        let ns = lt + 2;
        let k = ns;
        for (; k < len; k++) {
          const ch = s.charCodeAt(k);
          if (ch === 62 || ch <= 32) break;
          if (ch === 58) ns = k + 1;
        }
        if (k >= len) return lt;
        const ne = k;
        const gt = s.charCodeAt(k) === 62 ? k : s.indexOf('>', k);
        if (gt < 0) return lt;
        const nlen = ne - ns;
        const c0 = s.charCodeAt(ns);
        if (nlen === 1) {
          if (c0 === 99) this.endCell();
        } else if (nlen === 3 && c0 === 114) {
          if (s.charCodeAt(ns + 1) === 111) this.endRow(); // </row>
          else if (s.charCodeAt(ns + 1) === 80 && this.inRPh > 0) this.inRPh--; // </rPh>
        } else if (nlen === 9 && c0 === 115 && s.startsWith('sheetData', ns)) {
          this.finish();
          return gt + 1;
        } else if (nlen === 2 && c0 === 105 && s.charCodeAt(ns + 1) === 115) {
          this.inIs = false; // </is>
        }
        i = gt + 1;
        continue;
      }
      if (c === 33 || c === 63) {
        const e = skipSpecial(s, lt);
        if (e < 0) return lt;
        i = e;
        continue;
      }
      // start tag: find the (local) name
      let ns = lt + 1;
      let e = ns;
      for (; e < len; e++) {
        c = s.charCodeAt(e);
        if (c <= 32 || c === 62 || c === 47) break;
        if (c === 58) ns = e + 1;
      }
      if (e >= len) return lt;
      const nlen = e - ns;
      const c0 = s.charCodeAt(ns);
      if (nlen === 1) {
        if (c0 === 99) {
          // <c>
          if (!this.parseCellTag(s, e)) return lt;
          i = this.aEnd;
          continue;
        }
        if (c0 === 118) {
          // <v>
          const gt = c === 62 ? e : tagEnd(s, e);
          if (gt < 0) return lt;
          if (s.charCodeAt(gt - 1) === 47) {
            this.cV = '';
            i = gt + 1;
            continue;
          }
          const t = s.indexOf('<', gt + 1);
          if (t < 0) return lt;
          if (s.charCodeAt(t + 1) === 33) {
            const r = readText(s, buf, gt + 1);
            if (r === null) return lt;
            this.cV = r.text;
            this.cVRaw = false;
            i = r.end;
          } else {
            this.cV = utf8At(s, buf, gt + 1, t); // raw; decoded when the type needs it
            this.cVRaw = true;
            // skip a plain </v> right away
            i = s.charCodeAt(t + 1) === 47 && s.charCodeAt(t + 2) === 118 && s.charCodeAt(t + 3) === 62 ? t + 4 : t;
          }
          continue;
        }
        if (c0 === 102) {
          // <f>
          const gt = c === 62 ? e : tagEnd(s, e);
          if (gt < 0) return lt;
          this.hasF = true;
          if (s.charCodeAt(gt - 1) === 47) {
            if (this.cF === null) this.cF = '';
            i = gt + 1;
            continue;
          }
          const r = readText(s, buf, gt + 1);
          if (r === null) return lt;
          this.cF = r.text;
          i = r.end;
          continue;
        }
        if (c0 === 116) {
          // <t> (inline string / rich text run)
          const gt = c === 62 ? e : tagEnd(s, e);
          if (gt < 0) return lt;
          if (s.charCodeAt(gt - 1) === 47) {
            if (this.inIs && this.isText === null) this.isText = '';
            i = gt + 1;
            continue;
          }
          const r = readText(s, buf, gt + 1);
          if (r === null) return lt;
          if (this.inIs && this.inRPh === 0) {
            this.isText = this.isText === null ? r.text : this.isText + r.text;
            if (this.isText.length > this.maxCellChars) this.tooLong();
          }
          i = r.end;
          // skip a plain </t> right away
          if (s.charCodeAt(i + 1) === 47 && s.charCodeAt(i + 2) === 116 && s.charCodeAt(i + 3) === 62) i += 4;
          continue;
        }
      } else if (nlen === 3 && c0 === 114 && s.charCodeAt(ns + 1) === 111 && s.charCodeAt(ns + 2) === 119) {
        // <row>
        if (!this.parseRowTag(s, e)) return lt;
        i = this.aEnd;
        if (this.aSelf) this.endRow();
        continue;
      } else if (nlen === 2 && c0 === 105 && s.charCodeAt(ns + 1) === 115) {
        // <is>
        const gt = tagEnd(s, e);
        if (gt < 0) return lt;
        if (s.charCodeAt(gt - 1) !== 47) {
          this.inIs = true;
          this.inRPh = 0;
        }
        if (this.isText === null) this.isText = '';
        i = gt + 1;
        continue;
      } else if (nlen === 3 && c0 === 114 && s.charCodeAt(ns + 1) === 80 && s.charCodeAt(ns + 2) === 104) {
        // <rPh> phonetic run: ignored
        const gt = tagEnd(s, e);
        if (gt < 0) return lt;
        if (s.charCodeAt(gt - 1) !== 47) this.inRPh++;
        i = gt + 1;
        continue;
      }
      // any other start tag (r, rPr, extLst, …): skip
      const gt = tagEnd(s, e);
      if (gt < 0) return lt;
      i = gt + 1;
    }
    return i;
  }

  private findSheetData(s: string): number {
    let from = 0;
    for (;;) {
      const p = s.indexOf('sheetData', from);
      if (p < 0) return -1;
      if (p + 9 >= s.length) return -1;
      const after = s.charCodeAt(p + 9);
      if (after <= 32 || after === 47 || after === 62) {
        const before = s.charCodeAt(p - 1);
        if (before === 60) return p + 9;
        if (before === 58) {
          const lt = s.lastIndexOf('<', p);
          if (lt >= 0 && /^[A-Za-z_][\w.-]*$/.test(s.slice(lt + 1, p - 1))) return p + 9;
        }
      }
      from = p + 9;
    }
  }

  private tooLong(): never {
    throw new XlsxError(
      'too-large',
      `cell ${columnName(this.cCol)}${this.rowNum} has more than ${this.maxCellChars} characters`,
    );
  }

  /** Parses `<row …>` attributes starting at `k` (after the name). */
  private parseRowTag(s: string, k: number): boolean {
    const len = s.length;
    let r = -1;
    for (;;) {
      let c = 0;
      while (k < len && (c = s.charCodeAt(k)) <= 32) k++;
      if (k >= len) return false;
      if (c === 62) {
        this.aSelf = false;
        k++;
        break;
      }
      if (c === 47) {
        if (k + 1 >= len) return false;
        this.aSelf = true;
        k += 2;
        break;
      }
      const an = k;
      while (k < len && (c = s.charCodeAt(k)) !== 61 && c > 32 && c !== 62 && c !== 47) k++;
      const anEnd = k;
      while (k < len && s.charCodeAt(k) <= 32) k++;
      if (k >= len) return false;
      if (s.charCodeAt(k) !== 61) continue;
      k++;
      while (k < len && s.charCodeAt(k) <= 32) k++;
      if (k >= len) return false;
      const q = s.charCodeAt(k);
      if (q !== 34 && q !== 39) throw new XlsxError('bad-xml', 'malformed attribute in <row>');
      const ve = s.indexOf(q === 34 ? '"' : "'", k + 1);
      if (ve < 0) return false;
      if (anEnd - an === 1 && s.charCodeAt(an) === 114) r = parseUint(s, k + 1, ve);
      k = ve + 1;
    }
    this.aEnd = k;
    // A row begun inside another: the first was cut short (its </row> and maybe cells lost), and
    // its values would be dropped without a word.
    if (this.inRow && this.rowByTag) throw new XlsxError('bad-xml', `row ${this.rowNum} has no </row> before the next row begins`);
    this.rowByTag = true;
    if (r > 0) {
      this.rowNum = r;
      this.rowFromCell = false;
    } else {
      this.rowNum = this.rowNum + 1;
      this.rowFromCell = true;
    }
    this.inRow = true;
    this.cells = [];
    this.lastCol = -1;
    return true;
  }

  /** Parses `<c …>` attributes starting at `k` (after the name). */
  private parseCellTag(s: string, k: number): boolean {
    const len = s.length;
    let rS = -1;
    let rE = -1;
    let style = -1;
    let type = T_N;
    let self = false;
    for (;;) {
      let c = 0;
      while (k < len && (c = s.charCodeAt(k)) <= 32) k++;
      if (k >= len) return false;
      if (c === 62) {
        k++;
        break;
      }
      if (c === 47) {
        if (k + 1 >= len) return false;
        self = true;
        k += 2;
        break;
      }
      const an = k;
      while (k < len && (c = s.charCodeAt(k)) !== 61 && c > 32 && c !== 62 && c !== 47) k++;
      const anEnd = k;
      while (k < len && s.charCodeAt(k) <= 32) k++;
      if (k >= len) return false;
      if (s.charCodeAt(k) !== 61) continue;
      k++;
      while (k < len && s.charCodeAt(k) <= 32) k++;
      if (k >= len) return false;
      const q = s.charCodeAt(k);
      if (q !== 34 && q !== 39) throw new XlsxError('bad-xml', 'malformed attribute in <c>');
      const vs = k + 1;
      let ve = vs;
      while (ve < len && s.charCodeAt(ve) !== q) ve++;
      if (ve >= len) return false;
      if (anEnd - an === 1) {
        const a = s.charCodeAt(an);
        if (a === 114) {
          rS = vs;
          rE = ve;
        } else if (a === 115) {
          style = parseUint(s, vs, ve);
        } else if (a === 116) {
          type = typeCode(s, vs, ve);
        }
      }
      k = ve + 1;
    }
    this.aEnd = k;

    // column (and, for rows without r, the row number) from the reference
    let col = -1;
    if (rS >= 0) {
      let j = rS;
      let n = 0;
      for (; j < rE; j++) {
        const ch = s.charCodeAt(j) & ~32;
        if (ch < 65 || ch > 90) break;
        n = n * 26 + (ch - 64);
        if (n > EXCEL_COLUMNS) this.tooManyColumns(s.slice(rS, rE));
      }
      if (n > 0) {
        col = n - 1;
        if (this.rowFromCell) {
          const rn = parseUint(s, j, rE);
          if (rn > 0) this.rowNum = rn;
          this.rowFromCell = false;
        }
      }
    }
    if (col < 0) {
      col = this.lastCol + 1;
      if (col >= EXCEL_COLUMNS) this.tooManyColumns(columnName(col) + this.rowNum);
    }
    if (!this.inRow) {
      // <c> outside <row>: tolerate, treat as a row of its own
      this.inRow = true;
      this.rowByTag = false;
      this.rowNum = this.rowNum + 1;
      this.cells = [];
    }
    this.cCol = col;
    this.lastCol = col;
    if (self) return true;
    this.inCell = true;
    this.cType = type;
    this.cStyle = style;
    this.cV = null;
    this.cVRaw = true;
    this.cF = null;
    this.hasF = false;
    this.inIs = false;
    this.isText = null;
    this.inRPh = 0;
    return true;
  }

  private tooManyColumns(ref: string): never {
    throw new XlsxError('too-many-columns', `cell ${ref} is beyond the column limit (${this.maxColumns} columns)`);
  }

  private decV(raw: string): string {
    return this.cVRaw ? decodeText(raw) : raw;
  }

  private endCell(): void {
    if (!this.inCell) return;
    this.inCell = false;
    const raw = this.cV;
    let v: Cell = null;
    let decimals = 0;
    switch (this.cType) {
      case T_N:
        if (raw !== null && raw !== '') {
          const num = +raw;
          if (num === num) {
            const style = this.cStyle;
            if (style >= 0 && this.dateStyles[style] === 1) v = excelSerialToDate(num, this.date1904);
            else {
              v = num;
              // What a whole number shows does not matter to anyone: look up only the others.
              if (style >= 0 && !Number.isInteger(num)) decimals = this.decimalStyles[style] ?? 0;
            }
          } else {
            const t = this.decV(raw).trim();
            const n2 = +t;
            v = t !== '' && n2 === n2 ? n2 : t;
          }
        }
        break;
      case T_S:
        if (raw !== null && raw !== '') {
          const idx = +raw;
          const str = this.sst.get(idx);
          if (str === undefined) {
            throw new XlsxError(
              'bad-xml',
              `cell ${columnName(this.cCol)}${this.rowNum} refers to shared string ${raw}, which does not exist`,
            );
          }
          if (str.length > this.maxCellChars) this.tooLong();
          v = str;
        }
        break;
      case T_STR:
        if (raw !== null) {
          v = this.decV(raw);
          if (v.length > this.maxCellChars) this.tooLong();
        }
        break;
      case T_INLINE:
        v = this.isText ?? (raw !== null ? this.decV(raw) : null);
        if (typeof v === 'string' && v.length > this.maxCellChars) this.tooLong();
        break;
      case T_B:
        if (raw !== null && raw !== '') {
          const t = raw.trim();
          v = t === '1' || t.toLowerCase() === 'true';
        }
        break;
      case T_E:
        if (raw !== null) v = { error: this.decV(raw) };
        break;
      case T_D:
        if (raw !== null && raw !== '') {
          const t = this.decV(raw).trim();
          const d = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(t) || !t.includes('T') ? t : t + 'Z');
          v = Number.isNaN(d.getTime()) ? t : d;
        }
        break;
      default:
        break;
    }
    if (this.hasF) {
      if (this.cType === T_E && v !== null) {
        // A formula whose cached result is an error: the error is what the cell shows.
      } else {
        v = { formula: this.cF ?? '', result: v as FormulaCell['result'] };
      }
    }
    if (v === null) return;
    const col = this.cCol;
    // Only a value counts against the column limit: an empty cell far out (a border drawn
    // across a wide range) holds nothing.
    if (col >= this.maxColumns) {
      if (v === '') return;
      this.tooManyColumns(columnName(col) + this.rowNum);
    }
    const cells = this.cells;
    while (cells.length < col) cells.push(null);
    cells[col] = v;
    if (decimals > 0 && typeof v === 'number') (this.rowDecimals ??= new Map()).set(col, decimals);
  }

  private endRow(): void {
    if (!this.inRow) return;
    if (this.inCell) this.endCell();
    this.inRow = false;
    this.rowByTag = false;
    const R = this.rowNum;
    let cells = this.cells;
    this.cells = [];
    const shownDecimals = this.rowDecimals;
    this.rowDecimals = null;
    if (this.merges.length > 0) cells = this.applyMerges(R, cells);
    else if (R > this.lastRow) this.lastRow = R;
    // trim trailing nulls and skip empty rows
    let n = cells.length;
    while (n > 0 && cells[n - 1] === null) n--;
    if (n === 0) return;
    if (n < cells.length) cells.length = n;
    this.out.push(shownDecimals === null ? { rowNumber: R, cells } : { rowNumber: R, cells, shownDecimals });
  }

  private applyMerges(R: number, cells: Cell[]): Cell[] {
    const merges = this.merges;
    if (R > this.lastRow) {
      this.emitGap(this.lastRow + 1, R - 1);
      // merges whose top row has no <row> element: their master is empty
      while (this.mergeIdx < merges.length && merges[this.mergeIdx]!.top < R) {
        const m = merges[this.mergeIdx++]!;
        m.value = null;
        this.active.push(m);
      }
      this.lastRow = R;
    }
    while (this.mergeIdx < merges.length && merges[this.mergeIdx]!.top === R) {
      const m = merges[this.mergeIdx++]!;
      m.value = cells[m.left] ?? null;
      // A box of notes beside or over the table (注意事项：…) stays in its top-left cell: carried
      // across, it would stand in the header row and in every row it covers.
      if (!isNotesBox(m)) this.active.push(m);
    }
    if (this.active.length === 0) return cells;
    let keep = 0;
    for (const m of this.active) {
      if (m.top <= R && m.bottom >= R) {
        const v = m.value;
        if (v !== null) while (cells.length <= m.right) cells.push(null);
        const hi = Math.min(m.right, cells.length - 1);
        for (let c = m.left; c <= hi; c++) cells[c] = v;
      }
      if (m.bottom > R) this.active[keep++] = m;
    }
    this.active.length = keep;
    return cells;
  }

  private emitGap(from: number, to: number): void {
    if (to < from) return;
    let hi = 0;
    const live: Merge[] = [];
    for (const m of this.active) {
      if (m.value !== null && m.bottom >= from) {
        live.push(m);
        if (m.bottom > hi) hi = m.bottom;
      }
    }
    if (live.length === 0) return;
    this.out.push({ gap: true, from, to: Math.min(to, hi), merges: live });
  }

  /** End of sheet data: close open elements and emit rows covered only by merges. */
  finish(): void {
    if (this.phase === 2) return;
    if (this.inRow) this.endRow();
    if (this.merges.length > 0) {
      let hi = 0;
      for (const m of this.active) if (m.bottom > hi) hi = m.bottom;
      this.emitGap(this.lastRow + 1, hi);
      this.active = [];
    }
    this.phase = 2;
  }
}

function parseUint(s: string, from: number, to: number): number {
  let n = 0;
  let any = false;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) {
      if (c <= 32 && !any) continue;
      break;
    }
    n = n * 10 + (c - 48);
    any = true;
  }
  return any ? n : -1;
}

function typeCode(s: string, from: number, to: number): number {
  const n = to - from;
  const c = s.charCodeAt(from);
  if (n === 1) {
    switch (c) {
      case 115: return T_S;
      case 98: return T_B;
      case 101: return T_E;
      case 100: return T_D;
      default: return T_N;
    }
  }
  if (n === 3 && c === 115) return T_STR; // str
  if (n === 9 && c === 105) return T_INLINE; // inlineStr
  return T_N;
}

// ---------------------------------------------------------------------------
// Test hooks: run the scanners over arbitrary chunkings of raw XML bytes.
// ---------------------------------------------------------------------------

async function* fromChunks(chunks: Iterable<Buffer>): AsyncGenerator<Buffer, void, undefined> {
  for (const c of chunks) yield c;
}

function stringsOf(texts: string[]): SharedStrings {
  const strings = new SharedStrings();
  for (const text of texts) strings.push(text);
  strings.finish();
  return strings;
}

/** Not part of the public API: used by the tests to exercise chunk boundaries. */
export const __testing = {
  async sheetRows(
    chunks: Buffer[],
    options: Partial<Omit<SheetOptions, 'sharedStrings'>> & { sharedStrings?: string[] } = {},
  ): Promise<SheetRow[]> {
    const opts: SheetOptions = {
      sharedStrings: stringsOf(options.sharedStrings ?? []),
      dateStyles: options.dateStyles ?? new Uint8Array(0),
      decimalStyles: options.decimalStyles ?? new Uint8Array(0),
      date1904: options.date1904 ?? false,
      maxColumns: options.maxColumns ?? DEFAULT_XLSX_LIMITS.maxColumns,
      maxCellChars: options.maxCellChars ?? DEFAULT_XLSX_LIMITS.maxCellChars,
    };
    const merges = await scanMerges(fromChunks(chunks), opts.maxColumns, 'test sheet');
    const rows: SheetRow[] = [];
    for await (const batch of parseSheetBatches(fromChunks(chunks), opts, merges, 'test sheet')) rows.push(...batch);
    return rows;
  },
  async sharedStrings(chunks: Buffer[], maxCellChars = DEFAULT_XLSX_LIMITS.maxCellChars): Promise<string[]> {
    return (await parseSharedStrings(fromChunks(chunks), maxCellChars, 'test sharedStrings')).toArray();
  },
};
