// A file read in a parse worker (large files: the header search and the rows, read once) gives
// exactly what the importing thread gives reading it itself: the same exit code, output,
// messages and database, for the samples, for every awkward file of the fixtures, and for
// workbooks of several sheets.
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { contentDigest } from '../helpers/db.js';
import { ROOT, runDbd, SAMPLES, tempDir } from '../helpers/cli.js';

const FIXTURES = path.join(ROOT, 'fixtures');

/** Each file imported in turn into one new database, read as the setting says. */
function importEach(files: string[], setting: 'never' | 'always', extra: string[] = []) {
  const dir = tempDir();
  const db = path.join(dir, 'dbd.sqlite');
  const steps = files.map((file) => {
    const result = runDbd(['import', file, '--db', db, '--json', ...extra], { env: { DBD_TODAY: '2026-11-21', DBD_PARSE_WORKER: setting } });
    const plain = (text: string) => text.split(dir).join('<dir>');
    return { file: path.basename(file), status: result.status, stdout: plain(result.stdout), stderr: plain(result.stderr) };
  });
  return { steps, digest: contentDigest(db, { ignore: ['timestamp'] }) };
}

function expectSameEitherWay(files: string[], extra: string[] = []) {
  const inProcess = importEach(files, 'never', extra);
  const inWorker = importEach(files, 'always', extra);
  expect(inWorker.steps).toEqual(inProcess.steps);
  expect(inWorker.digest).toBe(inProcess.digest);
  return inProcess;
}

const filesIn = (dir: string) =>
  fs
    .readdirSync(dir)
    .filter((name) => /\.(csv|tsv|xlsx|xls)$/.test(name))
    .sort()
    .map((name) => path.join(dir, name));

describe('parse worker', () => {
  it('imports the samples as the importing thread does', () => {
    const order = ['社区名单.csv', '单位党组织名册.xlsx', '在职党员花名册.xlsx', '报到登记.csv', '志愿服务记录.xlsx', '结对共建.xlsx'];
    const { steps } = expectSameEitherWay(order.map((name) => path.join(SAMPLES, name)));
    expect(steps.map((step) => step.status)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it.each([
    ['the bad samples', path.join(SAMPLES, 'bad')],
    ['the hostile files', path.join(FIXTURES, 'hostile')],
    ['the rosters of other shapes', path.join(FIXTURES, 'rosters')],
  ])('reports %s as the importing thread does, file by file', (_what, dir) => {
    const files = filesIn(dir);
    expect(files.length).toBeGreaterThan(3);
    for (const file of files) expectSameEitherWay([file]);
  });

  it('reads a workbook of several sheets, some not importable, in the order their kinds need', async () => {
    const dir = tempDir();
    const file = path.join(dir, '多表.xlsx');
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('说明').addRows([['本表由组织部下发'], ['请勿改动表头']]);
    const members = workbook.addWorksheet('党员');
    members.addRows([
      ['在职党员花名册'],
      ['姓名', '身份证号', '工作单位', '所在党组织', '居住地社区', '所属街道'],
      ['张三', '110101199003074514', '市财政局', '财政局机关党支部', '滨江社区', '白沙街道'],
      ['李四', '110101199003078136', '市财政局', '财政局机关党支部', '桃源社区', '白沙街道'],
    ]);
    workbook.addWorksheet('社区').addRows([
      ['街道', '社区'],
      ['白沙街道', '滨江社区'],
      ['白沙街道', '桃源社区'],
    ]);
    workbook.addWorksheet('空表');
    await workbook.xlsx.writeFile(file);
    const { steps } = expectSameEitherWay([file]);
    expect(steps[0].status).toBe(0);
    const summary = JSON.parse(steps[0].stdout) as { files: Array<{ sheets: Array<{ sheet: string; added: number }>; skippedSheets: Array<{ sheet: string }> }> };
    expect(summary.files[0].sheets.map((sheet) => [sheet.sheet, sheet.added])).toEqual([
      ['党员', 2],
      ['社区', 2],
    ]);
    expect(summary.files[0].skippedSheets.map((sheet) => sheet.sheet)).toEqual(['说明']);
  });

  it('reports a sheet without a required column, beside one that imports, as the importing thread does', async () => {
    const dir = tempDir();
    const file = path.join(dir, '缺列.xlsx');
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('社区').addRows([
      ['街道', '社区'],
      ['白沙街道', '滨江社区'],
    ]);
    workbook.addWorksheet('党员').addRows([
      ['序号', '身份证号', '所在党组织'],
      [1, '110101199003074514', '财政局机关党支部'],
    ]);
    await workbook.xlsx.writeFile(file);
    const { steps } = expectSameEitherWay([file]);
    expect(steps[0].status).toBe(3);
    expect(expectSameEitherWay([file], ['--skip-invalid']).steps[0].status).toBe(0);
  });
});
