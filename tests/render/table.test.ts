import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import {
  cleanNumber,
  displayWidth,
  formatRate,
  needsFormulaGuard,
  rateValue,
  safeText,
  sanitizeSheetName,
  uniqueSheetNames,
} from '../../src/render/table.js';
import { toJson } from '../../src/render/json.js';

describe('formatRate', () => {
  it('shows two decimals of the truncated ratio', () => {
    expect(formatRate(0.8947)).toBe('89.47%');
    expect(formatRate(1)).toBe('100.00%');
    expect(formatRate(0)).toBe('0.00%');
    expect(formatRate(0.9)).toBe('90.00%');
    expect(formatRate(0.0057)).toBe('0.57%');
    expect(formatRate(1.05)).toBe('105.00%');
  });
  it('never rounds up a value with more decimals', () => {
    expect(formatRate(0.89999)).toBe('89.99%');
    expect(formatRate(0.89479)).toBe('89.47%');
  });
  it('is exact for every four-decimal ratio despite float noise', () => {
    for (let bp = 0; bp <= 10000; bp++) {
      const expected = `${Math.floor(bp / 100)}.${String(bp % 100).padStart(2, '0')}%`;
      expect(formatRate(bp / 10000)).toBe(expected);
      expect(rateValue(bp / 10000)).toBe(bp / 10000);
    }
  });
  it('shows — for an undefined rate', () => {
    expect(formatRate(null)).toBe('—');
    expect(formatRate(Number.NaN)).toBe('—');
  });
});

describe('cell helpers', () => {
  it('removes float noise from numbers', () => {
    expect(cleanNumber(0.1 + 0.2)).toBe(0.3);
    expect(cleanNumber(-7)).toBe(-7);
  });
  it('guards text that a spreadsheet could take for a formula', () => {
    for (const s of ['=1+2', '+1', '-1', '@SUM(A1)', '\tx', '\rx', '\u0001x', '＝1+2']) {
      expect(needsFormulaGuard(s)).toBe(true);
      expect(safeText(s)).toBe(`'${s}`);
    }
    for (const s of ['张三', 'a=b', '1-2', '', "'quoted"]) expect(safeText(s)).toBe(s);
  });
});

describe('sheet names', () => {
  it('replaces forbidden characters and keeps 31 characters', () => {
    expect(sanitizeSheetName('a[b]c:d*e?f/g\\h')).toBe('a_b_c_d_e_f_g_h');
    expect(sanitizeSheetName("'quoted'")).toBe('quoted');
    expect(sanitizeSheetName('   ')).toBe('Sheet');
    expect(sanitizeSheetName('长'.repeat(40))).toBe('长'.repeat(31));
    const emoji = 'x'.repeat(30) + '😀';
    expect(sanitizeSheetName(emoji)).toBe('x'.repeat(30));
  });
  it('makes names unique, case-insensitively, avoiding reserved names', () => {
    expect(uniqueSheetNames(['说明', 'A', 'a', 'a/b', 'a_b'], ['说明'])).toEqual(['说明 (2)', 'A', 'a (2)', 'a_b', 'a_b (2)']);
    const long = uniqueSheetNames(['x'.repeat(40), 'x'.repeat(35)]);
    expect(long).toEqual(['x'.repeat(31), 'x'.repeat(27) + ' (2)']);
    for (const n of long) expect(n.length).toBeLessThanOrEqual(31);
  });
});

describe('toJson', () => {
  it('indents by two spaces and ends with a newline', () => {
    expect(toJson({ a: [1, null] })).toBe('{\n  "a": [\n    1,\n    null\n  ]\n}\n');
  });
});

describe('displayWidth', () => {
  it('is string-width, for plain ASCII, CJK, control characters and emoji, asked once or again', () => {
    for (const text of ['', '123', '89.47%', '—', '白沙街道', 'a\u001b[31mb', '\t', 'é', '👍🏽', '１２３', 'abc ~', '合计 12']) {
      expect(displayWidth(text)).toBe(stringWidth(text));
      expect(displayWidth(text)).toBe(stringWidth(text));
    }
  });
});
