// dbd report --html: one self-contained page for the leaders. The figures come from the rate
// and weekly report builders (never computed again here); this module picks the period, gathers
// them, and lays out charts (inline SVG) above the tables they summarise.
import type { Kysely } from 'kysely';
import { activitiesBetween } from '../db/queries/monthly.js';
import { addCounts, ZERO_COUNTS, type RateCounts } from '../db/queries/rate.js';
import { UNKNOWN_TOWN, compareWeeklyRows } from '../db/queries/weekly.js';
import type { Database } from '../db/schema.js';
import { addDays } from '../domain/dates.js';
import { formatRate, formatThresholdPercent, isBelow, thresholdValue, truncatedRate, type Threshold } from '../domain/rates.js';
import { addWeeks, lastCompleteWeek, monthOf, parseMonth } from '../domain/weeks.js';
import { usageError } from '../errors.js';
import { t } from '../i18n/index.js';
import { htmlPage, escapeHtml, tableHtml } from '../render/html.js';
import { barChart, lineChart, type Bar, type Series } from '../render/svg.js';
import { cleanNumber, type Table } from '../render/table.js';
import { VERSION } from '../version.js';
import { selectMonth } from './monthly.js';
import { buildRateReport, rateTable, type RateReport } from './rate.js';
import { buildWeeklyReport, spanOf, sumWeekly, weeklySummaryTable, type WeekSpan, type WeeklyReport, type WeeklyTotals } from './weekly.js';

/** Weeks in the trend chart. */
export const TREND_WEEKS = 12;
/** More organisations than this: the chart shows the lowest rates only (the table has all). */
export const MAX_BARS = 60;
/** More towns than this: one small chart per town instead of one chart with many lines. */
export const MAX_LINES = 8;

export interface ReportPeriod {
  month: string;
  /** First day of the month: volunteer service is counted from here to asOf. */
  start: string;
  asOf: string;
}

/**
 * The month and the as-of date. --month alone: figures as of the month's last day, or today
 * while it runs (as the monthly export). --as-of alone: its month, as of that day. Both: the
 * date must lie in the month. Neither: this month, as of today.
 */
export function selectPeriod(options: { month?: string; asOf?: string; today: string }): ReportPeriod {
  if (options.asOf !== undefined && options.month === undefined) {
    const month = monthOf(options.asOf);
    return { month, start: parseMonth(month)!.start, asOf: options.asOf };
  }
  const { month, start, end } = selectMonth(options.month, options.today);
  if (options.asOf === undefined) return { month, start, asOf: end < options.today ? end : options.today };
  if (options.asOf < start || options.asOf > end) throw usageError(t('html.asOfOutsideMonth', { asOf: options.asOf, month, start, end }));
  return { month, start, asOf: options.asOf };
}

/** The last TREND_WEEKS complete weeks as of D: the latest one ends on or before D and before
 * today (a week is complete once its Sunday is over). */
export function trendWeeks(asOf: string, today: string, count = TREND_WEEKS): WeekSpan[] {
  const last = lastCompleteWeek(asOf < today ? addDays(asOf, 1) : today);
  return Array.from({ length: count }, (_, i) => spanOf(addWeeks(last, i - count + 1)));
}

export interface TownTrend { town: string; weeks: WeeklyTotals[] }
export interface CategoryFigures { category: string; count: number; people: number; hours: number }

export interface HtmlReportData extends ReportPeriod {
  threshold: Threshold;
  rate: RateReport;
  /** Everyone (units partition the members): the headline figures. */
  overall: RateCounts;
  weeks: WeekSpan[];
  trend: TownTrend[];
  /** The last week of the trend, for its table. */
  lastWeek: WeeklyReport;
  categories: CategoryFigures[];
  /** Distinct members with an activity in the period (one member may serve in several categories). */
  activityPeople: number;
}

export async function buildHtmlReport(
  db: Kysely<Database>,
  options: ReportPeriod & { today: string; threshold: Threshold; minActivities: number },
): Promise<HtmlReportData> {
  const rateOptions = { asOf: options.asOf, threshold: options.threshold, minActivities: options.minActivities };
  const [rate, units] = await Promise.all([buildRateReport(db, { ...rateOptions, by: 'org' }), buildRateReport(db, { ...rateOptions, by: 'unit' })]);
  const overall = units.rows.reduce<RateCounts>((sum, row) => addCounts(sum, row), { ...ZERO_COUNTS });

  const weeks = trendWeeks(options.asOf, options.today);
  const reports: WeeklyReport[] = [];
  for (const span of weeks) reports.push(await buildWeeklyReport(db, span));
  const towns = [...new Set(reports.flatMap((r) => r.rows.map((row) => row.town)))].sort((a, b) => compareWeeklyRows({ town: a, unit: '' }, { town: b, unit: '' }));
  const trend = towns.map((town) => ({ town, weeks: reports.map((r) => sumWeekly(r.rows.filter((row) => row.town === town))) }));

  const byCategory = new Map<string, { count: number; members: Set<number>; hours: number }>();
  const people = new Set<number>();
  for await (const activity of activitiesBetween(db, options.start, options.asOf)) {
    people.add(activity.memberId);
    const entry = byCategory.get(activity.category) ?? { count: 0, members: new Set<number>(), hours: 0 };
    entry.count++;
    entry.members.add(activity.memberId);
    entry.hours += activity.hours ?? 0;
    byCategory.set(activity.category, entry);
  }
  const categories = [...byCategory]
    .map(([category, e]) => ({ category, count: e.count, people: e.members.size, hours: cleanNumber(e.hours) }))
    .sort((a, b) => b.count - a.count || (a.category < b.category ? -1 : a.category > b.category ? 1 : 0));

  return { month: options.month, start: options.start, asOf: options.asOf, threshold: options.threshold, rate, overall, weeks, trend, lastWeek: reports[reports.length - 1], categories, activityPeople: people.size };
}

