// The monthly export bundle (SPEC §7): five workbooks with stable names for scripts and cron,
// built from the rate report, the weekly report and two listings, written all or nothing.
// The files are built one at a time as they are written, and the listings' rows are streamed
// from the database into the file: memory holds one sheet's figures at most, whatever the size.
import path from 'node:path';
import type { Kysely } from 'kysely';
import { activitiesBetween, activitySums, countNotReported, notReportedOn, type ActivityListing, type NotReportedListing } from '../db/queries/monthly.js';
import type { DbHandle } from '../db/open.js';
import type { Database } from '../db/schema.js';
import { addDays } from '../domain/dates.js';
import { collectGarbage } from '../ingest/heap.js';
import { maskIdNumber } from '../domain/idNumber.js';
import { formatThresholdPercent, type Threshold } from '../domain/rates.js';
import { monthOf, parseMonth, weeksEndingInMonth } from '../domain/weeks.js';
import { usageError } from '../errors.js';
import { t } from '../i18n/index.js';
import { withFileBatch } from '../render/atomic.js';
import type { CsvEncoding } from '../render/csv.js';
import { cleanNumber, type ReportMeta, type Row, type SheetSource, type StreamedTable, type Table } from '../render/table.js';
import { VERSION } from '../version.js';
import { belowOnly, buildRateReport, rateMeta, rateTable } from './rate.js';
import { buildWeeklyReport, spanOf, weeklySummaryTable } from './weekly.js';

export type BundleFormat = 'xlsx' | 'csv';

/** The month asked for: 'YYYY-MM', 'last'/'prev' (the month before today's), or by default
 * today's month. A month that has not started is refused (exit 2). */
export function selectMonth(spec: string | undefined, today: string): { month: string; start: string; end: string } {
  const word = spec?.trim().toLowerCase();
  const month =
    spec === undefined ? monthOf(today) : word === 'last' || word === 'prev' ? monthOf(addDays(`${monthOf(today)}-01`, -1)) : spec.trim();
  const range = parseMonth(month);
  if (!range) throw usageError(t('export.badMonth', { value: spec ?? '' }));
  const canonical = range.start.slice(0, 7);
  if (range.start > today) throw usageError(t('export.futureMonth', { month: canonical, today }));
  return { month: canonical, ...range };
}

export interface MonthlyOptions {
  month: string;
  start: string;
  end: string;
  today: string;
  threshold: Threshold;
  minActivities: number;
  fullId: boolean;
  /** Shown in every 说明 sheet. */
  generatedAt: string;
}

/** One file of the bundle: its stable base name, the sheets of the workbook, the table(s) a
 * CSV holds, and the 说明 sheet. Sheets given as functions are built when they are written;
 * streamed tables read their rows from the database while they are written. */
export interface MonthlyFile { base: string; tables: SheetSource[]; csvTables: SheetSource[]; meta: ReportMeta }

/** A file of the bundle, built when its turn comes. */
export interface PendingFile { base: string; build(): Promise<MonthlyFile> }

/** The figures are as of the month's last day, or today while the month is not over. */
export function monthAsOf(options: Pick<MonthlyOptions, 'end' | 'today'>): string {
  return options.end < options.today ? options.end : options.today;
}

/** Stable names: 2026-11_报到率, 2026-11_低于90%组织 (the threshold as a percentage), … */
export function monthlyFileBases(month: string, threshold: Threshold) {
  return {
    rate: `${month}_报到率`,
    below: `${month}_低于${formatThresholdPercent(threshold)}组织`,
    weekly: `${month}_镇街周报`,
    activities: `${month}_志愿服务`,
    notReported: `${month}_未报到党员`,
  };
}

function withMonth(meta: ReportMeta, month: string): ReportMeta {
  return { ...meta, entries: [[t('export.metaMonth'), month], ...meta.entries] };
}

function trailer(options: MonthlyOptions): Array<[string, string]> {
  return [
    [t('export.metaGeneratedAt'), options.generatedAt],
    [t('export.metaVersion'), VERSION],
  ];
}

/** The five files, in order, each built only when asked for (the rate report once, for two). */
export function monthlyBundle(db: Kysely<Database>, options: MonthlyOptions): PendingFile[] {
  const asOf = monthAsOf(options);
  const names = monthlyFileBases(options.month, options.threshold);
  let rateReport: ReturnType<typeof buildRateReport> | undefined;
  const rate = () => (rateReport ??= buildRateReport(db, { asOf, threshold: options.threshold, by: 'org', minActivities: options.minActivities }));
  return [
    {
      base: names.rate,
      build: async () => {
        const report = await rate();
        const tables = [rateTable(report)];
        return { base: names.rate, tables, csvTables: tables, meta: withMonth(rateMeta(report, options.generatedAt), options.month) };
      },
    },
    {
      base: names.below,
      build: async () => {
        const below = belowOnly(await rate());
        rateReport = undefined;
        const tables = [rateTable(below, { belowOnly: true })];
        return { base: names.below, tables, csvTables: tables, meta: withMonth(rateMeta(below, options.generatedAt, { belowOnly: true }), options.month) };
      },
    },
    { base: names.weekly, build: () => weeklyFile(db, options, names.weekly) },
    { base: names.activities, build: () => activitiesFile(db, options, asOf, names.activities) },
    { base: names.notReported, build: () => notReportedFile(db, options, asOf, names.notReported) },
  ];
}

