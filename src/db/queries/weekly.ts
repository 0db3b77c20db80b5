// The figures of the town weekly report (SPEC §7) for a week S..E, aggregated in SQL per
// (town, unit), and the saved versions of weekly reports (weekly_reports).
//
// A member's town as of E: the town of the community of their latest valid check-in on or
// before E, else of their residence community, else unknown. The per-member facts make this
// cheap: when the current check-in is on or before E, or there is none, the stored
// place_town_id is that town; only members whose current check-in is later need a look into
// their history.
// Expected and reported are the rate rules of SPEC §6, shared with the rate table (rate.ts).
import type { Expression, ExpressionBuilder, Kysely, SqlBool } from 'kysely';
import type { Database } from '../schema.js';
import { expectedOn, placedByFacts, placedByRule, townOn } from './rate.js';

/** The town name under which members with no known town are counted (also in JSON). */
export const UNKNOWN_TOWN = '未知';

export interface WeeklyRow {
  town: string;
  unit: string;
  expected: number;
  reported: number;
  newThisWeek: number;
  activities: number;
  hours: number;
  pairedCommunities: number;
}

export interface WeeklyFilter {
  start: string;
  end: string;
  /** Only this town (by id); null: only members of no known town; undefined: every town. */
  townId?: number | null;
}

interface Key { townId: number | null; unitId: number }

interface MemberFigure extends Key { expected: number; reported: number; newThisWeek: number }

/**
 * Expected, reported and new-this-week members per (town as of E, unit). Most members are
 * placed on E by their stored facts (placedByFacts): grouped by (place_town_id, unit_id), they
 * are one pass over members_town in index order, with no sort and no join (one town: one range
 * of it). The few the rule must place (a current check-in after E; placedByRule) are read
 * apart and grouped by the town the rule gives them.
 */
async function memberFigures(db: Kysely<Database>, { start, end, townId }: WeeklyFilter): Promise<MemberFigure[]> {
  // Expected members only (the queries' condition): reported is a first check-in by E.
  const figures = (eb: ExpressionBuilder<Database, 'members'>) => {
    const flag = (condition: Expression<SqlBool>) => eb.fn.sum<number>(eb.case().when(condition).then(1).else(0).end());
    return [
      eb.fn.countAll<number>().as('expected'),
      flag(eb('members.first_checkin_on', '<=', end)).as('reported'),
      flag(eb.and([eb('members.first_checkin_on', '>=', start), eb('members.first_checkin_on', '<=', end)])).as('newThisWeek'),
    ] as const;
  };
  // The same figures for the members placed by their facts, in cheaper terms (a third of this
  // pass's time): such a member with a current check-in has it on or before E, and the first
  // one is no later, so they reported by E exactly when they have a current check-in; one with
  // none has no check-in by E (placedByFacts).
  const figuresByFacts = (eb: ExpressionBuilder<Database, 'members'>) =>
    [
      eb.fn.countAll<number>().as('expected'),
      eb.fn.count<number>('members.current_checkin_on').as('reported'),
      eb.fn
        .countAll<number>()
        .filterWhere((w) => w.and([w('members.current_checkin_on', 'is not', null), w('members.first_checkin_on', '>=', start)]))
        .as('newThisWeek'),
    ] as const;
  let byFacts = db
    .selectFrom('members')
    .where((eb) => expectedOn(eb, end))
    .where((eb) => placedByFacts(eb, end));
  if (townId !== undefined) byFacts = byFacts.where('members.place_town_id', townId === null ? 'is' : '=', townId);
  const rows: Array<{ townId: unknown; unitId: unknown; expected: unknown; reported: unknown; newThisWeek: unknown }> = await byFacts
    .select((eb) => ['members.place_town_id as townId', 'members.unit_id as unitId', ...figuresByFacts(eb)])
    .groupBy(['members.place_town_id', 'members.unit_id'])
    .execute();
  // Placed by the rule: in any town, whichever is asked for (weeklyFigures keeps the ones wanted).
  const communities = await db.selectFrom('communities').select('id').execute();
  for (const part of await placedByRule(db, end, communities.map((c) => c.id))) {
    const ruled = await part
      .select((eb) => [townOn(eb, end).as('townId'), 'members.unit_id as unitId', ...figures(eb)])
      .groupBy(['townId', 'members.unit_id'])
      .execute();
    for (const row of ruled) rows.push(row); // (a week long ago: too many to spread)
  }
  // Numbers as numbers whichever driver gave them, in place: there may be 100,000 rows.
  for (const r of rows) {
    r.townId = r.townId === null ? null : Number(r.townId);
    r.unitId = Number(r.unitId);
    r.expected = Number(r.expected);
    r.reported = Number(r.reported ?? 0);
    r.newThisWeek = Number(r.newThisWeek ?? 0);
  }
  return rows as MemberFigure[];
}