// ---- the page -------------------------------------------------------------------------------

const townLabel = (town: string) => (town === UNKNOWN_TOWN ? t('weekly.unknownTown') : town);
const percentTick = (v: number) => `${Math.round(v * 100)}%`;
/** Week label in two lines: W46 over its Monday 11-09. */
const weekLabel = (span: WeekSpan) => `${span.week.slice(5)}\n${span.start.slice(5)}`;

function rateChart(data: HtmlReportData): string {
  const pct = formatThresholdPercent(data.threshold);
  // Lowest rates first: the organisations that need attention lead; no rate ("—") last.
  const rows = [...data.rate.rows].sort((a, b) => {
    const ra = truncatedRate(a.reported, a.expected);
    const rb = truncatedRate(b.reported, b.expected);
    if (ra === null || rb === null) return ra === null ? (rb === null ? 0 : 1) : -1;
    return ra - rb || (a.org! < b.org! ? -1 : 1);
  });
  const shown = rows.slice(0, MAX_BARS);
  const bars: Bar[] = shown.map((row) => ({
    label: row.shortName ?? row.org!,
    value: truncatedRate(row.reported, row.expected),
    valueText: `${formatRate(row.reported, row.expected)}`,
    highlight: row.below,
    detail: t('common.labelled', { label: row.org!, text: t('common.withNote', { text: formatRate(row.reported, row.expected), note: `${row.reported}/${row.expected}` }) }),
  }));
  const title = t('html.rateChartTitle', { asOf: data.asOf });
  const chart = bars.length
    ? barChart(bars, { label: title, max: 1, marker: { value: thresholdValue(data.threshold), label: pct }, formatTick: percentTick, className: 'rate-chart' })
    : `<p class="note">${escapeHtml(t('html.noData'))}</p>`;
  const more = rows.length > shown.length ? `<p class="note">${escapeHtml(t('html.rateChartMore', { shown: shown.length, total: rows.length }))}</p>` : '';
  return section(title, `${chart}${more}<p class="note">${escapeHtml(t('html.rateChartNote', { pct }))}</p>`, 'rate');
}

function trendChart(data: HtmlReportData): string {
  const pct = formatThresholdPercent(data.threshold);
  const title = t('html.trendChartTitle', { first: data.weeks[0].week, last: data.weeks[data.weeks.length - 1].week });
  const xLabels = data.weeks.map(weekLabel);
  const series: Series[] = data.trend.map((town) => ({
    name: townLabel(town.town),
    values: town.weeks.map((w) => truncatedRate(w.reported, w.expected)),
    details: town.weeks.map((w, i) =>
      t('common.labelled', { label: `${townLabel(town.town)} ${data.weeks[i].week}`, text: t('common.withNote', { text: formatRate(w.reported, w.expected), note: `${w.reported}/${w.expected}` }) }),
    ),
  }));
  const marker = { value: thresholdValue(data.threshold), label: pct };
  let chart: string;
  if (series.length === 0) chart = `<p class="note">${escapeHtml(t('html.noData'))}</p>`;
  else if (series.length <= MAX_LINES) {
    chart = lineChart(series, { label: title, xLabels, yMax: 1, formatTick: percentTick, marker, legend: true, className: 'trend-chart' });
  } else {
    // Many towns: one small chart each, so that every line stays readable.
    chart = `<div class="multiples">${series
      .map(
        (s, i) =>
          `<figure><figcaption>${escapeHtml(s.name)}</figcaption>${lineChart([s], { label: `${title} ${s.name}`, xLabels, yMax: 1, formatTick: percentTick, marker, width: 320, height: 110, colorOffset: i, className: 'trend-chart small' })}</figure>`,
      )
      .join('')}</div>`;
  }
  return section(title, `${chart}<p class="note">${escapeHtml(t('html.trendChartNote', { pct }))}</p>`, 'trend');
}

