// Help that teaches: every command has a purpose line and real examples in --help and is in the
// README; `dbd help` lists commands and topics; each topic page's commands run as written on the
// sample data.
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import stringWidth from 'string-width';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli.js';
import { HELP_TOPICS, wrapByWidth } from '../../src/cli/help.js';
import { setLang, t } from '../../src/i18n/index.js';
import { DEMO_FIXTURES, ROOT, SAMPLE_ORDER, runDbd, tempDir } from '../helpers/cli.js';

const TODAY = '2026-11-21';

/** Every command as the words a user types: ['import'], ['export', 'monthly'], … */
function commandPaths(command: Command, prefix: string[] = []): string[][] {
  return command.commands.flatMap((sub) => {
    const words = [...prefix, sub.name()];
    return [words, ...commandPaths(sub, words)];
  });
}

/** The example lines of a --help text (after 示例： / Examples:). */
function examples(helpText: string, heading: string): string[] {
  const at = helpText.indexOf(`\n${heading}\n`);
  if (at < 0) return [];
  return helpText
    .slice(at + heading.length + 2)
    .split('\n')
    .filter((line) => /^ {2}\S/.test(line))
    .map((line) => line.trim());
}

/** The commands of a topic page: lines that begin with "dbd " after indentation. */
function topicCommands(page: string): string[] {
  return page
    .split('\n')
    .filter((line) => /^\s+dbd /.test(line))
    .map((line) => line.trim());
}

setLang('zh');
const program = buildProgram();
const paths = commandPaths(program);

describe('every command teaches itself', () => {
  it('finds the commands (a guard against an empty list)', () => {
    const names = paths.map((p) => p.join(' '));
    for (const name of ['import', 'rate', 'weekly-report', 'export monthly', 'report', 'help']) expect(names).toContain(name);
  });

  for (const words of paths) {
    const name = words.join(' ');
    it(`dbd ${name} --help: a purpose line and two or more examples of its own`, () => {
      const command = words.reduce<Command>((parent, word) => parent.commands.find((c) => c.name() === word)!, program);
      expect(command.description().trim(), `dbd ${name} has no description`).not.toBe('');
      const zh = runDbd([...words, '--help']);
      expect(zh.status).toBe(0);
      expect(zh.stdout).toContain(command.description().slice(0, 20));
      const zhExamples = examples(zh.stdout, t('common.examples', {}, 'zh'));
      expect(zhExamples.length, `dbd ${name} --help has ${zhExamples.length} example(s)`).toBeGreaterThanOrEqual(2);
      for (const line of zhExamples) expect(line.startsWith(`dbd ${words[0]}`), line).toBe(true);

      const en = runDbd([...words, '--help', '--lang', 'en']);
      expect(en.status).toBe(0);
      expect(examples(en.stdout, t('common.examples', {}, 'en')).length).toBeGreaterThanOrEqual(2);
      expect(en.stdout).toContain('Usage:');
    });
  }

  it('every command is in the README (as "dbd <name>")', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const missing = paths
      .map((words) => words.join(' '))
      .filter((name) => !new RegExp(`dbd ${name.replace(/[-]/g, '\\-')}(?![\\w-])`).test(readme));
    expect(missing, `commands missing from README.md: ${missing.join(', ')}`).toEqual([]);
  });
});