/** Activities dated S..E per (town of the activity's community, unit of the member); one town:
 * its communities' only. */
async function activityFigures(db: Kysely<Database>, { start, end, townId }: WeeklyFilter) {
  let query = db
    .selectFrom('activities as a')
    .innerJoin('communities as c', 'c.id', 'a.community_id')
    .innerJoin('members as m', 'm.id', 'a.member_id')
    .where('a.date', '>=', start)
    .where('a.date', '<=', end);
  if (typeof townId === 'number') query = query.where('c.town_id', '=', townId);
  const rows = await query
    .select((eb) => [
      'c.town_id as townId',
      'm.unit_id as unitId',
      eb.fn.countAll<number>().as('activities'),
      eb.fn.sum<number>(eb.fn.coalesce('a.hours', eb.lit(0))).as('hours'),
    ])
    .groupBy(['c.town_id', 'm.unit_id'])
    .execute();
  return rows.map((r) => ({ townId: Number(r.townId), unitId: Number(r.unitId), activities: Number(r.activities), hours: Number(r.hours ?? 0) }));
}

/** Distinct paired communities per (town, unit), pairings dated on or before E (undated: always). */
async function pairingFigures(db: Kysely<Database>, { end }: WeeklyFilter) {
  const rows = await db
    .selectFrom('pairings as p')
    .innerJoin('communities as c', 'c.id', 'p.community_id')
    .innerJoin('orgs as o', 'o.id', 'p.org_id')
    .where((eb) => eb.or([eb('p.date', 'is', null), eb('p.date', '<=', end)]))
    .select((eb) => ['c.town_id as townId', 'o.unit_id as unitId', eb.fn.count<number>('p.community_id').distinct().as('paired')])
    .groupBy(['c.town_id', 'o.unit_id'])
    .execute();
  return rows.map((r) => ({ townId: Number(r.townId), unitId: Number(r.unitId), paired: Number(r.paired) }));
}

/** Code-point order, as the samples' tables are sorted; the unknown town last. */
export function compareWeeklyRows(a: Pick<WeeklyRow, 'town' | 'unit'>, b: Pick<WeeklyRow, 'town' | 'unit'>): number {
  const unknown = Number(a.town === UNKNOWN_TOWN) - Number(b.town === UNKNOWN_TOWN);
  if (unknown !== 0) return unknown;
  if (a.town !== b.town) return a.town < b.town ? -1 : 1;
  return a.unit < b.unit ? -1 : a.unit > b.unit ? 1 : 0;
}

/** Every (town, unit) with any non-zero figure for the week, sorted by town then unit. */
export async function weeklyFigures(db: Kysely<Database>, filter: WeeklyFilter): Promise<WeeklyRow[]> {
  const [members, activities, pairings, towns, units] = await Promise.all([
    memberFigures(db, filter),
    activityFigures(db, filter),
    pairingFigures(db, filter),
    db.selectFrom('towns').select(['id', 'name']).execute(),
    db.selectFrom('units').select(['id', 'name']).execute(),
  ]);
  const townName = new Map(towns.map((t) => [t.id, t.name]));
  const unitName = new Map(units.map((u) => [u.id, u.name]));
  // Rows by town, then by unit (no composite text keys: there may be 100,000 rows); the rows
  // of the towns asked for are also listed as they are made.
  const rows = new Map<number | null, Map<number, WeeklyRow>>();
  const listed: WeeklyRow[] = [];
  const wanted = (k: Key) => filter.townId === undefined || k.townId === filter.townId;
  const rowFor = (k: Key) => {
    let units = rows.get(k.townId);
    if (!units) rows.set(k.townId, (units = new Map()));
    let row = units.get(k.unitId);
    if (!row) {
      row = {
        town: k.townId === null ? UNKNOWN_TOWN : townName.get(k.townId) ?? UNKNOWN_TOWN,
        unit: unitName.get(k.unitId) ?? String(k.unitId),
        expected: 0,
        reported: 0,
        newThisWeek: 0,
        activities: 0,
        hours: 0,
        pairedCommunities: 0,
      };
      units.set(k.unitId, row);
      if (wanted(k)) listed.push(row);
    }
    return row;
  };
  // A (town, unit) may come from more than one part of memberFigures: summed.
  for (const m of members) {
    const row = rowFor(m);
    row.expected += m.expected;
    row.reported += m.reported;
    row.newThisWeek += m.newThisWeek;
  }
  for (const a of activities) {
    const row = rowFor(a);
    row.activities = a.activities;
    row.hours = a.hours;
  }
  for (const p of pairings) rowFor(p).pairedCommunities = p.paired;

  const shown = listed.filter((r) => r.expected || r.reported || r.newThisWeek || r.activities || r.hours || r.pairedCommunities);
  return sortedWeeklyRows(shown);
}

