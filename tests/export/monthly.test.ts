// End to end: `dbd export monthly` on the shared samples, every file read back: the names, the
// headers, totals equal to the sums of the rows, the same numbers as `dbd rate --json` and
// `dbd weekly-report --json` as of the month's end.
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { rows as dbRows } from '../helpers/db.js';
import { runDbd, runJson, sampleDatabase, tempDir } from '../helpers/cli.js';

const ENV = { DBD_TODAY: '2026-11-21' };
const NAMES = ['报到率', '低于90%组织', '镇街周报', '志愿服务', '未报到党员'];
const FULL_ID = /\d{17}[\dX]/;

let db: string;
beforeAll(() => {
  db = sampleDatabase();
});

async function workbook(file: string): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  return wb;
}

/** Data rows (below the header) of a sheet as arrays, and the header. */
function sheet(ws: ExcelJS.Worksheet): { header: unknown[]; rows: unknown[][] } {
  const all: unknown[][] = [];
  ws.eachRow({ includeEmpty: false }, (row) => all.push((row.values as unknown[]).slice(1)));
  return { header: all[0], rows: all.slice(1) };
}

function exportMonth(args: string[], env = ENV) {
  const dir = tempDir('dbd-export-');
  const result = runDbd(['export', 'monthly', '--dir', dir, '--db', db, ...args], { env });
  return { dir, result };
}

