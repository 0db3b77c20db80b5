import { describe, expect, it } from 'vitest';
import {
  addDays,
  compareDates,
  daysBetween,
  daysInMonth,
  fromDayNumber,
  isLeapYear,
  isoWeekday,
  isValidIsoDate,
  parseDate,
  toDayNumber,
} from '../../src/domain/dates.js';

const ok = (date: string) => ({ ok: true, date });
const bad = (reason: 'invalid' | 'impossible' | 'out-of-range') => ({ ok: false, reason });

describe('parseDate — JS dates', () => {
  it('uses the UTC day of a Date', () => {
    expect(parseDate(new Date(Date.UTC(2019, 3, 20)))).toEqual(ok('2019-04-20'));
    expect(parseDate(new Date('2019-04-20T00:00:00Z'))).toEqual(ok('2019-04-20'));
  });

  it('ignores the time of day', () => {
    expect(parseDate(new Date('2019-04-20T23:59:59.999Z'))).toEqual(ok('2019-04-20'));
    expect(parseDate(new Date('2019-04-20T12:30:00Z'))).toEqual(ok('2019-04-20'));
  });

  it('rejects an invalid Date and years out of range', () => {
    expect(parseDate(new Date(Number.NaN))).toEqual(bad('invalid'));
    expect(parseDate(new Date(Date.UTC(1899, 11, 31)))).toEqual(bad('out-of-range'));
    expect(parseDate(new Date(Date.UTC(2101, 0, 1)))).toEqual(bad('out-of-range'));
    expect(parseDate(new Date(Date.UTC(1900, 0, 1)))).toEqual(ok('1900-01-01'));
    expect(parseDate(new Date(Date.UTC(2100, 11, 31)))).toEqual(ok('2100-12-31'));
  });
});

describe('parseDate — Excel serials', () => {
  it('reads well-known serials', () => {
    expect(parseDate(1)).toEqual(ok('1900-01-01'));
    expect(parseDate(25569)).toEqual(ok('1970-01-01'));
    expect(parseDate(43575)).toEqual(ok('2019-04-20'));
    expect(parseDate(44197)).toEqual(ok('2021-01-01'));
    expect(parseDate(46000)).toEqual(ok('2025-12-09'));
  });

  it('handles the 1900 leap-year bug', () => {
    expect(parseDate(59)).toEqual(ok('1900-02-28'));
    expect(parseDate(60)).toEqual(bad('impossible'));
    expect(parseDate(61)).toEqual(ok('1900-03-01'));
    expect(parseDate(31)).toEqual(ok('1900-01-31'));
    expect(parseDate(32)).toEqual(ok('1900-02-01'));
  });

  it('ignores the fractional part (time of day)', () => {
    expect(parseDate(43575.99999)).toEqual(ok('2019-04-20'));
    expect(parseDate(43575.5)).toEqual(ok('2019-04-20'));
    expect(parseDate(60.5)).toEqual(bad('impossible'));
  });

  it('gives the last day of the supported range and refuses beyond', () => {
    expect(parseDate(73415)).toEqual(ok('2100-12-31'));
    expect(parseDate(73416)).toEqual(bad('out-of-range'));
    expect(parseDate(2958465)).toEqual(bad('out-of-range'));
  });

  it('reads a serial written out as text (five digits), and no other number text', () => {
    expect(parseDate('46086')).toEqual(ok('2026-03-05'));
    expect(parseDate('43575.5')).toEqual(ok('2019-04-20'));
    expect(parseDate(' 46086 ')).toEqual(ok('2026-03-05'));
    expect(parseDate('4608')).toEqual(bad('invalid'));
    expect(parseDate('460866')).toEqual(bad('invalid'));
  });

  it('rejects numbers that are not serials', () => {
    expect(parseDate(0)).toEqual(bad('invalid'));
    expect(parseDate(0.5)).toEqual(bad('invalid'));
    expect(parseDate(-1)).toEqual(bad('invalid'));
    expect(parseDate(2958466)).toEqual(bad('invalid'));
    expect(parseDate(Number.NaN)).toEqual(bad('invalid'));
    expect(parseDate(Number.POSITIVE_INFINITY)).toEqual(bad('invalid'));
  });

  it('is consecutive across the whole supported range', () => {
    let prev = parseDate(61);
    for (let serial = 62; serial <= 73415; serial++) {
      const cur = parseDate(serial);
      if (!cur.ok || !prev.ok) throw new Error(`serial ${serial}`);
      expect(cur.date === addDays(prev.date, 1)).toBe(true);
      prev = cur;
    }
  });

  it('reads an 8-digit number typed into a General cell as YYYYMMDD', () => {
    expect(parseDate(20190420)).toEqual(ok('2019-04-20'));
    expect(parseDate(20260230)).toEqual(bad('impossible'));
  });
});

