// `dbd demo` from a fresh directory: creates ./dbd.sqlite, imports the bundled samples, prints
// the rate table with the below-90% organisations marked and last week's town report, writes the
// monthly bundle to ./exports and says where everything went. Running it again changes nothing.
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { databaseExists } from '../helpers/backend.js';
import { contentDigest } from '../helpers/db.js';
import { runDbd, tempDir } from '../helpers/cli.js';

const BUNDLE = ['报到率', '低于90%组织', '镇街周报', '志愿服务', '未报到党员'].map((name) => `2026-11_${name}.xlsx`);

describe('dbd demo', () => {
  it('runs in an empty directory with no set-up (DBD_TODAY unset) and says where everything went', async () => {
    const cwd = tempDir('dbd-demo-');
    const result = runDbd(['demo'], { cwd });
    expect(result.status, result.stderr).toBe(0);
    const db = path.join(cwd, 'dbd.sqlite');
    const exports = path.join(cwd, 'exports');
    expect(fs.statSync(db).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(exports).sort()).toEqual([...BUNDLE].sort());

    const out = result.stdout;
    // The rate table, the below-90% organisations marked with the verdict.
    const verdictLines = out.split('\n').filter((line) => line.startsWith('中共') && line.trimEnd().endsWith('不得评为年度先进党组织'));
    expect(verdictLines.map((line) => line.trim().split(/\s+/)[1])).toEqual(['内科一支部', '外科支部', '财政局二支部']);
    // Last week's town report (2026-W46 for the demo's today, 2026-11-21), with its total.
    expect(out).toContain('2026-W46');
    expect(out.split('\n').find((line) => line.startsWith('合计'))!.trim().split(/\s+/)).toEqual(['合计', '77', '68', '5', '88.31%', '10', '21.5', '7']);
    // Where everything went.
    expect(out).toContain(db);
    for (const file of BUNDLE) expect(out).toContain(path.join(exports, file));

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path.join(exports, '2026-11_镇街周报.xlsx'));
    expect(wb.worksheets.map((ws) => ws.name)).toEqual(['2026-W44', '2026-W45', '2026-W46', '说明']);

    // Again: the import is idempotent, the bundle is rewritten.
    const digest = contentDigest(db);
    const again = runDbd(['demo'], { cwd });
    expect(again.status, again.stderr).toBe(0);
    expect(contentDigest(db)).toBe(digest);
    expect(fs.readdirSync(exports).sort()).toEqual([...BUNDLE].sort());
  });

  it('takes --db and --dir', () => {
    const cwd = tempDir('dbd-demo-');
    const result = runDbd(['demo', '--db', '演示.sqlite', '--dir', '演示导出'], { cwd });
    expect(result.status, result.stderr).toBe(0);
    expect(databaseExists(path.join(cwd, '演示.sqlite'))).toBe(true);
    expect(fs.readdirSync(path.join(cwd, '演示导出'))).toHaveLength(5);
    expect(databaseExists(path.join(cwd, 'dbd.sqlite'))).toBe(false);
  });
});
