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
import { numbersThrough, type NumberReader } from '../numbers.js';
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


/** How the figures are read: `local` on the connection of `db` (through kysely when not
 * given), `helper` another thread reading the same snapshot. */
export interface WeeklyReaders { local?: NumberReader; helper?: NumberReader }

/**
 * The towns a query reads, when the report is split between two connections (weeklyFigures):
 * `from` the towns with ids from this one on, and the members the rule places (a helper's
 * share); `before` those with smaller ids and the members of no known town (the main share).
 */
interface Share { from?: number; before?: number }

/**
 * Expected, reported and new-this-week members per (town as of E, unit), as queries selecting
 * exactly (townId, unitId, expected, reported, newThisWeek). Most members are placed on E by
 * their stored facts (placedByFacts): grouped by (place_town_id, unit_id), they are one pass
 * over members_town in index order, with no sort and no join (one town, or a share of the
 * towns: one range of it). The few the rule must place (a current check-in after E;
 * placedByRule) are read apart and grouped by the town the rule gives them; in any town,
 * whichever is asked for (weeklyFigures keeps the ones wanted), and by the helper's share only.
 */
async function memberFigureQueries(db: Kysely<Database>, { start, end, townId }: WeeklyFilter, share: Share = {}) {
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
  const byFacts = db
    .selectFrom('members')
    .where((eb) => expectedOn(eb, end))
    .where((eb) => placedByFacts(eb, end));
  // Each part is one range of members_town (an OR of a range and IS NULL would read it all).
  const parts =
    townId !== undefined
      ? [byFacts.where('members.place_town_id', townId === null ? 'is' : '=', townId)]
      : share.from !== undefined
        ? [byFacts.where('members.place_town_id', '>=', share.from)]
        : share.before !== undefined
          ? [byFacts.where('members.place_town_id', '<', share.before), byFacts.where('members.place_town_id', 'is', null)]
          : [byFacts];
  const queries = parts.map((part) =>
    part.select((eb) => ['members.place_town_id as townId', 'members.unit_id as unitId', ...figuresByFacts(eb)]).groupBy(['members.place_town_id', 'members.unit_id']),
  );
  if (share.before !== undefined) return queries;
  const communities = await db.selectFrom('communities').select('id').execute();
  for (const part of await placedByRule(db, end, communities.map((c) => c.id))) {
    queries.push(part.select((eb) => [townOn(eb, end).as('townId'), 'members.unit_id as unitId', ...figures(eb)]).groupBy(['townId', 'members.unit_id']));
  }
  return queries;
}

/** Activities dated S..E per (town of the activity's community, unit of the member), as a query
 * selecting exactly (townId, unitId, activities, hours); one town (or a share of the towns):
 * its communities' only. */
function activityFigureQuery(db: Kysely<Database>, { start, end, townId }: WeeklyFilter, share: Share = {}) {
  let query = db
    .selectFrom('activities as a')
    .innerJoin('communities as c', 'c.id', 'a.community_id')
    .innerJoin('members as m', 'm.id', 'a.member_id')
    .where('a.date', '>=', start)
    .where('a.date', '<=', end);
  if (typeof townId === 'number') query = query.where('c.town_id', '=', townId);
  if (share.from !== undefined) query = query.where('c.town_id', '>=', share.from);
  if (share.before !== undefined) query = query.where('c.town_id', '<', share.before);
  return query
    .select((eb) => ['c.town_id as townId', 'm.unit_id as unitId', eb.fn.countAll<number>().as('activities'), eb.fn.sum<number>(eb.fn.coalesce('a.hours', eb.lit(0))).as('hours')])
    .groupBy(['c.town_id', 'm.unit_id']);
}

// A member of no known town: null in SQL, NaN among numbers.
const townNumber = (value: number) => (Number.isNaN(value) ? null : value);

/** Member figures (the columns of memberFigureQueries) and activity figures (those of
 * activityFigureQuery), as NumberReader gives them, into the tally. */