describe('parseDate — text', () => {
  it('reads the accepted forms', () => {
    for (const s of [
      '2019-04-20', '2019-4-20', '2019/4/20', '2019/04/20', '2019.4.20', '2019.04.20',
      '2019年4月20日', '2019年04月20日', '2019年4月20号', '2019 年 4 月 20 日', '2019年4月20',
      '20190420', ' 2019-04-20 ',
    ]) {
      expect(parseDate(s), s).toEqual(ok('2019-04-20'));
    }
  });

  it('ignores a time after the date', () => {
    for (const s of [
      '2019-04-20 00:00:00', '2019-04-20T00:00:00', '2019/4/20 8:05', '2019-04-20T00:00:00.000Z',
      '2019-04-20 23:59:59', '2019年4月20日 00:00:00', '20190420 00:00:00', '2019-04-20T00:00:00+08:00',
    ]) {
      expect(parseDate(s), s).toEqual(ok('2019-04-20'));
    }
  });

  it('accepts full-width digits and punctuation', () => {
    expect(parseDate('２０１９－０４－２０')).toEqual(ok('2019-04-20'));
    expect(parseDate('２０１９年４月２０日')).toEqual(ok('2019-04-20'));
    expect(parseDate('２０１９／４／２０')).toEqual(ok('2019-04-20'));
    expect(parseDate('２０１９０４２０')).toEqual(ok('2019-04-20'));
  });

  it('validates the calendar', () => {
    expect(parseDate('2026-02-30')).toEqual(bad('impossible'));
    expect(parseDate('2026-02-29')).toEqual(bad('impossible'));
    expect(parseDate('2024-02-29')).toEqual(ok('2024-02-29'));
    expect(parseDate('2000-02-29')).toEqual(ok('2000-02-29'));
    expect(parseDate('1900-02-29')).toEqual(bad('impossible'));
    expect(parseDate('2026-04-31')).toEqual(bad('impossible'));
    expect(parseDate('2026-13-01')).toEqual(bad('impossible'));
    expect(parseDate('2026-00-10')).toEqual(bad('impossible'));
    expect(parseDate('2026-01-00')).toEqual(bad('impossible'));
    expect(parseDate('20261301')).toEqual(bad('impossible'));
    expect(parseDate('2026年2月30日')).toEqual(bad('impossible'));
  });

  it('refuses years outside 1900..2100', () => {
    expect(parseDate('1899-12-31')).toEqual(bad('out-of-range'));
    expect(parseDate('2101-01-01')).toEqual(bad('out-of-range'));
    expect(parseDate('0019-04-20')).toEqual(bad('out-of-range'));
    expect(parseDate('1900-01-01')).toEqual(ok('1900-01-01'));
    expect(parseDate('2100-12-31')).toEqual(ok('2100-12-31'));
    // Out of range is reported even when the day is impossible too.
    expect(parseDate('2200-02-30')).toEqual(bad('out-of-range'));
  });

  it('reads only five-digit numeric strings as serials (SPEC §4: dates accept serials)', () => {
    expect(parseDate('43575')).toEqual(ok('2019-04-20'));
    expect(parseDate('1')).toEqual(bad('invalid'));
    expect(parseDate('123')).toEqual(bad('invalid'));
  });

  it('rejects text that is not a date', () => {
    for (const s of ['', '   ', 'abc', '2019-04', '2019年4月', '198503', '19-04-20', '2019-04-20-01', '2019/04-20', '2019.4/20', '4/20/2019', '2019-04-20x', '2019--04-20', '201904201', '2019年', '今天']) {
      expect(parseDate(s), s).toEqual(bad('invalid'));
    }
  });

  it('rejects values of other types', () => {
    for (const v of [null, undefined, true, {}, [], 20190420n]) expect(parseDate(v)).toEqual(bad('invalid'));
  });
});