describe('dbd export monthly --month 2026-11 (a month not yet over: as of today)', () => {
  let dir: string;
  let doc: { month: string; dir: string; asOf: string; files: string[] };

  beforeAll(() => {
    const run = exportMonth(['--month', '2026-11', '--json']);
    expect(run.result.status).toBe(0);
    dir = run.dir;
    doc = JSON.parse(run.result.stdout);
  });

  it('writes the five files with their stable names and says where (JSON)', () => {
    expect(doc.month).toBe('2026-11');
    expect(doc.dir).toBe(path.resolve(dir));
    expect(doc.asOf).toBe('2026-11-21');
    expect(doc.files).toEqual(NAMES.map((name) => path.join(path.resolve(dir), `2026-11_${name}.xlsx`)));
    expect(fs.readdirSync(dir).sort()).toEqual(NAMES.map((name) => `2026-11_${name}.xlsx`).sort());
  });

  it('报到率: the rate table, the same numbers as dbd rate --json --as-of', async () => {
    const rate = runJson(['rate', '--as-of', doc.asOf, '--db', db], { env: ENV });
    const wb = await workbook(doc.files[0]);
    expect(wb.worksheets.map((ws) => ws.name)).toEqual(['报到率', '说明']);
    const { header, rows } = sheet(wb.getWorksheet('报到率')!);
    expect(header).toEqual(['党组织', '简称', '单位', '应报到人数', '已报到人数', '报到率', '志愿服务不足2次人数', '结论']);
    expect(rows.map((r) => [r[0], r[2], r[3], r[4], r[7] === '不得评为年度先进党组织'])).toEqual(
      rate.rows.map((r: { org: string; unit: string; expected: number; reported: number; below: boolean }) => [r.org, r.unit, r.expected, r.reported, r.below]),
    );
    const about = sheet(wb.getWorksheet('说明')!).rows;
    expect(about).toContainEqual(['月份', '2026-11']);
    expect(about).toContainEqual(['截至日期', '2026-11-21']);
  });

  it('every workbook’s 说明 states the as-of date, the threshold, when it was made and by which version', async () => {
    for (const file of doc.files) {
      const about = new Map(sheet((await workbook(file)).getWorksheet('说明')!).rows.map((r) => [r[0], r[1]]));
      expect(about.get('截至日期'), file).toBeTruthy();
      expect(about.get('阈值'), file).toBe('90%');
      expect(about.get('生成时间'), file).toBeTruthy();
      expect(about.get('dbd 版本'), file).toBeTruthy();
    }
  });

  it('低于90%组织: exactly the rows below 0.9, with the verdict', async () => {
    const rate = runJson(['rate', '--as-of', doc.asOf, '--below', '0.9', '--db', db], { env: ENV });
    const { rows } = sheet((await workbook(doc.files[1])).worksheets[0]);
    expect(rows.map((r) => r[1])).toEqual(['内科一支部', '外科支部', '财政局二支部']);
    expect(rows.map((r) => [r[0], r[3], r[4]])).toEqual(rate.rows.map((r: { org: string; expected: number; reported: number }) => [r.org, r.expected, r.reported]));
    expect(rows.every((r) => r[7] === '不得评为年度先进党组织')).toBe(true);
  });

  it('镇街周报: a sheet per week ended in the month (its Sunday before today), each equal to dbd weekly-report', async () => {
    const wb = await workbook(doc.files[2]);
    // 2026-11-01 is a Sunday (W44); W47 ends on 11-22, after today.
    expect(wb.worksheets.map((ws) => ws.name)).toEqual(['2026-W44', '2026-W45', '2026-W46', '说明']);
    for (const week of ['2026-W44', '2026-W45', '2026-W46']) {
      const weekly = runJson(['weekly-report', '--week', week, '--db', db], { env: ENV });
      const { header, rows } = sheet(wb.getWorksheet(week)!);
      expect(header).toEqual(['街道', '单位', '应报到人数', '累计报到人数', '本周新增报到', '报到率', '本周志愿服务次数', '本周服务时长(小时)', '结对社区数']);
      const units = rows.filter((r) => r[1] !== '小计' && r[0] !== '合计');
      expect(units.map((r) => [r[0], r[1], r[2], r[3], r[4], r[6], r[7], r[8]])).toEqual(
        weekly.rows.map((r: Record<string, unknown>) => [r.town, r.unit, r.expected, r.reported, r.newThisWeek, r.activities, r.hours, r.pairedCommunities]),
      );
      const total = rows.at(-1)!;
      expect(total[0]).toBe('合计');
      for (const column of [2, 3, 4, 6, 7, 8]) {
        expect(Number(total[column])).toBeCloseTo(units.reduce((n, r) => n + Number(r[column]), 0), 9);
      }
    }
    const w46 = sheet(wb.getWorksheet('2026-W46')!).rows.at(-1)!;
    expect([w46[2], w46[3], w46[4], w46[6], w46[7]]).toEqual([77, 68, 5, 10, 21.5]);
  });

  it('志愿服务: every activity of the month up to today, masked IDs, totals equal to the sums', async () => {
    const wb = await workbook(doc.files[3]);
    expect(wb.worksheets.map((ws) => ws.name)).toEqual(['志愿服务明细', '按单位汇总', '说明']);
    const detail = sheet(wb.getWorksheet('志愿服务明细')!);
    expect(detail.header).toEqual(['服务日期', '姓名', '身份证号', '单位', '所在党组织', '服务社区', '所属街道', '服务类别', '服务时长(小时)', '积分', '备注']);
    const stored = dbRows<{ n: number; hours: number; points: number }>(
      db,
      "select count(*) n, sum(hours) hours, sum(points) points from activities where date between '2026-11-01' and '2026-11-21'",
    )[0];
    const rows = detail.rows.slice(0, -1);
    const total = detail.rows.at(-1)!;
    expect(rows).toHaveLength(stored.n);
    expect(total[0]).toBe('合计');
    expect(total[8]).toBeCloseTo(rows.reduce((n, r) => n + Number(r[8] ?? 0), 0), 9);
    expect(total[8]).toBeCloseTo(stored.hours, 9);
    expect(total[9]).toBe(stored.points);
    expect(rows.every((r) => typeof r[2] === 'string' && /^\d{6}\*{8}[\dX]{4}$/.test(r[2] as string))).toBe(true);
    expect(rows.map((r) => r[0])).toEqual([...rows.map((r) => r[0])].sort());

    const units = sheet(wb.getWorksheet('按单位汇总')!);
    expect(units.header).toEqual(['单位', '服务次数', '参加人数', '服务时长(小时)', '积分']);
    const unitRows = units.rows.slice(0, -1);
    const unitTotal = units.rows.at(-1)!;
    expect(unitTotal[1]).toBe(stored.n);
    expect(unitTotal[1]).toBe(unitRows.reduce((n, r) => n + Number(r[1]), 0));
    expect(unitTotal[3]).toBeCloseTo(unitRows.reduce((n, r) => n + Number(r[3]), 0), 9);
  });

  it('未报到党员: the members expected and not reported, as many as the rate table says', async () => {
    const byUnit = runJson(['rate', '--by', 'unit', '--as-of', doc.asOf, '--db', db], { env: ENV });
    const missing = byUnit.rows.reduce((n: number, r: { expected: number; reported: number }) => n + r.expected - r.reported, 0);
    const { header, rows } = sheet((await workbook(doc.files[4])).worksheets[0]);
    expect(header).toEqual(['单位', '所在党组织', '姓名', '身份证号', '联系电话', '居住地社区', '居住地街道']);
    const members = rows.slice(0, -1);
    expect(members).toHaveLength(missing);
    expect(rows.at(-1)!.slice(0, 3)).toEqual(['合计', undefined, `共 ${missing} 人`]);
    for (const unit of byUnit.rows) {
      expect(members.filter((r) => r[0] === unit.unit)).toHaveLength(unit.expected - unit.reported);
    }
    expect(members.some((r) => FULL_ID.test(String(r[3])))).toBe(false);
  });

  it('re-running overwrites the files in place and leaves no temporary file', () => {
    const again = runDbd(['export', 'monthly', '--month', '2026-11', '--dir', dir, '--db', db], { env: ENV });
    expect(again.status).toBe(0);
    expect(again.stdout).toContain(`已导出 2026-11 的 5 个文件到 ${path.resolve(dir)}`);
    for (const file of doc.files) expect(again.stdout).toContain(file);
    expect(fs.readdirSync(dir)).toHaveLength(5);
  });
});

