// Table → HTML table, and the shell of a self-contained HTML page: inline CSS only, no scripts,
// no fonts or images from anywhere (a Content-Security-Policy says so to the browser too),
// laid out for the screen and for A4 paper.
import { type Row, type Table, displayText, isNumericKind } from './table.js';
import { escapeXml } from './svg.js';

export const escapeHtml = escapeXml;

/** The same cells the terminal shows (rates truncated, '—' for none), highlighted rows marked
 * (class "below": red), totals in a <tfoot>. The header repeats on every printed page. */
export function tableHtml(table: Table, options: { caption?: boolean } = {}): string {
  const numeric = table.columns.map((c) => isNumericKind(c.kind));
  const cls = (i: number) => (numeric[i] ? ' class="num"' : '');
  const cells = (row: Row, tag: 'td' | 'th') =>
    table.columns.map((c, i) => `<${tag}${cls(i)}>${escapeHtml(displayText(c, row[c.key]))}</${tag}>`).join('');
  const body = table.rows.map((row) => `<tr${table.highlight?.(row) ? ' class="below"' : ''}>${cells(row, 'td')}</tr>`).join('\n');
  const foot = (table.totals ?? []).map((row) => `<tr class="total${table.highlight?.(row) ? ' below' : ''}">${cells(row, 'td')}</tr>`).join('\n');
  return [
    `<table class="data">`,
    options.caption === false || table.title === '' ? '' : `<caption>${escapeHtml(table.title)}</caption>`,
    `<thead><tr>${table.columns.map((c, i) => `<th${cls(i)}>${escapeHtml(c.header)}</th>`).join('')}</tr></thead>`,
    `<tbody>\n${body}\n</tbody>`,
    foot ? `<tfoot>\n${foot}\n</tfoot>` : '',
    `</table>`,
  ].join('');
}

/** Common Chinese system fonts first (Windows, macOS, Linux), then the generic family: no web
 * fonts, so the page needs no network. */
export const CJK_FONT_STACK =
  '"Microsoft YaHei", "PingFang SC", "Hiragino Sans GB", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "SimHei", "Heiti SC", sans-serif';

export const PAGE_CSS = `
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0 auto;max-width:1000px;padding:24px 28px 48px;font-family:${CJK_FONT_STACK};font-size:14px;line-height:1.5;color:#222;background:#fff}
h1{font-size:22px;margin:0 0 4px}
h2{font-size:17px;margin:28px 0 6px;padding-bottom:4px;border-bottom:2px solid #b71c1c}
p{margin:4px 0}
.meta{color:#555;font-size:13px}
.note{color:#555;font-size:12px;margin:2px 0 8px}
.cards{display:flex;flex-wrap:wrap;gap:10px;margin:16px 0 4px}
.card{flex:1 1 150px;border:1px solid #ddd;border-radius:6px;padding:8px 12px;background:#fafafa}
.card .label{font-size:12px;color:#555}
.card .value{font-size:20px;font-weight:bold}
.card.alert .value{color:#c62828}
section.chart{break-inside:avoid;page-break-inside:avoid}
svg.chart{display:block;width:100%;height:auto;font-family:inherit}
.multiples svg.chart{width:100%}
.multiples{display:flex;flex-wrap:wrap;gap:8px}
.multiples figure{margin:0;flex:1 1 220px;max-width:330px;break-inside:avoid}
.multiples figcaption{font-size:12px;font-weight:bold}
table.data{border-collapse:collapse;width:100%;margin:10px 0 18px;font-size:12px}
table.data caption{caption-side:top;text-align:left;font-weight:bold;font-size:14px;padding:4px 0}
table.data th,table.data td{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top;overflow-wrap:anywhere}
table.data th{background:#f0f0f0;white-space:nowrap}
table.data .num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
table.data tr.below td{background:#ffc7ce;color:#9c0006}
table.data tr.total td{font-weight:bold;background:#f6f6f6}
table.data tr.total.below td{background:#ffc7ce;color:#9c0006}
table.data thead{display:table-header-group}
table.data tr{break-inside:avoid;page-break-inside:avoid}
.tables{break-before:page;page-break-before:always;page:wide}
.tables h2:first-child{margin-top:0}
footer{margin-top:24px;color:#777;font-size:11px}
@page{size:A4;margin:14mm 12mm}
@page wide{size:A4 landscape;margin:12mm}
@media print{
  body{max-width:none;padding:0;font-size:11px}
  h1{font-size:18px}
  h2{font-size:14px;margin-top:16px}
  .card .value{font-size:16px}
  table.data{font-size:9.5px}
  table.data th,table.data td{padding:2px 4px}
  *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
`;

/** A complete page. `body` is trusted markup built by the caller from escaped pieces. */
export function htmlPage(options: { lang: string; title: string; body: string; css?: string }): string {
  return [
    '<!DOCTYPE html>',
    `<html lang="${escapeHtml(options.lang)}">`,
    '<head>',
    '<meta charset="utf-8">',
    // Nothing may be fetched: no scripts, fonts, images or styles from outside.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(options.title)}</title>`,
    `<style>${options.css ?? PAGE_CSS}</style>`,
    '</head>',
    '<body>',
    options.body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
