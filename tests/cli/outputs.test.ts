// End to end: the files commands write (--out, --dir, --errors, --html). Missing folders are
// created; a path that cannot be written is a usage error (exit 2) naming it, before any work and
// with nothing left behind; data that cannot be written in the encoding asked for is exit 3 and
// leaves nothing of the run (the monthly bundle is all five files or none).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { idCheckDigit } from '../../src/domain/idNumber.js';
import { onPostgres } from '../helpers/backend.js';
import { runDbd, sampleDatabase, tempDir } from '../helpers/cli.js';
import { count } from '../helpers/db.js';

const ENV = { DBD_TODAY: '2026-11-21' };

let db: string;
beforeAll(() => {
  db = sampleDatabase();
});

/** Every name under dir (hidden ones too, so that a temporary file shows), with its content's digest. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (at: string) => {
    for (const entry of fs.readdirSync(at, { withFileTypes: true })) {
      const full = path.join(at, entry.name);
      const name = path.relative(dir, full);
      if (entry.isDirectory()) {
        out[`${name}/`] = '';
        walk(full);
      } else out[name] = crypto.createHash('sha1').update(fs.readFileSync(full)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

function expectCleanError(result: { status: number; stderr: string }, status: number, text: string): void {
  expect(result.status, result.stderr).toBe(status);
  expect(result.stderr).toContain(text);
  expect(result.stderr).not.toMatch(/内部错误|internal error|\.tmp|ENOENT|EISDIR|EEXIST|ENOTDIR|\n\s+at /);
}

describe('output paths', () => {
  it('--out, --html and --errors create the folders they need', () => {
    const dir = tempDir();
    const files = ['a/b/报到率.xlsx', 'c/周报.csv', 'd/e/history.xlsx', 'f/报告.html', 'g/错误清单.xlsx'];
    const target = (i: number) => path.join(dir, files[i]);
    expect(runDbd(['rate', '--db', db, '--out', target(0)], { env: ENV }).status).toBe(0);
    expect(runDbd(['weekly-report', '--town', '--db', db, '--out', target(1)], { env: ENV }).status).toBe(0);
    expect(runDbd(['weekly-report', '--history', '--db', db, '--out', target(2)], { env: ENV }).status).toBe(0);
    expect(runDbd(['report', '--html', target(3), '--db', db], { env: ENV }).status).toBe(0);
    const bad = path.join(dir, 'bad.csv');
    fs.writeFileSync(bad, '姓名,身份证号,所在党组织\n甲,3.30102E+17,不存在的支部\n');
    expect(runDbd(['import', bad, '--db', db, '--errors', target(4)], { env: ENV }).status).toBe(3);
    for (const [i, file] of files.entries()) {
      expect(fs.statSync(target(i)).size, file).toBeGreaterThan(0);
      expect(fs.readdirSync(path.dirname(target(i)))).toEqual([path.basename(file)]);
    }
  });

  it('a folder, a file where a folder must be, or a file given as --dir: exit 2 naming the path, nothing written', () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'folder.xlsx'));
    fs.mkdirSync(path.join(dir, 'folder.html'));
    fs.writeFileSync(path.join(dir, 'afile'), 'not a folder');
    const before = snapshot(dir);
    const cases: Array<[string[], string]> = [
      [['rate', '--out', 'folder.xlsx'], 'folder.xlsx 是文件夹，不能作为输出文件'],
      [['rate', '--out', 'afile/r.xlsx'], '无法写入 afile/r.xlsx：afile 是文件，不是文件夹'],
      [['weekly-report', '--out', 'folder.xlsx'], 'folder.xlsx 是文件夹，不能作为输出文件'],
      [['weekly-report', '--town', '--save', '--out', 'afile/sub/w.csv'], '无法写入 afile/sub/w.csv：afile 是文件，不是文件夹'],
      [['weekly-report', '--history', '--out', 'folder.xlsx'], 'folder.xlsx 是文件夹，不能作为输出文件'],
      [['export', 'monthly', '--dir', 'afile'], 'afile 是文件，不是文件夹'],
      [['export', 'monthly', '--dir', 'afile/2026-11'], '无法写入 afile/2026-11：afile 是文件，不是文件夹'],
      [['report', '--html', 'folder.html'], 'folder.html 是文件夹，不能作为输出文件'],
      [['import', path.join(dir, 'afile'), '--errors', 'folder.xlsx'], 'folder.xlsx 是文件夹，不能作为输出文件'],
    ];
    for (const [args, text] of cases) expectCleanError(runDbd([...args, '--db', db], { env: ENV, cwd: dir }), 2, text);
    expect(snapshot(dir)).toEqual(before);
    // --save was refused with the rest: no week was saved.
    expect(count(db, 'weekly_reports')).toBe(0);
  });

  it('speaks English with --lang en', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'afile'), '');
    const result = runDbd(['export', 'monthly', '--dir', 'afile', '--db', db, '--lang', 'en'], { env: ENV, cwd: dir });
    expectCleanError(result, 2, 'afile is a file, not a folder; give the folder to write into');
  });

  it('an --errors path that cannot be written stops the import before anything is written', () => {
    const dir = tempDir();
    const fresh = path.join(dir, 'fresh.sqlite');
    fs.mkdirSync(path.join(dir, 'e.xlsx'));
    const communities = path.join(dir, '社区.csv');
    fs.writeFileSync(communities, '街道,社区\n新街道,新社区\n');
    expect(runDbd(['import', communities, '--db', fresh], { env: ENV }).status).toBe(0);
    const file = path.join(dir, '社区2.csv');
    fs.writeFileSync(file, '街道,社区\n新街道,又一社区\n');
    expectCleanError(runDbd(['import', file, '--db', fresh, '--errors', path.join(dir, 'e.xlsx')], { env: ENV }), 2, 'e.xlsx 是文件夹');
    expect(count(fresh, 'communities')).toBe(1);
  });

  it('dbd demo --dir naming a file stops before the demo database is made', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'exports'), '');
    const result = runDbd(['demo', '--db', 'demo.sqlite'], { cwd: dir });
    expectCleanError(result, 2, 'exports 是文件，不是文件夹');
    if (!onPostgres) expect(fs.existsSync(path.join(dir, 'demo.sqlite'))).toBe(false);
  });
});

describe('--encoding gbk with a character GBK cannot hold', () => {
  /** The samples and a member named 李𠮷明 (𠮷 is in no GBK code page): a name only the last file
   * of the monthly bundle (未报到党员) holds. */
  let nameDb: string;
  /** The samples and a unit 𠮷祥公司 (U+20BB7, outside the BMP) with a member in 白沙街道: in the
   * rate table and the weekly report. */
  let unitDb: string;
  beforeAll(() => {
    const id = (n: number) => {
      const body = `11010119900307${String(n).padStart(3, '0')}`;
      return body + idCheckDigit(body);
    };
    const withRoster = (line: string) => {
      const db = sampleDatabase(tempDir());
      const roster = path.join(tempDir(), '名册.csv');
      fs.writeFileSync(roster, `姓名,身份证号,所在党组织,工作单位,居住地社区,所属街道\n${line}\n`);
      const result = runDbd(['import', roster, '--db', db], { env: ENV });
      if (result.status !== 0) throw new Error(result.stderr);
      return db;
    };
    nameDb = withRoster(`李𠮷明,${id(1)},内科一支部,樟溪区人民医院,,`);
    unitDb = withRoster(`王五,${id(2)},𠮷祥公司支部,𠮷祥公司,望江社区,白沙街道`);
  });

  it('export monthly --format csv: exit 3 naming the character, file, line and column; nothing of the run is left', () => {
    const dir = tempDir();
    // A folder that already holds last run's bundle (in UTF-8): it stays as it was.
    expect(runDbd(['export', 'monthly', '--month', '2026-11', '--format', 'csv', '--dir', dir, '--db', nameDb], { env: ENV }).status).toBe(0);
    const before = snapshot(dir);
    expect(Object.keys(before)).toHaveLength(5);
    const result = runDbd(['export', 'monthly', '--month', '2026-11', '--format', 'csv', '--encoding', 'gbk', '--dir', dir, '--db', nameDb], { env: ENV });
    expectCleanError(result, 3, '字符“𠮷”（U+20BB7）无法用 GBK 编码');
    expect(result.stderr).toMatch(/2026-11_未报到党员\.csv：字符“𠮷”（U\+20BB7）无法用 GBK 编码（第 \d+ 行第 3 列），未写出文件；请改用 UTF-8（默认编码）/);
    expect(snapshot(dir)).toEqual(before);
    // Into a folder still to be made: not even the folder is left.
    const fresh = path.join(tempDir(), 'a', 'b');
    expectCleanError(runDbd(['export', 'monthly', '--format', 'csv', '--encoding', 'gbk', '--dir', fresh, '--db', nameDb], { env: ENV }), 3, 'GBK');
    expect(fs.existsSync(path.dirname(fresh))).toBe(false);
  });

  it('rate --out x.csv: exit 3, no file', () => {
    const dir = tempDir();
    const result = runDbd(['rate', '--out', 'r.csv', '--encoding', 'gbk', '--db', unitDb, '--lang', 'en'], { env: ENV, cwd: dir });
    expectCleanError(result, 3, 'r.csv: the character "𠮷" (U+20BB7) cannot be encoded in GBK');
    expect(result.stderr).toContain('nothing was written. Use UTF-8 (the default) instead');
    expect(result.stdout).toBe('');
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('weekly-report --out x.csv --save: exit 3, no file, and the week is not saved', () => {
    const dir = tempDir();
    const result = runDbd(['weekly-report', '--town', '--save', '--out', 'w.csv', '--encoding', 'gbk', '--db', unitDb], { env: ENV, cwd: dir });
    expectCleanError(result, 3, 'w.csv：字符“𠮷”（U+20BB7）无法用 GBK 编码');
    expect(fs.readdirSync(dir)).toEqual([]);
    expect(count(unitDb, 'weekly_reports')).toBe(0);
    // In UTF-8 the same report is written and saved.
    expect(runDbd(['weekly-report', '--town', '--save', '--out', 'w.csv', '--db', unitDb], { env: ENV, cwd: dir }).status).toBe(0);
    expect(fs.readdirSync(dir)).toEqual(['w.csv']);
    expect(count(unitDb, 'weekly_reports')).toBe(1);
  });
});

