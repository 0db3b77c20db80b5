import { describe, expect, it } from 'vitest';
import { checkIdNumber, compactIdText, idCheckDigit, looksLikeIdNumber, maskIdNumber } from '../../src/domain/idNumber.js';

// Valid numbers built with the published GB 11643 example 11010519491231002X.
const VALID = '11010519491231002X';

/** A valid 18-digit ID from 17 digits. */
const withCheck = (first17: string) => first17 + idCheckDigit(first17);

describe('idCheckDigit', () => {
  it('computes the GB 11643 example', () => {
    expect(idCheckDigit('11010519491231002')).toBe('X');
  });

  it('computes known check digits', () => {
    expect(idCheckDigit('44052418800101001')).toBe('4');
    expect(idCheckDigit('00000000000000000')).toBe('1');
    // Every remainder maps to one of 0-9 or X.
    for (let i = 0; i < 200; i++) {
      const d = idCheckDigit(String(10_000_000_000_000_000n + BigInt(i * 7919)).slice(0, 17));
      expect(d).toMatch(/^[0-9X]$/);
    }
  });

  it('rejects input that is not 17 digits', () => {
    expect(() => idCheckDigit('1101051949123100')).toThrow(RangeError);
    expect(() => idCheckDigit('110105194912310021')).toThrow(RangeError);
    expect(() => idCheckDigit('1101051949123100X')).toThrow(RangeError);
  });

  it('detects every single-digit change in the first 17 digits', () => {
    const first17 = VALID.slice(0, 17);
    for (let pos = 0; pos < 17; pos++) {
      for (let digit = 0; digit <= 9; digit++) {
        if (String(digit) === first17[pos]) continue;
        const changed = first17.slice(0, pos) + digit + first17.slice(pos + 1);
        expect(idCheckDigit(changed)).not.toBe('X');
      }
    }
  });
});

