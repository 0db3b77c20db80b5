// The weekly report's tables from given figures: per-town blocks and subtotals, 汇总, the per-unit
// table, and the comparison with a previous week.
import { describe, expect, it } from 'vitest';
import { parseThreshold } from '../../src/domain/rates.js';
import { setLang } from '../../src/i18n/index.js';
import { weeklyRow } from './smallCity.js';
import type { WeeklyRow } from '../../src/db/queries/weekly.js';
import { weeklyCompareTable, weeklyDocument, weeklyFileTables, weeklySummaryTable, weeklyTerminalTables, weeklyUnitTable, type WeeklyReport } from '../../src/report/weekly.js';

setLang('zh');

const r = weeklyRow;

const report: WeeklyReport = {
  week: '2026-W46',
  start: '2026-11-09',
  end: '2026-11-15',
  rows: [r('东城', '甲', 10, 9, 1, 2, 0.1, 1), r('东城', '乙', 3, 1, 0, 0, 0, 0), r('西城', '甲', 5, 5, 2, 1, 0.2, 2), r('未知', '乙', 1, 0, 0, 0, 0, 0)],
};

describe('weekly tables', () => {
  it('JSON rows carry the exact rate (null with nobody expected) and clean hours', () => {
    const doc = weeklyDocument({ ...report, rows: [...report.rows, r('西城', '丙', 0, 0, 0, 1, 0.3, 0)] });
    expect(doc.rows[1].rate).toBe(1 / 3);
    expect(doc.rows[4]).toMatchObject({ unit: '丙', rate: null, hours: 0.3 });
  });

  it('terminal: a block per town with its subtotal, then the grand total', () => {
    const tables = weeklyTerminalTables(report, true);
    expect(tables.map((t) => t.name)).toEqual(['东城', '西城', '未知', '合计']);
    expect(tables[0].totals).toEqual([{ town: '东城', unit: '小计', expected: 13, reported: 10, newThisWeek: 1, rate: 0.7692, activities: 2, hours: 0.1, pairedCommunities: 1 }]);
    expect(tables[3].rows[0]).toMatchObject({ town: '合计', expected: 19, reported: 15, newThisWeek: 3, activities: 3, hours: 0.3, pairedCommunities: 3 });
    // One width per column across the blocks.
    expect(new Set(tables.map((t) => t.columns.map((c) => c.minWidth).join()))).toHaveProperty('size', 1);
    // A town alone (--town NAME) still ends with its total (SPEC §7: subtotals and a grand total).
    const alone = weeklyTerminalTables({ ...report, rows: report.rows.slice(0, 2) }, true);
    expect(alone.map((t) => t.name)).toEqual(['东城', '合计']);
    expect(alone[1].title).toContain('东城');
    expect(alone[1].rows[0]).toMatchObject({ town: '合计', expected: 13, reported: 10 });
  });

  it('汇总: every row, then each town subtotal and the grand total; below-90% rows highlighted', () => {
    const summary = weeklySummaryTable(report);
    expect(summary.rows).toHaveLength(4);
    expect(summary.totals!.map((t) => [t.town, t.unit, t.expected])).toEqual([
      ['东城', '小计', 13],
      ['西城', '小计', 5],
      ['未知', '小计', 1],
      ['合计', null, 19],
    ]);
    expect(summary.rows.map((row) => summary.highlight!(row))).toEqual([false, true, false, true]);
  });

  it('subtotals and totals below the threshold are highlighted like unit rows', () => {
    const summary = weeklySummaryTable(report);
    // 东城 10 of 13, 未知 0 of 1 and the total 15 of 19 are below 90%; 西城 5 of 5 is not.
    expect(summary.totals!.map((row) => [row.town, summary.highlight!(row)])).toEqual([
      ['东城', true],
      ['西城', false],
      ['未知', true],
      ['合计', true],
    ]);
    // The export's own threshold, not always 90%.
    const low = weeklySummaryTable(report, parseThreshold('0.5')!);
    expect(low.highlight!(summary.totals![3])).toBe(false);
  });

  it('without --town: every (town, unit) row with the 街道 column first, then the total', () => {
    const [list] = weeklyTerminalTables(report, false);
    expect(list.columns.map((c) => c.key).slice(0, 2)).toEqual(['town', 'unit']);
    expect(list.rows.map((row) => [row.town, row.unit])).toEqual(report.rows.map((row) => [row.town, row.unit]));
    expect(list.totals).toHaveLength(1);
    expect(list.totals![0]).toMatchObject({ town: '合计', expected: 19, reported: 15 });
    // The workbook adds the units combined; the CSV is the list alone.
    expect(weeklyFileTables(report, false, 'xlsx').map((t) => t.name)).toEqual(['周报', '各单位合并']);
    expect(weeklyFileTables(report, false, 'csv').map((t) => t.name)).toEqual(['周报']);
  });

  it('grouped CSV: each town block ends with its subtotal, then the grand total', () => {
    const [csv] = weeklyFileTables(report, true, 'csv');
    expect(csv.rows.map((row) => [row.town, row.unit])).toEqual([
      ['东城', report.rows[0].unit],
      ['东城', report.rows[1].unit],
      ['东城', '小计'],
      ['西城', report.rows[2].unit],
      ['西城', '小计'],
      ['未知', report.rows[3].unit],
      ['未知', '小计'],
    ]);
    expect(csv.totals!.map((row) => row.town)).toEqual(['合计']);
  });

  it('units combined (the second sheet without --town): one row per unit, all towns added up', () => {
    const units = weeklyUnitTable(report);
    expect(units.columns.map((c) => c.key)).not.toContain('town');
    expect(units.rows.map((row) => [row.unit, row.expected, row.reported, row.hours])).toEqual([
      ['乙', 4, 1, 0],
      ['甲', 15, 14, 0.3],
    ]);
  });

  it('compare: changes per row; a row in only one week counts as zero in the other', () => {
    const previous = { ...report, week: '2026-W45', savedAt: '2026-11-10 09:00:00', rows: [r('东城', '甲', 10, 8, 0, 1, 0.5, 1), r('南镇', '丁', 2, 2, 0, 0, 0, 0)] };
    const table = weeklyCompareTable(report, previous);
    const byKey = new Map(table.rows.map((row) => [`${row.town}/${row.unit}`, row]));
    expect(byKey.get('东城/甲')).toMatchObject({ reported: 9, reportedChange: 1, rateChange: 10, hoursChange: -0.4, activitiesChange: 1 });
    expect(byKey.get('南镇/丁')).toMatchObject({ expected: 0, expectedChange: -2, rate: null, rateChange: null });
    expect(byKey.get('西城/甲')).toMatchObject({ expectedChange: 5, rateChange: null });
    expect([...byKey.keys()]).toEqual(['东城/乙', '东城/甲', '南镇/丁', '西城/甲', '未知/乙']);
    expect(table.totals![0]).toMatchObject({ expected: 19, expectedChange: 7, reportedChange: 5 });
  });
});
