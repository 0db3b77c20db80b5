// The one table model that every report builds and every renderer (terminal, csv, xlsx) reads,
// plus the cell rules the renderers share: how a rate or a number is shown, which text is made
// formula-safe, how a sheet name is cleaned.
import stringWidth from 'string-width';

export type ColumnKind = 'text' | 'int' | 'number' | 'rate' | 'date' | 'id';
export interface Column { key: string; header: string; kind: ColumnKind; minWidth?: number }
export type CellValue = string | number | null;
export type Row = Record<string, CellValue>;
export interface Table {
  /** Sheet name (sanitised by the xlsx renderer), also the value of the 表 column in a combined CSV. */
  name: string;
  /** Human title: above terminal tables and in the 说明 sheet. */
  title: string;
  columns: Column[];
  rows: Row[];
  /** Subtotal/total rows, rendered after the rows, bold. */
  totals?: Row[];
  /** E.g. below-threshold rows: red fill in xlsx, red text on a terminal. */
  highlight?: (row: Row) => boolean;
}
/** A table whose rows come one at a time and are read once (from a database cursor), so that a
 * sheet of any length is written without holding its rows. Its title and totals are known
 * before the rows. Only the file writers (xlsx, csv) take it. */
export interface StreamedTable extends Omit<Table, 'rows'> {
  rows: AsyncIterable<Row> | Iterable<Row>;
}
/** A sheet for the file writers: a table, or one built only when its turn comes to be written
 * (so that one sheet's rows are in memory at a time). */
export type SheetSource = Table | StreamedTable | (() => Promise<Table | StreamedTable>);

/** The 说明 sheet: title and [label, value] pairs (as-of date, threshold, generated at, version…),
 * given by the caller, already translated. */
export interface ReportMeta { title: string; entries: Array<[label: string, value: string]> }

/** Shown for a rate whose denominator is zero (null). */
export const NO_RATE = '—';

export function isNumericKind(kind: ColumnKind): boolean {
  return kind === 'int' || kind === 'number' || kind === 'rate';
}

/** A rate in basis points (1/10000), truncated toward zero. The caller already truncated to four
 * decimals; the small epsilon only absorbs float noise (0.8947 * 10000 = 8946.999…), and a value
 * with more decimals is truncated, never rounded up, so the display never overstates a rate. */
export function rateBasisPoints(ratio: number): number {
  const sign = ratio < 0 ? -1 : 1;
  return sign * Math.floor(Math.abs(ratio) * 10000 + 1e-6);
}

/** 0.8947 → '89.47%'; null (or a non-finite number) → '—'. */
export function formatRate(ratio: number | null): string {
  if (ratio === null || !Number.isFinite(ratio)) return NO_RATE;
  const bp = rateBasisPoints(ratio);
  const abs = Math.abs(bp);
  const whole = Math.floor(abs / 100);
  const frac = String(abs % 100).padStart(2, '0');
  return `${bp < 0 ? '-' : ''}${whole}.${frac}%`;
}

/** The rate value a spreadsheet stores: the same truncated four decimals that formatRate shows. */
export function rateValue(ratio: number): number {
  return rateBasisPoints(ratio) / 10000;
}

/** A number without float noise (0.1 + 0.2 → 0.3); integers unchanged. */
export function cleanNumber(n: number): number {
  return Number.isInteger(n) ? n : Number(n.toPrecision(12));
}

/** A cell that a spreadsheet program could take for a formula: it begins with = + - @, a TAB, a CR
 * or any other control character (the OWASP CSV-injection rule), or with the full-width = + - @
 * that some Chinese/Japanese input setups turn into formulas. */
const FORMULA_START = /^[=+\-@\u0000-\u001f\u007f\uff1d\uff0b\uff0d\uff20]/;

export function needsFormulaGuard(text: string): boolean {
  return FORMULA_START.test(text);
}

/** Text made formula-safe by a leading single quote. Used by both the CSV and the xlsx renderer. */
export function safeText(text: string): string {
  return needsFormulaGuard(text) ? `'${text}` : text;
}

/** The text of a cell as the terminal shows it (and as widths are measured):
 * rates as '89.47%' or '—', numbers without float noise, null as empty. */
export function displayText(column: Column, value: CellValue | undefined): string {
  if (column.kind === 'rate') {
    if (value === null || value === undefined) return NO_RATE;
    if (typeof value === 'number') return formatRate(value);
    return value;
  }
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return '';
    return String(cleanNumber(value));
  }
  return value;
}

/** Text of printable ASCII only (space to ~): one column per character. */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
/** Widths of other text seen lately: a report repeats the same unit and town names on many
 * rows, and string-width is slow enough to dominate a 100,000-row table. Bounded. */
const measured = new Map<string, number>();
const MEASURED_MAX = 50_000;

/** Display width on a terminal or in a spreadsheet column: CJK characters count two. */
export function displayWidth(text: string): number {
  if (PRINTABLE_ASCII.test(text)) return text.length;
  let width = measured.get(text);
  if (width === undefined) {
    if (measured.size >= MEASURED_MAX) measured.clear();
    width = stringWidth(text);
    measured.set(text, width);
  }
  return width;
}

/** Characters Excel forbids in sheet names. */
const SHEET_FORBIDDEN = /[[\]:*?/\\]/g;
export const SHEET_NAME_MAX = 31;

/** A name Excel accepts: no []:*?/\ (each becomes _), no control characters, not beginning or
 * ending with an apostrophe, at most 31 UTF-16 units (a surrogate pair is never split), not empty. */
export function sanitizeSheetName(name: string, fallback = 'Sheet'): string {
  let s = name.replace(SHEET_FORBIDDEN, '_').replace(/[\u0000-\u001f\u007f]/g, '').trim();
  s = s.replace(/^'+|'+$/g, '').trim();
  s = truncateUnits(s, SHEET_NAME_MAX).trim().replace(/'+$/, '');
  return s === '' ? fallback : s;
}

function truncateUnits(s: string, max: number): string {
  let out = '';
  for (const ch of s) {
    if (out.length + ch.length > max) break;
    out += ch;
  }
  return out;
}

/** Sanitised, unique sheet names (Excel compares names case-insensitively) for the given names;
 * `reserved` names (the 说明 sheet, 'History') are never handed out. A clash gets ' (2)', ' (3)'… */
export function uniqueSheetNames(names: string[], reserved: string[] = []): string[] {
  const taken = new Set(reserved.map((r) => r.toLowerCase()));
  return names.map((raw) => {
    const base = sanitizeSheetName(raw);
    let candidate = base;
    for (let n = 2; taken.has(candidate.toLowerCase()); n++) {
      const suffix = ` (${n})`;
      candidate = truncateUnits(base, SHEET_NAME_MAX - suffix.length).trimEnd() + suffix;
    }
    taken.add(candidate.toLowerCase());
    return candidate;
  });
}
