// The counts behind the rate table (SPEC §6), aggregated in SQL in one pass over members using
// the per-member facts (first_checkin_on, current_checkin_on, current_community_id), so that a
// city of a million members is one scan, not a loop in JavaScript.
import type { AliasableExpression, Expression, ExpressionBuilder, Kysely, SqlBool } from 'kysely';
import type { Database } from '../schema.js';

/** Integer counts of one group (an organisation, a unit, a town, a category). */
export interface RateCounts {
  expected: number;
  reported: number;
  /** Reported members with fewer activities in the calendar year than the minimum. */
  shortfall: number;
}

export const ZERO_COUNTS: Readonly<RateCounts> = Object.freeze({ expected: 0, reported: 0, shortfall: 0 });

export function addCounts(a: RateCounts, b: RateCounts): RateCounts {
  return { expected: a.expected + b.expected, reported: a.reported + b.reported, shortfall: a.shortfall + b.shortfall };
}

// The expressions below take a builder over any query that has the members table under
// `table` (listing.ts aliases it as m), so the roster rule is written once.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the caller's query shape varies
type AnyBuilder = ExpressionBuilder<any, any>;

/**
 * Expected to report on D (应报到): on the roster on D and not exempt. A departed member counts
 * until their departure date (a member who left on 2026-09-30 was expected on 2026-06-30); a
 * departed member without a date is off the roster.
 */
export function expectedOn(eb: AnyBuilder, asOf: string, table = 'members'): Expression<SqlBool> {
  const col = (name: string) => eb.ref(`${table}.${name}`);
  return eb.and([
    eb(col('status_kind'), '!=', 'exempt'),
    eb.or([eb(col('departed_on'), '>', asOf), eb.and([eb(col('departed_on'), 'is', null), eb(col('status_kind'), '!=', 'departed')])]),
  ]);
}

/** Reported by D (已报到): expected, with a valid (not voided) check-in dated on or before D. */
export function reportedOn(eb: AnyBuilder, asOf: string, table = 'members'): Expression<SqlBool> {
  return eb.and([expectedOn(eb, asOf, table), eb(eb.ref(`${table}.first_checkin_on`), '<=', asOf)]);
}

/**
 * The community that places a member on D (SPEC §7 town rule): the community of the latest
 * valid check-in on or before D — the current one when it is not later than D, else looked up
 * in the history — else the residence community. Its town is the member's town on D.
 */
export function communityOn(eb: AnyBuilder, asOf: string, table = 'members'): AliasableExpression<number | null> {
  const col = (name: string) => eb.ref(`${table}.${name}`);
  return eb
    .case()
    .when(col('current_checkin_on'), '<=', asOf)
    .then(col('current_community_id'))
    .when(col('first_checkin_on'), '<=', asOf)
    .then(
      eb
        .selectFrom('checkins as history')
        .select('history.community_id')
        .whereRef('history.member_id', '=', col('id'))
        .where('history.voided_at', 'is', null)
        .where('history.date', '<=', asOf)
        .orderBy('history.date', 'desc')
        .orderBy('history.id', 'desc')
        .limit(1),
    )
    .else(col('residence_community_id'))
    .end();
}

export interface RateQuery {
  asOf: string;
  /** Activities a reported member should have in the calendar year of asOf; 0 turns the check off. */
  minActivities: number;
}

/**
 * One row per member: the flags expected / reported / short of activities (0 or 1) and the
 * grouping keys. Only members expected on D unless allMembers (the org table also needs to know
 * which organisations have members of their own at all).
 */
