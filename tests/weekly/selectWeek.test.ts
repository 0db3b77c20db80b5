// Which week a weekly report covers (--week, --date, the default), at year boundaries too.
import { describe, expect, it } from 'vitest';
import { DbdError, ExitCode } from '../../src/errors.js';
import { setLang } from '../../src/i18n/index.js';
import { selectWeek } from '../../src/report/weekly.js';

setLang('zh');

function usage(fn: () => unknown): DbdError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DbdError);
    expect((error as DbdError).exitCode).toBe(ExitCode.usage);
    return error as DbdError;
  }
  throw new Error('expected a usage error');
}

describe('the default week: the last complete week (its Sunday before today)', () => {
  it.each([
    ['2026-11-21', '2026-W46', '2026-11-09', '2026-11-15'], // Saturday of W47
    ['2026-11-16', '2026-W46', '2026-11-09', '2026-11-15'], // Monday of W47: W46 ended yesterday
    ['2026-11-22', '2026-W46', '2026-11-09', '2026-11-15'], // Sunday of W47: W47 not over until it ends
    ['2026-11-23', '2026-W47', '2026-11-16', '2026-11-22'],
    ['2027-01-04', '2026-W53', '2026-12-28', '2027-01-03'], // 2026 has a W53
    ['2026-01-05', '2026-W01', '2025-12-29', '2026-01-04'], // 2025-12-29 belongs to 2026-W01
    ['2026-01-01', '2025-W52', '2025-12-22', '2025-12-28'],
  ])('today %s → %s (%s..%s)', (today, week, start, end) => {
    expect(selectWeek({ today })).toEqual({ week, start, end });
  });
});

describe('--date D: the week that contains D', () => {
  it('a Sunday belongs to the week it ends', () => {
    expect(selectWeek({ date: '2026-11-15', today: '2026-12-01' })).toEqual({ week: '2026-W46', start: '2026-11-09', end: '2026-11-15' });
  });
  it('a Monday starts a week', () => {
    expect(selectWeek({ date: '2026-11-16', today: '2026-12-01' })).toEqual({ week: '2026-W47', start: '2026-11-16', end: '2026-11-22' });
  });
  it('across year ends, by ISO week-years', () => {
    expect(selectWeek({ date: '2025-12-29', today: '2026-12-01' }).week).toBe('2026-W01');
    expect(selectWeek({ date: '2027-01-03', today: '2026-12-01' }).week).toBe('2026-W53');
    expect(selectWeek({ date: '2027-01-04', today: '2026-12-01' })).toEqual({ week: '2027-W01', start: '2027-01-04', end: '2027-01-10' });
  });
  it('a date that does not exist is a usage error', () => {
    expect(usage(() => selectWeek({ date: '2026-02-30', today: '2026-12-01' })).message).toContain('2026-02-30');
  });
});

describe('--week', () => {
  it('2026-W53 exists: 2026-12-28..2027-01-03', () => {
    expect(selectWeek({ week: '2026-W53', today: '2026-11-21' })).toEqual({ week: '2026-W53', start: '2026-12-28', end: '2027-01-03' });
  });
  it('accepts 2026W47 and 2026-w7 as well', () => {
    expect(selectWeek({ week: '2026W47', today: '2026-11-21' }).week).toBe('2026-W47');
    expect(selectWeek({ week: '2026-w7', today: '2026-11-21' }).week).toBe('2026-W07');
  });
  it('2025-W53 does not exist: exit 2, saying how many weeks 2025 has', () => {
    expect(usage(() => selectWeek({ week: '2025-W53', today: '2026-11-21' })).message).toBe('2025 年没有第 53 周（该年只有 52 周）');
  });
  it('week 0 and malformed values are usage errors', () => {
    usage(() => selectWeek({ week: '2026-W00', today: '2026-11-21' }));
    expect(usage(() => selectWeek({ week: '第47周', today: '2026-11-21' })).message).toContain('第47周');
  });
  it('--week and --date together are a usage error', () => {
    expect(usage(() => selectWeek({ week: '2026-W46', date: '2026-11-10', today: '2026-11-21' })).message).toBe('--week 和 --date 只能给其中一个');
  });
});
