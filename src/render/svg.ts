// Charts as inline SVG text: a horizontal bar chart (with an optional threshold line) and a line
// chart (one line per series). Pure functions of their data; every piece of text is escaped, so
// names from the database cannot inject markup. Colours are attributes, not CSS, so that a
// screenshot, a print-out or a mail client without styles shows them the same.
import stringWidth from 'string-width';

export const COLORS = {
  below: '#c62828',
  bar: '#2f6db5',
  neutral: '#5b8bc9',
  marker: '#444444',
  grid: '#dddddd',
  axis: '#888888',
  text: '#222222',
  muted: '#666666',
} as const;

/** Distinct line colours (no red: red means "below the threshold" on this page). */
export const SERIES_COLORS = ['#1f77b4', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#17becf', '#e377c2', '#7f7f7f', '#bcbd22'];

const FONT_SIZE = 12;

/** Text for an SVG/HTML text node or a quoted attribute value. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

/** Estimated rendered width in pixels: half an em per terminal column (CJK characters are two). */
export function textWidth(text: string, fontSize = FONT_SIZE): number {
  return (stringWidth(text) * fontSize) / 2;
}

/** A label cut to a pixel width, with an ellipsis (the full text goes in a <title>). */
export function fitText(text: string, maxWidth: number, fontSize = FONT_SIZE): string {
  if (textWidth(text, fontSize) <= maxWidth) return text;
  let out = '';
  for (const ch of text) {
    if (textWidth(`${out}${ch}…`, fontSize) > maxWidth) break;
    out += ch;
  }
  return `${out}…`;
}

const num = (n: number) => String(Math.round(n * 10) / 10);

function text(x: number, y: number, content: string, attrs = ''): string {
  return `<text x="${num(x)}" y="${num(y)}"${attrs ? ` ${attrs}` : ''}>${escapeXml(content)}</text>`;
}

function svgOpen(width: number, height: number, label: string, className: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart ${className}" viewBox="0 0 ${num(width)} ${num(height)}" ` +
    `width="${num(width)}" height="${num(height)}" role="img" aria-label="${escapeXml(label)}" font-size="${FONT_SIZE}" fill="${COLORS.text}">` +
    `<title>${escapeXml(label)}</title>`
  );
}

/** Round tick steps (1, 2, 5 × 10^n) for an axis from 0 to max. */
export function niceTicks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const ticks: number[] = [];
  for (let v = 0; v < max + step / 2; v += step) ticks.push(Number(v.toPrecision(12)));
  if (ticks[ticks.length - 1] < max) ticks.push(Number((ticks[ticks.length - 1] + step).toPrecision(12)));
  return ticks;
}

export interface Bar {
  label: string;
  /** null: nothing to draw (shown as valueText alone, e.g. "—"). */
  value: number | null;
  valueText: string;
  /** Drawn red (e.g. below the threshold). */
  highlight?: boolean;
  /** Hover text (a <title>): the full name and figures. */
  detail?: string;
}

export interface BarChartOptions {
  label: string;
  /** The axis runs from 0 to this (1 for rates); default the largest value, rounded up. */
  max?: number;
  /** A vertical reference line, e.g. the 90% threshold. */
  marker?: { value: number; label: string };
  formatTick: (value: number) => string;
  width?: number;
  className?: string;
}

