// writeJson must write exactly what toJson returns, only in pieces of whole lines.
import { describe, expect, it } from 'vitest';
import { toJson, writeJson } from '../../src/render/json.js';

function written(value: unknown): { text: string; pieces: string[] } {
  const pieces: string[] = [];
  writeJson((text) => pieces.push(text), value);
  return { text: pieces.join(''), pieces };
}

describe('writeJson', () => {
  const samples: Array<[string, unknown]> = [
    ['empty object', {}],
    ['empty array', []],
    ['scalars', [1, 'a', null, true, 1.5, -0, NaN, Infinity]],
    ['omitted values', { a: undefined, b: () => 1, c: [undefined, () => 1, Symbol('s')], d: 1 }],
    ['nested', { week: '2026-W46', rows: [{ town: '白沙街道', unit: '某单位\n"引号"', rate: 0.9, inner: { list: [], deep: [[1, [2, {}]], { x: [] }] } }] }],
    ['a date', { at: new Date(0), list: [new Date(0)] }],
    ['null prototype', Object.assign(Object.create(null), { a: [1, 2] })],
    [
      'long arrays, nested, with omitted values',
      {
        skip: undefined,
        outer: [{ inner: Array.from({ length: 300 }, (_, i) => (i % 7 === 0 ? undefined : i % 5 === 0 ? [] : i % 3 === 0 ? { n: i, f: () => i, s: '行\t"' } : [i, [i]])) }],
        empty: {},
        after: 'x',
      },
    ],
    [
      'long arrays of flat rows, with every kind of scalar',
      {
        rows: Array.from({ length: 600 }, (_, i) => {
          const scalars = [0, -0, 1.5, 1e21, -1e-7, NaN, Infinity, -Infinity, 'a', '', '行\u2028"\\\n', '\ud800', true, false, null, undefined, () => i];
          const row: Record<string, unknown> = { town: `镇${i % 7}`, [`k${i % 3}`]: scalars[i % scalars.length], 'a "key"': scalars[(i * 5) % scalars.length] };
          if (i % 11 === 0) return { gone: undefined, fn: () => i };
          if (i % 13 === 0) return { ...row, at: new Date(i), nested: [i, { x: i }] };
          if (i % 17 === 0) return Object.assign(Object.create(null), row);
          if (i % 19 === 0) return { toJSON: () => i };
          return row;
        }),
      },
    ],
  ];
  for (const [name, value] of samples) {
    it(`gives the text of toJson: ${name}`, () => {
      expect(written(value).text).toBe(toJson(value));
    });
  }

  it('writes a long document in pieces that each end a line', () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => ({ town: `镇${i % 50}`, unit: `单位${i}`, expected: i, rate: i === 0 ? null : 1 / i }));
    const { text, pieces } = written({ week: '2026-W46', rows });
    expect(text).toBe(toJson({ week: '2026-W46', rows }));
    expect(pieces.length).toBeGreaterThan(10);
    for (const piece of pieces) expect(piece.endsWith('\n')).toBe(true);
  });
});