describe('dbd help', () => {
  it('lists every command and every topic, in Chinese, with no commander English left', () => {
    const out = runDbd(['help']);
    expect(out.status).toBe(0);
    for (const command of program.commands) expect(out.stdout).toMatch(new RegExp(`^  ${command.name()}\\b`, 'm'));
    for (const topic of HELP_TOPICS) {
      expect(out.stdout).toContain(topic.names[0]);
      expect(out.stdout).toContain(topic.names[1]);
    }
    expect(out.stdout).toContain('用法：');
    expect(out.stdout).toContain('命令：');
    for (const english of ['display help for command', 'output the version number', 'Usage:', 'Options:', 'Commands:']) expect(out.stdout).not.toContain(english);
    // `dbd --help` is the same page.
    expect(runDbd(['--help']).stdout).toBe(out.stdout);
  });

  it('lists the topics in English with --lang en', () => {
    const out = runDbd(['help', '--lang', 'en']);
    expect(out.status).toBe(0);
    expect(out.stdout).toContain('Help topics (dbd help TOPIC):');
    expect(out.stdout).toContain('Usage:');
    expect(out.stdout).not.toContain('用法：');
  });

  it('dbd help COMMAND prints exactly what dbd COMMAND --help prints', () => {
    for (const words of [['import'], ['rate'], ['export', 'monthly'], ['report']]) {
      const viaHelp = runDbd(['help', ...words]);
      expect(viaHelp.status).toBe(0);
      expect(viaHelp.stdout).toBe(runDbd([...words, '--help']).stdout);
    }
  });

  it('replaces commander\'s help command: no "help [command]" anywhere', () => {
    for (const words of [[], ['export']]) {
      const out = runDbd([...words, '--help']);
      expect(out.stdout).not.toMatch(/help \[command\]/);
    }
  });

  for (const topic of HELP_TOPICS) {
    it(`dbd help ${topic.names[0]} = dbd help ${topic.names[1]}: a step-by-step page, in English with --lang en`, () => {
      const zh = runDbd(['help', topic.names[0]]);
      expect(zh.status).toBe(0);
      expect(zh.stdout.startsWith(`${topic.names[0]}：`)).toBe(true);
      expect(zh.stdout).toMatch(/^1\. /m);
      expect(zh.stdout).toMatch(/^2\. /m);
      expect(topicCommands(zh.stdout).length).toBeGreaterThanOrEqual(2);
      for (const name of topic.names) expect(runDbd(['help', name]).stdout).toBe(zh.stdout);
      expect(runDbd(['help', topic.names[1].toUpperCase()]).stdout).toBe(zh.stdout);

      const en = runDbd(['help', topic.names[1], '--lang', 'en']);
      expect(en.status).toBe(0);
      expect(en.stdout).not.toBe(zh.stdout);
      expect(en.stdout).toMatch(/^[A-Z][a-z -]+: [A-Za-z]/);
      // The same commands in both languages.
      expect(topicCommands(en.stdout)).toEqual(topicCommands(zh.stdout));
      // The other topics by their English names in English (and those names work), Chinese in Chinese.
      const others = HELP_TOPICS.filter((other) => other !== topic);
      expect(en.stdout.trimEnd().split('\n').at(-1)).toBe(`See also: ${others.map((o) => `dbd help ${o.names[1]}`).join(', ')}`);
      expect(zh.stdout.trimEnd().split('\n').at(-1)).toBe(`另见：${others.map((o) => `dbd help ${o.names[0]}`).join('、')}`);
      const viaEnv = runDbd(['help', topic.names[1]], { env: { LANG: 'en_US.UTF-8' } });
      expect(viaEnv.stdout).toBe(en.stdout);
    });
  }

  it('an unknown name is a usage error (exit 2) that suggests the closest and lists what exists', () => {
    const out = runDbd(['help', 'weekly-reprot']);
    expect(out.status).toBe(2);
    expect(out.stderr).toContain('weekly-reprot');
    expect(out.stderr).toContain('weekly-report');
    expect(out.stderr).toContain('首次导入');
    const sub = runDbd(['help', 'export', 'yearly']);
    expect(sub.status).toBe(2);
    expect(sub.stderr).toContain('monthly');
  });
});

describe('the topic pages work as written on the sample data', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir('dbd-topics-');
    for (const file of SAMPLE_ORDER) fs.copyFileSync(path.join(DEMO_FIXTURES, file), path.join(dir, file));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  // In the order a clerk meets them: the first import makes the database the others use.
  for (const topic of HELP_TOPICS) {
    it(`every command of ${topic.names[0]} runs (exit 0) in a folder holding the sample files`, () => {
      const page = runDbd(['help', topic.names[1]]).stdout;
      for (const line of topicCommands(page)) {
        const result = runDbd(line.split(/\s+/).slice(1), { cwd: dir, env: { DBD_TODAY: TODAY } });
        expect(result.status, `${line}\n${result.stderr}`).toBe(0);
      }
    }, 180_000);
  }

  it('left behind what the pages promise', () => {
    for (const file of ['dbd.sqlite', '备份/首次导入.sqlite', '镇街周报.xlsx', '报到情况.html', '2026-11报到情况.html', 'exports/2026-11_报到率.xlsx', 'exports/2026-11_低于90%组织.xlsx', '导出CSV/2026-11_未报到党员.csv', '低于90%组织.xlsx']) {
      expect(fs.existsSync(path.join(dir, file)), file).toBe(true);
    }
    const rate = runDbd(['rate', '--json'], { cwd: dir, env: { DBD_TODAY: TODAY } });
    expect(JSON.parse(rate.stdout).rows).toHaveLength(11);
  });
});

describe('wrapByWidth (help descriptions in Chinese)', () => {
  const text = '报到率：各党组织（含下属组织）的应报到、已报到人数和报到率；低于阈值的不得评为年度先进党组织 --below 0.9';
  it('breaks between Chinese characters within the width, losing nothing', () => {
    const wrapped = wrapByWidth(text, 30);
    const lines = wrapped.split('\n');
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(32);
    expect(lines.join('').replace(/\s/g, '')).toBe(text.replace(/\s/g, ''));
  });
  it('never starts a line with closing punctuation, never ends one with an opening bracket', () => {
    for (let width = 10; width < 60; width++) {
      const lines = wrapByWidth(text, width).split('\n');
      for (const line of lines.slice(1)) expect(line).not.toMatch(/^[，。、；：）]/);
      for (const line of lines) expect(line).not.toMatch(/（$/);
      expect(lines.join('').replace(/\s/g, '')).toBe(text.replace(/\s/g, ''));
    }
  });
  it('keeps words and existing line breaks', () => {
    expect(wrapByWidth('alpha beta gamma', 11)).toBe('alpha beta\ngamma');
    expect(wrapByWidth('第一行\n第二行', 80)).toBe('第一行\n第二行');
  });
});
