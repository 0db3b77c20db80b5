// Wrong usage is exit 2 with a message in the user's language; bare `dbd` shows the commands;
// a reader that stops early is not an error.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN, runDbd } from '../helpers/cli.js';

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
