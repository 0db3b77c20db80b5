// Property-based tests (fast-check): whatever a file throws at them, the header matcher, the
// date parser, the ID-number checker and the CSV decoder either give an answer that obeys their
// contract or raise a dbd error (exit 3) — they never crash.
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { daysInMonth, isValidIsoDate, MAX_YEAR, MIN_YEAR, parseDate } from '../../src/domain/dates.js';
import { checkIdNumber, idCheckDigit, maskIdNumber } from '../../src/domain/idNumber.js';
import { DbdError, ExitCode } from '../../src/errors.js';
import { detectKind, FIELD_ALIASES, fieldFor, isCheckinTownHeader, isMobileHeader, KINDS, mapColumns } from '../../src/ingest/fields.js';
import { findLayout } from '../../src/ingest/layout.js';
import { openSource } from '../../src/ingest/sources.js';
import type { SheetRow } from '../../src/ingest/cells.js';
import { tempDir } from '../helpers/cli.js';

const RUNS = { numRuns: 300 };

// ---------------------------------------------------------------------------
// Header matcher
// ---------------------------------------------------------------------------

const ALL_ALIASES = [...new Set(Object.values(FIELD_ALIASES).flatMap((fields) => Object.values(fields).flat()))];

/** Header-like text: real aliases, aliases dressed up as real sheets do, and noise. */
const headerText = fc.oneof(
  fc.constantFrom(...ALL_ALIASES),
  fc.constantFrom(...ALL_ALIASES).map((alias) => `*${alias}：`),
  fc.constantFrom(...ALL_ALIASES).map((alias) => ` ${toFullWidth(alias)}\u3000`),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
  fc.constantFrom('', '序号', '合计', '填报单位：', '备注', '甲', '1'),
);

function toFullWidth(text: string): string {
  return text.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).replace(/ /g, '\u3000');
}

const cellValue = fc.oneof(headerText, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.date({ noInvalidDate: false }));

describe('header matcher (fields.detectKind / mapColumns, layout.findLayout)', () => {
  it('detectKind and mapColumns accept any headers; every mapped column names its field', () => {
    fc.assert(
      fc.property(fc.array(headerText, { maxLength: 40 }), (headers) => {
        const kind = detectKind(headers);
        expect(kind === undefined || (KINDS as readonly string[]).includes(kind)).toBe(true);
        for (const k of KINDS) {
          const columns = mapColumns(k, headers);
          // In a check-in sheet a 报到街道 column is the town, wherever it stands (a plain 街道 may
          // be the residence's).
          const checkinTown = k === 'checkins' ? headers.findIndex(isCheckinTownHeader) : -1;
          for (const [field, index] of columns) {
            expect(index).toBeGreaterThanOrEqual(0);
            expect(index).toBeLessThan(headers.length);
            expect(fieldFor(k, headers[index])).toBe(field);
            if (field === 'town' && checkinTown >= 0) {
              expect(index).toBe(checkinTown);
              continue;
            }
            // The first column naming the field wins; for the phone, the first mobile column
            // (手机) when there is one, else the first.
            const naming = (h: string) => Boolean(h) && fieldFor(k, h) === field;
            const mobileFirst = field === 'phone' && headers.some((h) => naming(h) && isMobileHeader(h));
            expect(headers.slice(0, index).some((h) => naming(h) && (!mobileFirst || isMobileHeader(h)))).toBe(false);
            if (mobileFirst) expect(isMobileHeader(headers[index])).toBe(true);
          }
        }
      }),
      RUNS,
    );
  });

  it('an alias is recognised whatever its width, spacing and required-mark dressing', () => {
    const pairs = KINDS.flatMap((kind) => Object.entries(FIELD_ALIASES[kind]).flatMap(([field, aliases]) => aliases.map((alias) => ({ kind, field, alias }))));
    fc.assert(
      fc.property(fc.constantFrom(...pairs), fc.constantFrom('', ' ', '\u3000'), fc.constantFrom('', '*', '※'), fc.constantFrom('', ':', '：'), fc.boolean(), ({ kind, field, alias }, space, mark, colon, wide) => {
        const dressed = `${space}${mark}${wide ? toFullWidth(alias) : alias}${colon}${space}`;
        // An alias listed under two fields of one kind goes to the first listed: compare with the plain alias.
        expect(fieldFor(kind, dressed)).toBe(fieldFor(kind, alias));
        expect(fieldFor(kind, alias)).toBeDefined();
        void field;
      }),
      RUNS,
    );
  });

  it('findLayout accepts any rows of any cells and returns header rows from the sheet', () => {
    const rowsArbitrary = fc.array(fc.array(cellValue, { maxLength: 14 }), { maxLength: 35 });
    fc.assert(
      fc.property(rowsArbitrary, fc.option(fc.constantFrom(...KINDS), { nil: undefined }), (cellRows, forced) => {
        const rows: SheetRow[] = cellRows.map((cells, i) => ({ rowNumber: i * 2 + 1, cells: cells as SheetRow['cells'] }));
        const layout = findLayout(rows, forced);
        if (!layout) return;
        expect(layout.headerRows.length).toBeGreaterThan(0);
        for (const row of layout.headerRows) expect(rows.some((r) => r.rowNumber === row)).toBe(true);
        if (forced) expect(layout.kind).toBe(forced);
        else expect(layout.kind).toBe(detectKind(layout.headers));
      }),
      RUNS,
    );
  });
});

