// Spreadsheets that look finished: exported workbooks converted to PDF by LibreOffice (Debian's
// libreoffice-calc, headless) print as whole tables on A4, one page per sheet here, with the text
// a reader needs. A damaged workbook yields no PDF, so it cannot pass. Without LibreOffice this
// fails and says what to install, unless DBD_SKIP_LIBREOFFICE=1.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runDbd, sampleDatabase, tempDir } from '../helpers/cli.js';
import { isA4, pdfPages, poppler, requireProgram, skipLibreOffice, TEST_OUTPUT } from './tools.js';

const SKIP_VARIABLE = 'DBD_SKIP_LIBREOFFICE';
const ENV = { DBD_TODAY: '2026-11-21' };

/** Convert with a profile of its own (so that a desktop LibreOffice left open does not take the
 * job); returns the PDF's path, or undefined when LibreOffice made none. */
function toPdf(workbook: string, outDir: string): string | undefined {
  const binary = requireProgram(['libreoffice', 'soffice'], 'libreoffice-calc fonts-noto-cjk poppler-utils', SKIP_VARIABLE);
  const profile = fs.mkdtempSync(path.join(outDir, 'profile-'));
  try {
    spawnSync(binary, ['--headless', '--norestore', `-env:UserInstallation=${pathToFileURL(profile).href}`, '--convert-to', 'pdf', '--outdir', outDir, workbook], {
      encoding: 'utf8',
      timeout: 180_000,
    });
  } finally {
    fs.rmSync(profile, { recursive: true, force: true });
  }
  const pdf = path.join(outDir, `${path.basename(workbook, path.extname(workbook))}.pdf`);
  return fs.existsSync(pdf) ? pdf : undefined;
}

function pageText(pdf: string, page: number): string {
  return poppler('pdftotext', ['-layout', '-f', String(page), '-l', String(page), pdf, '-'], SKIP_VARIABLE);
}

const landscape = (page: { width: number; height: number }) => page.width > page.height;

describe.skipIf(skipLibreOffice)('exported workbooks in LibreOffice (headless, to PDF)', () => {
  let dir: string;
  let db: string;
  beforeAll(() => {
    dir = tempDir('dbd-libreoffice-');
    db = sampleDatabase(dir);
    fs.mkdirSync(path.join(TEST_OUTPUT, 'libreoffice'), { recursive: true });
  });

  it('dbd rate --out: the rate sheet on one landscape A4 page, 说明 on a portrait one', () => {
    const workbook = path.join(dir, '报到率.xlsx');
    expect(runDbd(['rate', '--db', db, '--out', workbook], { env: ENV }).status).toBe(0);
    const pdf = toPdf(workbook, path.join(TEST_OUTPUT, 'libreoffice'));
    expect(pdf, 'LibreOffice made no PDF').toBeDefined();

    const pages = pdfPages(pdf!, SKIP_VARIABLE);
    expect(pages).toHaveLength(2);
    expect(pages.every(isA4)).toBe(true);
    expect(landscape(pages[0])).toBe(true);
    expect(landscape(pages[1])).toBe(false);

    const rates = pageText(pdf!, 1);
    for (const header of ['党组织', '简称', '单位', '应报到人数', '已报到人数', '报到率', '结论']) expect(rates).toContain(header);
    for (const org of ['中共国网樟溪供电公司营销支部委员会', '中共樟溪区人民医院内科第一支部委员会', '中共樟溪区财政局机关第二支部委员会', '国网樟溪供电公司外派人员党支部']) {
      expect(rates).toContain(org);
    }
    // Every column on the page: a below row reads across, from the name to the verdict.
    expect(rates).toMatch(/中共樟溪区人民医院内科第一支部委员会\s+内科一支部\s+樟溪区人民医院\s+19\s+17\s+89\.47%\s+17\s+不得评为年度先进党组织/);
    expect(rates.match(/不得评为年度先进党组织/g)).toHaveLength(3);

    const about = pageText(pdf!, 2);
    expect(about).toContain('截至日期');
    expect(about).toContain('2026-11-21');
    // The long rules text wraps in its cell and shows to its last words.
    expect(about.replace(/\s+/g, '')).toContain('即为低于');
  });

  it('dbd weekly-report --town --out: one page per town, the summary, then 说明', () => {
    const workbook = path.join(dir, '镇街周报.xlsx');
    expect(runDbd(['weekly-report', '--town', '--week', '2026-W46', '--db', db, '--out', workbook], { env: ENV }).status).toBe(0);
    const pdf = toPdf(workbook, path.join(TEST_OUTPUT, 'libreoffice'));
    expect(pdf, 'LibreOffice made no PDF').toBeDefined();
    const pages = pdfPages(pdf!, SKIP_VARIABLE);
    expect(pages).toHaveLength(5);
    expect(pages.every(isA4)).toBe(true);
    ['柳林镇', '白沙街道', '青山街道'].forEach((town, i) => {
      const text = pageText(pdf!, i + 1);
      expect(text).toContain(town);
      expect(text).toContain('小计');
      expect(text).toContain('本周服务时长(小时)');
    });
    expect(pageText(pdf!, 4)).toMatch(/合计\s+77\s+68\s+5\s+88\.31%\s+10\s+21\.5\s+7/);
  });

  it('a damaged workbook gives no PDF (so it could not pass the checks above)', () => {
    const good = path.join(dir, '完好.xlsx');
    expect(runDbd(['rate', '--db', db, '--out', good], { env: ENV }).status).toBe(0);
    const broken = path.join(dir, '损坏.xlsx');
    fs.mkdirSync(path.join(dir, 'broken-out'));
    fs.writeFileSync(broken, fs.readFileSync(good).subarray(0, 3_000));
    expect(toPdf(broken, path.join(dir, 'broken-out'))).toBeUndefined();
  });
});
