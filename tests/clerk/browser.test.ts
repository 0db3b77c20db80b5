// The HTML report in a real browser: Debian's Chromium, headless. The page is measured from the
// inside (a probe script in a copy of it), photographed into test-output/, and printed to PDF.
// Without Chromium this fails and says what to install, unless DBD_SKIP_BROWSER=1.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runDbd, sampleDatabase, tempDir } from '../helpers/cli.js';
import { countColour, readPng } from './png.js';
import { chromium, isA4, pdfPages, poppler, skipBrowser, TEST_OUTPUT } from './tools.js';

/** Measures what the browser laid out and leaves it as JSON in <pre id="probe">. */
const PROBE = `<script>
(() => {
  const all = (selector) => [...document.querySelectorAll(selector)];
  const size = (e) => { const r = e.getBoundingClientRect(); return { width: r.width, height: r.height }; };
  const out = {
    charts: all('svg.chart').map((svg) => ({ kind: svg.getAttribute('class'), ...size(svg) })),
    bars: all('svg.rate-chart rect.bar').map((r) => ({ label: r.dataset.label, below: r.classList.contains('below'), fill: getComputedStyle(r).fill, ...size(r) })),
    marker: all('svg.rate-chart line.marker').map(size),
    lines: all('svg.trend-chart path.line').map((p) => ({ town: p.parentNode.dataset.name, length: p.getTotalLength() })),
    activityBars: all('svg.activity-chart rect.bar').map((r) => ({ label: r.dataset.label, ...size(r) })),
    belowRows: all('table.data tr.below td:first-child').map((td) => getComputedStyle(td).backgroundColor),
    tables: all('table.data').length,
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  };
  const pre = document.createElement('pre');
  pre.id = 'probe';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>`;

interface Probe {
  charts: Array<{ kind: string; width: number; height: number }>;
  bars: Array<{ label: string; below: boolean; fill: string; width: number; height: number }>;
  marker: Array<{ width: number; height: number }>;
  lines: Array<{ town: string; length: number }>;
  activityBars: Array<{ label: string; width: number; height: number }>;
  belowRows: string[];
  tables: number;
  scrollWidth: number;
  innerWidth: number;
}

const A4_WIDTH_PX = 794;

describe.skipIf(skipBrowser)("the HTML report in Debian's Chromium (headless)", () => {
  let dir: string;
  let report: string;
  beforeAll(() => {
    dir = tempDir('dbd-browser-');
    const db = sampleDatabase(dir);
    report = path.join(dir, '报到情况.html');
    const out = runDbd(['report', '--html', report, '--db', db], { env: { DBD_TODAY: '2026-11-21' } });
    if (out.status !== 0) throw new Error(out.stderr);
    fs.mkdirSync(TEST_OUTPUT, { recursive: true });
  });

  it('draws the charts: bars, the 90% line, red bars below it, a line per town; nothing wider than A4', () => {
    // The page forbids scripts (its Content-Security-Policy): the probe goes into a copy without it.
    const html = fs.readFileSync(report, 'utf8');
    const probed = path.join(dir, 'probe.html');
    fs.writeFileSync(probed, html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '').replace('</body>', `${PROBE}</body>`));
    const result = chromium([`--window-size=${A4_WIDTH_PX},1123`, '--dump-dom', pathToFileURL(probed).href]);
    const json = /<pre id="probe">([^<]*)<\/pre>/.exec(result.stdout)?.[1];
    expect(json, `no probe result; chromium said:\n${result.stderr}`).toBeDefined();
    const probe = JSON.parse(json!.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')) as Probe;

    expect(probe.charts.map((c) => c.kind)).toEqual(['chart rate-chart', 'chart trend-chart', 'chart activity-chart']);
    for (const chart of probe.charts) {
      expect(chart.width).toBeGreaterThan(500);
      expect(chart.height).toBeGreaterThan(150);
    }
    expect(probe.bars).toHaveLength(10);
    for (const bar of probe.bars) expect(bar.width).toBeGreaterThan(50);
    const red = probe.bars.filter((bar) => bar.fill === 'rgb(198, 40, 40)').map((bar) => bar.label);
    expect(red).toEqual(['财政局二支部', '外科支部', '内科一支部']);
    expect(probe.bars.filter((bar) => bar.below).map((bar) => bar.label)).toEqual(red);
    expect(probe.bars.filter((bar) => !bar.below).every((bar) => bar.fill === 'rgb(47, 109, 181)')).toBe(true);
    // A full bar (100%) is longer than the bar at 71.42%, in proportion.
    const full = probe.bars.find((bar) => bar.label === '营销支部')!.width;
    const low = probe.bars.find((bar) => bar.label === '财政局二支部')!.width;
    expect(low / full).toBeCloseTo(0.7142, 2);
    expect(probe.marker).toHaveLength(1);
    expect(probe.marker[0].height).toBeGreaterThan(200);

    expect(probe.lines.map((line) => line.town)).toEqual(['柳林镇', '白沙街道', '青山街道']);
    for (const line of probe.lines) expect(line.length).toBeGreaterThan(300);
    expect(probe.activityBars).toHaveLength(7);
    expect(probe.activityBars[0].label).toBe('治安巡逻');

    expect(probe.tables).toBe(4);
    expect(probe.belowRows.length).toBeGreaterThanOrEqual(3);
    for (const colour of probe.belowRows) expect(colour).toBe('rgb(255, 199, 206)');
    expect(probe.scrollWidth).toBeLessThanOrEqual(probe.innerWidth);
  });

  it('takes a screenshot (test-output/report.png) with the red and blue bars in it', () => {
    const file = path.join(TEST_OUTPUT, 'report.png');
    fs.rmSync(file, { force: true });
    const result = chromium([`--screenshot=${file}`, '--window-size=1000,1400', pathToFileURL(report).href]);
    expect(fs.existsSync(file), result.stderr).toBe(true);
    const image = readPng(fs.readFileSync(file));
    expect([image.width, image.height]).toEqual([1000, 1400]);
    expect(countColour(image, [198, 40, 40])).toBeGreaterThan(2_000);
    expect(countColour(image, [47, 109, 181])).toBeGreaterThan(10_000);
  });

  it('prints on A4: charts first, then the tables, with the text a reader needs', () => {
    const pdf = path.join(TEST_OUTPUT, 'report.pdf');
    fs.rmSync(pdf, { force: true });
    const result = chromium(['--no-pdf-header-footer', `--print-to-pdf=${pdf}`, pathToFileURL(report).href]);
    expect(fs.existsSync(pdf), result.stderr).toBe(true);
    const pages = pdfPages(pdf, 'DBD_SKIP_BROWSER');
    expect(pages.length).toBeGreaterThanOrEqual(2);
    expect(pages.length).toBeLessThanOrEqual(4);
    for (const page of pages) expect(isA4(page)).toBe(true);
    const first = poppler('pdftotext', ['-f', '1', '-l', '1', pdf, '-'], 'DBD_SKIP_BROWSER');
    expect(first).toContain('各党组织报到率');
    expect(first).toContain('财政局二支部');
    const rest = poppler('pdftotext', ['-f', '2', pdf, '-'], 'DBD_SKIP_BROWSER');
    expect(rest).toContain('明细表');
    expect(rest).toContain('不得评为年度先进党组织');
    expect(rest).toContain('中共樟溪区人民医院内科第一支部委员会');
  });
});
