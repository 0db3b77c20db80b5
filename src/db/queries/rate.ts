// The counts behind the rate table (SPEC §6), aggregated in SQL in one pass over members using
// the per-member facts (first_checkin_on, current_checkin_on, current_community_id,
// place_town_id), so that a city of a million members is one scan, not a loop in JavaScript.
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
  return eb.and([eb(eb.ref(`${table}.status_kind`), '!=', 'exempt'), onRosterOn(eb, asOf, table)]);
}

/** On the roster on D: not departed on or before D (exempt members stay on the roster). */
export function onRosterOn(eb: AnyBuilder, asOf: string, table = 'members'): Expression<SqlBool> {
  const col = (name: string) => eb.ref(`${table}.${name}`);
  return eb.or([eb(col('departed_on'), '>', asOf), eb.and([eb(col('departed_on'), 'is', null), eb(col('status_kind'), '!=', 'departed')])]);
}

/** Reported by D (已报到): expected, with a valid (not voided) check-in dated on or before D. */
export function reportedOn(eb: AnyBuilder, asOf: string, table = 'members'): Expression<SqlBool> {
  return eb.and([expectedOn(eb, asOf, table), eb(eb.ref(`${table}.first_checkin_on`), '<=', asOf)]);
}

/** The member's latest valid check-in dated on or before D, looked up in the history: the
 * query, for the caller to select from (latest first, one row). */
function latestCheckinBy(eb: AnyBuilder, asOf: string, table: string) {
  return eb
    .selectFrom('checkins as history')
    .whereRef('history.member_id', '=', eb.ref(`${table}.id`))
    .where('history.voided_at', 'is', null)
    .where('history.date', '<=', asOf)
    .orderBy('history.date', 'desc')
    .orderBy('history.id', 'desc')
    .limit(1);
}

/**
 * The community that places a member on D (SPEC §7 town rule): the community of the latest
 * valid check-in on or before D — the current one when it is not later than D, else looked up
 * in the history — else the residence community. Its town is the member's town on D.
 */
export function communityOn(eb: AnyBuilder, asOf: string, table = 'members'): AliasableExpression<number | null> {
  return checkinAsOf(eb, asOf, table, 'current_community_id', 'history.community_id').else(eb.ref(`${table}.residence_community_id`)).end();
}

/** The community of the member's check-in as of D (the latest valid one dated on or before D),
 * or null when they had not reported by D (a CASE without ELSE). */
export function checkinCommunityOn(eb: AnyBuilder, asOf: string, table = 'members'): AliasableExpression<number | null> {
  return checkinAsOf(eb, asOf, table, 'current_community_id', 'history.community_id').end();
}

/** The date of the member's check-in as of D (see checkinCommunityOn), or null. */
export function checkinDateOn(eb: AnyBuilder, asOf: string, table = 'members'): AliasableExpression<string | null> {
  return checkinAsOf(eb, asOf, table, 'current_checkin_on', 'history.date').end();
}

/** A column of the member's check-in as of D: of the current one when it is not later than D,
 * else of the latest valid one by D in the history (the CASE open for an ELSE). */
function checkinAsOf(eb: AnyBuilder, asOf: string, table: string, current: 'current_community_id' | 'current_checkin_on', history: 'history.community_id' | 'history.date') {
  const col = (name: string) => eb.ref(`${table}.${name}`);
  return eb
    .case()
    .when(col('current_checkin_on'), '<=', asOf)
    .then(col(current))
    .when(col('first_checkin_on'), '<=', asOf)
    .then(latestCheckinBy(eb, asOf, table).select(history));
}

export interface RateQuery {
  asOf: string;
  /** Activities a reported member should have in the calendar year of asOf; 0 turns the check off. */
  minActivities: number;
}