function tallyNumbers(tally: WeeklyTally, members: readonly Float64Array[], activities: Float64Array): void {
  for (const part of members) {
    for (let i = 0; i < part.length; i += 5) tally.addMembers(townNumber(part[i]), part[i + 1], part[i + 2], part[i + 3] || 0, part[i + 4] || 0);
  }
  for (let i = 0; i < activities.length; i += 4) tally.addActivities(activities[i], activities[i + 1], activities[i + 2], activities[i + 3] || 0);
}

/** The queries of one share of the towns: member figures, then activity figures last. */
async function shareQueries(db: Kysely<Database>, filter: WeeklyFilter, share?: Share) {
  return [...(await memberFigureQueries(db, filter, share)), activityFigureQuery(db, filter, share)];
}

/**
 * Member and activity figures of the week: read by this connection alone, or, with a helper
 * reading the same snapshot in another thread, split by town between the two, each reading its
 * own range of members_town and of the activities: the helper the towns with the higher ids
 * (two in five) and the members the rule places; this thread the others, after which it makes
 * the rows and writes them. Measured on a million members, this share gave the shortest
 * report: the helper starts some 40 ms later. Should the helper fail, its share is read here.
 */
async function tallyMembersAndActivities(db: Kysely<Database>, filter: WeeklyFilter, tally: WeeklyTally, readers: WeeklyReaders): Promise<void> {
  const local = readers.local ?? numbersThrough(db);
  const towns = readers.helper && filter.townId === undefined ? (await db.selectFrom('towns').select('id').orderBy('id').execute()).map((t) => t.id) : [];
  if (!readers.helper || towns.length < 2) {
    const numbers = await local.numbers(await shareQueries(db, filter));
    tallyNumbers(tally, numbers.slice(0, -1), numbers[numbers.length - 1]);
    return;
  }
  const from = towns[Math.floor((towns.length * 3) / 5)];
  const helperQueries = await shareQueries(db, filter, { from });
  // Asked first: the helper works while this thread reads its own share.
  const theirs = readers.helper.numbers(helperQueries);
  theirs.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
  const mine = await local.numbers(await shareQueries(db, filter, { before: from }));
  tallyNumbers(tally, mine.slice(0, -1), mine[mine.length - 1]);
  const numbers = await theirs.catch(() => local.numbers(helperQueries));
  tallyNumbers(tally, numbers.slice(0, -1), numbers[numbers.length - 1]);
}

/** Distinct paired communities per (town, unit), pairings dated on or before E (undated: always). */
async function tallyPairings(db: Kysely<Database>, { end }: WeeklyFilter, tally: WeeklyTally): Promise<void> {
  const rows = await db
    .selectFrom('pairings as p')
    .innerJoin('communities as c', 'c.id', 'p.community_id')
    .innerJoin('orgs as o', 'o.id', 'p.org_id')
    .where((eb) => eb.or([eb('p.date', 'is', null), eb('p.date', '<=', end)]))
    .select((eb) => ['c.town_id as townId', 'o.unit_id as unitId', eb.fn.count<number>('p.community_id').distinct().as('paired')])
    .groupBy(['c.town_id', 'o.unit_id'])
    .execute();
  for (const r of rows) tally.addPaired(Number(r.townId), Number(r.unitId), Number(r.paired));
}

/** Members from which a week's figures are worth splitting between two threads: below this,
 * starting the helper (about 40 ms) costs more than it saves. */
const SPLIT_MIN_MEMBERS = 100_000;

/** Whether the database is large enough for weeklyFigures to use a helper (the highest member
 * id: read at once from the end of the table, and never less than the count). */
export async function worthSplitting(db: Kysely<Database>): Promise<boolean> {
  const row = await db.selectFrom('members').select((eb) => eb.fn.max('members.id').as('last')).executeTakeFirst();
  return Number(row?.last ?? 0) >= SPLIT_MIN_MEMBERS;
}