/** Every week whose Sunday falls in the month and has passed (the week is complete). */
async function weeklyFile(db: Kysely<Database>, options: MonthlyOptions, base: string): Promise<MonthlyFile> {
  const spans = weeksEndingInMonth(options.month)
    .map(spanOf)
    .filter((span) => span.end < options.today);
  // A week's sheet is built when it is written: one week's figures in memory at a time (the
  // last week's collected first: V8 would let them pile up in the old generation).
  const tables: SheetSource[] = spans.map((span) => async () => {
    collectGarbage();
    const summary = weeklySummaryTable(await buildWeeklyReport(db, span), options.threshold);
    return { ...summary, name: span.week, title: t('export.weekSheetTitle', { ...span }) };
  });
  if (tables.length === 0) {
    const empty = weeklySummaryTable({ ...spanOf(weeksEndingInMonth(options.month)[0]), rows: [] });
    tables.push({ ...empty, totals: undefined, name: t('export.noWeeksSheet'), title: t('export.noWeeksTitle', { month: options.month }) });
  }
  const meta: ReportMeta = {
    title: t('export.weeklyMetaTitle', { month: options.month }),
    entries: [
      [t('export.metaMonth'), options.month],
      [t('export.metaWeeks'), spans.length ? spans.map((s) => t('common.withNote', { text: s.week, note: `${s.start} ~ ${s.end}` })).join(t('common.groupSeparator')) : '—'],
      [t('export.metaWeeksChosen'), t('export.metaWeeksRule')],
      // Each week's figures are as of its Sunday.
      [t('export.metaAsOf'), spans.length ? t('export.metaWeeksAsOf', { end: spans[spans.length - 1].end }) : '—'],
      [t('export.metaThreshold'), formatThresholdPercent(options.threshold)],
      [t('weekly.metaRules'), t('weekly.metaRulesValue')],
      [t('weekly.metaHighlight'), t('weekly.metaHighlightValue', { threshold: formatThresholdPercent(options.threshold) })],
      ...trailer(options),
    ],
  };
  return { base, tables, csvTables: tables, meta };
}

function idText(id: string | null, fullId: boolean): string | null {
  return id && !fullId ? maskIdNumber(id) : id;
}

function idMeta(fullId: boolean): [string, string] {
  return [t('export.metaIdNumbers'), fullId ? t('export.metaIdFull') : t('export.metaIdMasked')];
}

/** The month's activities up to the as-of date: one row per activity (streamed), and a sum per unit. */
async function activitiesFile(db: Kysely<Database>, options: MonthlyOptions, asOf: string, base: string): Promise<MonthlyFile> {
  const { all, byUnit } = await activitySums(db, options.start, asOf);
  const period = { month: options.month, from: options.start, to: asOf };
  const detail: StreamedTable = {
    name: t('export.activitiesSheet'),
    title: t('export.activitiesTitle', { ...period, count: all.count }),
    columns: [
      { key: 'date', header: t('export.colDate'), kind: 'date' },
      { key: 'name', header: t('export.colName'), kind: 'text' },
      { key: 'idNumber', header: t('export.colIdNumber'), kind: 'id' },
      { key: 'unit', header: t('export.colUnit'), kind: 'text' },
      { key: 'org', header: t('export.colOrg'), kind: 'text' },
      { key: 'community', header: t('export.colCommunity'), kind: 'text' },
      { key: 'town', header: t('export.colTown'), kind: 'text' },
      { key: 'category', header: t('export.colCategory'), kind: 'text' },
      { key: 'hours', header: t('export.colHours'), kind: 'number' },
      { key: 'points', header: t('export.colPoints'), kind: 'number' },
      { key: 'note', header: t('export.colNote'), kind: 'text' },
    ],
    rows: activityRows(activitiesBetween(db, options.start, asOf), options.fullId),
    totals: [{ date: t('export.total'), name: t('export.activitiesTotal', { count: all.count }), hours: cleanNumber(all.hours), points: cleanNumber(all.points) }],
  };

  const units: Table = {
    name: t('export.activitiesByUnitSheet'),
    title: t('export.activitiesByUnitTitle', period),
    columns: [
      { key: 'unit', header: t('export.colUnit'), kind: 'text' },
      { key: 'count', header: t('export.colCount'), kind: 'int' },
      { key: 'people', header: t('export.colPeople'), kind: 'int' },
      { key: 'hours', header: t('export.colHours'), kind: 'number' },
      { key: 'points', header: t('export.colPoints'), kind: 'number' },
    ],
    rows: byUnit
      .sort((a, b) => (a.unit < b.unit ? -1 : a.unit > b.unit ? 1 : 0))
      .map((u) => ({ unit: u.unit, count: u.count, people: u.people, hours: cleanNumber(u.hours), points: cleanNumber(u.points) })),
    totals: [{ unit: t('export.total'), count: all.count, people: all.people, hours: cleanNumber(all.hours), points: cleanNumber(all.points) }],
  };
  const meta: ReportMeta = {
    title: t('export.activitiesMetaTitle', { month: options.month }),
    entries: [
      [t('export.metaMonth'), options.month],
      [t('export.metaPeriod'), `${options.start} ~ ${asOf}`],
      [t('export.metaAsOf'), asOf],
      // The bundle's threshold, as its other files state it (no row here is measured by it).
      [t('export.metaThreshold'), formatThresholdPercent(options.threshold)],
      idMeta(options.fullId),
      ...trailer(options),
    ],
  };
  return { base, tables: [detail, units], csvTables: [detail], meta };
}