describe('other months and options', () => {
  it('a past month is as of its last day: the numbers of dbd rate --as-of 2026-10-31', async () => {
    const { result } = exportMonth(['--month', '2026-10', '--json']);
    expect(result.status).toBe(0);
    const doc = JSON.parse(result.stdout);
    expect(doc.asOf).toBe('2026-10-31');
    const rate = runJson(['rate', '--as-of', '2026-10-31', '--db', db], { env: ENV });
    const { rows } = sheet((await workbook(doc.files[0])).worksheets[0]);
    expect(rows.map((r) => [r[0], r[3], r[4]])).toEqual(rate.rows.map((r: { org: string; expected: number; reported: number }) => [r.org, r.expected, r.reported]));
    const weekly = await workbook(doc.files[2]);
    expect(weekly.worksheets.map((ws) => ws.name)).toEqual(['2026-W40', '2026-W41', '2026-W42', '2026-W43', '说明']);
  });

  it('--month last: the previous month, for cron on the 1st', () => {
    const { result } = exportMonth(['--month', 'last', '--json'], { DBD_TODAY: '2026-12-01' });
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ month: '2026-11', asOf: '2026-11-30' });
  });

  it('the default month is the current one', () => {
    const { result } = exportMonth(['--json']);
    expect(JSON.parse(result.stdout).month).toBe('2026-11');
  });

  it('--format csv: the same names with .csv, UTF-8 with BOM', () => {
    const { dir, result } = exportMonth(['--month', '2026-11', '--format', 'csv']);
    expect(result.status).toBe(0);
    expect(fs.readdirSync(dir).sort()).toEqual(NAMES.map((name) => `2026-11_${name}.csv`).sort());
    const weekly = fs.readFileSync(path.join(dir, '2026-11_镇街周报.csv'), 'utf8');
    expect(weekly.charCodeAt(0)).toBe(0xfeff);
    expect(weekly.slice(1).split('\r\n')[0]).toBe('表,街道,单位,应报到人数,累计报到人数,本周新增报到,报到率,本周志愿服务次数,本周服务时长(小时),结对社区数');
    expect(weekly).toContain('2026-W46,合计,,77,68,5,88.31%,10,21.5,7');
  });

  it('--below sets the threshold and the file name; --full-id shows full ID numbers', async () => {
    const { dir, result } = exportMonth(['--month', '2026-11', '--below', '0.85', '--full-id']);
    expect(result.status).toBe(0);
    const below = path.join(dir, '2026-11_低于85%组织.xlsx');
    expect(fs.existsSync(below)).toBe(true);
    expect(sheet((await workbook(below)).worksheets[0]).rows.map((r) => r[1])).toEqual(['外科支部', '财政局二支部']);
    // The weekly sheets are measured by the same threshold: 白沙街道's 樟溪区人民医院 at 87.09% is
    // not red at 85%.
    const weekly = (await workbook(path.join(dir, '2026-11_镇街周报.xlsx'))).getWorksheet('2026-W46')!;
    let hospital: ExcelJS.Row | undefined;
    weekly.eachRow((row) => {
      if (row.getCell(1).value === '白沙街道' && row.getCell(2).value === '樟溪区人民医院') hospital = row;
    });
    expect(hospital!.getCell(6).value).toBe(0.8709);
    expect((hospital!.getCell(6).fill as { fgColor?: { argb?: string } } | undefined)?.fgColor?.argb).toBeUndefined();
    const about = new Map(sheet((await workbook(path.join(dir, '2026-11_镇街周报.xlsx'))).getWorksheet('说明')!).rows.map((r) => [r[0], r[1]]));
    expect(about.get('阈值')).toBe('85%');
    const notReported = sheet((await workbook(path.join(dir, '2026-11_未报到党员.xlsx'))).worksheets[0]).rows.slice(0, -1);
    expect(notReported.every((r) => FULL_ID.test(String(r[3])))).toBe(true);
  });

  it('a month not yet begun, or not a month, is a usage error (exit 2) and writes nothing', () => {
    const future = exportMonth(['--month', '2027-01']);
    expect(future.result.status).toBe(2);
    expect(future.result.stderr).toContain('2027-01 还没有开始');
    expect(fs.readdirSync(future.dir)).toEqual([]);
    expect(exportMonth(['--month', '2026-13']).result.status).toBe(2);
    expect(exportMonth(['--month', '11月']).result.status).toBe(2);
  });
});
