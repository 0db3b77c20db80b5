// The rate table of SPEC §6/§7 as one report: built once from the counts, then given to the
// renderers as one Table model (terminal, xlsx, csv) or as the JSON document of SPEC §8.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { OrgTree } from '../db/queries/orgTree.js';
import { addCounts, countsByCategory, countsByOrg, countsByTown, townNames, ZERO_COUNTS, type RateCounts } from '../db/queries/rate.js';
import { formatThresholdPercent, isBelow, rateValue, thresholdValue, truncatedRate, type Threshold } from '../domain/rates.js';
import { t } from '../i18n/index.js';
import type { Column, ReportMeta, Row, Table } from '../render/table.js';
import { VERSION } from '../version.js';

export const RATE_GROUPINGS = ['org', 'unit', 'town', 'category'] as const;
export type RateBy = (typeof RATE_GROUPINGS)[number];

/** The town of members whose town cannot be told (SPEC §7/§8): always this value in JSON. */
export const UNKNOWN_TOWN = '未知';

export interface RateOptions {
  asOf: string;
  threshold: Threshold;
  by: RateBy;
  /** A reported member should have this many activities in the calendar year (0: no check). */
  minActivities: number;
}

export interface RateRow extends RateCounts {
  /** The grouping key: the fields that apply to the grouping. */
  org?: string;
  shortName?: string | null;
  unit?: string;
  /** null: no known town (shown as 未知). */
  town?: string | null;
  /** null: 管理类别 not given. */
  category?: string | null;
  below: boolean;
}

export interface RateReport extends RateOptions {
  rows: RateRow[];
}

/** Code-point order: stable whatever the locale of the machine. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** null keys (未知 town, no category) sort last. */
function compareNullable(a: string | null | undefined, b: string | null | undefined): number {
  if (a == null || b == null) return a == null ? (b == null ? 0 : 1) : -1;
  return compareText(a, b);
}

/**
 * Each listed organisation's figures rolled up over its whole subtree. Listed: organisations
 * with members of their own on the roster (exempt ones too; countsByOrg), so a 党委 with two
 * members of its own is listed and covers everything under it, and a branch of exempt members
 * shows 0 of 0.
 */
export function rollUp(tree: OrgTree, own: ReadonlyMap<number, RateCounts>): Map<number, RateCounts> {
  const out = new Map<number, RateCounts>();
  for (const id of own.keys()) {
    if (!tree.byId.has(id)) continue;
    let sum: RateCounts = { ...ZERO_COUNTS };
    for (const member of tree.subtree(id)) sum = addCounts(sum, own.get(member) ?? ZERO_COUNTS);
    out.set(id, sum);
  }
  return out;
}

function withVerdict(key: Omit<RateRow, keyof RateCounts | 'below'>, counts: RateCounts, threshold: Threshold): RateRow {
  return { ...key, ...counts, below: isBelow(counts.reported, counts.expected, threshold) };
}

/** Groups with nobody expected and nothing reported are left out (SPEC §6). */
function present(counts: RateCounts): boolean {
  return counts.expected > 0 || counts.reported > 0;
}

export async function buildRateReport(db: Kysely<Database>, options: RateOptions): Promise<RateReport> {
  const query = { asOf: options.asOf, minActivities: options.minActivities };
  const rows: RateRow[] = [];
  if (options.by === 'org' || options.by === 'unit') {
    const [tree, own] = await Promise.all([OrgTree.load(db), countsByOrg(db, query)]);
    if (options.by === 'org') {
      for (const [id, counts] of rollUp(tree, own)) {
        const node = tree.byId.get(id)!;
        rows.push(withVerdict({ org: node.name, shortName: node.shortName, unit: node.unitName }, counts, options.threshold));
      }
      rows.sort((a, b) => compareText(a.org!, b.org!));
    } else {
      const byUnit = new Map<string, RateCounts>();
      for (const [id, counts] of own) {
        const unit = tree.byId.get(id)?.unitName;
        if (unit !== undefined) byUnit.set(unit, addCounts(byUnit.get(unit) ?? ZERO_COUNTS, counts));
      }
      for (const [unit, counts] of byUnit) if (present(counts)) rows.push(withVerdict({ unit }, counts, options.threshold));
      rows.sort((a, b) => compareText(a.unit!, b.unit!));
    }
  } else if (options.by === 'town') {
    const [names, counts] = await Promise.all([townNames(db), countsByTown(db, query)]);
    for (const [townId, c] of counts) {
      if (present(c)) rows.push(withVerdict({ town: townId === null ? null : names.get(townId) ?? null }, c, options.threshold));
    }
    rows.sort((a, b) => compareNullable(a.town, b.town));
  } else {
    for (const [category, c] of await countsByCategory(db, query)) {
      if (present(c)) rows.push(withVerdict({ category }, c, options.threshold));
    }
    rows.sort((a, b) => compareNullable(a.category, b.category));
  }
  return { ...options, rows };
}