/** Horizontal bars, one row per datum, labels on the left, values right of the bars. */
export function barChart(bars: Bar[], options: BarChartOptions): string {
  const width = options.width ?? 900;
  const rowHeight = 22;
  const barHeight = 14;
  const top = 26;
  const labelWidth = Math.min(260, Math.max(60, ...bars.map((b) => textWidth(b.label))) + 14);
  const valueWidth = Math.max(48, ...bars.map((b) => textWidth(b.valueText))) + 8;
  const plotLeft = labelWidth;
  const plotWidth = width - labelWidth - valueWidth;
  const height = top + Math.max(1, bars.length) * rowHeight + 8;
  const ticks = options.max !== undefined ? niceTicks(options.max, 4).filter((v) => v <= options.max!) : niceTicks(Math.max(0, ...bars.map((b) => b.value ?? 0)), 4);
  const max = options.max ?? ticks[ticks.length - 1];
  const x = (v: number) => plotLeft + (plotWidth * Math.min(Math.max(v, 0), max)) / max;

  const parts: string[] = [svgOpen(width, height, options.label, options.className ?? 'bar-chart')];
  for (const tick of ticks) {
    parts.push(`<line class="grid" x1="${num(x(tick))}" y1="${top - 4}" x2="${num(x(tick))}" y2="${num(height - 8)}" stroke="${COLORS.grid}" stroke-width="1"/>`);
    parts.push(text(x(tick), top - 10, options.formatTick(tick), `text-anchor="middle" fill="${COLORS.muted}" font-size="10"`));
  }
  // Layers: bars, then the axis and the threshold line over them, then the values on top (a
  // white halo keeps a value legible where it crosses the line).
  const halo = 'paint-order="stroke" stroke="#ffffff" stroke-width="3" stroke-linejoin="round"';
  const values: string[] = [];
  bars.forEach((bar, i) => {
    const mid = top + i * rowHeight + rowHeight / 2;
    parts.push(text(plotLeft - 8, mid + 4, fitText(bar.label, labelWidth - 10), 'class="label" text-anchor="end"'));
    const end = bar.value === null ? plotLeft : x(bar.value);
    if (bar.value !== null) {
      const fill = bar.highlight ? COLORS.below : COLORS.bar;
      parts.push(
        `<rect class="bar${bar.highlight ? ' below' : ''}" data-label="${escapeXml(bar.label)}" x="${num(plotLeft)}" y="${num(mid - barHeight / 2)}" ` +
          `width="${num(Math.max(end - plotLeft, 0.5))}" height="${barHeight}" fill="${fill}"><title>${escapeXml(bar.detail ?? `${bar.label} ${bar.valueText}`)}</title></rect>`,
      );
    }
    values.push(text(end + 5, mid + 4, bar.valueText, bar.highlight ? `class="value" fill="${COLORS.below}" font-weight="bold" ${halo}` : `class="value" ${halo}`));
  });
  parts.push(`<line class="axis" x1="${plotLeft}" y1="${top - 4}" x2="${plotLeft}" y2="${num(height - 8)}" stroke="${COLORS.axis}" stroke-width="1"/>`);
  if (options.marker) {
    const mx = x(options.marker.value);
    parts.push(`<line class="marker" x1="${num(mx)}" y1="${top - 4}" x2="${num(mx)}" y2="${num(height - 8)}" stroke="${COLORS.marker}" stroke-width="1.5" stroke-dasharray="4 3"/>`);
    parts.push(text(mx, 10, options.marker.label, `text-anchor="middle" font-weight="bold" fill="${COLORS.marker}" font-size="11"`));
  }
  return [...parts, ...values, '</svg>'].join(''); // (spread into push(), a long chart's values would overflow the stack)
}

export interface Series {
  name: string;
  /** One value per x label; null leaves a gap. */
  values: Array<number | null>;
  /** Hover text per point. */
  details?: string[];
}

export interface LineChartOptions {
  label: string;
  xLabels: string[];
  /** The y axis runs from 0 to this (1 for rates). */
  yMax: number;
  formatTick: (value: number) => string;
  /** A horizontal reference line, e.g. the 90% threshold. */
  marker?: { value: number; label: string };
  width?: number;
  height?: number;
  /** Draw the legend (series names) under the plot. */
  legend?: boolean;
  /** Colour of the first series (others follow SERIES_COLORS). */
  colorOffset?: number;
  className?: string;
}

