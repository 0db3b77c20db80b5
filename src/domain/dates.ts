// Calendar dates as 'YYYY-MM-DD' strings, and reading them from spreadsheet cells (SPEC §4).
import { toHalfWidth } from './text.js';

/**
 * ambiguousMonth: a month-only number that shows as 1985.1, read as January; it may be October
 * typed as 1985.10, which Excel shows as 1985.1 in a General cell (both are the number 1985.1).
 */
export type DateParse = { ok: true; date: string; ambiguousMonth?: true } | { ok: false; reason: 'invalid' | 'impossible' | 'out-of-range' };

export const MIN_YEAR = 1900;
export const MAX_YEAR = 2100;
const MS_PER_DAY = 86_400_000;
// Excel's largest serial, 9999-12-31.
const MAX_SERIAL = 2_958_465;

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function daysInMonth(y: number, m: number): number {
  return [31, isLeapYear(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1] ?? 0;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** 'YYYY-MM-DD' from parts (no validation). */
export function formatIsoDate(y: number, m: number, d: number): string {
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
}

/** Milliseconds at UTC midnight. setUTCFullYear, because Date.UTC maps years 0..99 to 19xx. */
function utcMs(y: number, m: number, d: number): number {
  const dt = new Date(0);
  dt.setUTCFullYear(y, m - 1, d);
  return dt.getTime();
}

function fromUtcMs(ms: number): string {
  const dt = new Date(ms);
  return formatIsoDate(dt.getUTCFullYear(), dt.getUTCMonth() + 1, dt.getUTCDate());
}

function check(y: number, m: number, d: number): DateParse {
  if (!Number.isInteger(y) || y < MIN_YEAR || y > MAX_YEAR) return { ok: false, reason: 'out-of-range' };
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return { ok: false, reason: 'impossible' };
  return { ok: true, date: formatIsoDate(y, m, d) };
}

/** A well-formed 'YYYY-MM-DD' naming a real calendar day (any four-digit year from 0001). */
export function isValidIsoDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  return y >= 1 && mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

function parts(date: string): [number, number, number] {
  if (!isValidIsoDate(date)) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  return [Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))];
}

/** Days since 1970-01-01 (negative before). */
export function toDayNumber(date: string): number {
  const [y, m, d] = parts(date);
  return Math.round(utcMs(y, m, d) / MS_PER_DAY);
}

export function fromDayNumber(n: number): string {
  return fromUtcMs(n * MS_PER_DAY);
}

export function addDays(date: string, n: number): string {
  if (!Number.isInteger(n)) throw new RangeError(`addDays needs a whole number of days, got ${n}`);
  return fromDayNumber(toDayNumber(date) + n);
}

/** b − a in days. */
export function daysBetween(a: string, b: string): number {
  return toDayNumber(b) - toDayNumber(a);
}

/** -1, 0 or 1. ISO dates with four-digit years order as strings. */
export function compareDates(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** ISO day of the week: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  // 1970-01-01 was a Thursday (4).
  return ((((toDayNumber(date) + 3) % 7) + 7) % 7) + 1;
}

/** Excel serial → date. Serial 60 is Excel's fictitious 1900-02-29; from 61 on, Excel is one day ahead. */
function fromSerial(serial: number): DateParse {
  const whole = Math.floor(serial);
  if (whole < 1 || whole > MAX_SERIAL) return { ok: false, reason: 'invalid' };
  if (whole === 60) return { ok: false, reason: 'impossible' };
  // Serial 1 = 1900-01-01, so day 0 is 1899-12-31 before the bug and 1899-12-30 after it.
  const base = whole < 60 ? utcMs(1899, 12, 31) : utcMs(1899, 12, 30);
  const dt = new Date(base + whole * MS_PER_DAY);
  return check(dt.getUTCFullYear(), dt.getUTCMonth() + 1, dt.getUTCDate());
}

// A time after the date: " 00:00:00", "T08:30", " 0:00:00.000", optionally "Z".
const TIME_SUFFIX = /(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)$/;

// Each pattern captures year, month and (for full dates) day as named groups.
const FULL = [
  /^(?<y>\d{4})(?<sep>[-/.])(?<m>\d{1,2})\k<sep>(?<d>\d{1,2})$/,
  /^(?<y>\d{4})年(?<m>\d{1,2})月(?<d>\d{1,2})[日号]?$/,
  /^(?<y>\d{4})(?<m>\d{2})(?<d>\d{2})$/,
];
const MONTH_ONLY = [/^(?<y>\d{4})[-/.](?<m>\d{1,2})$/, /^(?<y>\d{4})年(?<m>\d{1,2})月?$/, /^(?<y>\d{4})(?<m>\d{2})$/];

