// dbd rate end to end on the shared samples: the figures of ../shared/samples/README.md, the
// below-0.9 verdict, the groupings, --as-of, the spreadsheet and CSV, and bad thresholds.
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { onPostgres } from '../helpers/backend.js';
import { runDbd, runJson, sampleDatabase, tempDir } from '../helpers/cli.js';

const TODAY = { DBD_TODAY: '2026-11-21' };

/** The rate table of the samples README: org, 简称, unit, expected, reported, 报到率, rate, below. */
const README_TABLE: Array<[string, string, string, number, number, string, number | null, boolean]> = [
  ['中共国网樟溪供电公司营销支部委员会', '营销支部', '国网樟溪供电公司', 7, 7, '100.00%', 1.0, false],
  ['中共樟溪区人民医院内科第一支部委员会', '内科一支部', '樟溪区人民医院', 19, 17, '89.47%', 0.894737, true],
  ['中共樟溪区人民医院内科第二支部委员会', '内科二支部', '樟溪区人民医院', 8, 8, '100.00%', 1.0, false],
  ['中共樟溪区人民医院外科支部委员会', '外科支部', '樟溪区人民医院', 6, 5, '83.33%', 0.833333, true],
  ['中共樟溪区人民医院委员会', '人民医院党委', '樟溪区人民医院', 35, 32, '91.42%', 0.914286, false],
  ['中共樟溪区实验中学支部委员会', '实验中学党支部', '樟溪区实验中学', 8, 8, '100.00%', 1.0, false],
  ['中共樟溪区税务局机关支部委员会', '税务局党支部', '樟溪区税务局', 5, 5, '100.00%', 1.0, false],
  ['中共樟溪区财政局机关第一支部委员会', '财政局一支部', '樟溪区财政局', 10, 9, '90.00%', 0.9, false],
  ['中共樟溪区财政局机关第三支部委员会', '财政局三支部', '樟溪区财政局', 5, 5, '100.00%', 1.0, false],
  ['中共樟溪区财政局机关第二支部委员会', '财政局二支部', '樟溪区财政局', 7, 5, '71.42%', 0.714286, true],
  ['国网樟溪供电公司外派人员党支部', '外派人员党支部', '国网樟溪供电公司', 0, 0, '—', null, false],
];

interface RateDoc {
  asOf: string;
  threshold: number;
  by: string;
  rows: Array<{ org?: string; unit?: string; town?: string; category?: string | null; expected: number; reported: number; rate: number | null; below: boolean }>;
}

let db: string;
let dir: string;
beforeAll(() => {
  dir = tempDir('dbd-rate-e2e-');
  db = sampleDatabase(dir);
});

const rate = (args: string[] = []) => runDbd(['rate', '--db', db, ...args], { env: TODAY });
const rateJson = (args: string[] = []) => runJson<RateDoc>(['rate', '--db', db, ...args], { env: TODAY });