/** Only the rows below the threshold (dbd rate --below T). */
export function belowOnly(report: RateReport): RateReport {
  return { ...report, rows: report.rows.filter((row) => row.below) };
}

function groupLabel(by: RateBy): string {
  return t(`rate.by.${by}`);
}

/** The key columns of a grouping. */
function keyColumns(by: RateBy): Column[] {
  switch (by) {
    case 'org':
      return [
        { key: 'org', header: t('rate.colOrg'), kind: 'text' },
        { key: 'shortName', header: t('rate.colShortName'), kind: 'text' },
        { key: 'unit', header: t('rate.colUnit'), kind: 'text' },
      ];
    case 'unit':
      return [{ key: 'unit', header: t('rate.colUnit'), kind: 'text' }];
    case 'town':
      return [{ key: 'town', header: t('rate.colTown'), kind: 'text' }];
    case 'category':
      return [{ key: 'category', header: t('rate.colCategory'), kind: 'text' }];
  }
}

/**
 * The rate table. Rates go in as the truncated ratio (two decimals of a percent), so no renderer
 * can show a rate below the threshold as 90.00%. Below rows are highlighted and carry the verdict:
 * for organisations 不得评为年度先进党组织, for other groupings "below 90%".
 */
export function rateTable(report: RateReport, options: { belowOnly?: boolean } = {}): Table {
  const pct = formatThresholdPercent(report.threshold);
  const columns: Column[] = [
    ...keyColumns(report.by),
    { key: 'expected', header: t('rate.colExpected'), kind: 'int' },
    { key: 'reported', header: t('rate.colReported'), kind: 'int' },
    { key: 'rate', header: t('rate.colRate'), kind: 'rate' },
  ];
  if (report.minActivities > 0) columns.push({ key: 'shortfall', header: t('rate.colShortfall', { n: report.minActivities }), kind: 'int' });
  columns.push({ key: 'verdict', header: t('rate.colVerdict'), kind: 'text' });

  const verdict = report.by === 'org' ? t('rate.verdictOrg') : t('rate.verdictGroup', { pct });
  const rows: Row[] = report.rows.map((row) => ({
    org: row.org ?? null,
    shortName: row.shortName ?? null,
    unit: row.unit ?? null,
    town: report.by === 'town' ? row.town ?? t('rate.unknownTown') : null,
    category: report.by === 'category' ? row.category ?? t('rate.noCategory') : null,
    expected: row.expected,
    reported: row.reported,
    rate: truncatedRate(row.reported, row.expected),
    shortfall: row.shortfall,
    verdict: row.below ? verdict : '',
    below: row.below ? 1 : 0,
  }));

  // Units, towns and categories partition the expected members, so a total means something
  // there; organisation rows overlap (a 党委 covers its branches) and get none.
  let totals: Row[] | undefined;
  if (report.by !== 'org' && !options.belowOnly && report.rows.length > 0) {
    const sum = report.rows.reduce<RateCounts>((acc, row) => addCounts(acc, row), { ...ZERO_COUNTS });
    totals = [
      {
        [columns[0].key]: t('rate.total'),
        expected: sum.expected,
        reported: sum.reported,
        rate: truncatedRate(sum.reported, sum.expected),
        shortfall: sum.shortfall,
        verdict: '',
        // Filled red like a group below the threshold; the verdict is the groups' own.
        below: isBelow(sum.reported, sum.expected, report.threshold) ? 1 : 0,
      },
    ];
  }

  const belowCount = report.rows.filter((row) => row.below).length;
  const title = options.belowOnly
    ? t(report.by === 'org' ? 'rate.titleBelowOrg' : 'rate.titleBelowGroup', { asOf: report.asOf, pct, group: groupLabel(report.by), count: belowCount })
    : t('rate.title', { asOf: report.asOf, pct, group: groupLabel(report.by) });
  return {
    name: options.belowOnly ? t('rate.sheetBelow', { pct }) : t('rate.sheet'),
    title,
    columns,
    rows,
    totals,
    highlight: (row) => row.below === 1,
  };
}