describe('parseDate — month only', () => {
  const month = { allowMonthOnly: true };

  it('reads year and month as the first of the month', () => {
    for (const s of ['1985.03', '1985.3', '1985年3月', '1985年03月', '1985-03', '1985-3', '1985/3', '1985/03', '198503', '1985 年 3 月', '1985年3']) {
      expect(parseDate(s, month), s).toEqual(ok('1985-03-01'));
    }
  });

  it('still reads full dates', () => {
    expect(parseDate('1985-03-17', month)).toEqual(ok('1985-03-17'));
    expect(parseDate('1985年3月17日', month)).toEqual(ok('1985-03-17'));
    expect(parseDate(31123, month)).toEqual(ok('1985-03-17'));
    expect(parseDate(new Date(Date.UTC(1985, 2, 17)), month)).toEqual(ok('1985-03-17'));
  });

  it('validates the month and year', () => {
    expect(parseDate('1985.13', month)).toEqual(bad('impossible'));
    expect(parseDate('1985-00', month)).toEqual(bad('impossible'));
    expect(parseDate('198513', month)).toEqual(bad('impossible'));
    expect(parseDate('1885.03', month)).toEqual(bad('out-of-range'));
  });

  it('reads month-only numbers from General cells as the text Excel shows', () => {
    expect(parseDate(1985.03, month)).toEqual(ok('1985-03-01'));
    expect(parseDate(1985.12, month)).toEqual(ok('1985-12-01'));
    expect(parseDate(1985.3, month)).toEqual(ok('1985-03-01'));
    expect(parseDate(198503, month)).toEqual(ok('1985-03-01'));
    expect(parseDate(1985.13, month)).toEqual(bad('impossible'));
  });

  it('reads a month-only number as its format shows it: 1985.1 is October in a 0.00 cell', () => {
    const twoDecimals = { ...month, shownDecimals: 2 };
    expect(parseDate(1985.1, twoDecimals)).toEqual(ok('1985-10-01'));
    expect(parseDate(1985.03, twoDecimals)).toEqual(ok('1985-03-01'));
    expect(parseDate(1985.11, twoDecimals)).toEqual(ok('1985-11-01'));
    expect(parseDate(1985.2, twoDecimals)).toEqual(bad('impossible'));
    // Only a month-only number: elsewhere a number is a serial whatever it shows.
    expect(parseDate(43575.5, { shownDecimals: 2 })).toEqual(ok('2019-04-20'));
  });

  it('reads 1985.1 shown as such as January, saying it may be October typed as 1985.10', () => {
    expect(parseDate(1985.1, month)).toEqual({ ...ok('1985-01-01'), ambiguousMonth: true });
    expect(parseDate(1985.1, { ...month, shownDecimals: 1 })).toEqual({ ...ok('1985-01-01'), ambiguousMonth: true });
    // Two decimals, or text, say which month it is.
    expect(parseDate(1985.11, month)).toEqual(ok('1985-11-01'));
    expect(parseDate(1985.01, month)).toEqual(ok('1985-01-01'));
    expect(parseDate('1985.1', month)).toEqual(ok('1985-01-01'));
  });

  it('is not applied unless asked for', () => {
    expect(parseDate('1985.03')).toEqual(bad('invalid'));
    expect(parseDate('1985年3月')).toEqual(bad('invalid'));
    expect(parseDate('198503')).toEqual(bad('invalid'));
    // As a plain number 1985.03 is a serial in 1905.
    expect(parseDate(1985.03)).toEqual(ok('1905-06-07'));
  });
});

describe('isValidIsoDate', () => {
  it('accepts real dates in YYYY-MM-DD form', () => {
    expect(isValidIsoDate('2026-11-21')).toBe(true);
    expect(isValidIsoDate('2024-02-29')).toBe(true);
    expect(isValidIsoDate('0001-01-01')).toBe(true);
  });

  it('rejects other forms and impossible dates', () => {
    for (const s of ['2026-2-1', '2026/11/21', '20261121', '2026-11-21 ', '2026-02-29', '2026-13-01', '2026-00-01', '2026-01-32', '0000-01-01', '', 'today']) {
      expect(isValidIsoDate(s), s).toBe(false);
    }
  });
});

describe('date arithmetic', () => {
  it('adds days across months, years and leap days', () => {
    expect(addDays('2026-11-21', 1)).toBe('2026-11-22');
    expect(addDays('2026-11-30', 1)).toBe('2026-12-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2026-11-21', 0)).toBe('2026-11-21');
    expect(addDays('2026-11-21', -365)).toBe('2025-11-21');
    expect(addDays('1900-01-01', 36524)).toBe('2000-01-01'); // 24 leap days: 1900 is not one
  });

  it('is not confused by years below 100', () => {
    expect(addDays('0050-12-31', 1)).toBe('0051-01-01');
  });

  it('rejects a malformed date or a fractional count', () => {
    expect(() => addDays('2026-02-30', 1)).toThrow(RangeError);
    expect(() => addDays('2026-11-21', 1.5)).toThrow(RangeError);
  });

  it('round-trips day numbers', () => {
    expect(toDayNumber('1970-01-01')).toBe(0);
    expect(toDayNumber('1969-12-31')).toBe(-1);
    for (let n = -30000; n < 60000; n += 97) expect(toDayNumber(fromDayNumber(n))).toBe(n);
    expect(daysBetween('2026-01-01', '2027-01-01')).toBe(365);
    expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366);
  });

  it('compares dates', () => {
    expect(compareDates('2026-01-01', '2026-01-02')).toBe(-1);
    expect(compareDates('2026-01-02', '2026-01-01')).toBe(1);
    expect(compareDates('2026-01-01', '2026-01-01')).toBe(0);
    expect(compareDates('2025-12-31', '2026-01-01')).toBe(-1);
    expect(['2026-03-01', '2025-12-31', '2026-02-28'].sort(compareDates)).toEqual(['2025-12-31', '2026-02-28', '2026-03-01']);
  });

  it('knows weekdays, month lengths and leap years', () => {
    expect(isoWeekday('2026-11-16')).toBe(1);
    expect(isoWeekday('2026-11-22')).toBe(7);
    expect(isoWeekday('1970-01-01')).toBe(4);
    expect(isoWeekday('1969-12-29')).toBe(1);
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(2100, 2)).toBe(28);
    expect(daysInMonth(2026, 4)).toBe(30);
    expect(daysInMonth(2026, 13)).toBe(0);
    expect(isLeapYear(2000)).toBe(true);
    expect(isLeapYear(1900)).toBe(false);
  });
});
