// On a real (pseudo-)terminal: below-threshold rows red, nothing coloured under NO_COLOR or
// --no-color or through a pipe; progress with rows per second on a terminal only.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runDbd, sampleDatabase, tempDir } from '../helpers/cli.js';
import { runOnTerminal } from './pty.js';

const ENV = { DBD_TODAY: '2026-11-21' };
const RED = '\u001b[31m';
const ESC = '\u001b[';

let db: string;
beforeAll(() => {
  db = sampleDatabase();
});

function lineOf(screen: string, text: string): string {
  const line = screen.split(/\r?\n/).find((l) => l.includes(text));
  if (!line) throw new Error(`no line with ${text} in:\n${screen}`);
  return line;
}

describe('colour on a terminal only', () => {
  it('dbd rate on a terminal: the three organisations below 90% are red, the others are not', () => {
    const { status, screen } = runOnTerminal(['rate', '--db', db], ENV);
    expect(status).toBe(0);
    for (const org of ['中共樟溪区人民医院内科第一支部委员会', '中共樟溪区人民医院外科支部委员会', '中共樟溪区财政局机关第二支部委员会']) {
      expect(lineOf(screen, org).startsWith(RED), org).toBe(true);
    }
    for (const org of ['中共樟溪区财政局机关第一支部委员会', '中共樟溪区人民医院委员会']) expect(lineOf(screen, org)).not.toContain(RED);
  });

  it('dbd weekly-report --town on a terminal: red rows below 90%, bold totals', () => {
    const { status, screen } = runOnTerminal(['weekly-report', '--town', '--week', '2026-W46', '--db', db], ENV);
    expect(status).toBe(0);
    expect(lineOf(screen, '66.66%').startsWith(RED)).toBe(true);
    expect(lineOf(screen, '小计')).toContain(`${ESC}1m`);
  });

  it('no colour with NO_COLOR, with --no-color, or through a pipe', () => {
    expect(runOnTerminal(['rate', '--db', db], { ...ENV, NO_COLOR: '1' }).screen).not.toContain(ESC);
    expect(runOnTerminal(['rate', '--db', db, '--no-color'], ENV).screen).not.toContain(ESC);
    const piped = runDbd(['rate', '--db', db], { env: { ...ENV, NO_COLOR: '' } });
    expect(piped.status).toBe(0);
    expect(piped.stdout).toContain('89.47%');
    expect(piped.stdout + piped.stderr).not.toContain(ESC);
  });
});

describe('progress on long imports', () => {
  let dir: string;
  let csv: string;
  beforeAll(() => {
    dir = tempDir('dbd-progress-');
    csv = path.join(dir, '社区名单.csv');
    const lines = ['街道,社区'];
    for (let i = 1; i <= 5_600; i++) lines.push(`第${(i % 40) + 1}街道,第${i}社区`);
    fs.writeFileSync(csv, `${lines.join('\n')}\n`);
  });

  it('shows rows and rows per second on a terminal, then clears the line', () => {
    const { status, screen } = runOnTerminal(['import', csv, '--db', path.join(dir, 'tty.sqlite')], ENV);
    expect(status).toBe(0);
    expect(screen).toMatch(/\r\u001b\[2K导入中 社区名单\.csv \[[^\]]*\]：已处理 5000 行（[\d,.]+ 行\/秒，已用 \d+ 秒）/);
    expect(screen).toContain('5600');
  });

  it('in English with --lang en', () => {
    const { screen } = runOnTerminal(['import', csv, '--db', path.join(dir, 'en.sqlite'), '--lang', 'en'], ENV);
    expect(screen).toMatch(/importing 社区名单\.csv \[[^\]]*\]: 5000 rows \([\d,.]+ rows\/s, \d+ s so far\)/);
  });

  it('is quiet under --json on a terminal, and when piped', () => {
    const json = runOnTerminal(['import', csv, '--db', path.join(dir, 'json.sqlite'), '--json'], ENV);
    expect(json.status).toBe(0);
    expect(json.screen).not.toContain('行/秒');
    expect(json.screen).not.toContain('\r\u001b[2K');
    const piped = runDbd(['import', csv, '--db', path.join(dir, 'pipe.sqlite')], { env: ENV });
    expect(piped.status).toBe(0);
    expect(piped.stderr).not.toContain('行/秒');
    expect(piped.stderr).not.toContain(ESC);
  });
});

describe('progress of the monthly export', () => {
  it('names each file as it is written, on a terminal only', () => {
    const dir = tempDir('dbd-export-progress-');
    const { status, screen } = runOnTerminal(['export', 'monthly', '--month', '2026-11', '--db', db, '--dir', dir], ENV);
    expect(status).toBe(0);
    expect(screen).toContain('正在统计 2026-11 的数据');
    expect(screen).toMatch(/\r\u001b\[2K正在写入第 1\/5 个文件：2026-11_报到率\.xlsx（0%，已用 \d+ 秒）/);
    expect(screen).toMatch(/正在写入第 5\/5 个文件：2026-11_未报到党员\.xlsx（80%，(约剩|已用) \d+ 秒）/);
    const json = runOnTerminal(['export', 'monthly', '--month', '2026-11', '--db', db, '--dir', dir, '--json'], ENV);
    expect(json.status).toBe(0);
    expect(json.screen).not.toContain('正在写入');
    const piped = runDbd(['export', 'monthly', '--month', '2026-11', '--db', db, '--dir', dir], { env: ENV });
    expect(piped.stderr).not.toContain('正在写入');
  });
});
