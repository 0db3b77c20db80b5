// Wrong usage is exit 2 with a message in the user's language; bare `dbd` shows the commands;
// a reader that stops early is not an error.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT, runDbd, tempDir } from '../helpers/cli.js';

describe('usage errors', () => {
  it.each([
    [['rate', '--nope'], '不认识的选项 --nope'],
    [['frobnicate'], '不认识的命令 frobnicate'],
    [['import'], '缺少参数 files'],
    [['rate', '--as-of'], '选项 --as-of <date> 缺少取值'],
    [['import', 'x.csv', '--kind', 'zz'], '“zz”无效'],
  ])('dbd %j → exit 2, %s', (args, text) => {
    const result = runDbd(args);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(text);
    expect(result.stderr).toContain('--help');
  });

  it('an empty --today or --db is exit 2 naming the option, not the real date or ./dbd.sqlite; an empty DBD_TODAY or DBD_DB means unset', () => {
    const dir = tempDir();
    const db = path.join(dir, 'dbd.sqlite');
    for (const args of [['members', '--today', '', '--db', db], ['rate', '--today=', '--db', db], ['demo', '--today', '', '--db', db, '--dir', dir]]) {
      const result = runDbd(args, { cwd: dir });
      expect(result.status, args.join(' ')).toBe(2);
      expect(result.stderr).toContain('--today 的值为空');
    }
    for (const args of [['members', '--db', ''], ['import', path.join(dir, 'x.csv'), '--db='], ['checkin', '方龙', '--community', '白沙社区', '--db', '']]) {
      const result = runDbd(args, { cwd: dir, asGiven: true, env: { DBD_DB: '' } });
      expect(result.status, args.join(' ')).toBe(2);
      expect(result.stderr).toContain('--db 的值为空');
    }
    expect(fs.readdirSync(dir)).toEqual([]);
    // Empty variables are not set: the default database of the folder (missing here: exit 4).
    const unset = runDbd(['members'], { cwd: dir, asGiven: true, env: { DBD_DB: '', DBD_TODAY: '' } });
    expect(unset.status).toBe(4);
    expect(unset.stderr).toContain('dbd.sqlite');
  });

  it('an empty output path (--out "", --errors "") is exit 2, not a report with no file', () => {
    const dir = tempDir();
    const db = path.join(dir, 'dbd.sqlite');
    const csv = path.join(dir, 'x.csv');
    fs.writeFileSync(csv, '街道,社区\n青山街道,青山社区\n');
    for (const args of [['rate', '--out', ''], ['weekly-report', '--out', ''], ['import', csv, '--errors', '']]) {
      const result = runDbd([...args, '--db', db], { cwd: dir });
      expect(result.status, args.join(' ')).toBe(2);
    }
  });

  it('an empty name filter (--town "", --org "") is exit 2, not a listing of everyone', () => {
    const dir = tempDir();
    const db = path.join(dir, 'dbd.sqlite');
    for (const args of [['members', '--town', ''], ['members', '--org', ' '], ['orgs', '--unit', ''], ['communities', '--search', ''], ['checkin', '方龙', '--community', '']]) {
      const result = runDbd([...args, '--db', db], { cwd: dir });
      expect(result.status, args.join(' ')).toBe(2);
      expect(result.stderr).toContain(`${args[args.length - 2]} 的值为空`);
    }
    expect(fs.readdirSync(dir)).toEqual([]);
    const long = runDbd(['members', '--search', '王'.repeat(17_000), '--db', db], { cwd: dir });
    expect(long.status).toBe(2);
    expect(long.stderr).toContain('--search 的值太长：最多 200 个字');
  });

  it('an input that is a pipe or a device is exit 2 saying so, not an empty file', () => {
    const dir = tempDir();
    const fifo = path.join(dir, 'pipe.csv');
    spawnSync('mkfifo', [fifo]);
    for (const file of ['/dev/null', fifo]) {
      const result = runDbd(['import', file, '--db', path.join(dir, 'dbd.sqlite')]);
      expect(result.status, file).toBe(2);
      expect(result.stderr).toContain('不是普通文件（是管道或设备）');
    }
    expect(fs.readdirSync(dir)).toEqual(['pipe.csv']);
  });

  it.skipIf(!fs.existsSync('/dev/full'))('output that cannot be written (a full disk) is a line on stderr and exit 1, not a stack', () => {
    const dir = tempDir();
    const full = fs.openSync('/dev/full', 'w');
    try {
      const result = spawnSync(process.execPath, [BIN, 'import', path.join(ROOT, 'fixtures', 'rosters', '社区名单.utf8.csv'), '--db', path.join(dir, 'dbd.sqlite')], {
        env: { ...process.env, LANG: '', LC_ALL: '', NO_COLOR: '1', DBD_TODAY: '2026-11-21' },
        stdio: ['ignore', full, 'pipe'],
        encoding: 'utf8',
      });
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('无法写出输出');
      expect(result.stderr).not.toMatch(/\n\s+at /);
    } finally {
      fs.closeSync(full);
    }
  });

  it('--encoding where no CSV file is written is said on stderr (it does nothing there)', () => {
    const missing = path.join(tempDir(), 'missing.sqlite');
    for (const args of [['rate', '--encoding', 'gbk'], ['rate', '--out', 'x.xlsx', '--encoding', 'gbk'], ['weekly-report', '--encoding', 'gbk'], ['export', 'monthly', '--encoding', 'gbk']]) {
      const result = runDbd([...args, '--db', missing], { cwd: tempDir(), asGiven: true });
      expect(result.stderr, args.join(' ')).toContain('--encoding 只用于写出 CSV 文件');
    }
    const csv = runDbd(['rate', '--out', 'x.csv', '--encoding', 'gbk', '--db', missing], { cwd: tempDir(), asGiven: true });
    expect(csv.stderr).not.toContain('--encoding 只用于');
  });

  it('a spreadsheet or a folder given as --db is exit 2 saying what --db is, and is left as it was', () => {
    const dir = tempDir();
    const sheet = path.join(dir, '花名册.xlsx');
    fs.copyFileSync(path.join(ROOT, '..', 'shared', 'samples', '在职党员花名册.xlsx'), sheet);
    const before = fs.readFileSync(sheet);
    const asDb = runDbd(['members', '--db', sheet], { asGiven: true });
    expect(asDb.status).toBe(2);
    expect(asDb.stderr).toContain(`dbd import ${sheet}`);
    expect(fs.readFileSync(sheet).equals(before)).toBe(true);
    expect(fs.readdirSync(dir)).toEqual(['花名册.xlsx']);
    const folder = runDbd(['rate', '--db', dir], { asGiven: true });
    expect(folder.status).toBe(2);
    expect(folder.stderr).toContain('是文件夹，不是数据库文件');
  });

  it('every date option takes the forms an import reads (2026/11/12, 20261112, 2026年11月12日)', () => {
    for (const args of [['weekly-report', '--date'], ['members', '--as-of'], ['orgs', '--as-of'], ['rate', '--as-of']]) {
      for (const value of ['2026/11/12', '20261112', '2026年11月12日']) {
        // Parsed before the database is opened: a missing database (exit 4) shows the date was taken.
        const result = runDbd([...args, value, '--db', path.join(tempDir(), 'missing.sqlite')], { asGiven: true });
        expect(result.status, [...args, value].join(' ')).toBe(4);
      }
      const bad = runDbd([...args, '2026-13-40']);
      expect(bad.status).toBe(2);
      expect(bad.stderr).toContain('不是有效日期');
    }
  });

  it('speaks English with --lang en', () => {
    const result = runDbd(['rate', '--nope', '--lang', 'en']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('unknown option --nope');
  });

  it('bare dbd lists the commands on stdout and exits 0', () => {
    const result = runDbd([]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('import');
    expect(result.stdout).toContain('weekly-report');
  });

  it('a closed pipe is not an error', () => {
    const result = spawnSync('bash', ['-c', `node ${JSON.stringify(BIN)} help | head -1`], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(result.status).toBe(0);
    expect(result.stderr).not.toMatch(/EPIPE|\n\s+at /);
  });
});