function memberFlags(db: Kysely<Database>, q: RateQuery, options: { allMembers: boolean; town: boolean }) {
  // The year is matched on its text rather than as a date range: a range would lead SQLite to
  // the activities_date index and a lookup per activity row, where reading the (member, date, …)
  // key index in member order, as it does this way, is one sequential pass.
  const activityCounts = db
    .selectFrom('activities')
    .select(['activities.member_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where((eb) => eb(eb.fn('substr', ['activities.date', eb.lit(1), eb.lit(4)]), '=', q.asOf.slice(0, 4)))
    .where('activities.date', '<=', q.asOf)
    .groupBy('activities.member_id')
    .as('a');

  // Without a minimum there is nothing to join: the shortfall is 0 for everyone.
  const members = q.minActivities > 0 ? db.selectFrom('members').leftJoin(activityCounts, 'a.member_id', 'members.id') : db.selectFrom('members');
  let query = members
    .select((eb) => {
      const expected = expectedOn(eb, q.asOf);
      const reported = reportedOn(eb, q.asOf);
      const short =
        // a.n exists only on the joined branch, the one taken when there is a minimum.
        q.minActivities > 0 ? eb.and([reported, eb(eb.fn.coalesce((eb as AnyBuilder).ref('a.n'), eb.val(0)), '<', q.minActivities)]) : eb.lit(false);
      return [
        // org_id + 0, not org_id: grouping by the bare column makes SQLite walk the members_org
        // index and fetch every member row out of order; this way it scans the table once.
        eb('members.org_id', '+', eb.lit(0)).as('org_id'),
        'members.category as category',
        eb.case().when(expected).then(1).else(0).end().as('e'),
        eb.case().when(reported).then(1).else(0).end().as('r'),
        eb.case().when(short).then(1).else(0).end().as('s'),
        (options.town ? communityOn(eb, q.asOf) : eb.val<number | null>(null)).as('community_id'),
      ];
    });
  if (!options.allMembers) query = query.where((eb) => expectedOn(eb, q.asOf));
  return query.as('f');
}

function toCounts(row: { e: unknown; r: unknown; s: unknown }): RateCounts {
  return { expected: Number(row.e ?? 0), reported: Number(row.r ?? 0), shortfall: Number(row.s ?? 0) };
}

/** Counts of each organisation's own members (not rolled up), for every organisation that has
 * at least one member row of its own, whatever their status. */
export async function countsByOrg(db: Kysely<Database>, q: RateQuery): Promise<Map<number, RateCounts>> {
  const rows = await db
    .selectFrom(memberFlags(db, q, { allMembers: true, town: false }))
    .select((eb) => ['f.org_id', eb.fn.sum<number>('f.e').as('e'), eb.fn.sum<number>('f.r').as('r'), eb.fn.sum<number>('f.s').as('s')])
    .groupBy('f.org_id')
    .execute();
  return new Map(rows.map((row) => [row.org_id, toCounts(row)]));
}

/** Counts by 管理类别 (null: not given), expected members only. */
export async function countsByCategory(db: Kysely<Database>, q: RateQuery): Promise<Map<string | null, RateCounts>> {
  const rows = await db
    .selectFrom(memberFlags(db, q, { allMembers: false, town: false }))
    .select((eb) => ['f.category', eb.fn.sum<number>('f.e').as('e'), eb.fn.sum<number>('f.r').as('r'), eb.fn.sum<number>('f.s').as('s')])
    .groupBy('f.category')
    .execute();
  return new Map(rows.map((row) => [row.category, toCounts(row)]));
}

/** Counts by the member's town as of D (null: no known town), expected members only. */
export async function countsByTown(db: Kysely<Database>, q: RateQuery): Promise<Map<number | null, RateCounts>> {
  const rows = await db
    .selectFrom(memberFlags(db, q, { allMembers: false, town: true }))
    .leftJoin('communities', 'communities.id', 'f.community_id')
    .select((eb) => ['communities.town_id', eb.fn.sum<number>('f.e').as('e'), eb.fn.sum<number>('f.r').as('r'), eb.fn.sum<number>('f.s').as('s')])
    .groupBy('communities.town_id')
    .execute();
  return new Map(rows.map((row) => [row.town_id, toCounts(row)]));
}

export async function townNames(db: Kysely<Database>): Promise<Map<number, string>> {
  const rows = await db.selectFrom('towns').select(['id', 'name']).execute();
  return new Map(rows.map((row) => [row.id, row.name]));
}