describe('dbd rate on the samples', () => {
  it('gives every organisation of the README table its expected, reported, rate and below', () => {
    const doc = rateJson();
    expect(doc).toMatchObject({ asOf: '2026-11-21', threshold: 0.9, by: 'org' });
    expect(doc.rows.map((r) => r.org)).toEqual(README_TABLE.map((r) => r[0]));
    for (const [org, , unit, expected, reported, , rateValue, below] of README_TABLE) {
      const row = doc.rows.find((r) => r.org === org)!;
      expect(Object.keys(row)).toEqual(['org', 'unit', 'expected', 'reported', 'rate', 'below']);
      expect({ unit: row.unit, expected: row.expected, reported: row.reported, below: row.below }).toEqual({ unit, expected, reported, below });
      if (rateValue === null) expect(row.rate).toBeNull();
      else {
        expect(row.rate).toBeCloseTo(rateValue, 6);
        expect(row.rate).toBe(reported / expected); // exact ratio, not the truncated display
      }
    }
  });

  it('prints the table aligned, with truncated rates and the verdict on the below rows', () => {
    const result = rate();
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    const lines = result.stdout.split('\n');
    for (const [org, short, unit, expected, reported, shown, , below] of README_TABLE) {
      const line = lines.find((l) => l.startsWith(org + ' '))!;
      expect(line.split(/\s{2,}/).slice(0, 6)).toEqual([org, short, unit, String(expected), String(reported), shown]);
      expect(line.endsWith('不得评为年度先进党组织')).toBe(below);
    }
    // CJK-aligned: the rate column ends at the same display column on every data row.
    const header = lines.findIndex((l) => l.startsWith('党组织'));
    expect(lines[header + 1]).toMatch(/^-+( +-+)+$/);
    expect(result.stdout).toContain('报到率低于 90% 的党组织 3 个：内科一支部、外科支部、财政局二支部。按规定不得评为年度先进党组织。');
  });

  it('--below 0.9 lists exactly 内科一支部、外科支部、财政局二支部 with the verdict', () => {
    const result = rate(['--below', '0.9']);
    expect(result.status).toBe(0);
    const rows = result.stdout.split('\n').filter((l) => /^(中共|国网)/.test(l));
    expect(rows.map((l) => l.split(/\s{2,}/)[1])).toEqual(['内科一支部', '外科支部', '财政局二支部']);
    for (const row of rows) expect(row).toMatch(/不得评为年度先进党组织$/);
    expect(result.stdout).toContain('报到率低于 90% 的党组织（截至 2026-11-21）：3 个，不得评为年度先进党组织');
    const doc = rateJson(['--below', '0.9']);
    expect(doc.rows.map((r) => [r.org, r.expected, r.reported, r.below])).toEqual([
      ['中共樟溪区人民医院内科第一支部委员会', 19, 17, true],
      ['中共樟溪区人民医院外科支部委员会', 6, 5, true],
      ['中共樟溪区财政局机关第二支部委员会', 7, 5, true],
    ]);
    expect(rateJson(['--below', '90%']).rows).toHaveLength(3);
  });

  it('says the verdict in English with --lang en', () => {
    const result = rate(['--below', '0.9', '--lang', 'en']);
    expect(result.status).toBe(0);
    const rows = result.stdout.split('\n').filter((l) => /^(中共|国网)/.test(l));
    expect(rows).toHaveLength(3);
    for (const row of rows) expect(row).toMatch(/not eligible for annual advanced rating$/);
    expect(result.stdout).toContain('Organisations below 90% as of 2026-11-21: 3');
  });

  it('--by unit and --by town give the README figures', () => {
    const units = rateJson(['--by', 'unit']);
    expect(units.rows.map((r) => [r.unit, r.reported, r.expected, r.below])).toEqual([
      ['国网樟溪供电公司', 7, 7, false],
      ['樟溪区人民医院', 32, 35, false],
      ['樟溪区实验中学', 8, 8, false],
      ['樟溪区税务局', 5, 5, false],
      ['樟溪区财政局', 19, 22, true],
    ]);
    expect(Object.keys(units.rows[0])).toEqual(['unit', 'expected', 'reported', 'rate', 'below']);
    const towns = rateJson(['--by', 'town']);
    expect(towns.rows.map((r) => [r.town, r.reported, r.expected])).toEqual([
      ['柳林镇', 13, 14],
      ['白沙街道', 37, 40],
      ['青山街道', 21, 23],
    ]);
    const text = rate(['--by', 'unit']).stdout;
    expect(text.split('\n').find((l) => l.startsWith('樟溪区财政局'))).toMatch(/22\s+19\s+86\.36%.*低于90%$/);
    expect(text.split('\n').find((l) => l.startsWith('合计'))).toMatch(/77\s+71\s+92\.20%/);
  });

  it('--by category groups by 管理类别', () => {
    const doc = rateJson(['--by', 'category']);
    expect(doc.rows.map((r) => r.category)).toEqual(['其他', '区管', '市管']);
    expect(doc.rows.reduce((n, r) => n + r.expected, 0)).toBe(77);
  });

  it('--as-of 2026-06-30 gives the README figures (the member who left on 2026-09-30 still expected)', () => {
    const doc = rateJson(['--as-of', '2026-06-30']);
    const figures = Object.fromEntries(doc.rows.map((r) => [r.org, `${r.reported}/${r.expected}`]));
    expect(figures).toEqual({
      中共国网樟溪供电公司营销支部委员会: '2/7',
      中共樟溪区人民医院内科第一支部委员会: '10/19',
      中共樟溪区人民医院内科第二支部委员会: '3/8',
      中共樟溪区人民医院外科支部委员会: '5/6',
      中共樟溪区人民医院委员会: '19/35',
      中共樟溪区实验中学支部委员会: '4/8',
      中共樟溪区税务局机关支部委员会: '3/5',
      中共樟溪区财政局机关第一支部委员会: '3/10',
      中共樟溪区财政局机关第三支部委员会: '2/6',
      中共樟溪区财政局机关第二支部委员会: '1/7',
      国网樟溪供电公司外派人员党支部: '0/0',
    });
    expect(doc.asOf).toBe('2026-06-30');
    // The default date is today: DBD_TODAY.
    expect(runJson<RateDoc>(['rate', '--db', db], { env: { DBD_TODAY: '2026-06-30' } }).rows).toEqual(doc.rows);
  });

  it('adds the activity shortfall to the JSON only when --min-activities is given', () => {
    type WithShortfall = { minActivities: number; rows: Array<{ reported: number; activityShortfall: number }> };
    const doc = runJson<WithShortfall>(['rate', '--db', db, '--min-activities', '1'], { env: TODAY });
    expect(doc.minActivities).toBe(1);
    for (const row of doc.rows) expect(row.activityShortfall).toBeLessThanOrEqual(row.reported);
    const zero = runJson<WithShortfall>(['rate', '--db', db, '--min-activities', '0'], { env: TODAY });
    expect(zero.rows.every((r) => r.activityShortfall === 0)).toBe(true);
    expect(rateJson().rows.every((r) => !('activityShortfall' in r))).toBe(true);
  });

  it('refuses thresholds outside (0, 1] or not numbers with exit 2', () => {
    for (const bad of ['1.5', 'abc', '0', '', '1.01', '-0.5']) {
      const result = rate([`--below=${bad}`]);
      expect(result.status, bad).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(`--below 的值“${bad}”无效：应为大于 0、不大于 1 的数`);
    }
    expect(rate(['--below', '1']).status).toBe(0);
    expect(rate(['--by', 'street']).status).toBe(2);
    expect(rate(['--as-of', '2026-02-30']).status).toBe(2);
    expect(rate(['--min-activities', '-1']).status).toBe(2);
    const out = rate(['--out', path.join(dir, 'rate.pdf')]);
    expect(out.status).toBe(2);
    expect(out.stderr).toContain('扩展名应为 .xlsx 或 .csv');
    expect(fs.existsSync(path.join(dir, 'rate.pdf'))).toBe(false);
  });

  // A missing file (tests/postgres covers a missing database on a server).
  it.skipIf(onPostgres)('refuses a database that does not exist (exit 4) rather than creating it', () => {
    const missing = path.join(dir, 'missing.sqlite');
    expect(runDbd(['rate', '--db', missing], { env: TODAY }).status).toBe(4);
    expect(fs.existsSync(missing)).toBe(false);
  });
});