// Fast paths for the common spellings, read exactly as FULL and MONTH_ONLY read them:
// 2019-04-20, 2019/4/20, 2019.4.20, 1985.03 and 2019年4月20日, 1985年3月.
const NUMERIC = /^(\d{4})([-/.])(\d{1,2})(?:\2(\d{1,2}))?$/;
const CHINESE = /^(\d{4})年(\d{1,2})月(?:(\d{1,2})[日号]?)?$/;

function parseString(raw: string, allowMonthOnly: boolean): DateParse {
  const common = NUMERIC.exec(raw) ?? CHINESE.exec(raw);
  if (common) {
    const day = common.length === 5 ? common[4] : common[3];
    if (day !== undefined) return check(Number(common[1]), Number(common.length === 5 ? common[3] : common[2]), Number(day));
    return allowMonthOnly ? check(Number(common[1]), Number(common.length === 5 ? common[3] : common[2]), 1) : { ok: false, reason: 'invalid' };
  }
  let s = toHalfWidth(raw).trim();
  s = s.replace(TIME_SUFFIX, '').trim();
  // Spaces are allowed around 年/月/日 ("2019 年 4 月 20 日"); elsewhere they do not help.
  s = s.replace(/\s*([年月日号])\s*/g, '$1');
  const patterns = allowMonthOnly ? [...FULL, ...MONTH_ONLY] : FULL;
  for (const re of patterns) {
    const g = re.exec(s)?.groups;
    if (g) return check(Number(g.y), Number(g.m), g.d === undefined ? 1 : Number(g.d));
  }
  // An Excel serial written out as text (a CSV made from a sheet whose date cells lost their
  // format): five digits are 1927..2173, never one of the forms above.
  if (/^\d{5}(\.\d+)?$/.test(s)) return fromSerial(Number(s));
  return { ok: false, reason: 'invalid' };
}

function parseNumber(n: number, allowMonthOnly: boolean, shownDecimals: number): DateParse {
  if (!Number.isFinite(n)) return { ok: false, reason: 'invalid' };
  // Someone typed 20190420 (or 198503 in a month-only column) into a General cell. Such
  // numbers are far beyond any serial of 1900..2100 (≤ 73415), so there is no ambiguity.
  if (Number.isInteger(n) && n >= 10_000_000 && n <= 99_999_999) return parseString(String(n), false);
  if (allowMonthOnly && Number.isInteger(n) && n >= 100_000 && n <= 999_999) {
    const r = parseString(String(n), true);
    if (r.ok) return r;
  }
  // 1985.03 typed into a 出生年月 column: read it as the text the cell shows, which its format
  // decides (1985.1 is 1985.10, October, in a 0.00 cell).
  if (allowMonthOnly && !Number.isInteger(n) && n >= MIN_YEAR && n < MAX_YEAR + 1) {
    const shown = shownText(n, shownDecimals);
    const parsed = parseString(shown, true);
    return parsed.ok && shown.endsWith('.1') ? { ...parsed, ambiguousMonth: true } : parsed;
  }
  return fromSerial(n);
}

/** A number as a cell shows it: with the decimals its format fixes, else as General does. */
export function shownText(n: number, shownDecimals = 0): string {
  return shownDecimals > 0 ? n.toFixed(Math.min(shownDecimals, 100)) : String(n);
}

/**
 * Read a date from a cell value: a JS Date (its UTC day), an Excel serial, or text in the
 * forms of SPEC §4. With allowMonthOnly, year-and-month forms give the first of the month.
 * shownDecimals: the decimals a number cell's format shows (0.00 → 2; 0 for General).
 */
export function parseDate(v: unknown, opts: { allowMonthOnly?: boolean; shownDecimals?: number } = {}): DateParse {
  const allowMonthOnly = opts.allowMonthOnly ?? false;
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return { ok: false, reason: 'invalid' };
    // Spreadsheet readers give UTC midnight; the local zone must not shift the day.
    return check(v.getUTCFullYear(), v.getUTCMonth() + 1, v.getUTCDate());
  }
  if (typeof v === 'number') return parseNumber(v, allowMonthOnly, opts.shownDecimals ?? 0);
  if (typeof v === 'string') return parseString(v, allowMonthOnly);
  return { ok: false, reason: 'invalid' };
}