/** Code-point order, as the samples' tables are sorted; the unknown town last. */
export function compareWeeklyRows(a: Pick<WeeklyRow, 'town' | 'unit'>, b: Pick<WeeklyRow, 'town' | 'unit'>): number {
  const unknown = Number(a.town === UNKNOWN_TOWN) - Number(b.town === UNKNOWN_TOWN);
  if (unknown !== 0) return unknown;
  if (a.town !== b.town) return a.town < b.town ? -1 : 1;
  return a.unit < b.unit ? -1 : a.unit > b.unit ? 1 : 0;
}

const FIELDS = 6; // expected, reported, newThisWeek, activities, hours, pairedCommunities

/**
 * The week's figures per (town, unit), summed as they come (a (town, unit) may come from more
 * than one query), in flat arrays: a hundred thousand rows of objects built as the figures
 * arrive cost more in garbage collection than the queries that give them. The rows are made
 * once, at the end, already in order: each town and unit is ranked by name first (a few
 * thousand names), and a row's place is (town rank, unit rank), which is the order of
 * compareWeeklyRows.
 */
class WeeklyTally {
  private readonly townRank = new Map<number | null, number>();
  private readonly townNames: string[] = [];
  private readonly unitName: Map<number, string>;
  /** Slots by town rank, then unit id: a direct look-up for the ids the units table has. */
  private readonly slotsByTown: Int32Array[] = [];
  private readonly unitSpan: number;
  /** Slots of unit ids beyond the table's (none should be): by "town rank:unit id". */
  private readonly otherSlots = new Map<string, number>();
  private slotTown: number[] = [];
  private slotUnit: number[] = [];
  private figures = new Float64Array(FIELDS * 1024);
  /** The last town looked up, and its rank: figures come town by town. */
  private lastTownId: number | null | undefined = undefined;
  private lastTown = 0;

  /** `only`: the one town asked for (its id; null: the unknown town); undefined: every town. */
  constructor(
    towns: ReadonlyArray<{ id: number; name: string }>,
    units: ReadonlyArray<{ id: number; name: string }>,
    private readonly only?: number | null,
  ) {
    const named = [...towns.map((t) => ({ id: t.id as number | null, name: t.name })), { id: null, name: UNKNOWN_TOWN }];
    named.sort((a, b) => compareWeeklyRows({ town: a.name, unit: '' }, { town: b.name, unit: '' }));
    named.forEach((t, rank) => {
      this.townRank.set(t.id, rank);
      this.townNames.push(t.name);
    });
    this.unitName = new Map(units.map((u) => [u.id, u.name]));
    // Unit ids are small whole numbers (a few thousand units); a table with far larger ids is
    // looked up through otherSlots instead of growing these arrays.
    this.unitSpan = Math.min(units.reduce((max, u) => Math.max(max, u.id), 0) + 1, 1 << 20);
  }

  /** The slot of (town, unit); -1 when the town is not asked for. */
  private slot(townId: number | null, unitId: number): number {
    if (this.only !== undefined && townId !== this.only) return -1;
    // A town id without a name (none should be) counts under the unknown town, as it shows.
    if (townId !== this.lastTownId) {
      this.lastTownId = townId;
      this.lastTown = this.townRank.get(townId) ?? this.townRank.get(null)!;
    }
    const town = this.lastTown;
    const direct = Number.isInteger(unitId) && unitId >= 0 && unitId < this.unitSpan;
    let slots = this.slotsByTown[town];
    if (direct && !slots) slots = this.slotsByTown[town] = new Int32Array(this.unitSpan).fill(-1);
    let slot = direct ? slots[unitId] : this.otherSlots.get(`${town}:${unitId}`) ?? -1;
    if (slot < 0) {
      slot = this.slotTown.length;
      if (direct) slots[unitId] = slot;
      else this.otherSlots.set(`${town}:${unitId}`, slot);
      this.slotTown.push(town);
      this.slotUnit.push(unitId);
      if ((slot + 1) * FIELDS > this.figures.length) {
        const grown = new Float64Array(this.figures.length * 2);
        grown.set(this.figures);
        this.figures = grown;
      }
    }
    return slot;
  }

