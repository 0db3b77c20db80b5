import { describe, expect, it } from 'vitest';
import { addDays, compareDates, isoWeekday } from '../../src/domain/dates.js';
import {
  addWeeks,
  compareWeeks,
  formatWeek,
  isoWeekOf,
  lastCompleteWeek,
  monthOf,
  parseMonth,
  parseWeek,
  weekRange,
  weeksEndingInMonth,
  weeksInYear,
  type IsoWeek,
} from '../../src/domain/weeks.js';

const w = (year: number, week: number): IsoWeek => ({ year, week });

describe('isoWeekOf', () => {
  it('uses ISO week-years at year ends', () => {
    expect(isoWeekOf('2025-12-29')).toEqual(w(2026, 1));
    expect(isoWeekOf('2025-12-28')).toEqual(w(2025, 52));
    expect(isoWeekOf('2027-01-03')).toEqual(w(2026, 53));
    expect(isoWeekOf('2027-01-04')).toEqual(w(2027, 1));
    expect(isoWeekOf('2026-01-01')).toEqual(w(2026, 1));
  });

  it('matches the reference examples', () => {
    const cases: [string, number, number][] = [
      ['2005-01-01', 2004, 53], ['2005-01-02', 2004, 53], ['2005-12-31', 2005, 52], ['2007-01-01', 2007, 1],
      ['2007-12-30', 2007, 52], ['2007-12-31', 2008, 1], ['2008-01-01', 2008, 1], ['2008-12-28', 2008, 52],
      ['2008-12-29', 2009, 1], ['2008-12-31', 2009, 1], ['2009-01-01', 2009, 1], ['2009-12-31', 2009, 53],
      ['2010-01-01', 2009, 53], ['2010-01-03', 2009, 53], ['2010-01-04', 2010, 1], ['2021-01-03', 2020, 53],
    ];
    for (const [date, year, week] of cases) expect(isoWeekOf(date), date).toEqual(w(year, week));
  });

  it('gives the weeks of November 2026', () => {
    expect(isoWeekOf('2026-11-09')).toEqual(w(2026, 46));
    expect(isoWeekOf('2026-11-15')).toEqual(w(2026, 46));
    expect(isoWeekOf('2026-11-16')).toEqual(w(2026, 47));
  });
});

describe('weeksInYear', () => {
  it('knows long years', () => {
    expect(weeksInYear(2026)).toBe(53);
    expect(weeksInYear(2025)).toBe(52);
    expect(weeksInYear(2020)).toBe(53);
    expect(weeksInYear(2015)).toBe(53);
    expect(weeksInYear(2009)).toBe(53);
    expect(weeksInYear(2004)).toBe(53);
    expect(weeksInYear(2027)).toBe(52);
    expect(weeksInYear(2032)).toBe(53);
  });

  it('has 71 long years in 400 (the Gregorian cycle)', () => {
    let long = 0;
    for (let y = 2000; y < 2400; y++) if (weeksInYear(y) === 53) long++;
    expect(long).toBe(71);
  });
});

describe('weekRange', () => {
  it('runs Monday to Sunday', () => {
    expect(weekRange(w(2026, 53))).toEqual({ start: '2026-12-28', end: '2027-01-03' });
    expect(weekRange(w(2027, 1))).toEqual({ start: '2027-01-04', end: '2027-01-10' });
    expect(weekRange(w(2026, 46))).toEqual({ start: '2026-11-09', end: '2026-11-15' });
    expect(weekRange(w(2026, 1))).toEqual({ start: '2025-12-29', end: '2026-01-04' });
    expect(weekRange(w(2009, 53))).toEqual({ start: '2009-12-28', end: '2010-01-03' });
  });

  it('contains exactly the days of its week, for every day of 2019..2032', () => {
    let date = '2019-01-01';
    let prev = isoWeekOf('2018-12-31');
    while (compareDates(date, '2032-12-31') <= 0) {
      const week = isoWeekOf(date);
      const { start, end } = weekRange(week);
      expect(compareDates(start, date) <= 0 && compareDates(date, end) <= 0).toBe(true);
      expect(isoWeekday(start)).toBe(1);
      expect(addDays(start, 6)).toBe(end);
      // Consecutive days: same week, or the next one (Monday).
      if (isoWeekday(date) === 1) expect(addWeeks(prev, 1)).toEqual(week);
      else expect(week).toEqual(prev);
      expect(week.week).toBeLessThanOrEqual(weeksInYear(week.year));
      prev = week;
      date = addDays(date, 1);
    }
  });
});

