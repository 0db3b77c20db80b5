// The figures of the town weekly report (SPEC §7) for a week S..E, aggregated in SQL per
// (town, unit), and the saved versions of weekly reports (weekly_reports).
//
// A member's town as of E: the town of the community of their latest valid check-in on or
// before E, else of their residence community, else unknown. The per-member facts make this
// cheap: when the current check-in is on or before E it is that latest one; only members who
// had reported by E but whose current check-in is later need a look into their history.
// Expected and reported are the rate rules of SPEC §6, shared with the rate table (rate.ts).
import type { ExpressionBuilder, Kysely, SelectQueryBuilder } from 'kysely';
import type { Database } from '../schema.js';
import { communityOn, expectedOn, reportedOn } from './rate.js';

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
/** A member's row in memberFigures: where they are counted, and the flags counted. */
interface MemberRow { townId: number | null; unitId: number; reported: number; isNew: number }

/**
 * Expected, reported and new-this-week members per (town as of E, unit). The community that
 * places a member on E (communityOn) is taken in three exact parts, as for the rate table by
 * town (rate.ts countsByCommunity): members whose current check-in is on or before E, by it;
 * members with no check-in, by residence; the rest by the general rule (few unless E is long
 * ago). They are read town by town through members_place (a town's communities are ranges of
 * that index), so each grouping sorts one town's members rather than a million at once:
 * faster, and the memory it takes is bounded by the largest town.
 */
