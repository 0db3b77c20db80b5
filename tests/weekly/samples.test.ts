// End to end on the shared samples: `dbd weekly-report` gives the rows of the samples README for
// 2026-W46, in the terminal, as JSON, as xlsx and CSV; --save / --force / --history / --compare.
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { copyDatabase } from '../helpers/backend.js';
import { rows as dbRows } from '../helpers/db.js';
import { runDbd, runJson, sampleDatabase, tempDir } from '../helpers/cli.js';

const ENV = { DBD_TODAY: '2026-11-21' };

// The table of the samples README (街道, 单位, 应报到, 累计报到, 本周新增, 报到率, 次数, 时长, 结对).
const README: Array<[string, string, number, number, number, string, number, number, number]> = [
  ['柳林镇', '国网樟溪供电公司', 1, 1, 0, '100.00%', 0, 0, 0],
  ['柳林镇', '樟溪区人民医院', 0, 0, 0, '—', 1, 2, 1],
  ['柳林镇', '樟溪区实验中学', 6, 6, 1, '100.00%', 1, 1.5, 1],
  ['柳林镇', '樟溪区税务局', 4, 3, 0, '75.00%', 0, 0, 1],
  ['柳林镇', '樟溪区财政局', 3, 2, 0, '66.66%', 1, 4, 0],
  ['白沙街道', '国网樟溪供电公司', 4, 4, 0, '100.00%', 1, 2.5, 1],
  ['白沙街道', '樟溪区人民医院', 31, 27, 1, '87.09%', 2, 4.5, 1],
  ['白沙街道', '樟溪区实验中学', 1, 1, 0, '100.00%', 0, 0, 0],
  ['白沙街道', '樟溪区税务局', 1, 1, 1, '100.00%', 0, 0, 0],
  ['白沙街道', '樟溪区财政局', 3, 3, 0, '100.00%', 1, 2, 0],
  ['青山街道', '国网樟溪供电公司', 2, 2, 1, '100.00%', 0, 0, 0],
  ['青山街道', '樟溪区人民医院', 4, 4, 1, '100.00%', 1, 1.5, 0],
  ['青山街道', '樟溪区实验中学', 1, 1, 0, '100.00%', 0, 0, 0],
  ['青山街道', '樟溪区税务局', 0, 0, 0, '—', 1, 2, 0],
  ['青山街道', '樟溪区财政局', 16, 13, 0, '81.25%', 1, 1.5, 2],
];
const HEADERS = ['街道', '单位', '应报到人数', '累计报到人数', '本周新增报到', '报到率', '本周志愿服务次数', '本周服务时长(小时)', '结对社区数'];

let db: string;
beforeAll(() => {
  db = sampleDatabase();
});

function copyDb(): string {
  const copy = path.join(tempDir(), 'copy.sqlite');
  copyDatabase(db, copy);
  return copy;
}