async function* activityRows(activities: AsyncIterable<ActivityListing>, fullId: boolean): AsyncIterable<Row> {
  for await (const a of activities) {
    yield {
      date: a.date,
      name: a.name,
      idNumber: idText(a.idNumber, fullId),
      unit: a.unit,
      org: a.org,
      community: a.community,
      town: a.town,
      category: a.category,
      hours: a.hours,
      points: a.points,
      note: a.note,
    };
  }
}

/** Members expected but not reported as of the as-of date, with how to reach them (streamed). */
async function notReportedFile(db: Kysely<Database>, options: MonthlyOptions, asOf: string, base: string): Promise<MonthlyFile> {
  const count = await countNotReported(db, asOf);
  const table: StreamedTable = {
    name: t('export.notReportedSheet'),
    title: t('export.notReportedTitle', { asOf, count }),
    columns: [
      { key: 'unit', header: t('export.colUnit'), kind: 'text' },
      { key: 'org', header: t('export.colOrg'), kind: 'text' },
      { key: 'name', header: t('export.colName'), kind: 'text' },
      { key: 'idNumber', header: t('export.colIdNumber'), kind: 'id' },
      { key: 'phone', header: t('export.colPhone'), kind: 'text' },
      { key: 'residence', header: t('export.colResidence'), kind: 'text' },
      { key: 'residenceTown', header: t('export.colResidenceTown'), kind: 'text' },
    ],
    rows: notReportedRows(notReportedOn(db, asOf), options.fullId),
    totals: [{ unit: t('export.total'), name: t('export.notReportedTotal', { count }) }],
  };
  const meta: ReportMeta = {
    title: t('export.notReportedMetaTitle', { month: options.month }),
    entries: [
      [t('export.metaMonth'), options.month],
      [t('export.metaAsOf'), asOf],
      [t('export.metaThreshold'), formatThresholdPercent(options.threshold)],
      [t('export.metaRules'), t('export.metaNotReportedRules')],
      idMeta(options.fullId),
      ...trailer(options),
    ],
  };
  return { base, tables: [table], csvTables: [table], meta };
}

async function* notReportedRows(members: AsyncIterable<NotReportedListing>, fullId: boolean): AsyncIterable<Row> {
  for await (const m of members) {
    yield {
      unit: m.unit,
      org: m.org,
      name: m.name,
      idNumber: idText(m.idNumber, fullId),
      phone: m.phone,
      residence: m.residenceCommunity,
      residenceTown: m.residenceTown,
    };
  }
}

/** Write every file into dir (created if missing), all or nothing: each file is built only when
 * its turn comes and written under a temporary name, inside one read transaction (so that the
 * five files agree with each other, and a listing with its count); only when all five are
 * written are they renamed into place, so that a failure (a name GBK cannot hold, a full disk)
 * leaves nothing of this run in dir. Returns the paths. onFile hears of each file (name,
 * 1-based index, count) before it is written: progress. */
export async function writeMonthlyBundle(
  handle: Pick<DbHandle, 'readSnapshot'>,
  options: MonthlyOptions,
  dir: string,
  format: BundleFormat,
  encoding?: CsvEncoding,
  onFile?: (file: string, index: number, total: number) => void,
): Promise<string[]> {
  // Only the xlsx writer is loaded on demand: no other command needs it.
  const { writeTableFile } = await import('../render/xlsx.js');
  // One snapshot for the five files (they agree with each other), read as every report reads.
  return withFileBatch((batch) =>
    handle.readSnapshot(async (trx) => {
      const files = monthlyBundle(trx, options);
      const paths: string[] = [];
      for (const pending of files) {
        const target = path.resolve(dir, `${pending.base}.${format}`);
        onFile?.(path.basename(target), paths.length + 1, files.length);
        const file = await pending.build();
        await writeTableFile(target, format === 'xlsx' ? file.tables : file.csvTables, file.meta, { encoding, batch });
        paths.push(target);
        // The file's figures are garbage now: collected before the next file's queries.
        collectGarbage();
      }
      return paths;
    }),
  );
}