async function memberFigures(db: Kysely<Database>, { start, end, townId }: WeeklyFilter): Promise<MemberFigure[]> {
  type Builder = ExpressionBuilder<Database & { m: Database['members'] } & { o: Database['orgs'] }, 'm' | 'o'>;
  const members = () =>
    db
      .selectFrom('members as m')
      .innerJoin('orgs as o', 'o.id', 'm.org_id')
      .where((eb) => expectedOn(eb, end, 'm'));
  /** One row per member: the flags counted. */
  const flags = (eb: Builder) =>
    [
      'o.unit_id as unitId',
      eb.case().when(reportedOn(eb, end, 'm')).then(1).else(0).end().as('reported'),
      eb.case().when(eb.and([eb('m.first_checkin_on', '>=', start), eb('m.first_checkin_on', '<=', end)])).then(1).else(0).end().as('isNew'),
    ] as const;
  // Typed: PostgreSQL takes an untyped parameter for text, and will not union it with a town id.
  const knownTown = (eb: Builder, town: number | null) => eb.cast<number | null>(eb.val(town), 'integer').as('townId');
  // Looked up in place: joining the computed community outside would let SQLite re-evaluate
  // the expression per use.
  const townByRule = (eb: Builder) => eb.selectFrom('communities as placed').select('placed.town_id').where('placed.id', '=', communityOn(eb, end, 'm')).as('townId');
  const isCommunity = (ids: number[] | null) => (ids ? ('in' as const) : ('is' as const));

  /**
   * The members whose current check-in, or else whose residence, is one of these communities
   * (null: none), grouped by (town, unit): placed in `town` by the current check-in when it is
   * on or before E, or by residence when they have none; by the rule when the current one is
   * later. With `rule` false the last part is left to the caller.
   */
  const placedIn = async (communityIds: number[] | null, town: number | null, rule: boolean) => {
    const byCurrent = members()
      .where('m.current_community_id', isCommunity(communityIds), communityIds)
      .where('m.current_checkin_on', '<=', end)
      .select((eb) => [knownTown(eb, town), ...flags(eb)]);
    const byResidence = members()
      .where('m.current_community_id', 'is', null)
      .where('m.current_checkin_on', 'is', null)
      .where('m.residence_community_id', isCommunity(communityIds), communityIds)
      .where((eb) => eb.or([eb('m.first_checkin_on', 'is', null), eb('m.first_checkin_on', '>', end)]))
      .select((eb) => [knownTown(eb, town), ...flags(eb)]);
    // Two parts, each a range of members_place (an OR of the two would read every member of
    // the communities again).
    const byRule = members()
      .where('m.current_community_id', isCommunity(communityIds), communityIds)
      .where('m.current_checkin_on', '>', end)
      .select((eb) => [townByRule(eb), ...flags(eb)]);
    // No current check-in date but another fact of one: never written so, but counted exactly
    // all the same.
    let undated = members().where('m.current_community_id', isCommunity(communityIds), communityIds).where('m.current_checkin_on', 'is', null);
    // With no current community either, only a first check-in by E calls for the rule (the
    // others are placed by residence above).
    if (!communityIds) undated = undated.where('m.first_checkin_on', '<=', end);
    const byRuleUndated = undated.select((eb) => [townByRule(eb), ...flags(eb)]);
    const parts = rule ? byCurrent.unionAll(byResidence).unionAll(byRule).unionAll(byRuleUndated) : byCurrent.unionAll(byResidence);
    return grouped(parts);
  };

  const grouped = async (parts: SelectQueryBuilder<Database & { m: Database['members'] } & { o: Database['orgs'] }, 'm' | 'o', MemberRow>) => {
    const rows = await db
      .selectFrom(parts.as('x'))
      .select((eb) => [
        'x.townId',
        'x.unitId',
        eb.fn.countAll<number>().as('expected'),
        eb.fn.sum<number>('x.reported').as('reported'),
        eb.fn.sum<number>('x.isNew').as('newThisWeek'),
      ])
      .groupBy(['x.townId', 'x.unitId'])
      .execute();
    return rows.map(
      (r): MemberFigure => ({
        townId: r.townId === null ? null : Number(r.townId),
        unitId: Number(r.unitId),
        expected: Number(r.expected),
        reported: Number(r.reported ?? 0),
        newThisWeek: Number(r.newThisWeek ?? 0),
      }),
    );
  };

  const communities = await db.selectFrom('communities').select(['id', 'town_id']).orderBy('id').execute();
  const communitiesOf = new Map<number, number[]>();
  for (const c of communities) {
    const ids = communitiesOf.get(c.town_id);
    if (ids) ids.push(c.id);
    else communitiesOf.set(c.town_id, [c.id]);
  }
  const out: MemberFigure[] = [];
  if (townId === undefined) {
    // Every town: each member is read once, with the town of their current check-in or
    // residence; the rule may place them elsewhere.
    for (const [town, ids] of communitiesOf) out.push(...(await placedIn(ids, town, true)));
    out.push(...(await placedIn(null, null, true)));
  } else {
    // One town: members the rule places there may be read under any community.
    const ids = townId === null ? null : communitiesOf.get(townId) ?? [];
    if (ids === null || ids.length > 0) out.push(...(await placedIn(ids, townId, false)));
    const byRule = members()
      .where((eb) =>
        eb.or([
          eb('m.current_checkin_on', '>', end),
          eb.and([eb('m.current_checkin_on', 'is', null), eb.or([eb('m.current_community_id', 'is not', null), eb('m.first_checkin_on', '<=', end)])]),
        ]),
      )
      .select((eb) => [townByRule(eb), ...flags(eb)]);
    out.push(...(await grouped(byRule)));
  }
  return out;
}

/** Activities dated S..E per (town of the activity's community, unit of the member). */
async function activityFigures(db: Kysely<Database>, { start, end }: WeeklyFilter) {
  const rows = await db
    .selectFrom('activities as a')
    .innerJoin('communities as c', 'c.id', 'a.community_id')
    .innerJoin('members as m', 'm.id', 'a.member_id')
    .innerJoin('orgs as o', 'o.id', 'm.org_id')
    .where('a.date', '>=', start)
    .where('a.date', '<=', end)
    .select((eb) => [
      'c.town_id as townId',
      'o.unit_id as unitId',
      eb.fn.countAll<number>().as('activities'),
      eb.fn.sum<number>(eb.fn.coalesce('a.hours', eb.lit(0))).as('hours'),
    ])
    .groupBy(['c.town_id', 'o.unit_id'])
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

  return listed.filter((r) => r.expected || r.reported || r.newThisWeek || r.activities || r.hours || r.pairedCommunities).sort(compareWeeklyRows);
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