describe('dbd weekly-report on the samples, 2026-W46', () => {
  it('JSON: every row of the README, rates exact, keys of SPEC §8', () => {
    const doc = runJson(['weekly-report', '--town', '--week', '2026-W46', '--db', db], { env: ENV });
    expect(Object.keys(doc)).toEqual(['week', 'start', 'end', 'rows']);
    expect([doc.week, doc.start, doc.end]).toEqual(['2026-W46', '2026-11-09', '2026-11-15']);
    expect(doc.rows).toEqual(
      README.map(([town, unit, expected, reported, newThisWeek, , activities, hours, pairedCommunities]) => ({
        town,
        unit,
        expected,
        reported,
        newThisWeek,
        rate: expected === 0 ? null : reported / expected,
        activities,
        hours,
        pairedCommunities,
      })),
    );
  });

  it('the default week is the last complete week, and the JSON is the same with or without --town', () => {
    const grouped = runJson(['weekly-report', '--town', '--db', db], { env: ENV });
    const plain = runJson(['weekly-report', '--db', db], { env: ENV });
    expect(grouped.week).toBe('2026-W46');
    expect(plain).toEqual(grouped);
    const byDate = runJson(['weekly-report', '--date', '2026-11-15', '--db', db], { env: ENV });
    expect(byDate).toEqual(grouped);
  });

  it('terminal: a block per town with its subtotal, then the grand total 77/68/5/10/21.5', () => {
    const result = runDbd(['weekly-report', '--town', '--week', '2026-W46', '--db', db], { env: ENV });
    expect(result.status).toBe(0);
    const lines = result.stdout.split('\n');
    for (const [town, unit, expected, reported, newThisWeek, rate, activities, hours, paired] of README) {
      const line = lines.find((l) => l.startsWith(town) && l.includes(` ${unit} `));
      expect(line, `${town} ${unit}`).toBeDefined();
      expect(line!.trim().split(/\s+/)).toEqual([town, unit, ...[expected, reported, newThisWeek, rate, activities, hours, paired].map(String)]);
    }
    const split = (prefix: string) => lines.find((l) => l.startsWith(prefix))!.trim().split(/\s+/);
    expect(split('柳林镇    小计')).toEqual(['柳林镇', '小计', '14', '12', '1', '85.71%', '3', '7.5', '3']);
    expect(split('白沙街道  小计')).toEqual(['白沙街道', '小计', '40', '36', '2', '90.00%', '4', '9', '2']);
    expect(split('青山街道  小计')).toEqual(['青山街道', '小计', '23', '20', '2', '86.95%', '3', '5', '2']);
    expect(split('合计')).toEqual(['合计', '77', '68', '5', '88.31%', '10', '21.5', '7']);
    // Blocks in the README's order, each headed by its title.
    const titles = lines.filter((l) => l.includes('周报 2026-W46'));
    expect(titles.map((l) => l.split(' ')[0])).toEqual(['柳林镇', '白沙街道', '青山街道']);
    // Columns line up across blocks: every header line is the same.
    const headerLines = lines.filter((l) => l.startsWith('街道'));
    expect(new Set(headerLines).size).toBe(1);
    expect(headerLines[0].trim().split(/\s+/)).toEqual(HEADERS);
  });

  it('without --town: every town and unit in one list with the SPEC columns, then the total', async () => {
    const result = runDbd(['weekly-report', '--week', '2026-W46', '--db', db], { env: ENV });
    expect(result.status).toBe(0);
    const lines = result.stdout.split('\n').map((l) => l.trim().split(/\s+/));
    expect(lines.find((l) => l[0] === '街道')).toEqual(HEADERS);
    for (const row of README) expect(lines).toContainEqual(row.map(String));
    expect(lines.find((l) => l[0] === '合计')).toEqual(['合计', '77', '68', '5', '88.31%', '10', '21.5', '7']);
    // The workbook: the same list, then each unit with all towns combined.
    const out = path.join(tempDir(), '周报.xlsx');
    expect(runDbd(['weekly-report', '--week', '2026-W46', '--out', out, '--db', db], { env: ENV }).status).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    expect(wb.worksheets.map((ws) => ws.name)).toEqual(['周报', '各单位合并', '说明']);
    const list = wb.getWorksheet('周报')!;
    expect((list.getRow(1).values as unknown[]).slice(1)).toEqual(HEADERS);
    expect(list.rowCount).toBe(1 + 15 + 1);
    const units = wb.getWorksheet('各单位合并')!;
    expect((units.getRow(3).values as unknown[]).slice(1)).toEqual(['樟溪区人民医院', 35, 31, 2, 0.8857, 4, 8, 2]);
  });

  it('--town NAME limits to one town', () => {
    const doc = runJson(['weekly-report', '--town', '白沙街道', '--week', '2026-W46', '--db', db], { env: ENV });
    expect(doc.rows.map((r: { unit: string }) => r.unit)).toEqual(README.filter((r) => r[0] === '白沙街道').map((r) => r[1]));
    const unknown = runDbd(['weekly-report', '--town', '白杉街道', '--db', db], { env: ENV });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('白沙街道');
    // The town as offices also write it, or without its kind, is that town.
    for (const variant of ['白沙', '白沙街道办事处']) {
      const same = runJson(['weekly-report', '--town', variant, '--week', '2026-W46', '--db', db], { env: ENV });
      expect(same.rows, variant).toEqual(doc.rows);
    }
  });

  it('xlsx: one sheet per town, 汇总 and 说明; headers in row 1; numbers as numbers', async () => {
    const out = path.join(tempDir(), '周报.xlsx');
    const result = runDbd(['weekly-report', '--town', '--week', '2026-W46', '--out', out, '--db', db], { env: ENV });
    expect(result.status).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    expect(wb.worksheets.map((ws) => ws.name)).toEqual(['柳林镇', '白沙街道', '青山街道', '汇总', '说明']);
    for (const name of ['柳林镇', '白沙街道', '青山街道', '汇总']) {
      expect((wb.getWorksheet(name)!.getRow(1).values as unknown[]).slice(1)).toEqual(HEADERS);
    }
    const town = wb.getWorksheet('白沙街道')!;
    expect(town.rowCount).toBe(1 + 5 + 1);
    expect((town.getRow(3).values as unknown[]).slice(1)).toEqual(['白沙街道', '樟溪区人民医院', 31, 27, 1, 0.8709, 2, 4.5, 1]);
    expect((town.getRow(7).values as unknown[]).slice(1)).toEqual(['白沙街道', '小计', 40, 36, 2, 0.9, 4, 9, 2]);
    const summary = wb.getWorksheet('汇总')!;
    expect(summary.rowCount).toBe(1 + 15 + 3 + 1);
    expect((summary.getRow(20).values as unknown[]).slice(1)).toEqual(['合计', undefined, 77, 68, 5, 0.8831, 10, 21.5, 7]);
    // The totals are the sums of the unit rows.
    for (let column = 3; column <= 9; column++) {
      if (column === 6) continue;
      let sum = 0;
      for (let r = 2; r <= 16; r++) sum += Number(summary.getRow(r).getCell(column).value);
      expect(Number(summary.getRow(20).getCell(column).value)).toBeCloseTo(sum, 9);
    }
    const about = wb.getWorksheet('说明')!;
    expect(about.getCell('A1').value).toBe('镇街周报 2026-W46（2026-11-09 至 2026-11-15）');
    const entries = new Map<unknown, unknown>();
    about.eachRow((row) => entries.set(row.getCell(1).value, row.getCell(2).value));
    expect(entries.get('截至日期')).toBe('2026-11-15');
    expect(entries.get('阈值')).toBe('90%');
    expect(entries.get('dbd 版本')).toBeTruthy();
    expect(entries.get('生成时间')).toBeTruthy();
    // Subtotals below 90% are filled red like unit rows (柳林镇 85.71%), others not (白沙街道 90%).
    const fill = (sheet: string, row: number) => (wb.getWorksheet(sheet)!.getRow(row).getCell(3).fill as { fgColor?: { argb?: string } } | undefined)?.fgColor?.argb;
    expect(fill('柳林镇', 7)).toBeTruthy();
    expect(fill('白沙街道', 7)).toBeUndefined();
  });

  it('CSV: one file with the town column, UTF-8 with BOM', () => {
    const out = path.join(tempDir(), '周报.csv');
    expect(runDbd(['weekly-report', '--town', '--week', '2026-W46', '--out', out, '--db', db], { env: ENV }).status).toBe(0);
    const text = fs.readFileSync(out, 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const lines = text.slice(1).trim().split('\r\n');
    expect(lines[0]).toBe(HEADERS.join(','));
    expect(lines[1]).toBe('柳林镇,国网樟溪供电公司,1,1,0,100.00%,0,0,0');
    expect(lines).toHaveLength(1 + 15 + 3 + 1);
    // Each town's block ends with its subtotal.
    expect(lines[6]).toBe('柳林镇,小计,14,12,1,85.71%,3,7.5,3');
    expect(lines[12]).toBe('白沙街道,小计,40,36,2,90.00%,4,9,2');
    expect(lines.at(-1)).toBe('合计,,77,68,5,88.31%,10,21.5,7');
  });

  it('English headers with --lang en, JSON unchanged', () => {
    const result = runDbd(['weekly-report', '--town', '--week', '2026-W46', '--lang', 'en', '--db', db], { env: ENV });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Subtotal');
    expect(result.stdout).toContain('New this week');
  });
});

describe('week options', () => {
  it('2025-W53 and --week with --date are usage errors (exit 2)', () => {
    const bad = runDbd(['weekly-report', '--week', '2025-W53', '--db', db], { env: ENV });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('2025 年没有第 53 周');
    expect(runDbd(['weekly-report', '--week', '2026-W46', '--date', '2026-11-10', '--db', db], { env: ENV }).status).toBe(2);
  });
  it('2026-W53 is a week (in the future here, with a note on stderr)', () => {
    const result = runDbd(['weekly-report', '--week', '2026-W53', '--json', '--db', db], { env: ENV });
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ week: '2026-W53', start: '2026-12-28', end: '2027-01-03' });
    expect(result.stderr).toContain('尚未结束');
  });
});