/** One line per series over shared x labels, with dots at the points. */
export function lineChart(series: Series[], options: LineChartOptions): string {
  const width = options.width ?? 900;
  const plotHeight = options.height ?? 220;
  const left = 44;
  const right = 24;
  const top = 14;
  const xAxisHeight = 46;
  const legendRows = options.legend ? legendLayout(series.map((s) => s.name), width - left - right).rows : 0;
  const height = top + plotHeight + xAxisHeight + legendRows * 18 + (legendRows ? 6 : 0);
  const n = options.xLabels.length;
  const plotWidth = width - left - right;
  const x = (i: number) => left + (n <= 1 ? plotWidth / 2 : (plotWidth * i) / (n - 1));
  const y = (v: number) => top + plotHeight - (plotHeight * Math.min(Math.max(v, 0), options.yMax)) / options.yMax;

  const parts: string[] = [svgOpen(width, height, options.label, options.className ?? 'line-chart')];
  for (const tick of niceTicks(options.yMax, 4).filter((v) => v <= options.yMax)) {
    parts.push(`<line class="grid" x1="${left}" y1="${num(y(tick))}" x2="${num(width - right)}" y2="${num(y(tick))}" stroke="${COLORS.grid}" stroke-width="1"/>`);
    parts.push(text(left - 6, y(tick) + 4, options.formatTick(tick), `text-anchor="end" fill="${COLORS.muted}" font-size="10"`));
  }
  const every = Math.max(1, Math.ceil((n * 44) / plotWidth));
  options.xLabels.forEach((label, i) => {
    if (i % every !== 0 && i !== n - 1) return;
    // A label may have two lines ("W46\n11-09"): one <tspan> each.
    const lines = label.split('\n');
    const spans = lines.map((line, k) => `<tspan x="${num(x(i))}" dy="${k === 0 ? 0 : 12}">${escapeXml(line)}</tspan>`).join('');
    parts.push(`<text x="${num(x(i))}" y="${num(top + plotHeight + 15)}" text-anchor="middle" fill="${COLORS.muted}" font-size="10">${spans}</text>`);
  });
  parts.push(`<line class="axis" x1="${left}" y1="${num(top + plotHeight)}" x2="${num(width - right)}" y2="${num(top + plotHeight)}" stroke="${COLORS.axis}" stroke-width="1"/>`);
  if (options.marker) {
    const my = y(options.marker.value);
    parts.push(`<line class="marker" x1="${left}" y1="${num(my)}" x2="${num(width - right)}" y2="${num(my)}" stroke="${COLORS.below}" stroke-width="1.2" stroke-dasharray="5 4"/>`);
    parts.push(text(width - right, my - 4, options.marker.label, `text-anchor="end" fill="${COLORS.below}" font-size="10"`));
  }
  series.forEach((s, index) => {
    const color = SERIES_COLORS[(index + (options.colorOffset ?? 0)) % SERIES_COLORS.length];
    let d = '';
    let pen = false;
    s.values.forEach((v, i) => {
      if (v === null) {
        pen = false;
        return;
      }
      d += `${pen ? 'L' : 'M'}${num(x(i))} ${num(y(v))} `;
      pen = true;
    });
    parts.push(`<g class="series" data-name="${escapeXml(s.name)}">`);
    if (d !== '') parts.push(`<path class="line" d="${d.trim()}" fill="none" stroke="${color}" stroke-width="2"><title>${escapeXml(s.name)}</title></path>`);
    s.values.forEach((v, i) => {
      if (v === null) return;
      const detail = s.details?.[i] ?? `${s.name} ${options.xLabels[i].replace("\n", " ")} ${options.formatTick(v)}`;
      parts.push(`<circle cx="${num(x(i))}" cy="${num(y(v))}" r="2.8" fill="${color}"><title>${escapeXml(detail)}</title></circle>`);
    });
    parts.push('</g>');
  });
  if (options.legend) {
    const layout = legendLayout(series.map((s) => s.name), width - left - right);
    layout.items.forEach((item, index) => {
      const color = SERIES_COLORS[(index + (options.colorOffset ?? 0)) % SERIES_COLORS.length];
      const ly = top + plotHeight + xAxisHeight + item.row * 18 + 6;
      const lx = left + item.x;
      parts.push(`<g class="legend"><rect x="${num(lx)}" y="${num(ly - 9)}" width="14" height="4" fill="${color}"/>`);
      parts.push(`${text(lx + 18, ly - 3, item.name)}</g>`);
    });
  }
  parts.push('</svg>');
  return parts.join('');
}

/** Legend entries laid out left to right, wrapping to new rows. */
function legendLayout(names: string[], width: number): { rows: number; items: Array<{ name: string; x: number; row: number }> } {
  const items: Array<{ name: string; x: number; row: number }> = [];
  let x = 0;
  let row = 0;
  for (const name of names) {
    const w = 18 + textWidth(name) + 18;
    if (x > 0 && x + w > width) {
      row++;
      x = 0;
    }
    items.push({ name, x, row });
    x += w;
  }
  return { rows: names.length ? row + 1 : 0, items };
}