describe('checkIdNumber — 18 digits', () => {
  it('accepts a valid number', () => {
    expect(checkIdNumber(VALID)).toEqual({ ok: true, id: VALID, checkDigitValid: true, converted15: false });
  });

  it('upper-cases a lower-case x and trims', () => {
    expect(checkIdNumber('  11010519491231002x ')).toEqual({ ok: true, id: VALID, checkDigitValid: true, converted15: false });
  });

  it('tolerates full-width digits, inner spaces and a leading apostrophe', () => {
    expect(checkIdNumber('１１０１０５１９４９１２３１００２Ｘ')).toMatchObject({ ok: true, id: VALID });
    expect(checkIdNumber('110105 19491231 002X')).toMatchObject({ ok: true, id: VALID });
    expect(checkIdNumber("'11010519491231002X")).toMatchObject({ ok: true, id: VALID });
  });

  it('drops dashes between digit groups as it drops spaces (half-width, full-width, em dash)', () => {
    expect(checkIdNumber('110105-19491231-002X')).toEqual({ ok: true, id: VALID, checkDigitValid: true, converted15: false });
    expect(checkIdNumber('110105－19491231－002x')).toMatchObject({ ok: true, id: VALID });
    expect(checkIdNumber('110105—19491231—002X')).toMatchObject({ ok: true, id: VALID });
    expect(checkIdNumber('110105 - 19491231 - 002X')).toMatchObject({ ok: true, id: VALID });
    expect(checkIdNumber('110105-491231-002')).toMatchObject({ ok: true, converted15: true });
    // Only between the number's characters: a dash before or after it is no group separator.
    expect(checkIdNumber('-11010519491231002X')).toEqual({ ok: false, reason: 'bad-format' });
    expect(checkIdNumber('11010519491231002X-')).toEqual({ ok: false, reason: 'bad-format' });
    expect(checkIdNumber('110105-********-002X')).toEqual({ ok: false, reason: 'masked' });
    expect(compactIdText('110105－********－002x')).toBe('110105********002X');
  });

  it('takes off the apostrophe typed to keep the number as text, before or after it (or both)', () => {
    for (const text of [`'${VALID}`, `${VALID}'`, `‘${VALID}’`, `'${VALID}'`]) expect(checkIdNumber(text)).toMatchObject({ ok: true, id: VALID });
  });

  it('accepts a wrong check digit with checkDigitValid false', () => {
    expect(checkIdNumber('110105194912310021')).toEqual({ ok: true, id: '110105194912310021', checkDigitValid: false, converted15: false });
  });

  it('accepts a valid number that happens to end in 000', () => {
    // Find a 17-digit prefix ending in 00 whose check digit is 0.
    let found = '';
    for (let i = 0; i < 1000 && !found; i++) {
      // area 3201xx, born 1987-03-02, sequence d00
      const first17 = `3201${String(i % 100).padStart(2, '0')}19870302${Math.floor(i / 100)}00`;
      if (idCheckDigit(first17) === '0') found = first17 + '0';
    }
    expect(found).toMatch(/000$/);
    expect(checkIdNumber(found)).toMatchObject({ ok: true, checkDigitValid: true });
  });

  it('reads a wrong check digit after 000 as a number that lost its last digits', () => {
    const truncated = '320106198703024000';
    expect(idCheckDigit(truncated.slice(0, 17))).not.toBe('0');
    expect(checkIdNumber(truncated)).toEqual({ ok: false, reason: 'stored-as-number' });
  });

  it('keeps a wrong check digit ending in a single or double zero a warning, not an error', () => {
    const first17 = '32010619870302410';
    const wrong = first17 + (idCheckDigit(first17) === '0' ? '1' : '0');
    expect(checkIdNumber(wrong)).toMatchObject({ ok: true, checkDigitValid: false });
  });

  it('rejects impossible birth dates', () => {
    expect(checkIdNumber(withCheck('11010519490230002'))).toEqual({ ok: false, reason: 'bad-date' });
    expect(checkIdNumber(withCheck('11010519491301002'))).toEqual({ ok: false, reason: 'bad-date' });
    expect(checkIdNumber(withCheck('11010519490001002'))).toEqual({ ok: false, reason: 'bad-date' });
    expect(checkIdNumber(withCheck('11010519490100002'))).toEqual({ ok: false, reason: 'bad-date' });
    expect(checkIdNumber(withCheck('11010519490431002'))).toEqual({ ok: false, reason: 'bad-date' });
  });

  it('checks leap days', () => {
    expect(checkIdNumber(withCheck('11010520000229002'))).toMatchObject({ ok: true });
    expect(checkIdNumber(withCheck('11010519000229002'))).toEqual({ ok: false, reason: 'bad-date' });
    expect(checkIdNumber(withCheck('11010519990229002'))).toEqual({ ok: false, reason: 'bad-date' });
  });

  it('accepts birth dates from 1900-01-01 to 2100-12-31 only', () => {
    expect(checkIdNumber(withCheck('11010519000101002'))).toMatchObject({ ok: true });
    expect(checkIdNumber(withCheck('11010521001231002'))).toMatchObject({ ok: true });
    expect(checkIdNumber(withCheck('11010518991231002'))).toEqual({ ok: false, reason: 'bad-date' });
    expect(checkIdNumber(withCheck('11010521010101002'))).toEqual({ ok: false, reason: 'bad-date' });
  });

  it('reports a bad date before a wrong check digit', () => {
    expect(checkIdNumber('110105194902300020')).toEqual({ ok: false, reason: 'bad-date' });
  });
});

describe('checkIdNumber — 15 digits', () => {
  it('converts a first-generation number to 18 digits', () => {
    // 110105491231002 → 110105 19 491231002 + check digit X.
    expect(checkIdNumber('110105491231002')).toEqual({ ok: true, id: VALID, checkDigitValid: true, converted15: true });
  });

  it('accepts the 15-digit form as a spreadsheet number', () => {
    expect(checkIdNumber(110105491231002)).toEqual({ ok: true, id: VALID, checkDigitValid: true, converted15: true });
  });

  it('rejects an impossible date in a 15-digit number', () => {
    expect(checkIdNumber('110105490230002')).toEqual({ ok: false, reason: 'bad-date' });
    expect(checkIdNumber(110105491331002)).toEqual({ ok: false, reason: 'bad-date' });
  });
});

