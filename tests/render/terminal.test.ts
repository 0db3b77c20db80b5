import stringWidth from 'string-width';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setLang } from '../../src/i18n/index.js';
import { renderTerminal, shouldUseColor } from '../../src/render/terminal.js';
import type { Table } from '../../src/render/table.js';
import { rateTable } from '../helpers/rateTable.js';


const ESC = '\u001b[';

beforeEach(() => setLang('zh'));
afterEach(() => setLang('zh'));

/** The display column at which each run of non-blank text ends on a line. */
function fieldEnds(line: string): number[] {
  const ends: number[] = [];
  let col = 0;
  let prevBlank = true;
  for (const ch of line) {
    const blank = ch === ' ';
    if (blank && !prevBlank) ends.push(col);
    col += stringWidth(ch);
    prevBlank = blank;
  }
  if (!prevBlank) ends.push(col);
  return ends;
}

/** The display column at which each run of non-blank text starts on a line. */
function fieldStarts(line: string): number[] {
  const starts: number[] = [];
  let col = 0;
  let prevBlank = true;
  for (const ch of line) {
    const blank = ch === ' ';
    if (!blank && prevBlank) starts.push(col);
    col += stringWidth(ch);
    prevBlank = blank;
  }
  return starts;
}

const simple = (): Table => ({
  name: 't',
  title: '标题 Title',
  columns: [
    { key: 'name', header: '名称', kind: 'text' },
    { key: 'n', header: 'count', kind: 'int' },
    { key: 'r', header: '报到率', kind: 'rate' },
  ],
  rows: [
    { name: '第一党支部', n: 7, r: 0.8947 },
    { name: 'ABC', n: 12345, r: null },
    { name: 'x中y', n: -3, r: 1 },
  ],
  totals: [{ name: '合计', n: 12349, r: 0.95 }],
  highlight: (row) => row.r === 0.8947,
});

describe('renderTerminal', () => {
  it('aligns mixed CJK/ASCII text by display width', () => {
    const out = renderTerminal(simple(), { color: false });
    const lines = out.split('\n');
    expect(out.endsWith('\n')).toBe(true);
    expect(lines[0]).toBe('标题 Title');
    const [header, rule, ...rest] = lines.slice(1, -1);
    const data = rest.filter((l) => !/^-+( +-+)*$/.test(l));
    const ruleStarts = fieldStarts(rule);
    const ruleEnds = fieldEnds(rule);
    expect(ruleStarts).toHaveLength(3);
    // text column: left edges line up; numeric columns: right edges line up
    for (const line of [header, ...data]) {
      expect(fieldStarts(line)[0]).toBe(ruleStarts[0]);
      const ends = fieldEnds(line);
      expect(ends.slice(-2)).toEqual(ruleEnds.slice(-2));
    }
    // the widest cell fixes the width: 第一党支部 is 10 columns
    expect(ruleEnds[0] - ruleStarts[0]).toBe(10);
    expect(stringWidth(data[0])).toBe(stringWidth(rule));
    expect(data).toHaveLength(4);
    expect(data[0]).toBe('第一党支部      7   89.47%');
    expect(data[1]).toBe('ABC         12345        —');
    expect(data[2]).toBe('x中y           -3  100.00%');
    expect(data[3]).toBe('合计        12349   95.00%');
    expect(header).toBe('名称        count   报到率');
    expect(out).not.toContain(ESC);
    // no trailing blanks
    for (const l of lines) expect(l).toBe(l.trimEnd());
  });

  it('puts a rule before the totals and never truncates a cell', () => {
    const long = 'x'.repeat(200);
    const table = simple();
    table.rows.push({ name: long, n: 1, r: 0 });
    const out = renderTerminal(table, { color: false });
    expect(out).toContain(long);
    const lines = out.trimEnd().split('\n');
    expect(lines[lines.length - 2]).toMatch(/^-+ +-+ +-+$/);
    expect(lines[lines.length - 1]).toMatch(/^合计 /);
  });

  it('respects minWidth', () => {
    const out = renderTerminal(
      { name: 't', title: '', columns: [{ key: 'a', header: 'a', kind: 'int', minWidth: 6 }], rows: [{ a: 1 }] },
      { color: false },
    );
    expect(out).toBe('     a\n------\n     1\n');
  });

  it('colours highlighted rows red and totals bold only with color', () => {
    const coloured = renderTerminal(simple(), { color: true });
    const lines = coloured.split('\n');
    const red = lines.find((l) => l.includes('第一党支部'))!;
    expect(red.startsWith(`${ESC}31m`)).toBe(true);
    expect(red.endsWith(`${ESC}39m`)).toBe(true);
    expect(lines.find((l) => l.includes('ABC'))).not.toContain(ESC);
    const total = lines.find((l) => l.includes('合计'))!;
    expect(total.startsWith(`${ESC}1m`)).toBe(true);
    // stripping the escapes gives exactly the plain rendering
    expect(coloured.replace(/\u001b\[\d+m/g, '')).toBe(renderTerminal(simple(), { color: false }));
    expect(renderTerminal(simple(), { color: false })).not.toContain('\u001b');
  });

  it('shows the header and a localised "no rows" line for an empty table', () => {
    const empty: Table = { ...simple(), rows: [], totals: [] };
    expect(renderTerminal(empty, { color: false })).toBe('标题 Title\n名称  count  报到率\n----  -----  ------\n(无数据)\n');
    setLang('en');
    expect(renderTerminal(empty, { color: false })).toContain('\n(no rows)\n');
  });

  it('neutralises control characters in data', () => {
    const t: Table = {
      name: 't',
      title: 'x',
      columns: [{ key: 'a', header: 'a', kind: 'text' }, { key: 'b', header: 'b', kind: 'text' }],
      rows: [{ a: 'evil\u001b[2Jline\nbreak', b: 'z' }],
    };
    const out = renderTerminal(t, { color: false });
    expect(out).not.toContain('\u001b');
    expect(out.split('\n')).toHaveLength(5);
    expect(out).toContain('evil\ufffd[2Jline break  z');
  });

  it('renders the full sample with null cells', () => {
    const out = renderTerminal(rateTable(), { color: false });
    expect(out).toContain('空支部');
    expect(out).toContain('89.47%');
    expect(out).toContain('0.3 ');
  });
});

describe('shouldUseColor', () => {
  const tty = { isTTY: true } as NodeJS.WriteStream;
  const pipe = { isTTY: false } as unknown as NodeJS.WriteStream;
  it('colours only a terminal', () => {
    expect(shouldUseColor(tty, {})).toBe(true);
    expect(shouldUseColor(pipe, {})).toBe(false);
    expect(shouldUseColor(pipe, {}, true)).toBe(false);
  });
  it('respects NO_COLOR (non-empty) and TERM=dumb', () => {
    expect(shouldUseColor(tty, { NO_COLOR: '1' })).toBe(false);
    expect(shouldUseColor(tty, { NO_COLOR: '' })).toBe(true);
    expect(shouldUseColor(tty, { TERM: 'dumb' })).toBe(false);
  });
  it('respects --no-color', () => {
    expect(shouldUseColor(tty, {}, false)).toBe(false);
    expect(shouldUseColor(tty, {}, true)).toBe(true);
  });
});