function activityChart(data: HtmlReportData): string {
  const title = t('html.activityChartTitle', { from: data.start, to: data.asOf });
  const total = categoryTotal(data);
  const chart = data.categories.length
    ? barChart(
        data.categories.map((c) => ({ label: c.category, value: c.count, valueText: String(c.count), detail: t('common.labelled', { label: c.category, text: t('common.withNote', { text: String(c.count), note: `${c.hours}h` }) }) })),
        { label: title, formatTick: (v) => String(v), className: 'activity-chart' },
      )
    : `<p class="note">${escapeHtml(t('html.noData'))}</p>`;
  return section(title, `${chart}<p class="note">${escapeHtml(t('html.activityChartNote', total))}</p>`, 'activities');
}

function categoryTotal(data: HtmlReportData): { count: number; people: number; hours: number } {
  return {
    count: data.categories.reduce((n, c) => n + c.count, 0),
    // Members in several categories count once: the distinct total is not the sum of the rows.
    people: data.activityPeople,
    hours: cleanNumber(data.categories.reduce((n, c) => n + c.hours, 0)),
  };
}

function section(title: string, inner: string, id: string): string {
  return `<section class="chart" id="${id}"><h2>${escapeHtml(title)}</h2>${inner}</section>`;
}

function trendTable(data: HtmlReportData): Table {
  return {
    name: t('html.trendTableTitle'),
    title: t('html.trendTableTitle'),
    columns: [{ key: 'town', header: t('html.colTown'), kind: 'text' }, ...data.weeks.map((w, i) => ({ key: `w${i}`, header: w.week.slice(5), kind: 'rate' as const }))],
    rows: data.trend.map((town) => ({ town: townLabel(town.town), ...Object.fromEntries(town.weeks.map((w, i) => [`w${i}`, truncatedRate(w.reported, w.expected)])) })),
    highlight: (row) => {
      const last = data.trend.find((town) => townLabel(town.town) === row.town)?.weeks.at(-1);
      return last !== undefined && isBelow(last.reported, last.expected, data.threshold);
    },
  };
}

function categoryTable(data: HtmlReportData): Table {
  const total = categoryTotal(data);
  return {
    name: t('html.activityTableTitle', { from: data.start, to: data.asOf }),
    title: t('html.activityTableTitle', { from: data.start, to: data.asOf }),
    columns: [
      { key: 'category', header: t('html.colCategory'), kind: 'text' },
      { key: 'count', header: t('html.colCount'), kind: 'int' },
      { key: 'people', header: t('html.colPeople'), kind: 'int' },
      { key: 'hours', header: t('html.colHours'), kind: 'number' },
    ],
    rows: data.categories.map((c) => ({ category: c.category, count: c.count, people: c.people, hours: c.hours })),
    totals: [{ category: t('html.total'), ...total }],
  };
}

function cards(data: HtmlReportData): string {
  const pct = formatThresholdPercent(data.threshold);
  const below = data.rate.rows.filter((row) => row.below).length;
  const total = categoryTotal(data);
  const card = (label: string, value: string, alert = false) =>
    `<div class="card${alert ? ' alert' : ''}"><div class="label">${escapeHtml(label)}</div><div class="value">${escapeHtml(value)}</div></div>`;
  return `<div class="cards">${[
    card(t('html.cardExpected'), String(data.overall.expected)),
    card(t('html.cardReported'), String(data.overall.reported)),
    card(t('html.cardRate'), formatRate(data.overall.reported, data.overall.expected), isBelow(data.overall.reported, data.overall.expected, data.threshold)),
    card(t('html.cardBelow', { pct }), t('html.cardBelowValue', { count: below }), below > 0),
    card(t('html.cardActivities'), t('html.cardActivitiesValue', { count: total.count, hours: total.hours })),
  ].join('')}</div>`;
}

/** The whole page: header and headline figures, the three charts, then the tables. */
export function htmlReportPage(data: HtmlReportData, generatedAt: string): string {
  const pct = formatThresholdPercent(data.threshold);
  const last = data.lastWeek;
  const body = [
    `<header><h1>${escapeHtml(t('html.heading'))}</h1>`,
    `<p class="meta">${escapeHtml(t('html.subtitle', { month: data.month, asOf: data.asOf, pct }))}</p></header>`,
    cards(data),
    rateChart(data),
    trendChart(data),
    activityChart(data),
    `<div class="tables"><h2>${escapeHtml(t('html.tablesHeading'))}</h2>`,
    tableHtml(rateTable(data.rate)),
    `<p class="note">${escapeHtml(t('html.lastWeekNote', { week: last.week, start: last.start, end: last.end }))}</p>`,
    tableHtml(weeklySummaryTable(last)),
    tableHtml(trendTable(data)),
    tableHtml(categoryTable(data)),
    `<footer>${escapeHtml(t('html.generated', { at: generatedAt, version: VERSION }))}</footer>`,
    `</div>`,
  ].join('\n');
  return htmlPage({ lang: t('html.lang'), title: t('html.pageTitle', { month: data.month }), body });
}