/** The lines printed under the terminal table: how many are below, and what the columns mean. */
export function rateSummary(report: RateReport): string[] {
  const pct = formatThresholdPercent(report.threshold);
  const below = report.rows.filter((row) => row.below);
  const lines: string[] = [];
  if (report.by === 'org') {
    lines.push(
      below.length === 0
        ? t('rate.noneBelowOrg', { pct })
        : t('rate.belowOrgSummary', { pct, count: below.length, names: below.map((row) => row.shortName ?? row.org).join(t('rate.nameSep')) }),
    );
  } else if (below.length > 0) {
    lines.push(t('rate.belowGroupSummary', { pct, count: below.length }));
  } else {
    lines.push(t('rate.noneBelowGroup', { pct }));
  }
  if (report.minActivities > 0) lines.push(t('rate.shortfallNote', { year: report.asOf.slice(0, 4), n: report.minActivities }));
  return lines;
}

export interface RateDocument {
  asOf: string;
  threshold: number;
  by: RateBy;
  minActivities?: number;
  rows: Array<Record<string, string | number | boolean | null>>;
}

/**
 * SPEC §8: {"asOf","threshold","by","rows":[…]} with only the grouping key fields that apply
 * (org and unit for --by org), rate the exact ratio or null. The activity shortfall is added
 * (as activityShortfall, with minActivities) only when asked for with --min-activities, so the
 * default document has exactly the keys of the spec.
 */
export function rateDocument(report: RateReport, options: { includeShortfall?: boolean } = {}): RateDocument {
  const rows = report.rows.map((row) => {
    const key: Record<string, string | null> =
      report.by === 'org'
        ? { org: row.org!, unit: row.unit! }
        : report.by === 'unit'
          ? { unit: row.unit! }
          : report.by === 'town'
            ? { town: row.town ?? UNKNOWN_TOWN }
            : { category: row.category ?? null };
    return {
      ...key,
      expected: row.expected,
      reported: row.reported,
      rate: rateValue(row.reported, row.expected),
      below: row.below,
      ...(options.includeShortfall ? { activityShortfall: row.shortfall } : {}),
    };
  });
  return {
    asOf: report.asOf,
    threshold: thresholdValue(report.threshold),
    by: report.by,
    ...(options.includeShortfall ? { minActivities: report.minActivities } : {}),
    rows,
  };
}

/** The 说明 sheet of the spreadsheet. */
export function rateMeta(report: RateReport, generatedAt: string, options: { belowOnly?: boolean } = {}): ReportMeta {
  const pct = formatThresholdPercent(report.threshold);
  const entries: Array<[string, string]> = [
    [t('rate.metaAsOf'), report.asOf],
    [t('rate.metaThreshold'), pct],
    [t('rate.metaBy'), groupLabel(report.by)],
  ];
  if (options.belowOnly) entries.push([t('rate.metaFilter'), t('rate.metaFilterBelow', { pct })]);
  entries.push(
    [t('rate.metaMinActivities'), String(report.minActivities)],
    [t('rate.metaRows'), String(report.rows.length)],
    [t('rate.metaGeneratedAt'), generatedAt],
    [t('rate.metaVersion'), VERSION],
    [t('rate.metaRules'), t('rate.metaRulesText', { pct })],
  );
  return { title: options.belowOnly ? t('rate.titleBelowMeta', { pct }) : t('rate.titleMeta'), entries };
}
