import { describe, expect, it } from 'vitest';
import {
  DEFAULT_THRESHOLD,
  formatRate,
  formatThresholdPercent,
  isBelow,
  meetsActivityMinimum,
  parseThreshold,
  rateValue,
  thresholdValue,
  truncatedRate,
  type Threshold,
} from '../../src/domain/rates.js';

const t = (s: string): Threshold => {
  const r = parseThreshold(s);
  if (!r) throw new Error(`bad threshold ${s}`);
  return r;
};

describe('parseThreshold', () => {
  it('reads decimals as exact fractions in lowest terms', () => {
    expect(parseThreshold('0.9')).toEqual({ text: '0.9', num: 9n, den: 10n });
    expect(parseThreshold('.9')).toEqual({ text: '0.9', num: 9n, den: 10n });
    expect(parseThreshold('0.90')).toEqual({ text: '0.9', num: 9n, den: 10n });
    expect(parseThreshold('0.875')).toEqual({ text: '0.875', num: 7n, den: 8n });
    expect(parseThreshold('0.8')).toEqual({ text: '0.8', num: 4n, den: 5n });
    expect(parseThreshold('1')).toEqual({ text: '1', num: 1n, den: 1n });
    expect(parseThreshold('1.0')).toEqual({ text: '1', num: 1n, den: 1n });
    expect(parseThreshold('0.333')).toEqual({ text: '0.333', num: 333n, den: 1000n });
    expect(parseThreshold(' 0.9 ')).toEqual({ text: '0.9', num: 9n, den: 10n });
    expect(parseThreshold('0.0001')).toEqual({ text: '0.0001', num: 1n, den: 10000n });
  });

  it('reads percentages', () => {
    expect(parseThreshold('90%')).toEqual({ text: '0.9', num: 9n, den: 10n });
    expect(parseThreshold('87.5%')).toEqual({ text: '0.875', num: 7n, den: 8n });
    expect(parseThreshold('100%')).toEqual({ text: '1', num: 1n, den: 1n });
    expect(parseThreshold('5%')).toEqual({ text: '0.05', num: 1n, den: 20n });
    expect(parseThreshold('９０％')).toEqual({ text: '0.9', num: 9n, den: 10n });
  });

  it('refuses anything outside (0, 1] or not a plain number', () => {
    for (const s of ['0', '0.0', '0%', '1.5', '1.0001', '101%', '90', 'abc', '', '.', '%', '-0.9', '+0.9', '0.9.1', '1e-1', '0,9', '0.9 %', 'NaN', 'Infinity', '0x1']) {
      expect(parseThreshold(s), s).toBeNull();
    }
  });

  it('offers the default and display forms', () => {
    expect(DEFAULT_THRESHOLD).toEqual(parseThreshold('0.9'));
    expect(thresholdValue(t('0.9'))).toBe(0.9);
    expect(thresholdValue(t('87.5%'))).toBe(0.875);
    expect(formatThresholdPercent(t('0.9'))).toBe('90%');
    expect(formatThresholdPercent(t('1'))).toBe('100%');
    expect(formatThresholdPercent(t('0.875'))).toBe('87.5%');
    expect(formatThresholdPercent(t('0.05'))).toBe('5%');
    expect(formatThresholdPercent(t('0.005'))).toBe('0.5%');
    expect(formatThresholdPercent(t('0.0125'))).toBe('1.25%');
  });
});

describe('isBelow', () => {
  const t90 = t('0.9');

  it('compares exactly', () => {
    expect(isBelow(9, 10, t90)).toBe(false);
    expect(isBelow(899, 1000, t90)).toBe(true);
    expect(isBelow(900, 1000, t90)).toBe(false);
    expect(isBelow(8, 10, t90)).toBe(true);
    expect(isBelow(17, 19, t90)).toBe(true);
    expect(isBelow(32, 35, t90)).toBe(false);
    expect(isBelow(18, 20, t90)).toBe(false);
    expect(isBelow(0, 1, t90)).toBe(true);
    expect(isBelow(10, 10, t90)).toBe(false);
  });

  it('does not suffer from floating point', () => {
    // 0.1 + 0.2 style traps: 7/10 at 0.7 and 29/100 at 0.29 are exactly at the threshold.
    expect(isBelow(7, 10, t('0.7'))).toBe(false);
    expect(isBelow(29, 100, t('0.29'))).toBe(false);
    expect(isBelow(57, 100, t('0.57'))).toBe(false);
    expect(isBelow(7, 8, t('0.875'))).toBe(false);
    expect(isBelow(874_999, 1_000_000, t('0.875'))).toBe(true);
    // Large counts stay exact.
    expect(isBelow(899_999_999, 1_000_000_000, t90)).toBe(true);
    expect(isBelow(900_000_000, 1_000_000_000, t90)).toBe(false);
  });

  it('at threshold 1 only a full house is not below', () => {
    const t1 = t('1');
    expect(isBelow(10, 10, t1)).toBe(false);
    expect(isBelow(9, 10, t1)).toBe(true);
  });

  it('with nobody expected is never below', () => {
    expect(isBelow(0, 0, t90)).toBe(false);
    expect(isBelow(0, 0, t('1'))).toBe(false);
  });

  it('refuses counts that are not whole numbers', () => {
    expect(() => isBelow(1.5, 10, t90)).toThrow(RangeError);
    expect(() => isBelow(-1, 10, t90)).toThrow(RangeError);
    expect(() => isBelow(1, Number.NaN, t90)).toThrow(RangeError);
  });
});

