// The fast paths added for million-row imports must not change a single result: each is
// checked against the plain implementation it short-cuts (copied here as the reference).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDate } from '../../src/domain/dates.js';
import { checkIdNumber } from '../../src/domain/idNumber.js';
import { cleanValue, isPlaceholder, normaliseText, toHalfWidth, toSimplified, traditionalTable } from '../../src/domain/text.js';

const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF\u180E]/g;
const ANY_SPACE = /[\s\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\u0085]+/g;
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/g;
function referenceNormalise(v: string): string {
  let s = v.normalize('NFC').replace(ZERO_WIDTH, '');
  s = toHalfWidth(s);
  s = s.replace(ANY_SPACE, ' ').replace(CONTROL, '');
  return s.replace(/ {2,}/g, ' ').trim();
}
const PLACEHOLDERS = new Set(['无', '暂无', '空', '/', '\\', 'n/a', 'null', '#n/a', '無', '暫無']);
const ALL_DASHES = /^[-\u2010-\u2015\u2212\u2500\uFE58\uFE63]+$/;
function referencePlaceholder(v: string): boolean {
  const s = referenceNormalise(v);
  if (s === '') return false;
  return PLACEHOLDERS.has(s.toLowerCase()) || ALL_DASHES.test(s);
}
function referenceSimplified(s: string): string {
  let out = '';
  for (const ch of s) out += traditionalTable().get(ch) ?? ch;
  return out;
}

const TRADITIONAL = [...traditionalTable().keys()].slice(0, 40);
const cellChars = [
  ...'张王李社区党支部委员会中共1234567890abcXYZ-./:年月日号、。',
  ' ', '\u3000', '\u00a0', '\t', '\n', '\u200b', '\ufeff', '\u0007', '\u007f', '（', '）', 'Ａ', '１', '—', '－', '\u2212', 'e\u0301', '\uf900', '😀', '𠀀',
  ...TRADITIONAL,
];
const cell = fc.array(fc.constantFrom(...cellChars), { maxLength: 14 }).map((parts) => parts.join(''));

describe('text fast paths', () => {
  it('normaliseText equals the plain implementation', () => {
    fc.assert(fc.property(cell, (s) => {
      expect(normaliseText(s)).toBe(referenceNormalise(s));
    }), { numRuns: 20_000 });
  });
  it('isPlaceholder and cleanValue equal the plain implementation', () => {
    const placeholderish = fc.oneof(cell, fc.constantFrom('无', ' 暂无 ', 'N/A', 'NULL', '#N/A', '——', '-----', '－－－－－－', '無', '/', '\\', 'nulls', '——x'));
    fc.assert(
      fc.property(placeholderish, (s) => {
        expect(isPlaceholder(s)).toBe(referencePlaceholder(s));
        expect(cleanValue(s)).toBe(referencePlaceholder(s) ? '' : referenceNormalise(s));
      }),
      { numRuns: 20_000 },
    );
  });
  it('toSimplified equals the plain implementation', () => {
    fc.assert(fc.property(cell, (s) => {
      expect(toSimplified(s)).toBe(referenceSimplified(s));
    }), { numRuns: 20_000 });
    expect(toSimplified('中國共產黨')).toBe('中国共产党');
  });
});