/** Activities per member in the calendar year of asOf, up to asOf: joined as `a`. */
function activityCounts(db: Kysely<Database>, q: RateQuery) {
  // The year is matched on its text rather than as a date range: a range would lead SQLite to
  // the activities_date index and a lookup per activity row, where reading the (member, date, …)
  // key index in member order, as it does this way, is one sequential pass.
  return db
    .selectFrom('activities')
    .select(['activities.member_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where((eb) => eb(eb.fn('substr', ['activities.date', eb.lit(1), eb.lit(4)]), '=', q.asOf.slice(0, 4)))
    .where('activities.date', '<=', q.asOf)
    .groupBy('activities.member_id');
}

/** Members, with their activity count `a.n` joined when there is a minimum to check. */
function membersWithActivities(db: Kysely<Database>, q: RateQuery) {
  // Without a minimum there is nothing to join: the shortfall is 0 for everyone.
  return q.minActivities > 0 ? db.selectFrom('members').leftJoin(activityCounts(db, q).as('a'), 'a.member_id', 'members.id') : db.selectFrom('members');
}

/** The sums e (expected), r (reported) and s (reported, short of activities) over the members
 * of a group, for a query built by membersWithActivities. */
function countSums(eb: AnyBuilder, q: RateQuery) {
  const flag = (condition: Expression<SqlBool>) => eb.fn.sum<number>(eb.case().when(condition).then(1).else(0).end());
  const reported = reportedOn(eb, q.asOf);
  const short = q.minActivities > 0 ? eb.and([reported, eb(eb.fn.coalesce(eb.ref('a.n'), eb.val(0)), '<', q.minActivities)]) : undefined;
  return [
    flag(expectedOn(eb, q.asOf)).as('e'),
    flag(reported).as('r'),
    (short ? flag(short) : eb.cast<number>(eb.val(0), 'integer')).as('s'),
  ] as const;
}

function toCounts(row: { e: unknown; r: unknown; s: unknown }): RateCounts {
  return { expected: Number(row.e ?? 0), reported: Number(row.r ?? 0), shortfall: Number(row.s ?? 0) };
}

/** Counts of each organisation's own members (not rolled up), for every organisation that has
 * members of its own on the roster on D, exempt ones included (its members all gone before D, it
 * is no longer one with members of its own: SPEC §6). */
export async function countsByOrg(db: Kysely<Database>, q: RateQuery): Promise<Map<number, RateCounts>> {
  if (q.minActivities === 0) return countsByOrgAndStatus(db, q);
  // Grouped by the bare org_id: SQLite reads the members_org index (org_id and the roster
  // columns) in order, one pass with no sort and no look-up into the table.
  const rows = await membersWithActivities(db, q)
    .select((eb) => ['members.org_id', ...countSums(eb, q)])
    .groupBy('members.org_id')
    .having((eb) => eb.fn.sum(eb.case().when(onRosterOn(eb, q.asOf)).then(1).else(0).end()), '>', 0)
    .execute();
  return new Map(rows.map((row) => [row.org_id, toCounts(row)]));
}

/**
 * countsByOrg without an activity minimum: grouped by organisation and the roster columns
 * (status, departure), which come in that order in members_org, so the roster rule is
 * evaluated once per group rather than once per member; the groups are then summed by
 * organisation.
 */
async function countsByOrgAndStatus(db: Kysely<Database>, q: RateQuery): Promise<Map<number, RateCounts>> {
  const groups = db
    .selectFrom('members')
    .select((eb) => {
      const expected = expectedOn(eb, q.asOf);
      const checkedIn = eb.fn.sum<number>(eb.case().when('members.first_checkin_on', '<=', q.asOf).then(1).else(0).end());
      return [
        'members.org_id',
        eb.case().when(expected).then(eb.fn.countAll<number>()).else(0).end().as('e'),
        eb.case().when(expected).then(checkedIn).else(0).end().as('r'),
        eb.case().when(onRosterOn(eb, q.asOf)).then(1).else(0).end().as('o'),
      ];
    })
    .groupBy(['members.org_id', 'members.status_kind', 'members.departed_on']);
  const rows = await db
    .selectFrom(groups.as('g'))
    .select((eb) => ['g.org_id', eb.fn.sum<number>('g.e').as('e'), eb.fn.sum<number>('g.r').as('r'), eb.cast<number>(eb.val(0), 'integer').as('s')])
    .groupBy('g.org_id')
    .having((eb) => eb.fn.max('g.o'), '>', 0)
    .execute();
  return new Map(rows.map((row) => [row.org_id, toCounts(row)]));
}

/** Counts by 管理类别 (null: not given), expected members only. */
export async function countsByCategory(db: Kysely<Database>, q: RateQuery): Promise<Map<string | null, RateCounts>> {
  const rows = await membersWithActivities(db, q)
    .where((eb) => expectedOn(eb, q.asOf))
    .select((eb) => ['members.category', ...countSums(eb, q)])
    .groupBy('members.category')
    .execute();
  return new Map(rows.map((row) => [row.category, toCounts(row)]));
}

/**
 * Whether the member's stored facts place them on D (SPEC §7 town rule), so that
 * members.place_town_id is their town on D: a current check-in on or before D (the latest one
 * by D), or no check-in at all (placed by residence). Together with the two parts of
 * placedByRule, every member exactly once.
 */
export function placedByFacts(eb: AnyBuilder, asOf: string, table = 'members'): Expression<SqlBool> {
  const col = (name: string) => eb.ref(`${table}.${name}`);
  return eb.or([
    eb(col('current_checkin_on'), '<=', asOf),
    eb.and([
      eb(col('current_checkin_on'), 'is', null),
      eb(col('current_community_id'), 'is', null),
      eb.or([eb(col('first_checkin_on'), 'is', null), eb(col('first_checkin_on'), '>', asOf)]),
    ]),
  ]);
}

/** The town that places a member on D by the general rule (communityOn), looked up in place:
 * joining the computed community outside would let SQLite evaluate it again per use. */
export function townOn(eb: AnyBuilder, asOf: string, table = 'members') {
  return eb.selectFrom('communities as placed').select('placed.town_id').where('placed.id', '=', communityOn(eb, asOf, table));
}

/**
 * The expected members on D whom placedByFacts leaves to the general rule, found without
 * reading every member when they are few, as queries on members (the caller selects and
 * groups):
 * - a current check-in after D: exactly the members with a valid check-in dated after D. For a
 *   recent D they are found through checkins_community_date (one range per community); for a D
 *   long ago, when check-ins after D are many (over one per 16 members: counted in that index
 *   alone), by reading the members, which is then cheaper than a look-up per check-in;
 * - no current check-in date but a first check-in or a current community: a state no writer
 *   leaves, found through the partial index members_undated (empty), counted exactly all the
 *   same.
 * `communityIds`: every community (a check-in's community is one of them).
 */
export async function placedByRule(db: Kysely<Database>, asOf: string, communityIds: number[]) {
  const expected = (eb: AnyBuilder) => expectedOn(eb, asOf);
  const undated = db
    .selectFrom('members')
    // As members_undated states it, then what the rule needs of them.
    .where('members.current_checkin_on', 'is', null)
    .where((eb) => eb.or([eb('members.current_community_id', 'is not', null), eb('members.first_checkin_on', 'is not', null)]))
    .where((eb) => eb.or([eb('members.current_community_id', 'is not', null), eb('members.first_checkin_on', '<=', asOf)]))
    .where(expected);
  if (communityIds.length === 0) return [undated];
  const checkinsAfter = db.selectFrom('checkins').where('checkins.community_id', 'in', communityIds).where('checkins.date', '>', asOf);
  const [after, members] = await Promise.all([
    checkinsAfter.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst(),
    // The highest id: as many members as that at most, found at once.
    db.selectFrom('members').select((eb) => eb.fn.max('members.id').as('n')).executeTakeFirst(),
  ]);
  let later = db.selectFrom('members').where('members.current_checkin_on', '>', asOf).where(expected);
  if (Number(after?.n ?? 0) * 16 <= Number(members?.n ?? 0)) {
    later = later.where('members.id', 'in', checkinsAfter.select('checkins.member_id').where('checkins.voided_at', 'is', null));
  }
  return [later, undated];
}

/**
 * Counts by the member's town as of D (SPEC §7 town rule; null: no known town), expected
 * members only. Most members are placed by their facts: grouped by place_town_id, a prefix of
 * members_town, in one pass with no sort; the few the rule places (placedByRule) are grouped
 * apart and added. With a minimum of activities every part would count every member's
 * activities again: then one pass by the general rule, sorted, counts them once.
 */
export async function countsByTown(db: Kysely<Database>, q: RateQuery): Promise<Map<number | null, RateCounts>> {
  const out = new Map<number | null, RateCounts>();
  const add = (town: unknown, counts: RateCounts) => {
    const id = town === null ? null : Number(town);
    out.set(id, addCounts(out.get(id) ?? ZERO_COUNTS, counts));
  };
  const expected = (eb: AnyBuilder) => expectedOn(eb, q.asOf);
  const communities = await db.selectFrom('communities').select(['id', 'town_id']).execute();
  if (q.minActivities > 0) {
    const townOf = new Map(communities.map((c) => [c.id, c.town_id]));
    const rows = await membersWithActivities(db, q)
      .where(expected)
      .select((eb) => [communityOn(eb, q.asOf).as('community_id'), ...countSums(eb, q)])
      .groupBy('community_id')
      .execute();
    for (const row of rows) add(row.community_id === null ? null : townOf.get(Number(row.community_id)) ?? null, toCounts(row));
    return out;
  }
  const byFacts = await db
    .selectFrom('members')
    .where(expected)
    .where((eb) => placedByFacts(eb, q.asOf))
    .select((eb) => ['members.place_town_id as town_id', ...countSums(eb, q)])
    .groupBy('members.place_town_id')
    .execute();
  for (const row of byFacts) add(row.town_id, toCounts(row));
  for (const part of await placedByRule(db, q.asOf, communities.map((c) => c.id))) {
    const rows = await part.select((eb) => [townOn(eb, q.asOf).as('town_id'), ...countSums(eb, q)]).groupBy('town_id').execute();
    for (const row of rows) add(row.town_id, toCounts(row));
  }
  return out;
}

export async function townNames(db: Kysely<Database>): Promise<Map<number, string>> {
  const rows = await db.selectFrom('towns').select(['id', 'name']).execute();
  return new Map(rows.map((row) => [row.id, row.name]));
}
