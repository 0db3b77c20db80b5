// The CSV fast path must give exactly what csv-parse gives, or step aside.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CSV_PARSE_OPTIONS, readCsvRows, unwrapEquals } from '../../src/ingest/csvReader.js';
import { StrictCsvParser } from '../../src/ingest/strictCsv.js';
import { tempDir } from '../helpers/cli.js';


function reference(text: string, delimiter = ','): string[][] | 'error' {
  try {
    return parse(text, { ...CSV_PARSE_OPTIONS, delimiter }) as string[][];
  } catch {
    return 'error';
  }
}

/** The fast path over `text` cut into chunks at `cuts`; undefined when it stepped aside. */
function strict(text: string, cuts: number[], delimiter = ','): string[][] | undefined {
  const parser = new StrictCsvParser(delimiter, 1 << 20);
  const out: string[][] = [];
  let from = 0;
  for (const cut of [...new Set(cuts)].filter((c) => c > 0 && c < text.length).sort((a, b) => a - b)) {
    if (!parser.feed(text.slice(from, cut), out)) return undefined;
    from = cut;
  }
  if (!parser.feed(text.slice(from), out)) return undefined;
  return parser.end(out) ? out : undefined;
}

const pieces = ['a', 'b', '中文', ',', ',', '"', '""', '\r\n', '\n', '\r', ' ', '\t', '\uFEFF', '12', '=', '="'];
const anyText = fc.array(fc.constantFrom(...pieces), { maxLength: 40 }).map((parts) => parts.join(''));
const field = fc.oneof(
  fc.array(fc.constantFrom('a', '中', '1', ' ', '-'), { maxLength: 5 }).map((p) => p.join('')),
  fc.array(fc.constantFrom('a', ',', '"', '\r\n', '\n', '中'), { maxLength: 6 }).map((p) => `"${p.join('').replaceAll('"', '""')}"`),
  fc.array(fc.constantFrom('1', '中', ' ', '-'), { maxLength: 5 }).map((p) => `="${p.join('')}"`),
);
const wellFormed = fc
  .tuple(fc.array(fc.array(field, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 8 }), fc.constantFrom('\r\n', '\n'), fc.boolean())
  .map(([rows, eol, trailing]) => rows.map((r) => r.join(',')).join(eol) + (trailing ? eol : ''));

describe('StrictCsvParser', () => {
  it('agrees with csv-parse whenever it does not step aside, however the text is cut', () => {
    fc.assert(
      fc.property(anyText, fc.array(fc.nat(60), { maxLength: 5 }), (text, cuts) => {
        const fast = strict(text, cuts);
        if (fast === undefined) return;
        expect(fast).toEqual(reference(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('reads every well-formed file itself (quotes, line breaks in cells, CRLF or LF)', () => {
    fc.assert(
      fc.property(wellFormed, fc.array(fc.nat(80), { maxLength: 6 }), (text, cuts) => {
        expect(strict(text, cuts)).toEqual(reference(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('steps aside on stray quotes, lone CRs, mixed line endings and unclosed quotes', () => {
    for (const text of ['a, "b",c\n', '"a"b,c\n', 'a\rb\r\nc', 'a,b\r\nc\nd\r\n', 'x\n"abc', 'a,b\nc\r\n']) {
      expect(strict(text, [])).toBeUndefined();
    }
  });

  it('reads ="…" cells itself (a file may have them on every row), as csv-parse gives them', () => {
    const text = '姓名,身份证号\r\n张三,="110105199701010011"\r\n李四,=""\r\n';
    expect(strict(text, [12, 30])).toEqual(reference(text));
    expect(strict(text, [])).toEqual([['姓名', '身份证号'], ['张三', '="110105199701010011"'], ['李四', '=""']]);
    for (const other of ['a,="1"x\n', 'a,="1""2"\n', 'a,x="1"\n']) expect(strict(other, [])).toBeUndefined();
  });

  it('reads tab-separated text', () => {
    expect(strict('姓名\t电话\r\n张三\t"1,2"\r\n', [3], '\t')).toEqual([['姓名', '电话'], ['张三', '1,2']]);
  });
});

describe('readCsvRows', () => {
  const dir = tempDir('dbd-strict-csv-');
  const rowsOf = async (text: string) => {
    const file = path.join(dir, 'f.csv');
    fs.writeFileSync(file, text);
    const rows: Array<{ rowNumber: number; cells: string[] }> = [];
    for await (const row of readCsvRows(file, { encoding: 'utf-8', bomLength: 0 }, ',', { maxColumns: 1000, maxCellChars: 32767 })) {
      rows.push({ rowNumber: row.rowNumber, cells: row.cells as string[] });
    }
    return rows;
  };

  it('gives csv-parse’s rows (="…" cells unwrapped) with their numbers, also when it falls back part-way', async () => {
    await fc.assert(
      fc.asyncProperty(anyText, async (text) => {
        // What csv-parse makes of the file's text as decoded (the decoder drops a leading BOM).
        const expected = reference(new TextDecoder().decode(Buffer.from(text)));
        if (expected === 'error') return;
        const rows = await rowsOf(text);
        // ="…" cells are read as their inner text, whichever parser read them.
        expect(rows.map((r) => r.cells)).toEqual(expected.map((cells) => cells.map(unwrapEquals)));
        expect(rows.map((r) => r.rowNumber)).toEqual(expected.map((_, i) => i + 1));
      }),
      { numRuns: 500 },
    );
  });

  it('falls back after many regular rows without losing or repeating any', async () => {
    const regular = Array.from({ length: 50_000 }, (_, i) => `${i},张三${i},"a,b"`).join('\r\n');
    const rows = await rowsOf(`${regular}\r\nx,"bad"quote,y\r\nlast,row\r\n`);
    expect(rows).toHaveLength(50_002);
    expect(rows[49_999].cells).toEqual(['49999', '张三49999', 'a,b']);
    expect(rows[50_000].cells).toEqual(['x', '"bad"quote', 'y']);
    expect(rows[50_001]).toEqual({ rowNumber: 50_002, cells: ['last', 'row'] });
  });
});