  addMembers(townId: number | null, unitId: number, expected: number, reported: number, newThisWeek: number): void {
    const at = this.slot(townId, unitId) * FIELDS;
    if (at < 0) return;
    this.figures[at] += expected;
    this.figures[at + 1] += reported;
    this.figures[at + 2] += newThisWeek;
  }

  addActivities(townId: number, unitId: number, activities: number, hours: number): void {
    const at = this.slot(townId, unitId) * FIELDS;
    if (at < 0) return;
    this.figures[at + 3] += activities;
    this.figures[at + 4] += hours;
  }

  addPaired(townId: number, unitId: number, paired: number): void {
    const at = this.slot(townId, unitId) * FIELDS;
    if (at >= 0) this.figures[at + 5] += paired;
  }

  /** Every (town, unit) with a non-zero figure, sorted by town then unit. */
  rows(): WeeklyRow[] {
    const count = this.slotTown.length;
    // Units ranked by name (ties by id), by id where the ids are small; a unit id without a
    // name (none should be) shows its id, after the named ones.
    const ranked = [...this.unitName].sort(([a, x], [b, y]) => (x < y ? -1 : x > y ? 1 : a - b));
    const rankById = new Int32Array(this.unitSpan).fill(-1);
    const rankOf = new Map<number, number>();
    const names = ranked.map(([id, name], rank) => {
      if (Number.isInteger(id) && id >= 0 && id < this.unitSpan) rankById[id] = rank;
      else rankOf.set(id, rank);
      return name;
    });
    const rank = (id: number) => (Number.isInteger(id) && id >= 0 && id < this.unitSpan && rankById[id] >= 0 ? rankById[id] : rankOf.get(id));
    const nameless = [...new Set(this.slotUnit.filter((id) => rank(id) === undefined))].sort((a, b) => (String(a) < String(b) ? -1 : 1));
    for (const id of nameless) {
      rankOf.set(id, names.length);
      names.push(String(id));
    }
    // Place and slot in one number, sorted as numbers: (town rank × units + unit rank) × slots
    // + slot, well within a double's exact integers.
    const keys = new Float64Array(count);
    for (let slot = 0; slot < count; slot++) keys[slot] = (this.slotTown[slot] * names.length + rank(this.slotUnit[slot])!) * count + slot;
    keys.sort();
    const out: WeeklyRow[] = [];
    const f = this.figures;
    for (let i = 0; i < count; i++) {
      const slot = keys[i] % count;
      const at = slot * FIELDS;
      if (!(f[at] || f[at + 1] || f[at + 2] || f[at + 3] || f[at + 4] || f[at + 5])) continue;
      out.push({
        town: this.townNames[this.slotTown[slot]],
        unit: names[rank(this.slotUnit[slot])!],
        expected: f[at],
        reported: f[at + 1],
        newThisWeek: f[at + 2],
        activities: f[at + 3],
        hours: f[at + 4],
        pairedCommunities: f[at + 5],
      });
    }
    return out;
  }
}

/** Every (town, unit) with any non-zero figure, sorted by town then unit. */
export async function weeklyFigures(db: Kysely<Database>, filter: WeeklyFilter, readers: WeeklyReaders = {}): Promise<WeeklyRow[]> {
  const towns = await db.selectFrom('towns').select(['id', 'name']).execute();
  const units = await db.selectFrom('units').select(['id', 'name']).execute();
  const tally = new WeeklyTally(
    towns.map((t) => ({ id: Number(t.id), name: t.name })),
    units.map((u) => ({ id: Number(u.id), name: u.name })),
    filter.townId,
  );
  await tallyMembersAndActivities(db, filter, tally, readers);
  await tallyPairings(db, filter, tally);
  return tally.rows();
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