describe('output paths that must not be written over', () => {
  it('--errors naming a file being imported, or the database, is exit 2, and both are left as they were', () => {
    const dir = tempDir();
    const roster = path.join(dir, '花名册.csv');
    fs.writeFileSync(roster, '姓名,身份证号,所在党组织\n甲,3.30102E+17,不存在的支部\n');
    // A database file whose name ends as a spreadsheet's does (found before it is opened).
    const database = path.join(dir, 'dbd.csv');
    fs.writeFileSync(database, 'the database');
    const before = snapshot(dir);
    for (const errors of [roster, path.join(dir, 'sub', '..', '花名册.csv')]) {
      expectCleanError(runDbd(['import', roster, '--db', path.join(dir, 'work.sqlite'), '--errors', errors], { env: ENV }), 2, '会覆盖原有内容');
    }
    expectCleanError(runDbd(['import', roster, '--db', database, '--errors', database], { env: ENV, asGiven: true }), 2, '是数据库文件');
    expect(snapshot(dir)).toEqual(before);
  });

  it('a read-only file is not replaced by --out', () => {
    const dir = tempDir();
    const out = path.join(dir, '报到率.xlsx');
    fs.writeFileSync(out, 'kept');
    fs.chmodSync(out, 0o444);
    expectCleanError(runDbd(['rate', '--db', db, '--out', out], { env: ENV }), 2, '只读');
    expect(fs.readFileSync(out, 'utf8')).toBe('kept');
    expect(fs.readdirSync(dir)).toEqual(['报到率.xlsx']);
  });

  it('through a symbolic link, --out replaces the file linked to and the link stays', () => {
    const dir = tempDir();
    const real = path.join(dir, 'shared', '报到率.csv');
    fs.mkdirSync(path.dirname(real));
    fs.writeFileSync(real, 'old');
    const link = path.join(dir, 'latest.csv');
    fs.symlinkSync(real, link);
    expect(runDbd(['rate', '--db', db, '--out', link], { env: ENV }).status).toBe(0);
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(real, 'utf8')).toContain('党组织');
    expect(fs.readdirSync(path.dirname(real))).toEqual(['报到率.csv']);
  });
});
