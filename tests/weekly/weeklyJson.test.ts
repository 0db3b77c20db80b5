// The weekly report's own --json writer gives exactly the text of the general one (toJson of
// weeklyDocument), on random reports with awkward names and numbers, cut into pieces anywhere.
import { describe, expect, it } from 'vitest';
import type { WeeklyRow } from '../../src/db/queries/weekly.js';
import { generator } from '../helpers/random.js';
import { toJson } from '../../src/render/json.js';
import { WeeklyJson, weeklyDocument, writeWeeklyDocument, type WeeklyReport } from '../../src/report/weekly.js';

const NAMES = ['东城街道', '未知', 'A "quoted" unit', 'back\\slash', 'tab\there', 'line\nbreak', '\u0001control', '😀 emoji 单位', '\ud800 lone surrogate', ''];
const HOURS = [0, 1, 2.5, 0.1 + 0.2, 1 / 3, 1e21, 123456.75];

function randomReport(seed: number, rows: number): WeeklyReport {
  const random = generator(seed);
  const list: WeeklyRow[] = [];
  for (let i = 0; i < rows; i++) {
    const expected = random.int(3) === 0 ? 0 : random.int(5000);
    list.push({
      town: random.pick(NAMES),
      unit: `${random.pick(NAMES)}${random.int(4) === 0 ? '' : i}`,
      expected,
      reported: expected === 0 ? 0 : random.int(expected + 1),
      newThisWeek: random.int(10),
      activities: random.int(100),
      hours: random.pick(HOURS),
      pairedCommunities: random.int(4),
    });
  }
  return { week: '2026-W46', start: '2026-11-09', end: '2026-11-15', rows: list };
}

function written(report: WeeklyReport): { text: string; pieces: number } {
  const pieces: Buffer[] = [];
  writeWeeklyDocument((bytes) => pieces.push(Buffer.from(bytes)), report);
  return { text: Buffer.concat(pieces).toString('utf8'), pieces: pieces.length };
}

describe('writeWeeklyDocument', () => {
  it('writes the text of toJson(weeklyDocument(report))', () => {
    for (const [seed, rows] of [
      [1, 0],
      [2, 1],
      [3, 7],
      [4, 500],
    ] as const) {
      const report = randomReport(seed, rows);
      expect(written(report).text, `seed ${seed}`).toBe(toJson(weeklyDocument(report)));
    }
  });

  it('hands a long report over in pieces, each whole UTF-8', () => {
    const report = randomReport(5, 20_000);
    const { text, pieces } = written(report);
    expect(pieces).toBeGreaterThan(2);
    expect(text).toBe(toJson(weeklyDocument(report)));
  });

  it('puts town blocks given in any order, some empty, in their places', () => {
    for (const seed of [6, 7, 8]) {
      const report = randomReport(seed, 300);
      const random = generator(seed);
      // Cut the rows into blocks of random sizes (empty ones too), then add them shuffled.
      const blocks: Array<{ rank: number; rows: WeeklyRow[] }> = [];
      for (let at = 0, rank = 0; at < report.rows.length || rank < 3; rank++) {
        const size = random.int(4) === 0 ? 0 : random.int(60);
        blocks.push({ rank: rank * 10, rows: report.rows.slice(at, at + size) });
        at += size;
      }
      for (let i = blocks.length - 1; i > 0; i--) {
        const j = random.int(i + 1);
        [blocks[i], blocks[j]] = [blocks[j], blocks[i]];
      }
      const json = new WeeklyJson();
      for (const block of blocks) json.addRows(block.rank, block.rows);
      expect(Buffer.concat(json.pieces(report)).toString('utf8'), `seed ${seed}`).toBe(toJson(weeklyDocument(report)));
    }
    const none = new WeeklyJson();
    none.addRows(3, []);
    const empty = randomReport(9, 0);
    expect(Buffer.concat(none.pieces(empty)).toString('utf8')).toBe(toJson(weeklyDocument(empty)));
  });
});
