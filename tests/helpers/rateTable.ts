// The sample rate table the renderer tests share.
import type { Table } from '../../src/render/table.js';

/** A rate table with every column kind, a null rate, a highlighted row and a totals row. */
export function rateTable(): Table {
  return {
    name: '报到率',
    title: '报到率（截至 2026-11-30）',
    columns: [
      { key: 'org', header: '党组织', kind: 'text' },
      { key: 'town', header: '街道', kind: 'text' },
      { key: 'expected', header: '应报到人数', kind: 'int' },
      { key: 'reported', header: 'reported', kind: 'int' },
      { key: 'rate', header: '报到率', kind: 'rate' },
      { key: 'hours', header: '时长', kind: 'number' },
      { key: 'date', header: '日期', kind: 'date' },
      { key: 'id', header: '身份证号', kind: 'id' },
    ],
    rows: [
      { org: '第一党支部', town: 'Xinhua', expected: 19, reported: 17, rate: 0.8947, hours: 12.5, date: '2026-11-02', id: '110105********123X' },
      { org: 'ABC Branch', town: '城关镇', expected: 120, reported: 120, rate: 1, hours: 0.1 + 0.2, date: '2026-11-03', id: '110105********0012' },
      { org: '空支部', town: '', expected: 0, reported: 0, rate: null, hours: null, date: null, id: null },
    ],
    totals: [{ org: '合计', town: null, expected: 139, reported: 137, rate: 0.9856, hours: 12.8, date: null, id: null }],
    highlight: (row) => typeof row.rate === 'number' && row.rate < 0.9,
  };
}