/**
 * The rows in compareWeeklyRows order, sorted by number: each town and unit name is ranked once
 * (a few thousand names), then the rows by (town rank, unit rank), which is the same order as
 * comparing their names, at a fraction of the cost for a hundred thousand rows.
 */
function sortedWeeklyRows(rows: WeeklyRow[]): WeeklyRow[] {
  const ranks = (names: Iterable<string>, compare: (a: string, b: string) => number) => {
    const sorted = [...new Set(names)].sort(compare);
    const rank = new Map<string, number>();
    sorted.forEach((name, i) => rank.set(name, i > 0 && compare(sorted[i - 1], name) === 0 ? rank.get(sorted[i - 1])! : i));
    return rank;
  };
  const townRank = ranks(
    rows.map((r) => r.town),
    (a, b) => compareWeeklyRows({ town: a, unit: '' }, { town: b, unit: '' }),
  );
  const unitRank = ranks(
    rows.map((r) => r.unit),
    (a, b) => (a < b ? -1 : a > b ? 1 : 0),
  );
  // Key and position in one number: (town rank × units + unit rank) × rows + position, well
  // within a double's exact integers; the position also keeps equal keys in their order.
  const keys = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) keys[i] = (townRank.get(rows[i].town)! * unitRank.size + unitRank.get(rows[i].unit)!) * rows.length + i;
  keys.sort();
  const out = new Array<WeeklyRow>(rows.length);
  for (let i = 0; i < keys.length; i++) out[i] = rows[keys[i] % rows.length];
  return out;
}

// ---- saved weekly reports ----------------------------------------------------------------

export interface SavedWeeklyReport {
  id: number;
  week: string;
  /** '' for the all-towns report, else the town's name. */
  town: string;
  savedAt: string;
  current: boolean;
  data: string;
}

function toSaved(r: { id: number; week: string; town: string; saved_at: string; current: number; data: string }): SavedWeeklyReport {
  return { id: r.id, week: r.week, town: r.town, savedAt: r.saved_at, current: r.current === 1, data: r.data };
}

/** The version in force for (week, scope), if any. */
export async function findSavedWeek(db: Kysely<Database>, week: string, town: string): Promise<SavedWeeklyReport | undefined> {
  const row = await db.selectFrom('weekly_reports').selectAll().where('week', '=', week).where('town', '=', town).where('current', '=', 1).executeTakeFirst();
  return row && toSaved(row);
}

/** Store a new version for (week, scope): earlier versions stay, marked not current. */
export async function saveWeeklyReport(db: Kysely<Database>, report: { week: string; town: string; savedAt: string; data: string }): Promise<number> {
  await db.updateTable('weekly_reports').set({ current: 0 }).where('week', '=', report.week).where('town', '=', report.town).where('current', '=', 1).execute();
  const result = await db
    .insertInto('weekly_reports')
    .values({ week: report.week, town: report.town, saved_at: report.savedAt, current: 1, data: report.data })
    .executeTakeFirstOrThrow();
  return Number(result.insertId);
}

/** Every saved version, newest week first; `towns` limits the scopes. */
export async function listSavedWeeks(db: Kysely<Database>, towns?: string[]): Promise<SavedWeeklyReport[]> {
  let query = db.selectFrom('weekly_reports').selectAll();
  if (towns) query = query.where('town', 'in', towns.length ? towns : ['\u0000']);
  const rows = await query.orderBy('week', 'desc').orderBy('town').orderBy('id', 'desc').execute();
  return rows.map(toSaved);
}

/** The latest saved week before `week` (current versions of the given scopes; ISO week
 * labels sort as text). The first scope wins a tie. */
export async function previousSavedWeek(db: Kysely<Database>, week: string, towns: string[]): Promise<SavedWeeklyReport | undefined> {
  const rows = await db
    .selectFrom('weekly_reports')
    .selectAll()
    .where('week', '<', week)
    .where('town', 'in', towns)
    .where('current', '=', 1)
    .orderBy('week', 'desc')
    .execute();
  if (rows.length === 0) return undefined;
  const latest = rows.filter((r) => r.week === rows[0].week);
  latest.sort((a, b) => towns.indexOf(a.town) - towns.indexOf(b.town));
  return toSaved(latest[0]);
}
