// The town weekly report (SPEC §7) as data, as the JSON document of SPEC §8, and as tables:
// one per town with its subtotal, a 汇总 of every row, a per-unit table for all towns combined,
// the comparison with the previous saved week and the list of saved weeks.
import type { Kysely } from 'kysely';
import { isValidIsoDate } from '../domain/dates.js';
import { DEFAULT_THRESHOLD, formatThresholdPercent, isBelow, rateValue as exactRate, truncatedRate, type Threshold } from '../domain/rates.js';
import { formatWeek, isoWeekOf, lastCompleteWeek, parseWeek, weekRange, weeksInYear, type IsoWeek } from '../domain/weeks.js';
import type { DbHandle, HelperWish } from '../db/open.js';
import { UNKNOWN_TOWN, compareWeeklyRows, WEEKLY_FIGURES, weeklyFigures, weeklyTownBlocks, worthSplitting, type SavedWeeklyReport, type WeeklyReaders, type WeeklyRow, type WeeklyTownBlock } from '../db/queries/weekly.js';
import type { Database } from '../db/schema.js';
import { usageError } from '../errors.js';
import { t } from '../i18n/index.js';
import { cleanNumber, displayText, displayWidth, type Column, type ReportMeta, type Row, type Table } from '../render/table.js';
import { VERSION } from '../version.js';

export interface WeekSpan { week: string; start: string; end: string }
export interface WeeklyReport extends WeekSpan { rows: WeeklyRow[] }
export type WeeklyTotals = Omit<WeeklyRow, 'town' | 'unit'>;

/** Local time as a clerk reads it: 2026-11-21 14:05:09 (a saved report's time, a 说明 sheet's
 * generated-at). */
