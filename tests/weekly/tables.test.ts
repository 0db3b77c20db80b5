// The weekly report's tables from given figures: per-town blocks and subtotals, 汇总, the per-unit
// table, and the comparison with a previous week.
import { describe, expect, it } from 'vitest';
import { setLang } from '../../src/i18n/index.js';
import { weeklyRow } from './smallCity.js';
import type { WeeklyRow } from '../../src/db/queries/weekly.js';
import { weeklyCompareTable, weeklyDocument, weeklySummaryTable, weeklyTerminalTables, weeklyUnitTable, type WeeklyReport } from '../../src/report/weekly.js';

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
    // A town alone needs no grand total.
    expect(weeklyTerminalTables({ ...report, rows: report.rows.slice(0, 2) }, true).map((t) => t.name)).toEqual(['东城']);
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

  it('without --town: one row per unit, all towns added up', () => {
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
