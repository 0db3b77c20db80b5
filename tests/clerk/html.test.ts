// The HTML report without a browser: the period rules, the charts' markup on the sample data,
// escaping of names, and that nothing on the page reaches outside it.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLD } from '../../src/domain/rates.js';
import { setLang } from '../../src/i18n/index.js';
import { barChart, escapeXml, lineChart, niceTicks } from '../../src/render/svg.js';
import { tableHtml } from '../../src/render/html.js';
import { htmlReportPage, selectPeriod, trendWeeks, type HtmlReportData } from '../../src/report/html.js';
import { runDbd, sampleDatabase, tempDir } from '../helpers/cli.js';
import { externalReferences } from './page.js';

afterEach(() => setLang('zh'));

const HOSTILE = `<img src=x onerror="alert('x')">&amp;`;

describe('externalReferences (the check used below)', () => {
  it('finds what a browser would fetch, and not escaped text', () => {
    expect(externalReferences('<p>&lt;img src=x&gt; http://example.com</p>')).toEqual([]);
    expect(externalReferences('<svg xmlns="http://www.w3.org/2000/svg"></svg>')).toEqual([]);
    expect(externalReferences('<script>1</script>')).toHaveLength(1);
    expect(externalReferences('<img src="a.png">').length).toBeGreaterThan(0);
    expect(externalReferences('<a href="https://example.com">x</a>')).toHaveLength(1);
    expect(externalReferences('<div data-x="https://example.com"></div>')).toHaveLength(1);
    expect(externalReferences('<style>body{background:url(x.png)}</style>')).toHaveLength(1);
    expect(externalReferences('<style>@import "x.css";</style>')).toHaveLength(1);
  });
});

describe('the period', () => {
  it('this month as of today by default; a past month as of its last day; --as-of alone picks its month', () => {
    expect(selectPeriod({ today: '2026-11-21' })).toEqual({ month: '2026-11', start: '2026-11-01', asOf: '2026-11-21' });
    expect(selectPeriod({ month: '2026-06', today: '2026-11-21' })).toEqual({ month: '2026-06', start: '2026-06-01', asOf: '2026-06-30' });
    expect(selectPeriod({ month: 'last', today: '2026-11-21' })).toEqual({ month: '2026-10', start: '2026-10-01', asOf: '2026-10-31' });
    expect(selectPeriod({ asOf: '2026-06-15', today: '2026-11-21' })).toEqual({ month: '2026-06', start: '2026-06-01', asOf: '2026-06-15' });
    expect(selectPeriod({ month: '2026-06', asOf: '2026-06-15', today: '2026-11-21' }).asOf).toBe('2026-06-15');
  });

  it('refuses an as-of date outside the month and a month not yet begun (exit 2)', () => {
    expect(() => selectPeriod({ month: '2026-06', asOf: '2026-07-01', today: '2026-11-21' })).toThrow(/2026-07-01/);
    expect(() => selectPeriod({ month: '2026-12', today: '2026-11-21' })).toThrow();
  });

  it('the trend is the last 12 complete weeks: a week counts once its Sunday is over and on or before the as-of date', () => {
    const weeks = trendWeeks('2026-11-21', '2026-11-21');
    expect(weeks).toHaveLength(12);
    expect(weeks[11]).toEqual({ week: '2026-W46', start: '2026-11-09', end: '2026-11-15' });
    expect(weeks[0].week).toBe('2026-W35');
    expect(trendWeeks('2026-11-15', '2026-11-21')[11].week).toBe('2026-W46');
    expect(trendWeeks('2026-11-15', '2026-11-15')[11].week).toBe('2026-W45');
    expect(trendWeeks('2026-11-14', '2026-11-21')[11].week).toBe('2026-W45');
    expect(trendWeeks('2026-01-06', '2026-11-21')[11].week).toBe('2026-W01');
    expect(trendWeeks('2026-01-06', '2026-11-21')[0].week).toBe('2025-W42');
  });
});