describe('checkIdNumber — numbers and mangled text', () => {
  it('rejects spreadsheet numbers that cannot hold an ID', () => {
    expect(checkIdNumber(320106198703024000)).toEqual({ ok: false, reason: 'stored-as-number' });
    expect(checkIdNumber(1.10105e17)).toEqual({ ok: false, reason: 'stored-as-number' });
    expect(checkIdNumber(12345)).toEqual({ ok: false, reason: 'stored-as-number' });
    expect(checkIdNumber(110105491231002.5)).toEqual({ ok: false, reason: 'stored-as-number' });
    expect(checkIdNumber(-110105491231002)).toEqual({ ok: false, reason: 'stored-as-number' });
    expect(checkIdNumber(Number.NaN)).toEqual({ ok: false, reason: 'stored-as-number' });
  });

  it('rejects scientific notation', () => {
    for (const s of ['3.20106198703024E+17', '1.10105E+17', '1.10105e+17', '3.2E17', '１.１０１０５Ｅ＋１７']) {
      expect(checkIdNumber(s), s).toEqual({ ok: false, reason: 'stored-as-number' });
    }
  });

  it('rejects a number printed with a decimal part', () => {
    expect(checkIdNumber('320106198703024000.0')).toEqual({ ok: false, reason: 'stored-as-number' });
    expect(checkIdNumber('110105491231002.0')).toEqual({ ok: false, reason: 'stored-as-number' });
  });

  it('recognises masked numbers', () => {
    expect(checkIdNumber('110105********002X')).toEqual({ ok: false, reason: 'masked' });
    expect(checkIdNumber('1101**********002X')).toEqual({ ok: false, reason: 'masked' });
    expect(checkIdNumber('110105＊＊＊＊＊＊＊＊002X')).toEqual({ ok: false, reason: 'masked' });
    expect(checkIdNumber('*')).toEqual({ ok: false, reason: 'masked' });
  });

  it('rejects everything else as bad-format', () => {
    for (const s of ['', 'abc', '13800138000', '1101051949123100', '11010519491231002', '1101051949123100212', '11010519491231002Y', 'X1010519491231002X', '1101051949123100X2', '11010519491231_002X', '110105-19491231-002', '张三', '11010519491231002XX']) {
      expect(checkIdNumber(s), s).toEqual({ ok: false, reason: 'bad-format' });
    }
  });
});

describe('maskIdNumber', () => {
  it('keeps the first six and last four of an 18-character ID', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('110105********002X');
    expect(maskIdNumber('110105194912310021')).toBe('110105********0021');
  });

  it('masks a 15-digit ID the same way', () => {
    expect(maskIdNumber('110105491231002')).toBe('110105*****1002');
  });

  it('masks short strings sensibly', () => {
    expect(maskIdNumber('')).toBe('');
    expect(maskIdNumber('1')).toBe('*');
    expect(maskIdNumber('123')).toBe('***');
    expect(maskIdNumber('1234')).toBe('1**4');
    expect(maskIdNumber('13800138000')).toBe('13*******00');
  });

  it('never reveals more than 10 characters, nor more than half of a short string, and keeps the length', () => {
    for (let n = 0; n <= 40; n++) {
      const s = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'.slice(0, n);
      const masked = maskIdNumber(s);
      const shown = [...masked].filter((c) => c !== '*').length;
      expect(masked.length).toBe(n);
      expect(shown).toBeLessThanOrEqual(10);
      if (n < 14) expect(shown).toBeLessThanOrEqual(n / 2);
      if (n >= 1) expect(masked).toContain('*');
    }
  });

  it('counts CJK characters as one', () => {
    expect(maskIdNumber('张三丰李四')).toBe('张***四');
  });
});

describe('looksLikeIdNumber', () => {
  it('accepts the ID shapes', () => {
    expect(looksLikeIdNumber(VALID)).toBe(true);
    expect(looksLikeIdNumber('11010519491231002x')).toBe(true);
    expect(looksLikeIdNumber('110105194912310021')).toBe(true); // wrong check digit: still the shape
    expect(looksLikeIdNumber('110105491231002')).toBe(true);
    expect(looksLikeIdNumber(' 11010519491231002X ')).toBe(true);
  });

  it('treats a masked ID as an ID', () => {
    expect(looksLikeIdNumber('110105********002X')).toBe(true);
    expect(looksLikeIdNumber('110105************')).toBe(true);
    expect(looksLikeIdNumber(maskIdNumber('110105491231002'))).toBe(true);
    expect(looksLikeIdNumber('110105*******002X')).toBe(false); // 17 characters
  });

  it('rejects phones, names and other lengths', () => {
    for (const s of ['13800138000', '张三', '', '1101051949123100', '11010519491231002', '1101051949123100X2', 'X1010519491231002X', '110105491231002X', '******************', '1.10105E+17']) {
      expect(looksLikeIdNumber(s), s).toBe(false);
    }
  });
});