describe('--save, --force, --history, --compare', () => {
  it('saves a week once; refuses again without --force (exit 3, nothing written); --force keeps the old version', () => {
    const copy = copyDb();
    const first = runDbd(['weekly-report', '--town', '--save', '--db', copy], { env: ENV });
    expect(first.status).toBe(0);
    expect(first.stderr).toContain('已保存 2026-W46（全部街道）的周报（第 1 版）');
    const saved = dbRows<{ week: string; town: string; current: number; data: string }>(copy, 'select week, town, current, data from weekly_reports');
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatchObject({ week: '2026-W46', town: '', current: 1 });
    expect(JSON.parse(saved[0].data)).toEqual(runJson(['weekly-report', '--db', copy], { env: ENV }));

    const again = runDbd(['weekly-report', '--town', '--save', '--db', copy], { env: ENV });
    expect(again.status).toBe(3);
    expect(again.stderr).toContain('--force');
    expect(again.stdout).toBe('');
    expect(dbRows(copy, 'select * from weekly_reports')).toHaveLength(1);

    expect(runDbd(['weekly-report', '--save', '--force', '--db', copy], { env: ENV }).status).toBe(0);
    expect(dbRows(copy, 'select week, current from weekly_reports order by id')).toEqual([
      { week: '2026-W46', current: 0 },
      { week: '2026-W46', current: 1 },
    ]);
    // A town's own report is another scope.
    expect(runDbd(['weekly-report', '--town', '柳林镇', '--save', '--db', copy], { env: ENV }).status).toBe(0);

    const history = runJson(['weekly-report', '--history', '--db', copy], { env: ENV });
    expect(history.reports.map((r: { week: string; town: string | null; current: boolean; rows: number }) => [r.week, r.town, r.current, r.rows])).toEqual([
      ['2026-W46', null, true, 15],
      ['2026-W46', null, false, 15],
      ['2026-W46', '柳林镇', true, 5],
    ]);
    expect(runJson(['weekly-report', '--history', '--town', '柳林镇', '--db', copy], { env: ENV }).reports).toHaveLength(1);
    expect(runDbd(['weekly-report', '--force', '--db', copy], { env: ENV }).status).toBe(2);
  });

  it('refuses to save a week that has not begun (exit 2, nothing saved); a week under way is saved with a note', () => {
    const copy = copyDb();
    const future = runDbd(['weekly-report', '--week', '2027-W10', '--town', '--save', '--db', copy], { env: ENV });
    expect(future.status).toBe(2);
    expect(future.stderr).toContain('2027-W10（2027-03-08 至 2027-03-14）还没有开始（今天是 2026-11-21），不能保存');
    expect(future.stdout).toBe('');
    expect(dbRows(copy, 'select * from weekly_reports')).toHaveLength(0);
    const en = runDbd(['weekly-report', '--week', '2027-W10', '--save', '--db', copy, '--lang', 'en'], { env: ENV });
    expect(en.status).toBe(2);
    expect(en.stderr).toContain('2027-W10 (2027-03-08 to 2027-03-14) has not begun yet');
    // Without --save a future week is still shown (with the note), and the current week may be saved.
    expect(runDbd(['weekly-report', '--week', '2027-W10', '--db', copy], { env: ENV }).status).toBe(0);
    const current = runDbd(['weekly-report', '--week', '2026-W47', '--save', '--db', copy], { env: ENV });
    expect(current.status).toBe(0);
    expect(current.stderr).toContain('尚未结束');
    expect(dbRows(copy, 'select week from weekly_reports')).toEqual([{ week: '2026-W47' }]);
  });

  it('what was saved stays as saved when the data change later', () => {
    const copy = copyDb();
    expect(runDbd(['weekly-report', '--save', '--db', copy], { env: ENV }).status).toBe(0);
    const before = dbRows<{ data: string }>(copy, 'select data from weekly_reports')[0].data;
    // A late import of a check-in dated inside W46.
    const dir = tempDir();
    const member = dbRows<{ id_number: string; name: string }>(copy, "select id_number, name from members where first_checkin_on is null and status_kind = 'active' order by id limit 1")[0];
    fs.writeFileSync(path.join(dir, 'late.csv'), `身份证号,姓名,报到社区,报到时间\n${member.id_number},${member.name},白沙社区,2026-11-12\n`);
    expect(runDbd(['import', path.join(dir, 'late.csv'), '--db', copy], { env: ENV }).status).toBe(0);
    expect(dbRows<{ data: string }>(copy, 'select data from weekly_reports')[0].data).toBe(before);
    const live = runJson(['weekly-report', '--db', copy], { env: ENV });
    expect(live.rows.reduce((n: number, r: { newThisWeek: number }) => n + r.newThisWeek, 0)).toBe(6);
  });

  it('--compare shows the change from the previous saved week', () => {
    const copy = copyDb();
    expect(runDbd(['weekly-report', '--week', '2026-W45', '--save', '--db', copy], { env: ENV }).status).toBe(0);
    const w45 = runJson(['weekly-report', '--week', '2026-W45', '--db', copy], { env: ENV });
    const doc = runJson(['weekly-report', '--compare', '--db', copy], { env: ENV });
    expect(doc.week).toBe('2026-W46');
    expect(doc.previous).toMatchObject({ week: '2026-W45', rows: w45.rows });

    const result = runDbd(['weekly-report', '--town', '--compare', '--db', copy], { env: ENV });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('2026-W46 与上一份已保存周报 2026-W45');
    // 合计: 77 (±0), 68 (+5 from 63), new 5 (+4 from 1).
    const w45total = w45.rows.reduce((n: number, r: { reported: number }) => n + r.reported, 0);
    const total = result.stdout.split('\n').find((l) => l.startsWith('合计'))!.trim().split(/\s+/);
    expect(total.slice(1, 5)).toEqual(['77', '0', '68', String(68 - w45total)]);

    const none = runDbd(['weekly-report', '--week', '2026-W45', '--compare', '--db', copy], { env: ENV });
    expect(none.status).toBe(0);
    expect(none.stderr).toContain('没有比 2026-W45 更早的已保存周报');
  });
});