describe('charts', () => {
  it('bars below the threshold are red, the others blue; a missing rate draws no bar', () => {
    const svg = barChart(
      [
        { label: '内科一支部', value: 0.8947, valueText: '89.47%', highlight: true },
        { label: '营销支部', value: 1, valueText: '100.00%' },
        { label: '外派人员党支部', value: null, valueText: '—' },
      ],
      { label: 'x', max: 1, marker: { value: 0.9, label: '90%' }, formatTick: String },
    );
    expect(svg.match(/<rect class="bar below" data-label="内科一支部"[^>]* fill="#c62828"/g)).toHaveLength(1);
    expect(svg.match(/<rect class="bar" data-label="营销支部"[^>]* fill="#2f6db5"/g)).toHaveLength(1);
    expect(svg).not.toContain('data-label="外派人员党支部"');
    expect(svg).toContain('>—</text>');
    expect(svg).toContain('class="marker"');
  });

  it('the 90% line stands at 90% of the axis', () => {
    const svg = barChart([{ label: 'a', value: 1, valueText: '100%' }], { label: 'x', max: 1, marker: { value: 0.9, label: '90%' }, formatTick: String, width: 1000 });
    const bar = /<rect class="bar"[^>]* x="([\d.]+)"[^>]* width="([\d.]+)"/.exec(svg)!;
    const marker = /<line class="marker" x1="([\d.]+)"/.exec(svg)!;
    const [x, w, m] = [Number(bar[1]), Number(bar[2]), Number(marker[1])];
    expect(Math.abs(m - (x + 0.9 * w))).toBeLessThan(0.2);
  });

  it('one path per series, a gap where a value is missing', () => {
    const svg = lineChart(
      [
        { name: '柳林镇', values: [0.5, null, 0.8] },
        { name: '白沙街道', values: [0.7, 0.8, 0.9] },
      ],
      { label: 'x', xLabels: ['W1', 'W2', 'W3'], yMax: 1, formatTick: String, legend: true },
    );
    expect(svg.match(/<path class="line"/g)).toHaveLength(2);
    const first = /data-name="柳林镇"><path class="line" d="([^"]+)"/.exec(svg)![1];
    expect(first.match(/M/g)).toHaveLength(2);
    expect(svg.match(/<circle /g)).toHaveLength(5);
  });

  it('ticks are round numbers covering the maximum', () => {
    expect(niceTicks(4, 4)).toEqual([0, 1, 2, 3, 4]);
    expect(niceTicks(1, 4)).toEqual([0, 0.5, 1]);
    expect(niceTicks(0.3, 4)).toEqual([0, 0.1, 0.2, 0.3]);
    expect(niceTicks(37, 4)).toEqual([0, 10, 20, 30, 40]);
  });
});