// The date reader as it was before the fast paths (with serials written out as text, added since).
const TIME_SUFFIX = /(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)$/;
const FULL = [/^(?<y>\d{4})(?<sep>[-/.])(?<m>\d{1,2})\k<sep>(?<d>\d{1,2})$/, /^(?<y>\d{4})年(?<m>\d{1,2})月(?<d>\d{1,2})[日号]?$/, /^(?<y>\d{4})(?<m>\d{2})(?<d>\d{2})$/];
const MONTH_ONLY = [/^(?<y>\d{4})[-/.](?<m>\d{1,2})$/, /^(?<y>\d{4})年(?<m>\d{1,2})月?$/, /^(?<y>\d{4})(?<m>\d{2})$/];
function referenceDate(raw: string, allowMonthOnly: boolean) {
  let s = toHalfWidth(raw).trim();
  s = s.replace(TIME_SUFFIX, '').trim();
  s = s.replace(/\s*([年月日号])\s*/g, '$1');
  for (const re of allowMonthOnly ? [...FULL, ...MONTH_ONLY] : FULL) {
    const g = re.exec(s)?.groups;
    if (g) return parseDate(`${g.y.padStart(4, '0')}-${g.m.padStart(2, '0')}-${(g.d ?? '1').padStart(2, '0')}`);
  }
  // Since then: an Excel serial written out as text (five digits) is a serial.
  if (/^\d{5}(\.\d+)?$/.test(s)) return parseDate(Number(s));
  return { ok: false, reason: 'invalid' };
}

describe('date fast paths', () => {
  const digits = (min: number, max: number) => fc.array(fc.constantFrom(...'0123456789'), { minLength: min, maxLength: max }).map((d) => d.join(''));
  const dateText = fc.oneof(
    fc.tuple(fc.constantFrom('19', '20', '21', '18'), digits(2, 2), fc.constantFrom('-', '/', '.', '年', ''), digits(0, 3), fc.constantFrom('-', '/', '.', '月', '', ' '), digits(0, 3), fc.constantFrom('', '日', '号', ' ', ':00')).map((p) => p.join('')),
    fc.array(fc.constantFrom(...'0123456789-/.年月日号 '), { maxLength: 12 }).map((p) => p.join('')),
  );
  it('parseDate reads text exactly as before', () => {
    fc.assert(
      fc.property(dateText, fc.boolean(), (text, monthOnly) => {
        expect(parseDate(text, { allowMonthOnly: monthOnly })).toEqual(referenceDate(text, monthOnly));
      }),
      { numRuns: 30_000 },
    );
    expect(parseDate('2019.4.20')).toEqual({ ok: true, date: '2019-04-20' });
    expect(parseDate('1985年3月', { allowMonthOnly: true })).toEqual({ ok: true, date: '1985-03-01' });
    expect(parseDate('1985.03')).toEqual({ ok: false, reason: 'invalid' });
    expect(parseDate('2019-02-30')).toEqual({ ok: false, reason: 'impossible' });
  });
});

// The ID reader's fast path (an 18-character ID with no separators) against the tolerant
// reading alone: it must give what the tolerant reading gives, with dashes and spaces inside too.
describe('ID number fast path', () => {
  const plain = (id: string) => checkIdNumber(`'${id}`); // the apostrophe skips the fast path
  const idChars = fc.array(fc.constantFrom(...'0123456789X'), { minLength: 18, maxLength: 18 }).map((c) => c.join(''));
  const birth = fc.tuple(fc.constantFrom('110105', '330102'), fc.constantFrom('1949', '1985', '2001'), fc.constantFrom('01', '02', '12', '13'), fc.constantFrom('01', '28', '29', '31'), fc.array(fc.constantFrom(...'0123456789'), { minLength: 3, maxLength: 3 }), fc.constantFrom(...'0123456789X'));
  it('checkIdNumber reads a clean 18-character ID as the tolerant reading does', () => {
    fc.assert(fc.property(fc.oneof(idChars, birth.map(([a, y, m, d, s, c]) => `${a}${y}${m}${d}${s.join('')}${c}`)), (id) => {
      expect(checkIdNumber(id)).toEqual(plain(id));
    }), { numRuns: 20_000 });
  });
  it('dashes and spaces between the groups change nothing', () => {
    fc.assert(fc.property(birth, fc.constantFrom('-', '－', '—', ' ', ' - '), ([a, y, m, d, s, c], sep) => {
      const id = `${a}${y}${m}${d}${s.join('')}${c}`;
      expect(checkIdNumber(`${a}${sep}${y}${m}${d}${sep}${s.join('')}${c}`)).toEqual(checkIdNumber(id));
    }), { numRuns: 5_000 });
  });
});