describe('dbd rate --out', () => {
  it('writes an xlsx with header, numbers, percentage rates, red below rows and a 说明 sheet', async () => {
    const file = path.join(dir, '报到率.xlsx');
    const result = rate(['--out', file]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`已写入：${file}`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    expect(wb.worksheets.map((ws) => ws.name)).toEqual(['报到率', '说明']);
    const ws = wb.getWorksheet('报到率')!;
    expect(ws.getRow(1).values).toEqual([undefined, '党组织', '简称', '单位', '应报到人数', '已报到人数', '报到率', '志愿服务不足2次人数', '结论']);
    expect(ws.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws.rowCount).toBe(1 + README_TABLE.length);
    README_TABLE.forEach(([org, short, unit, expected, reported, , rateValue, below], i) => {
      const row = ws.getRow(i + 2);
      expect([row.getCell(1).value, row.getCell(2).value, row.getCell(3).value, row.getCell(4).value, row.getCell(5).value]).toEqual([org, short, unit, expected, reported]);
      const rateCell = row.getCell(6);
      if (rateValue === null) expect(rateCell.value).toBe('—');
      else {
        expect(rateCell.numFmt).toBe('0.00%');
        expect(rateCell.value).toBe(Math.floor((reported * 10000) / expected) / 10000);
      }
      expect(row.getCell(8).value ?? '').toBe(below ? '不得评为年度先进党组织' : '');
      const fill = row.getCell(1).fill as ExcelJS.FillPattern | undefined;
      if (below) expect(fill).toMatchObject({ type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFC7CE' } });
      else expect(fill?.pattern ?? 'none').toBe('none');
    });
    const about = wb.getWorksheet('说明')!;
    const entries = new Map<string, unknown>();
    about.eachRow((r) => entries.set(String(r.getCell(1).value), r.getCell(2).value));
    expect(entries.get('截至日期')).toBe('2026-11-21');
    expect(entries.get('阈值')).toBe('90%');
    expect(entries.get('dbd 版本')).toMatch(/^\d+\.\d+\.\d+/);
    expect(String(entries.get('生成时间'))).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(about.getRow(1).getCell(1).value).toBe('在职党员进社区报到率');
  });

  it('writes the below-threshold list to xlsx with its own sheet name', async () => {
    const file = path.join(dir, '低于90%组织.xlsx');
    expect(rate(['--below', '0.9', '--out', file, '--json']).status).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const ws = wb.getWorksheet('低于90%组织')!;
    expect(ws.rowCount).toBe(4);
    for (let r = 2; r <= 4; r++) expect((ws.getRow(r).getCell(6).fill as ExcelJS.FillPattern).fgColor?.argb).toBe('FFFFC7CE');
  });

  it('writes a CSV in UTF-8 with a BOM, rates as shown, and no unmasked ID numbers', () => {
    const file = path.join(dir, '报到率.csv');
    const result = runDbd(['rate', '--db', db, '--by', 'org', '--out', file, '--json'], { env: TODAY });
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).rows).toHaveLength(README_TABLE.length);
    expect(result.stderr).toContain(file);
    const bytes = fs.readFileSync(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    const lines = text.trimEnd().split('\r\n');
    expect(lines[0]).toBe('党组织,简称,单位,应报到人数,已报到人数,报到率,志愿服务不足2次人数,结论');
    expect(lines.find((l) => l.startsWith('中共樟溪区人民医院内科第一支部委员会,'))).toMatch(/^中共樟溪区人民医院内科第一支部委员会,内科一支部,樟溪区人民医院,19,17,89\.47%,\d+,不得评为年度先进党组织$/);
    expect(text).not.toMatch(/\d{17}[\dX]/);
  });

  it('writes a GBK CSV when asked', async () => {
    const file = path.join(dir, 'gbk.csv');
    expect(rate(['--by', 'town', '--out', file, '--encoding', 'gbk']).status).toBe(0);
    const iconv = (await import('iconv-lite')).default;
    const text = iconv.decode(fs.readFileSync(file), 'gbk');
    expect(text.split('\r\n')[1]).toMatch(/^柳林镇,14,13,92\.85%/);
  });

  it('takes --encoding as GBK, UTF-8 or utf8 alike in rate, weekly-report and export; another is exit 2 naming the choices', () => {
    const runs: Array<[string[], string]> = [
      [['rate', '--by', 'town', '--out', path.join(dir, 'upper.csv')], 'GBK'],
      [['weekly-report', '--town', '--week', '2026-W46', '--out', path.join(dir, 'weekly.csv')], 'UTF-8'],
      [['export', 'monthly', '--month', '2026-10', '--format', 'csv', '--dir', path.join(dir, 'monthly')], 'utf-8'],
    ];
    for (const [args, encoding] of runs) {
      const result = runDbd([...args, '--encoding', encoding, '--db', db], { env: TODAY });
      expect(result.status, `${args[0]} ${encoding}: ${result.stderr}`).toBe(0);
    }
    expect(fs.readFileSync(path.join(dir, 'upper.csv')).subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(false);
    expect([...fs.readFileSync(path.join(dir, 'weekly.csv')).subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const bad = runDbd(['rate', '--out', path.join(dir, 'x.csv'), '--encoding', 'big5', '--db', db], { env: TODAY });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('utf8、gbk');
  });
});