describe('parseWeek and formatWeek', () => {
  it('parses the accepted spellings', () => {
    expect(parseWeek('2026-W47')).toEqual(w(2026, 47));
    expect(parseWeek('2026W47')).toEqual(w(2026, 47));
    expect(parseWeek('2026-w47')).toEqual(w(2026, 47));
    expect(parseWeek('2026w47')).toEqual(w(2026, 47));
    expect(parseWeek('2026-W07')).toEqual(w(2026, 7));
    expect(parseWeek('2026-W7')).toEqual(w(2026, 7));
    expect(parseWeek(' 2026-W47 ')).toEqual(w(2026, 47));
    expect(parseWeek('2026-W53')).toEqual(w(2026, 53));
    expect(parseWeek('2026-W01')).toEqual(w(2026, 1));
  });

  it('refuses weeks that do not exist and malformed specs', () => {
    for (const s of ['2025-W53', '2026-W54', '2026-W00', '2026-W0', '2026-47', '2026-W470', '26-W47', 'W47', '2026-W', '2026 W47', '2026-W47x', '', 'last week', '2026-11-16']) {
      expect(parseWeek(s), s).toBeNull();
    }
  });

  it('formats with a two-digit week', () => {
    expect(formatWeek(w(2026, 7))).toBe('2026-W07');
    expect(formatWeek(w(2026, 47))).toBe('2026-W47');
    expect(formatWeek(w(2026, 53))).toBe('2026-W53');
  });

  it('round-trips every week of 2020..2030', () => {
    for (let year = 2020; year <= 2030; year++) {
      for (let week = 1; week <= weeksInYear(year); week++) {
        expect(parseWeek(formatWeek(w(year, week)))).toEqual(w(year, week));
        expect(isoWeekOf(weekRange(w(year, week)).start)).toEqual(w(year, week));
      }
    }
  });

  it('orders and steps weeks', () => {
    expect(compareWeeks(w(2026, 53), w(2027, 1))).toBe(-1);
    expect(compareWeeks(w(2027, 1), w(2026, 53))).toBe(1);
    expect(compareWeeks(w(2026, 2), w(2026, 10))).toBe(-1);
    expect(compareWeeks(w(2026, 10), w(2026, 10))).toBe(0);
    expect(addWeeks(w(2026, 53), 1)).toEqual(w(2027, 1));
    expect(addWeeks(w(2027, 1), -1)).toEqual(w(2026, 53));
    expect(addWeeks(w(2025, 52), 1)).toEqual(w(2026, 1));
    expect(addWeeks(w(2026, 46), 0)).toEqual(w(2026, 46));
  });
});

describe('lastCompleteWeek', () => {
  it('is the week before the current one', () => {
    expect(lastCompleteWeek('2026-11-21')).toEqual(w(2026, 46)); // Saturday
  });

  it('on a Sunday, the current week is not yet complete', () => {
    expect(lastCompleteWeek('2026-11-22')).toEqual(w(2026, 46));
    expect(lastCompleteWeek('2026-11-15')).toEqual(w(2026, 45));
  });

  it('on a Monday, the week that ended yesterday', () => {
    expect(lastCompleteWeek('2026-11-16')).toEqual(w(2026, 46));
    expect(lastCompleteWeek('2026-11-23')).toEqual(w(2026, 47));
  });

  it('crosses week-years', () => {
    expect(lastCompleteWeek('2027-01-04')).toEqual(w(2026, 53));
    expect(lastCompleteWeek('2027-01-03')).toEqual(w(2026, 52));
    expect(lastCompleteWeek('2026-01-05')).toEqual(w(2026, 1));
    expect(lastCompleteWeek('2026-01-01')).toEqual(w(2025, 52));
  });

  it('always ends before today and is the latest such week, for every day of 2026', () => {
    for (let date = '2026-01-01'; date <= '2026-12-31'; date = addDays(date, 1)) {
      const last = lastCompleteWeek(date);
      expect(compareDates(weekRange(last).end, date)).toBe(-1);
      expect(compareDates(weekRange(addWeeks(last, 1)).end, date)).toBeGreaterThanOrEqual(0);
    }
  });
});

describe('months', () => {
  it('parses a month', () => {
    expect(parseMonth('2026-11')).toEqual({ start: '2026-11-01', end: '2026-11-30' });
    expect(parseMonth('2026-02')).toEqual({ start: '2026-02-01', end: '2026-02-28' });
    expect(parseMonth('2024-02')).toEqual({ start: '2024-02-01', end: '2024-02-29' });
    expect(parseMonth('2026-12')).toEqual({ start: '2026-12-01', end: '2026-12-31' });
    expect(parseMonth('2026-1')).toEqual({ start: '2026-01-01', end: '2026-01-31' });
  });

  it('refuses malformed months', () => {
    for (const s of ['2026-13', '2026-00', '2026-11-01', '202611', '2026/11', '26-11', '', 'November', '1899-12', '2101-01']) {
      expect(parseMonth(s), s).toBeNull();
    }
  });

  it('gives the month of a date', () => {
    expect(monthOf('2026-11-21')).toBe('2026-11');
  });

  it('lists the weeks whose Sunday falls in the month', () => {
    // 2026-11-01 is a Sunday: W44 (26 Oct – 1 Nov) belongs to November.
    expect(weeksEndingInMonth('2026-11')).toEqual([w(2026, 44), w(2026, 45), w(2026, 46), w(2026, 47), w(2026, 48)]);
    expect(weeksEndingInMonth('2026-10')).toEqual([w(2026, 40), w(2026, 41), w(2026, 42), w(2026, 43)]);
    expect(weeksEndingInMonth('2026-02')).toEqual([w(2026, 5), w(2026, 6), w(2026, 7), w(2026, 8)]);
    // 2027-01-03 is the Sunday of 2026-W53.
    expect(weeksEndingInMonth('2027-01')).toEqual([w(2026, 53), w(2027, 1), w(2027, 2), w(2027, 3), w(2027, 4)]);
    expect(weeksEndingInMonth('2025-12')).toEqual([w(2025, 49), w(2025, 50), w(2025, 51), w(2025, 52)]);
    expect(weeksEndingInMonth('bad')).toEqual([]);
  });

  it('assigns every week to exactly one month', () => {
    const seen: string[] = [];
    for (let m = 1; m <= 12; m++) seen.push(...weeksEndingInMonth(`2026-${String(m).padStart(2, '0')}`).map(formatWeek));
    seen.push(...weeksEndingInMonth('2027-01').map(formatWeek));
    const expected: string[] = [];
    for (let week = 1; week <= 53; week++) expected.push(formatWeek(w(2026, week)));
    expect(seen.filter((s) => s.startsWith('2026'))).toEqual(expected);
  });
});