describe('rates', () => {
  it('gives the exact ratio, or null', () => {
    expect(rateValue(9, 10)).toBe(0.9);
    expect(rateValue(17, 19)).toBe(17 / 19);
    expect(rateValue(0, 5)).toBe(0);
    expect(rateValue(0, 0)).toBeNull();
    expect(rateValue(3, 0)).toBeNull();
  });

  it('truncates to four decimals', () => {
    expect(truncatedRate(17, 19)).toBe(0.8947);
    expect(truncatedRate(32, 35)).toBe(0.9142);
    expect(truncatedRate(2, 3)).toBe(0.6666);
    expect(truncatedRate(8999, 10000)).toBe(0.8999);
    expect(truncatedRate(89999, 100000)).toBe(0.8999);
    expect(truncatedRate(9, 10)).toBe(0.9);
    expect(truncatedRate(1, 1)).toBe(1);
    expect(truncatedRate(0, 7)).toBe(0);
    expect(truncatedRate(0, 0)).toBeNull();
  });

  it('formats as a truncated percentage', () => {
    expect(formatRate(17, 19)).toBe('89.47%');
    expect(formatRate(32, 35)).toBe('91.42%');
    expect(formatRate(2, 3)).toBe('66.66%');
    expect(formatRate(1, 1)).toBe('100.00%');
    expect(formatRate(9, 10)).toBe('90.00%');
    expect(formatRate(89999, 100000)).toBe('89.99%');
    expect(formatRate(1, 3)).toBe('33.33%');
    expect(formatRate(1, 10000)).toBe('0.01%');
    expect(formatRate(1, 10001)).toBe('0.00%');
    expect(formatRate(0, 12)).toBe('0.00%');
    expect(formatRate(0, 0)).toBe('—');
    expect(formatRate(5, 0)).toBe('—');
  });
});

describe('rate properties', () => {
  it('truncatedRate never exceeds the exact rate, and is within 0.0001 of it', () => {
    for (let e = 1; e <= 400; e++) {
      for (let r = 0; r <= e; r++) {
        const tr = truncatedRate(r, e)!;
        expect(tr <= r / e).toBe(true);
        expect(r / e - tr < 0.0001 + 1e-12).toBe(true);
      }
    }
  });

  it('a rate below 90% never shows as 90.00% or more, and one not below always does', () => {
    const t90 = t('0.9');
    for (let e = 1; e <= 2000; e++) {
      for (let r = Math.floor(e * 0.85); r <= e; r++) {
        const shown = formatRate(r, e);
        const percent = Number(shown.replace('%', ''));
        if (isBelow(r, e, t90)) expect(percent < 90, `${r}/${e} ${shown}`).toBe(true);
        else expect(percent >= 90, `${r}/${e} ${shown}`).toBe(true);
      }
    }
  });

  it('isBelow agrees with exact rational comparison for assorted thresholds', () => {
    for (const s of ['0.5', '0.75', '0.875', '0.9', '0.95', '0.333', '1']) {
      const th = t(s);
      for (let e = 0; e <= 120; e++) {
        for (let r = 0; r <= e; r++) {
          // r/e < num/den  ⇔  r·den < num·e, checked here in plain integers (small enough to be exact).
          const expected = e > 0 && r * Number(th.den) < Number(th.num) * e;
          expect(isBelow(r, e, th)).toBe(expected);
        }
      }
    }
  });

  it('formatRate shows two decimals, is monotone in reported and agrees with truncatedRate', () => {
    for (let e = 1; e <= 300; e++) {
      let prev = -1;
      for (let r = 0; r <= e; r++) {
        const shown = formatRate(r, e);
        expect(shown).toMatch(/^\d{1,3}\.\d{2}%$/);
        const value = Number(shown.slice(0, -1));
        expect(value).toBeGreaterThanOrEqual(prev);
        expect(Math.round(value * 100)).toBe(Math.round(truncatedRate(r, e)! * 10000));
        prev = value;
      }
    }
  });
});

describe('meetsActivityMinimum', () => {
  it('defaults to two activities', () => {
    expect(meetsActivityMinimum(0)).toBe(false);
    expect(meetsActivityMinimum(1)).toBe(false);
    expect(meetsActivityMinimum(2)).toBe(true);
    expect(meetsActivityMinimum(5)).toBe(true);
  });

  it('takes another minimum', () => {
    expect(meetsActivityMinimum(2, 3)).toBe(false);
    expect(meetsActivityMinimum(3, 3)).toBe(true);
    expect(meetsActivityMinimum(0, 0)).toBe(true);
  });
});