describe('escaping: names are data', () => {
  it('in SVG text and attributes, and in table cells', () => {
    expect(escapeXml(HOSTILE)).toBe('&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;&amp;amp;');
    const svg = barChart([{ label: HOSTILE, value: 0.5, valueText: '50%', highlight: true }], { label: HOSTILE, max: 1, formatTick: String });
    expect(svg).not.toContain('<img');
    expect(svg).toContain('data-label="&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;&amp;amp;"');
    const table = tableHtml({ name: 't', title: HOSTILE, columns: [{ key: 'a', header: HOSTILE, kind: 'text' }], rows: [{ a: HOSTILE }] });
    expect(table).not.toContain('<img');
  });

  it('in a whole page built from hostile names', () => {
    const page = htmlReportPage(hostileData(), '2026-11-21 09:00:00');
    expect(page).not.toMatch(/<img|<script|onerror="/);
    expect(page).toContain('&lt;img src=x');
    expect(externalReferences(page)).toEqual([]);
  });

  it('many towns get one small chart each', () => {
    const data = hostileData(10);
    const page = htmlReportPage(data, '2026-11-21 09:00:00');
    expect(page.match(/class="chart trend-chart small"/g)).toHaveLength(10);
  });
});

/** A report whose every name is markup; `towns` towns in the trend. */
function hostileData(towns = 1): HtmlReportData {
  const weeks = trendWeeks('2026-11-21', '2026-11-21');
  const figures = { expected: 10, reported: 8, newThisWeek: 1, activities: 2, hours: 3, pairedCommunities: 1 };
  return {
    month: '2026-11',
    start: '2026-11-01',
    asOf: '2026-11-21',
    threshold: DEFAULT_THRESHOLD,
    rate: {
      asOf: '2026-11-21',
      threshold: DEFAULT_THRESHOLD,
      by: 'org',
      minActivities: 2,
      rows: [{ org: HOSTILE, shortName: HOSTILE, unit: HOSTILE, expected: 10, reported: 8, shortfall: 1, below: true }],
    },
    overall: { expected: 10, reported: 8, shortfall: 1 },
    weeks,
    trend: Array.from({ length: towns }, (_, i) => ({ town: `${HOSTILE}${i}`, weeks: weeks.map(() => ({ ...figures })) })),
    lastWeek: { ...weeks[11], rows: [{ town: HOSTILE, unit: HOSTILE, ...figures }] },
    categories: [{ category: HOSTILE, count: 2, people: 1, hours: 3 }],
    activityPeople: 1,
  };
}

describe('dbd report --html on the sample data', () => {
  let dir: string;
  let db: string;
  let html: string;
  beforeAll(() => {
    dir = tempDir('dbd-html-');
    db = sampleDatabase(dir);
    const out = runDbd(['report', '--html', path.join(dir, '报告.html'), '--db', db], { env: { DBD_TODAY: '2026-11-21' } });
    expect(out.status, out.stderr).toBe(0);
    expect(out.stdout).toContain('报告.html');
    html = fs.readFileSync(path.join(dir, '报告.html'), 'utf8');
  });

  it('is one self-contained page: nothing to fetch, a policy that forbids fetching', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain(`default-src 'none'`);
    expect(externalReferences(html)).toEqual([]);
    expect(html).toContain('@media print');
    expect(html).toContain('size:A4');
  });

  it('rate chart: a bar per organisation with a rate, red exactly for the three below 90%, lowest first', () => {
    const red = [...html.matchAll(/<rect class="bar below" data-label="([^"]+)"[^>]* fill="#c62828"/g)].map((m) => m[1]);
    expect(red).toEqual(['财政局二支部', '外科支部', '内科一支部']);
    const rateChart = html.slice(html.indexOf('class="chart rate-chart"'), html.indexOf('</svg>', html.indexOf('class="chart rate-chart"')));
    expect(rateChart.match(/<rect class="bar"[^>]* fill="#2f6db5"/g)).toHaveLength(7);
    expect(rateChart).toContain('中共樟溪区人民医院内科第一支部委员会：89.47%（17/19）');
    expect(rateChart).toContain('>90%</text>');
  });

  it('trend chart: one line per town over W35..W46, ending at the weekly report\'s figures', () => {
    const names = [...html.matchAll(/<g class="series" data-name="([^"]+)"><path class="line"/g)].map((m) => m[1]);
    expect(names).toEqual(['柳林镇', '白沙街道', '青山街道']);
    // The W46 subtotals of the samples' weekly report (sample README).
    expect(html).toContain('柳林镇 2026-W46：85.71%（12/14）');
    expect(html).toContain('白沙街道 2026-W46：90.00%（36/40）');
    expect(html).toContain('青山街道 2026-W46：86.95%（20/23）');
    expect(html).toContain('2026-W35 至 2026-W46');
  });

  it('activity chart: the month\'s categories, most first; tables below the charts', () => {
    const chart = html.slice(html.indexOf('class="chart activity-chart"'));
    const labels = [...chart.slice(0, chart.indexOf('</svg>')).matchAll(/<rect class="bar" data-label="([^"]+)"/g)].map((m) => m[1]);
    expect(labels[0]).toBe('治安巡逻');
    expect(labels).toHaveLength(7);
    expect(html).toContain('共 13 次');
    const tables = html.indexOf('<div class="tables">');
    expect(tables).toBeGreaterThan(html.lastIndexOf('<svg'));
    expect(html.slice(tables).match(/<tr class="below">/g)!.length).toBeGreaterThanOrEqual(3);
    expect(html.slice(tables)).toContain('2026-W46（2026-11-09 至 2026-11-15）');
  });

  it('in English with --lang en', () => {
    const file = path.join(dir, 'report-en.html');
    expect(runDbd(['report', '--html', file, '--db', db, '--lang', 'en'], { env: { DBD_TODAY: '2026-11-21' } }).status).toBe(0);
    const en = fs.readFileSync(file, 'utf8');
    expect(en).toContain('<html lang="en">');
    expect(en).toContain('Check-in rate per organisation');
  });

  it('usage errors (exit 2), nothing written: no --html, not an .html name, an as-of date outside the month', () => {
    expect(runDbd(['report', '--html', path.join(dir, 'x.pdf'), '--db', db]).status).toBe(2);
    expect(runDbd(['report', '--db', db]).status).toBe(2);
    expect(runDbd(['report', '--html', path.join(dir, 'x.html'), '--db', db, '--month', '2026-06', '--as-of', '2026-07-01'], { env: { DBD_TODAY: '2026-11-21' } }).status).toBe(2);
    expect(fs.existsSync(path.join(dir, 'x.html'))).toBe(false);
  });
});