// ---------------------------------------------------------------------------
// Date parser
// ---------------------------------------------------------------------------

const anyCell = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.stringMatching(/^\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?$/),
  fc.stringMatching(/^\d{6,8}$/),
  fc.double(),
  fc.integer(),
  fc.date({ noInvalidDate: false }),
  fc.constantFrom(null, undefined, true, {}, [], Number.NaN, Infinity),
);

const validDay = fc
  .record({ y: fc.integer({ min: MIN_YEAR, max: MAX_YEAR }), m: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 31 }) })
  .filter(({ y, m, d }) => d <= daysInMonth(y, m));

describe('date parser (domain/dates.parseDate)', () => {
  it('never throws; a date it accepts is a real day of 1900–2100', () => {
    fc.assert(
      fc.property(anyCell, fc.boolean(), (value, monthOnly) => {
        const result = parseDate(value, { allowMonthOnly: monthOnly });
        if (result.ok) {
          expect(isValidIsoDate(result.date)).toBe(true);
          const year = Number(result.date.slice(0, 4));
          expect(year).toBeGreaterThanOrEqual(MIN_YEAR);
          expect(year).toBeLessThanOrEqual(MAX_YEAR);
        } else {
          expect(['invalid', 'impossible', 'out-of-range']).toContain(result.reason);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('every spelling of SPEC §4 reads back as the same day', () => {
    fc.assert(
      fc.property(validDay, ({ y, m, d }) => {
        const iso = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
        for (const spelling of [iso, `${y}/${m}/${d}`, `${y}.${m}.${d}`, `${y}年${m}月${d}日`, iso.replace(/-/g, ''), `${iso} 00:00:00`, toFullWidth(`${y}/${m}/${d}`)]) {
          expect(parseDate(spelling)).toEqual({ ok: true, date: iso });
        }
        expect(parseDate(new Date(Date.UTC(y, m - 1, d)))).toEqual({ ok: true, date: iso });
      }),
      RUNS,
    );
  });

  it('a day past the end of its month (2026-02-30) is impossible, never moved to the next month', () => {
    fc.assert(
      fc.property(fc.integer({ min: MIN_YEAR, max: MAX_YEAR }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 3 }), (y, m, extra) => {
        const d = daysInMonth(y, m) + extra;
        if (d > 31 && extra > 0) return;
        expect(parseDate(`${y}-${m}-${d}`)).toEqual({ ok: false, reason: 'impossible' });
      }),
      RUNS,
    );
  });
});

// ---------------------------------------------------------------------------
// ID-number checker
// ---------------------------------------------------------------------------

const first17 = fc
  .record({ area: fc.stringMatching(/^[1-8]\d{5}$/), day: validDay, serial: fc.stringMatching(/^\d{3}$/) })
  .map(({ area, day, serial }) => `${area}${day.y}${String(day.m).padStart(2, '0')}${String(day.d).padStart(2, '0')}${serial}`);

describe('ID-number checker (domain/idNumber.checkIdNumber)', () => {
  it('never throws; an accepted ID is 17 digits and a digit or X, masked to at most 10 visible characters', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^[\dXx* ]{14,20}$/), fc.double(), fc.integer(), fc.bigInt().map(Number)), (raw) => {
        const result = checkIdNumber(raw as string | number);
        if (!result.ok) {
          expect(['stored-as-number', 'masked', 'bad-format', 'bad-date']).toContain(result.reason);
          return;
        }
        expect(result.id).toMatch(/^\d{17}[\dX]$/);
        const masked = maskIdNumber(result.id);
        expect(masked.replace(/\*/g, '').length).toBeLessThanOrEqual(10);
        expect(masked).toHaveLength(18);
      }),
      { numRuns: 1000 },
    );
  });

  it('a valid ID passes with its check digit, and any other check character is caught', () => {
    fc.assert(
      fc.property(first17, fc.constantFrom(...'0123456789X'), (digits, other) => {
        const check = idCheckDigit(digits);
        expect(checkIdNumber(digits + check)).toEqual({ ok: true, id: digits + check, checkDigitValid: true, converted15: false });
        expect(checkIdNumber((digits + check).toLowerCase())).toMatchObject({ ok: true, id: digits + check });
        if (other === check) return;
        const wrong = checkIdNumber(digits + other);
        if (wrong.ok) expect(wrong.checkDigitValid).toBe(false);
        else expect(wrong.reason).toBe('stored-as-number');
      }),
      RUNS,
    );
  });

  it('an 18-digit ID that Excel turned into a number is refused, never stored', () => {
    fc.assert(
      fc.property(first17, (digits) => {
        const id = digits + idCheckDigit(digits);
        if (id.endsWith('X')) return;
        expect(checkIdNumber(Number(id))).toEqual({ ok: false, reason: 'stored-as-number' });
        expect(checkIdNumber(Number(id).toExponential(14).toUpperCase())).toMatchObject({ ok: false });
      }),
      RUNS,
    );
  });
});

