// ISO 8601 weeks (Monday–Sunday, week-years), SPEC §7.
import { addDays, compareDates, daysBetween, daysInMonth, formatIsoDate, isoWeekday, MAX_YEAR, MIN_YEAR } from './dates.js';

export interface IsoWeek { year: number; week: number }

/** The ISO week containing a date: the week-year is the year of that week's Thursday. */
export function isoWeekOf(date: string): IsoWeek {
  const thursday = addDays(date, 4 - isoWeekday(date));
  const year = Number(thursday.slice(0, 4));
  const jan1 = formatIsoDate(year, 1, 1);
  const ordinal = daysBetween(jan1, thursday);
  return { year, week: Math.floor(ordinal / 7) + 1 };
}

/** 28 December always lies in the last ISO week of its year. */
export function weeksInYear(year: number): 52 | 53 {
  return isoWeekOf(formatIsoDate(year, 12, 28)).week === 53 ? 53 : 52;
}

/** Monday and Sunday of a week. Week 1 is the week holding 4 January. */
export function weekRange(w: IsoWeek): { start: string; end: string } {
  const jan4 = formatIsoDate(w.year, 1, 4);
  const week1Monday = addDays(jan4, 1 - isoWeekday(jan4));
  const start = addDays(week1Monday, (w.week - 1) * 7);
  return { start, end: addDays(start, 6) };
}

/** '2026-W47', '2026W47', '2026-w47' (also 'W7'); null when malformed or the week does not exist. */
export function parseWeek(spec: string): IsoWeek | null {
  const m = /^(\d{4})-?[Ww](\d{1,2})$/.exec(spec.trim());
  if (!m) return null;
  const year = Number(m[1]);
  const week = Number(m[2]);
  if (year < 1 || week < 1 || week > weeksInYear(year)) return null;
  return { year, week };
}

export function formatWeek(w: IsoWeek): string {
  return `${String(w.year).padStart(4, '0')}-W${String(w.week).padStart(2, '0')}`;
}

export function compareWeeks(a: IsoWeek, b: IsoWeek): number {
  return a.year !== b.year ? Math.sign(a.year - b.year) : Math.sign(a.week - b.week);
}

export function addWeeks(w: IsoWeek, n: number): IsoWeek {
  return isoWeekOf(addDays(weekRange(w).start, 7 * n));
}

/** The latest week whose Sunday is before today: always the week before today's week. */
export function lastCompleteWeek(today: string): IsoWeek {
  return isoWeekOf(addDays(today, -7));
}

/** 'YYYY-MM' (month may be one digit) → first and last day; null if malformed. */
export function parseMonth(spec: string): { start: string; end: string } | null {
  const m = /^(\d{4})-(\d{1,2})$/.exec(spec.trim());
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  // The years a date may have anywhere in dbd (dates.ts).
  if (year < MIN_YEAR || year > MAX_YEAR || month < 1 || month > 12) return null;
  return { start: formatIsoDate(year, month, 1), end: formatIsoDate(year, month, daysInMonth(year, month)) };
}

/** 'YYYY-MM' of a date. */
export function monthOf(date: string): string {
  return date.slice(0, 7);
}

/** Every week whose Sunday falls in the month, in order; [] for a malformed month. */
export function weeksEndingInMonth(month: string): IsoWeek[] {
  const range = parseMonth(month);
  if (!range) return [];
  const weeks: IsoWeek[] = [];
  let sunday = addDays(range.start, (7 - isoWeekday(range.start)) % 7);
  while (compareDates(sunday, range.end) <= 0) {
    weeks.push(isoWeekOf(sunday));
    sunday = addDays(sunday, 7);
  }
  return weeks;
}
