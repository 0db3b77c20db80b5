// Check-in rates in exact arithmetic (SPEC §6): comparisons never go through floating point.
import { toHalfWidth } from './text.js';

/** A threshold as an exact fraction num/den (in lowest terms); text is its canonical decimal. */
export interface Threshold { text: string; num: bigint; den: bigint }

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a < 0n ? -a : a;
}

/** Canonical decimal of digits/10^scale: no leading or trailing zeros beyond what is needed. */
function decimalText(digits: bigint, scale: number): string {
  const s = digits.toString().padStart(scale + 1, '0');
  const whole = s.slice(0, s.length - scale);
  const frac = s.slice(s.length - scale).replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : whole;
}

/** '0.9', '.9', '0.875', '1', '90%', '87.5%' → exact fraction; null unless a plain number in (0, 1]. */
export function parseThreshold(s: string): Threshold | null {
  const m = /^(\d*)(?:\.(\d*))?(%?)$/.exec(toHalfWidth(s).trim().replace(/％$/, '%'));
  if (!m) return null;
  const [, intPart, fracPart = '', percent] = m;
  if (intPart === '' && fracPart === '') return null;
  let digits = BigInt((intPart || '0') + fracPart);
  let scale = fracPart.length;
  if (percent) scale += 2;
  const den = 10n ** BigInt(scale);
  if (digits <= 0n || digits > den) return null;
  const text = decimalText(digits, scale);
  const g = gcd(digits, den);
  digits /= g;
  return { text, num: digits, den: den / g };
}

/** The default threshold of SPEC §6, 0.9. */
export const DEFAULT_THRESHOLD: Threshold = { text: '0.9', num: 9n, den: 10n };

/** A threshold as a number, for JSON output. */
export function thresholdValue(t: Threshold): number {
  return Number(t.text);
}

/** A threshold as a percentage for display: '90%', '87.5%'. */
export function formatThresholdPercent(t: Threshold): string {
  const [whole, frac = ''] = t.text.split('.');
  const shifted = (whole + frac.padEnd(2, '0')).replace(/^0+(?=\d)/, '');
  const rest = frac.length > 2 ? frac.slice(2) : '';
  const intPart = shifted.slice(0, shifted.length - rest.length) || '0';
  return `${intPart}${rest ? '.' + rest : ''}%`;
}

function checkCount(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${what} must be a whole number ≥ 0, got ${n}`);
}

function count(n: number, what: string): bigint {
  checkCount(n, what);
  return BigInt(n);
}

/** reported < t × expected, exactly. Nobody expected → never below. */
export function isBelow(reported: number, expected: number, t: Threshold): boolean {
  const r = count(reported, 'reported');
  const e = count(expected, 'expected');
  if (e === 0n) return false;
  return r * t.den < t.num * e;
}

/** The exact ratio (as close as a double gets), null when nobody is expected. */
export function rateValue(reported: number, expected: number): number | null {
  // Checked as counts without making them BigInts: a report computes this 100,000 times.
  checkCount(reported, 'reported');
  checkCount(expected, 'expected');
  return expected === 0 ? null : reported / expected;
}

/** floor(reported × 10000 / expected), the rate in hundredths of a percent; null when expected is 0. */
function basisPoints(reported: number, expected: number): bigint | null {
  const r = count(reported, 'reported');
  const e = count(expected, 'expected');
  return e === 0n ? null : (r * 10000n) / e;
}

/** The rate truncated to four decimals (two of a percent), so it never rounds up across a threshold. */
export function truncatedRate(reported: number, expected: number): number | null {
  const bp = basisPoints(reported, expected);
  return bp === null ? null : Number(bp) / 10000;
}

/** '89.47%', '100.00%'; '—' when nobody is expected. Truncated, never rounded. */
export function formatRate(reported: number, expected: number): string {
  const bp = basisPoints(reported, expected);
  if (bp === null) return '—';
  return `${bp / 100n}.${(bp % 100n).toString().padStart(2, '0')}%`;
}

/** A reported member's activities in the year meet the minimum (default 2). */
export function meetsActivityMinimum(activityCount: number, min = 2): boolean {
  return activityCount >= min;
}
