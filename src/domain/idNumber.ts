// Chinese resident ID numbers (公民身份号码, GB 11643-1999), SPEC §2 and §4.
import { daysInMonth } from './dates.js';
import { toHalfWidth } from './text.js';

export type IdCheck =
  | { ok: true; id: string; checkDigitValid: boolean; converted15: boolean }
  | { ok: false; reason: 'stored-as-number' | 'masked' | 'bad-format' | 'bad-date' };

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';
const ID18 = /^\d{17}[\dX]$/;

/** The GB 11643 check character (ISO 7064 MOD 11-2) of the first 17 digits. */
export function idCheckDigit(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError(`idCheckDigit needs 17 digits, got "${first17}"`);
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}

function validBirthDate(yyyymmdd: string): boolean {
  const y = Number(yyyymmdd.slice(0, 4));
  const m = Number(yyyymmdd.slice(4, 6));
  const d = Number(yyyymmdd.slice(6, 8));
  return y >= 1900 && y <= 2100 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

function check18(id: string, converted15: boolean): IdCheck {
  if (!validBirthDate(id.slice(6, 14))) return { ok: false, reason: 'bad-date' };
  const checkDigitValid = idCheckDigit(id.slice(0, 17)) === id[17];
  // Excel keeps 15 significant digits: an 18-digit number comes back with 000 at the end.
  if (!checkDigitValid && id.endsWith('000')) return { ok: false, reason: 'stored-as-number' };
  return { ok: true, id, checkDigitValid, converted15 };
}

/** First-generation 15-digit number → 18 digits: century 19 inserted, check digit appended. */
function from15(id15: string): IdCheck {
  const first17 = id15.slice(0, 6) + '19' + id15.slice(6);
  if (!validBirthDate(first17.slice(6, 14))) return { ok: false, reason: 'bad-date' };
  return { ok: true, id: first17 + idCheckDigit(first17), checkDigitValid: true, converted15: true };
}

// Dashes people put between an ID's groups (110105-19850202-0028), as spaces are: hyphen, the
// dashes and minus sign that input methods give (－ is half-width by then).
const GROUP_DASHES = /(?<=[\dX*])[-\u2010-\u2015\u2212]+(?=[\dX*])/g;

/**
 * An ID number's text as written, without what people put between its groups (spaces, dashes
 * between digits), half-width, upper-case, without a leading text apostrophe. Also the form of a
 * masked ID kept for telling members apart.
 */
export function compactIdText(raw: string): string {
  const s = toHalfWidth(raw).replace(/[\s\u00A0\u200B\uFEFF]+/g, '').replace(/^['‘’]+|['‘’]+$/g, '').toUpperCase();
  // Only between characters of the number: a dash elsewhere stays, and the value stays refused.
  return s.replace(GROUP_DASHES, '');
}

/**
 * Validate an ID number from a cell. A spreadsheet number is accepted only when it can hold the
 * ID exactly (15 digits); anything that looks like a number Excel mangled is 'stored-as-number'.
 */
export function checkIdNumber(raw: string | number): IdCheck {
  if (typeof raw === 'number') {
    // Doubles hold 15 digits exactly; 18-digit numbers have already lost their tail.
    if (Number.isInteger(raw) && raw >= 1e14 && raw < 1e15) return from15(String(raw));
    return { ok: false, reason: 'stored-as-number' };
  }
  if (typeof raw !== 'string') return { ok: false, reason: 'bad-format' };
  // Fast path: already clean (what the tolerant reading below would make of it unchanged).
  if (raw.length === 18 && ID18.test(raw)) return check18(raw, false);
  // Tolerate what callers may have missed: full-width, spaces or dashes inside, a leading text apostrophe.
  const s = compactIdText(raw);
  if (/^\d+(?:\.\d+)?E\+?\d+$/.test(s)) return { ok: false, reason: 'stored-as-number' };
  // "110105198703021.0": a number printed with a decimal part.
  if (/^\d{15,18}\.0*$/.test(s)) return { ok: false, reason: 'stored-as-number' };
  if (s.includes('*')) return { ok: false, reason: 'masked' };
  if (/^\d{15}$/.test(s)) return from15(s);
  if (/^\d{17}[\dX]$/.test(s)) return check18(s, false);
  return { ok: false, reason: 'bad-format' };
}

/** Mask for display: 110105********123X. Never shows more than 10 characters, or half of a short string. */
export function maskIdNumber(id: string): string {
  const chars = Array.from(id.trim());
  const n = chars.length;
  const [head, tail] = n >= 14 ? [6, 4] : [Math.floor(n / 4), Math.floor(n / 4)];
  return chars.slice(0, head).join('') + '*'.repeat(n - head - tail) + chars.slice(n - tail).join('');
}

/**
 * Shape of an ID number (15 digits, or 17 digits and a digit or X), masked forms included, to
 * tell an ID from a phone number or a name. Says nothing about validity.
 */
export function looksLikeIdNumber(s: string): boolean {
  const t = s.trim();
  if (/^\d{15}$/.test(t) || /^\d{17}[\dXx]$/.test(t)) return true;
  // A masked ID (110105********123X) is still an ID, so that it gets the 'masked' message.
  return (t.length === 15 || t.length === 18) && /^\d{6}[\d*]+[\dXx*]$/.test(t) && t.includes('*');
}

/**
 * Whether a masked ID number (110105********123X) can be this full one: same length, and every
 * character it shows is the full number's at that place.
 */
export function maskedIdFits(masked: string, id: string): boolean {
  if (masked.length !== id.length) return false;
  for (let i = 0; i < masked.length; i++) if (masked[i] !== '*' && masked[i] !== id[i]) return false;
  return true;
}

/**
 * The digit strings one typing slip away from `digits`: one digit replaced, or two neighbours
 * swapped (the slips people make most; GB 11643 check digits are designed to catch them).
 */
export function typoVariants(digits: string): string[] {
  const variants: string[] = [];
  for (let i = 0; i < digits.length; i++) {
    for (let d = 0; d <= 9; d++) {
      const digit = String(d);
      if (digit !== digits[i]) variants.push(digits.slice(0, i) + digit + digits.slice(i + 1));
    }
    if (i + 1 < digits.length && digits[i] !== digits[i + 1]) variants.push(digits.slice(0, i) + digits[i + 1] + digits[i] + digits.slice(i + 2));
  }
  return variants;
}

/**
 * The valid ID numbers one slip away from an 18-character one: a slip in the first 17 digits
 * that the given check character then fits, or the same 17 digits with their own check
 * character. (A valid number is no slip away from another: the check digit catches every one.)
 */
export function idNumberVariants(id: string): string[] {
  const first17 = id.slice(0, 17);
  if (!/^\d{17}$/.test(first17)) return [];
  const variants = typoVariants(first17)
    .filter((v) => idCheckDigit(v) === id[17])
    .map((v) => v + id[17]);
  const own = idCheckDigit(first17);
  if (own !== id[17]) variants.push(first17 + own);
  return variants;
}