export function localTimestamp(date: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

export function spanOf(week: IsoWeek): WeekSpan {
  return { week: formatWeek(week), ...weekRange(week) };
}

/** The week asked for: --week, else the week holding --date, else the last complete week
 * (the latest whose Sunday is before today). Bad values are usage errors (exit 2). */
export function selectWeek(options: { week?: string; date?: string; today: string }): WeekSpan {
  if (options.week !== undefined && options.date !== undefined) throw usageError(t('weekly.weekAndDate'));
  if (options.week !== undefined) {
    const parsed = parseWeek(options.week);
    if (parsed) return spanOf(parsed);
    const shape = /^(\d{4})-?[Ww](\d{1,2})$/.exec(options.week.trim());
    if (shape && Number(shape[1]) >= 1 && Number(shape[2]) >= 1) {
      const year = Number(shape[1]);
      throw usageError(t('weekly.noSuchWeek', { year, week: Number(shape[2]), weeks: weeksInYear(year) }));
    }
    throw usageError(t('weekly.badWeek', { value: options.week }));
  }
  if (options.date !== undefined) {
    if (!isValidIsoDate(options.date)) throw usageError(t('common.badDate', { option: '--date', value: options.date }));
    return spanOf(isoWeekOf(options.date));
  }
  return spanOf(lastCompleteWeek(options.today));
}

/** The figures of a week; townId limits to one town (null: the unknown town). With a helper
 * among the readers (reading the same snapshot), every town's figures are read on two threads. */
export async function buildWeeklyReport(db: Kysely<Database>, span: WeekSpan, townId?: number | null, readers?: WeeklyReaders): Promise<WeeklyReport> {
  return { ...span, rows: await weeklyFigures(db, { start: span.start, end: span.end, townId }, readers) };
}

/** The same, read in one snapshot of the database, on two threads when every town of a large
 * city is asked for. */
export async function readWeeklyReport(handle: DbHandle, span: WeekSpan, townId?: number | null): Promise<WeeklyReport> {
  return handle.readSnapshot((db, readers) => buildWeeklyReport(db, span, townId, readers), { helper: await helperWish(handle, townId) });
}

/** A helper is of use when every town is asked for; the size of the city decides. */
async function helperWish(handle: DbHandle, townId: number | null | undefined): Promise<HelperWish> {
  return townId === undefined && { large: await worthSplitting(handle.db) };
}

export function sumWeekly(rows: readonly WeeklyTotals[]): WeeklyTotals {
  const total: WeeklyTotals = { expected: 0, reported: 0, newThisWeek: 0, activities: 0, hours: 0, pairedCommunities: 0 };
  for (const r of rows) {
    total.expected += r.expected;
    total.reported += r.reported;
    total.newThisWeek += r.newThisWeek;
    total.activities += r.activities;
    total.hours += r.hours;
    total.pairedCommunities += r.pairedCommunities;
  }
  total.hours = cleanNumber(total.hours);
  return total;
}

// ---- JSON ---------------------------------------------------------------------------------

export interface WeeklyDocumentRow {
  town: string;
  unit: string;
  expected: number;
  reported: number;
  newThisWeek: number;
  rate: number | null;
  activities: number;
  hours: number;
  pairedCommunities: number;
}
export interface WeeklyDocument extends WeekSpan { rows: WeeklyDocumentRow[] }

/** SPEC §8: unit rows only, `rate` the exact ratio or null, unknown town as 未知. */
export function weeklyDocument(report: WeeklyReport): WeeklyDocument {
  return {
    week: report.week,
    start: report.start,
    end: report.end,
    rows: report.rows.map((r) => ({
      town: r.town,
      unit: r.unit,
      expected: r.expected,
      reported: r.reported,
      newThisWeek: r.newThisWeek,
      rate: exactRate(r.reported, r.expected),
      activities: r.activities,
      hours: cleanNumber(r.hours),
      pairedCommunities: r.pairedCommunities,
    })),
  };
}

/** JSON text of a name; the report's town and unit names repeat, so each is made once. */
function nameTexts(): (name: string) => string {
  const texts = new Map<string, string>();
  return (name) => {
    let text = texts.get(name);
    if (text === undefined) texts.set(name, (text = JSON.stringify(name)));
    return text;
  };
}

/** Rows are encoded into a scratch buffer of this size, and copied out of it a block at a time. */
const SCRATCH = 1024 * 1024;

/**
 * The "rows" of the --json output of a week, as toJson(weeklyDocument(…)) writes them, encoded
 * as UTF-8 block by block (a town's rows, in any order: the rank places each), then put in
 * order with the rest of the document. A week of a large city has a hundred thousand rows:
 * written from the rows themselves, without a second object per row, and encoded as they come
 * (one long text would be joined, then encoded, at the end), it takes half the time of the
 * general writer, and a town's rows can be encoded while other towns are still being read.
 */
export class WeeklyJson {
  private readonly name = nameTexts();
  private readonly blocks = new Map<number, Buffer[]>();
  private scratch = Buffer.allocUnsafe(SCRATCH);
  /** The pieces of the block being encoded. */
  private blockPieces: Buffer[] = [];
  private at = 0;

  /** A town's block (weeklyTownBlocks), read from its columns. */
  addBlock(block: WeeklyTownBlock): void {
    const f = block.figures;
    const town = this.name(block.town);
    block.units.forEach((unit, i) => {
      const at = i * WEEKLY_FIGURES.length;
      this.row(town, unit, f[at], f[at + 1], f[at + 2], f[at + 3], f[at + 4], f[at + 5]);
    });
    this.endBlock(block.rank);
  }

  /** Rows as objects, placed as one block at `rank`. */
  addRows(rank: number, rows: readonly WeeklyRow[]): void {
    for (const r of rows) this.row(this.name(r.town), r.unit, r.expected, r.reported, r.newThisWeek, r.activities, r.hours, r.pairedCommunities);
    this.endBlock(rank);
  }

  private row(town: string, unit: string, expected: number, reported: number, newThisWeek: number, activities: number, hours: number, paired: number): void {
    // Every row after its separator (the first one's comma is dropped in pieces()); numbers as
    // JSON.stringify writes them (integers, and the shortest round-trip text).
    const text =
      `,\n    {\n      "town": ${town},\n      "unit": ${this.name(unit)},\n      "expected": ${expected},\n      "reported": ${reported},` +
      `\n      "newThisWeek": ${newThisWeek},\n      "rate": ${exactRate(reported, expected)},\n      "activities": ${activities},` +
      `\n      "hours": ${Number.isFinite(hours) ? cleanNumber(hours) : null},\n      "pairedCommunities": ${paired}\n    }`;
    // Three bytes at most per UTF-16 unit.
    if (this.at + text.length * 3 > this.scratch.length) {
      this.flush();
      if (text.length * 3 > this.scratch.length) this.scratch = Buffer.allocUnsafe(text.length * 3);
    }
    this.at += this.scratch.write(text, this.at);
  }

  private flush(): void {
    if (this.at > 0) this.blockPieces.push(Buffer.from(this.scratch.subarray(0, this.at)));
    this.at = 0;
  }

  private endBlock(rank: number): void {
    this.flush();
    this.blocks.set(rank, this.blockPieces);
    this.blockPieces = [];
  }

  /** The whole document, in pieces. */
  pieces(span: WeekSpan): Buffer[] {
    const head = JSON.stringify({ week: span.week, start: span.start, end: span.end }, null, 2).slice(0, -2);
    const rows = [...this.blocks].sort((a, b) => a[0] - b[0]).flatMap(([, pieces]) => pieces);
    if (rows.length === 0) return [Buffer.from(`${head},\n  "rows": []\n}\n`)];
    rows[0] = rows[0].subarray(1);
    return [Buffer.from(`${head},\n  "rows": [`), ...rows, Buffer.from('\n  ]\n}\n')];
  }
}

/** The --json output of a week: the same text as toJson(weeklyDocument(report)), as UTF-8. */
export function writeWeeklyDocument(out: (bytes: Uint8Array) => void, report: WeeklyReport): void {
  const json = new WeeklyJson();
  json.addRows(0, report.rows);
  for (const piece of json.pieces(report)) out(piece);
}

/**
 * The --json output of a week read straight from the database, in one snapshot: a large city's
 * towns on two threads, each town's rows encoded as soon as they are complete (weeklyTownBlocks),
 * so that this thread encodes its towns while the helper reads the others. Written by the caller
 * once all is read: a failure half-way writes nothing.
 */
export async function readWeeklyJson(handle: DbHandle, span: WeekSpan, townId?: number | null): Promise<Buffer[]> {
  return handle.readSnapshot(
    async (db, readers) => {
      const json = new WeeklyJson();
      for await (const block of weeklyTownBlocks(db, { start: span.start, end: span.end, townId }, readers)) json.addBlock(block);
      return json.pieces(span);
    },
    { helper: await helperWish(handle, townId) },
  );
}

/** A saved report (the stored JSON document) back as a report. */
export function reportFromDocument(data: string): WeeklyReport {
  const doc = JSON.parse(data) as WeeklyDocument;
  return {
    week: doc.week,
    start: doc.start,
    end: doc.end,
    rows: doc.rows.map(({ rate: _rate, ...row }) => row),
  };
}

/** Only the rows of one town (a saved all-towns report compared with one town's). */
export function onlyTown(report: WeeklyReport, town: string): WeeklyReport {
  return { ...report, rows: report.rows.filter((r) => r.town === town) };
}

// ---- tables -------------------------------------------------------------------------------

const townLabel = (town: string) => (town === UNKNOWN_TOWN ? t('weekly.unknownTown') : town);

function columns(withTown: boolean): Column[] {
  return [
    ...(withTown ? [{ key: 'town', header: t('weekly.colTown'), kind: 'text' as const }] : []),
    { key: 'unit', header: t('weekly.colUnit'), kind: 'text' },
    { key: 'expected', header: t('weekly.colExpected'), kind: 'int' },
    { key: 'reported', header: t('weekly.colReported'), kind: 'int' },
    { key: 'newThisWeek', header: t('weekly.colNew'), kind: 'int' },
    { key: 'rate', header: t('weekly.colRate'), kind: 'rate' },
    { key: 'activities', header: t('weekly.colActivities'), kind: 'int' },
    { key: 'hours', header: t('weekly.colHours'), kind: 'number' },
    { key: 'pairedCommunities', header: t('weekly.colPaired'), kind: 'int' },
  ];
}

function tableRow(town: string | null, unit: string | null, f: WeeklyTotals): Row {
  return {
    town,
    unit,
    expected: f.expected,
    reported: f.reported,
    newThisWeek: f.newThisWeek,
    rate: truncatedRate(f.reported, f.expected),
    activities: f.activities,
    hours: cleanNumber(f.hours),
    pairedCommunities: f.pairedCommunities,
  };
}

/** Rows (subtotals and totals too) below the threshold: filled red. */
const highlightBelow =
  (threshold: Threshold = DEFAULT_THRESHOLD) =>
  (row: Row) =>
    isBelow(Number(row.reported), Number(row.expected), threshold);

/** Rows grouped by a key, in order of first appearance. */
function groupRows(rows: readonly WeeklyRow[], key: (row: WeeklyRow) => string): Map<string, WeeklyRow[]> {
  const out = new Map<string, WeeklyRow[]>();
  for (const row of rows) {
    const group = out.get(key(row));
    if (group) group.push(row);
    else out.set(key(row), [row]);
  }
  return out;
}

const byTown = (rows: readonly WeeklyRow[]) => groupRows(rows, (row) => row.town);

/** A table of the weekly columns (with 街道 unless it is the per-unit one), its rows below the
 * threshold highlighted, totals among them. */
function weeklyTable(name: string, title: string, rows: Row[], totals: Row[], options: { withTown?: boolean; threshold?: Threshold } = {}): Table {
  return { name, title, columns: columns(options.withTown ?? true), rows, totals, highlight: highlightBelow(options.threshold) };
}

const unitRows = (rows: readonly WeeklyRow[]) => rows.map((r) => tableRow(townLabel(r.town), r.unit, r));
const subtotalRow = (town: string, rows: readonly WeeklyRow[]) => tableRow(townLabel(town), t('weekly.subtotal'), sumWeekly(rows));
const grandTotalRow = (report: WeeklyReport) => tableRow(t('weekly.grandTotal'), null, sumWeekly(report.rows));
const span = (report: WeeklyReport) => ({ week: report.week, start: report.start, end: report.end });

/** One table per town: its unit rows, then the town subtotal. */
export function weeklyTownTables(report: WeeklyReport): Table[] {
  return [...byTown(report.rows)].map(([town, rows]) =>
    weeklyTable(townLabel(town), t('weekly.townTitle', { town: townLabel(town), ...span(report) }), unitRows(rows), [subtotalRow(town, rows)]),
  );
}

/** 汇总: every unit row of every town; then each town's subtotal and the grand total (after the
 * rows, so that sorting or filtering the sheet never moves a subtotal in among them). */
export function weeklySummaryTable(report: WeeklyReport, threshold: Threshold = DEFAULT_THRESHOLD): Table {
  const subtotals = [...byTown(report.rows)].map(([town, rows]) => subtotalRow(town, rows));
  return weeklyTable(t('weekly.summarySheet'), t('weekly.summaryTitle', span(report)), unitRows(report.rows), [...subtotals, grandTotalRow(report)], { threshold });
}

/** One table of town blocks, for a grouped CSV: each town's unit rows followed by its subtotal,
 * then the grand total. */
export function weeklyBlocksTable(report: WeeklyReport): Table {
  const rows = [...byTown(report.rows)].flatMap(([town, townRows]) => [...unitRows(townRows), subtotalRow(town, townRows)]);
  return weeklyTable(t('weekly.summarySheet'), t('weekly.summaryTitle', span(report)), rows, [grandTotalRow(report)]);
}

/** Without --town: every (town, unit) row in one list, with the SPEC's columns (街道 first),
 * and the grand total. */
export function weeklyListTable(report: WeeklyReport): Table {
  return weeklyTable(t('weekly.listSheet'), t('weekly.title', span(report)), unitRows(report.rows), [grandTotalRow(report)]);
}

/** One row per unit, all towns combined (a member counts in one town only, so the sums are the
 * unit's own figures), and the total: a second sheet of the workbook without --town. */
export function weeklyUnitTable(report: WeeklyReport): Table {
  const units = groupRows(report.rows, (row) => row.unit);
  const names = [...units.keys()].sort((a, b) => compareWeeklyRows({ town: '', unit: a }, { town: '', unit: b }));
  const rows = names.map((unit) => tableRow(null, unit, sumWeekly(units.get(unit)!)));
  return weeklyTable(t('weekly.unitsSheet'), t('weekly.unitsTitle', span(report)), rows, [tableRow(null, t('weekly.grandTotal'), sumWeekly(report.rows))], { withTown: false });
}

/** Tables share column widths, so that blocks printed one under the other line up. */
export function alignColumns(tables: Table[]): Table[] {
  const widths = new Map<string, number>();
  for (const table of tables) {
    for (const column of table.columns) {
      let width = Math.max(widths.get(column.key) ?? 0, column.minWidth ?? 0, displayWidth(column.header));
      for (const row of table.rows) width = Math.max(width, displayWidth(displayText(column, row[column.key])));
      for (const row of table.totals ?? []) width = Math.max(width, displayWidth(displayText(column, row[column.key])));
      widths.set(column.key, width);
    }
  }
  return tables.map((table) => ({ ...table, columns: table.columns.map((c) => ({ ...c, minWidth: widths.get(c.key) })) }));
}

/** For the terminal: grouped, a block per town and a block with the grand total; else the
 * list of every (town, unit) row with the total. */
export function weeklyTerminalTables(report: WeeklyReport, grouped: boolean): Table[] {
  if (!grouped) return [weeklyListTable(report)];
  if (report.rows.length === 0) return [weeklySummaryTable(report)];
  const towns = weeklyTownTables(report);
  // One town (--town NAME): its total, which SPEC §7 asks for even though it equals the subtotal.
  const title = towns.length === 1 ? t('weekly.townTotalTitle', { town: towns[0].name, week: report.week }) : t('weekly.grandTotalTitle', { week: report.week });
  const grand = weeklyTable(t('weekly.grandTotal'), title, [grandTotalRow(report)], []);
  return alignColumns([...towns, grand]);
}

/** For a workbook: grouped, a sheet per town and 汇总; else the list of every (town, unit) row
 * and the per-unit sheet. A CSV holds one table: the town blocks, or the list. */
export function weeklyFileTables(report: WeeklyReport, grouped: boolean, format: 'xlsx' | 'csv'): Table[] {
  if (format === 'csv') return [grouped ? weeklyBlocksTable(report) : weeklyListTable(report)];
  return grouped ? [...weeklyTownTables(report), weeklySummaryTable(report)] : [weeklyListTable(report), weeklyUnitTable(report)];
}

/** The 说明 sheet of a weekly workbook. */
export function weeklyMeta(report: WeekSpan, scope: string, generatedAt: string, extra: Array<[string, string]> = []): ReportMeta {
  return {
    title: t('weekly.title', { week: report.week, start: report.start, end: report.end }),
    entries: [
      [t('weekly.metaWeek'), report.week],
      [t('weekly.metaPeriod'), t('weekly.metaPeriodValue', { start: report.start, end: report.end })],
      [t('weekly.metaScope'), scope],
      [t('weekly.metaAsOf'), report.end],
      [t('weekly.metaThreshold'), formatThresholdPercent(DEFAULT_THRESHOLD)],
      ...extra,
      [t('weekly.metaRules'), t('weekly.metaRulesValue')],
      [t('weekly.metaHighlight'), t('weekly.metaHighlightValue', { threshold: formatThresholdPercent(DEFAULT_THRESHOLD) })],
      [t('weekly.metaGeneratedAt'), generatedAt],
      [t('weekly.metaVersion'), VERSION],
    ],
  };
}

// ---- comparison and history ---------------------------------------------------------------

/** Rate in hundredths of a percent, truncated (as shown); null when nobody is expected. */
function shownRateBasisPoints(f: WeeklyTotals): number | null {
  const r = truncatedRate(f.reported, f.expected);
  return r === null ? null : Math.round(r * 10000);
}

/** Each row of this week beside its change from the previous saved week; a row that is in
 * only one of the two counts as zero in the other. */
export function weeklyCompareTable(current: WeeklyReport, previous: WeeklyReport & { savedAt: string }): Table {
  const key = (r: Pick<WeeklyRow, 'town' | 'unit'>) => `${r.town}\u0000${r.unit}`;
  const zero = (r: Pick<WeeklyRow, 'town' | 'unit'>): WeeklyRow => ({ town: r.town, unit: r.unit, ...sumWeekly([]) });
  const before = new Map(previous.rows.map((r) => [key(r), r]));
  const now = new Map(current.rows.map((r) => [key(r), r]));
  const all = [...current.rows, ...previous.rows.filter((r) => !now.has(key(r)))].sort(compareWeeklyRows);
  const change = (a: WeeklyTotals, b: WeeklyTotals): Row => {
    const ra = shownRateBasisPoints(a);
    const rb = shownRateBasisPoints(b);
    return {
      expectedChange: a.expected - b.expected,
      reportedChange: a.reported - b.reported,
      newChange: a.newThisWeek - b.newThisWeek,
      rateChange: ra === null || rb === null ? null : (ra - rb) / 100,
      activitiesChange: a.activities - b.activities,
      hoursChange: cleanNumber(a.hours - b.hours),
      pairedChange: a.pairedCommunities - b.pairedCommunities,
    };
  };
  const line = (town: string, unit: string | null, a: WeeklyTotals, b: WeeklyTotals): Row => ({ ...tableRow(town, unit, a), ...change(a, b) });
  const c = (key: string, header: string, kind: Column['kind']): Column => ({ key, header: t(`weekly.${header}`), kind });
  return {
    name: t('weekly.compareSheet'),
    title: t('weekly.compareTitle', { week: current.week, previous: previous.week, savedAt: previous.savedAt }),
    columns: [
      c('town', 'colTown', 'text'),
      c('unit', 'colUnit', 'text'),
      c('expected', 'colExpected', 'int'),
      c('expectedChange', 'colExpectedChange', 'int'),
      c('reported', 'colReported', 'int'),
      c('reportedChange', 'colReportedChange', 'int'),
      c('newThisWeek', 'colNew', 'int'),
      c('newChange', 'colNewChange', 'int'),
      c('rate', 'colRate', 'rate'),
      c('rateChange', 'colRateChange', 'number'),
      c('activities', 'colActivities', 'int'),
      c('activitiesChange', 'colActivitiesChange', 'int'),
      c('hours', 'colHours', 'number'),
      c('hoursChange', 'colHoursChange', 'number'),
      c('pairedCommunities', 'colPaired', 'int'),
      c('pairedChange', 'colPairedChange', 'int'),
    ],
    rows: all.map((r) => line(townLabel(r.town), r.unit, now.get(key(r)) ?? zero(r), before.get(key(r)) ?? zero(r))),
    totals: [line(t('weekly.grandTotal'), null, sumWeekly(current.rows), sumWeekly(previous.rows))],
  };
}

export const scopeLabel = (town: string) => (town === '' ? t('weekly.allTowns') : townLabel(town));

export interface HistoryEntry { week: string; start: string; end: string; town: string | null; savedAt: string; current: boolean; rows: number; expected: number; reported: number }

export function historyEntries(saved: SavedWeeklyReport[]): HistoryEntry[] {
  return saved.map((s) => {
    const report = reportFromDocument(s.data);
    const total = sumWeekly(report.rows);
    return {
      week: s.week,
      start: report.start,
      end: report.end,
      town: s.town === '' ? null : s.town,
      savedAt: s.savedAt,
      current: s.current,
      rows: report.rows.length,
      expected: total.expected,
      reported: total.reported,
    };
  });
}

export function weeklyHistoryTable(entries: HistoryEntry[]): Table {
  return {
    name: t('weekly.historySheet'),
    title: t('weekly.historyTitle', { count: entries.length }),
    columns: [
      { key: 'week', header: t('weekly.colWeek'), kind: 'text' },
      { key: 'period', header: t('weekly.colPeriod'), kind: 'text' },
      { key: 'scope', header: t('weekly.colScope'), kind: 'text' },
      { key: 'savedAt', header: t('weekly.colSavedAt'), kind: 'text' },
      { key: 'version', header: t('weekly.colVersion'), kind: 'text' },
      { key: 'rows', header: t('weekly.colRows'), kind: 'int' },
      { key: 'expected', header: t('weekly.colExpected'), kind: 'int' },
      { key: 'reported', header: t('weekly.colReported'), kind: 'int' },
      { key: 'rate', header: t('weekly.colRate'), kind: 'rate' },
    ],
    rows: entries.map((e) => ({
      week: e.week,
      period: `${e.start} ~ ${e.end}`,
      scope: scopeLabel(e.town ?? ''),
      savedAt: e.savedAt,
      version: e.current ? t('weekly.versionCurrent') : t('weekly.versionSuperseded'),
      rows: e.rows,
      expected: e.expected,
      reported: e.reported,
      rate: truncatedRate(e.reported, e.expected),
    })),
  };
}