// ---------------------------------------------------------------------------
// CSV decoder (ingest/decode + csvReader, through openSource as the import uses them)
// ---------------------------------------------------------------------------

const work = tempDir('dbd-props-');
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));
let fileNumber = 0;

async function readAll(bytes: Uint8Array, extension = '.csv'): Promise<{ rows: string[][] } | { error: DbdError }> {
  const file = path.join(work, `input-${fileNumber++}${extension}`);
  fs.writeFileSync(file, bytes);
  try {
    const opened = await openSource(file);
    try {
      const rows: string[][] = [];
      for (const sheet of opened.sheets) for await (const row of sheet.rows()) rows.push(row.cells.map((cell) => String(cell ?? '')));
      return { rows };
    } finally {
      await opened.close();
    }
  } catch (error) {
    if (error instanceof DbdError) return { error };
    throw error;
  } finally {
    fs.rmSync(file, { force: true });
  }
}

function csvQuote(cell: string): string {
  return /[",\r\n]/.test(cell) || cell !== cell.trim() ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/** Cells as people type them: no NUL (refused on purpose), no lone surrogates (not encodable). */
const cellText = fc.string({ unit: 'grapheme', maxLength: 12 }).filter((s) => !s.includes('\u0000') && !s.includes('\ufeff'));

describe('CSV decoder (ingest/decode, csvReader)', () => {
  it('any bytes either read as rows or raise a dbd error with exit 3', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 2000 }),
          fc.string({ unit: 'binary', maxLength: 400 }).map((s) => new Uint8Array(Buffer.from(s, 'utf8'))),
          fc.string({ unit: 'binary', maxLength: 400 }).map((s) => new Uint8Array(iconv.encode(s, 'gbk'))),
          fc.string({ unit: 'binary', maxLength: 400 }).map((s) => new Uint8Array(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]))),
          fc.array(fc.constantFrom('"', ',', '\r', '\n', '\t', 'a', '党', '\u0000', '\ufeff', '\xff'), { maxLength: 200 }).map((parts) => new Uint8Array(Buffer.from(parts.join(''), 'latin1'))),
        ),
        fc.constantFrom('.csv', '.tsv', '.txt'),
        async (bytes, extension) => {
          const result = await readAll(bytes, extension);
          if ('error' in result) expect(result.error.exitCode).toBe(ExitCode.invalidData);
        },
      ),
      { numRuns: 250 },
    );
  });

  it('what Excel saves (UTF-8 with or without BOM, UTF-16 with BOM) reads back cell for cell', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(cellText, { minLength: 2, maxLength: 6 }), { minLength: 1, maxLength: 8 }),
        fc.constantFrom('utf8', 'utf8bom', 'utf16le', 'utf16be'),
        async (table, encoding) => {
          // Rows of one width, as a sheet has; a row of only empty cells is a blank line.
          const width = table[0].length;
          const rows = table.map((row) => Array.from({ length: width }, (_, i) => row[i] ?? ''));
          const text = rows.map((row) => row.map(csvQuote).join(',')).join('\r\n') + '\r\n';
          const body = Buffer.from(text, encoding === 'utf16le' || encoding === 'utf16be' ? 'utf16le' : 'utf8');
          if (encoding === 'utf16be') body.swap16();
          const bom = { utf8: [], utf8bom: [0xef, 0xbb, 0xbf], utf16le: [0xff, 0xfe], utf16be: [0xfe, 0xff] }[encoding];
          const result = await readAll(new Uint8Array(Buffer.concat([Buffer.from(bom), body])));
          if ('error' in result) {
            // Text that looks binary (many control characters) is refused, not misread.
            expect(result.error.exitCode).toBe(ExitCode.invalidData);
            return;
          }
          expect(result.rows.map((row) => row.map(String))).toEqual(rows.map((row) => (row.length === 1 && row[0] === '' ? [''] : row)));
        },
      ),
      { numRuns: 200 },
    );
  });
});
