// The figures of the town weekly report (SPEC §7) for a week S..E, aggregated in SQL per
// (town, unit), and the saved versions of weekly reports (weekly_reports).
//
// A member's town as of E: the town of the community of their latest valid check-in on or
// before E, else of their residence community, else unknown. The per-member facts make this
// cheap: when the current check-in is on or before E, or there is none, the stored
// place_town_id is that town; only members whose current check-in is later need a look into
// their history.
// Expected and reported are the rate rules of SPEC §6, shared with the rate table (rate.ts).
import type { Compilable, Expression, ExpressionBuilder, Kysely, SqlBool } from 'kysely';
import { numbersThrough, type NumberReader } from '../numbers.js';
import type { SnapshotReaders } from '../open.js';
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
export type WeeklyReaders = Partial<SnapshotReaders>;

/**
 * The towns a query reads when the report is split (weeklyTownBlocks): those with ids from
 * `from` on and before `before` (a bound left out: none), and with `unknown` also the members
 * of no known town. No share: every town, and the members of none.
 */
interface Share { from?: number; before?: number; unknown?: boolean }

/** The figures of expected members, as the queries below select them: reported is a first
 * check-in by E. */
function memberFigureColumns(eb: ExpressionBuilder<Database, 'members'>, { start, end }: WeeklyFilter) {
  const flag = (condition: Expression<SqlBool>) => eb.fn.sum<number>(eb.case().when(condition).then(1).else(0).end());
  return [
    eb.fn.countAll<number>().as('expected'),
    flag(eb('members.first_checkin_on', '<=', end)).as('reported'),
    flag(eb.and([eb('members.first_checkin_on', '>=', start), eb('members.first_checkin_on', '<=', end)])).as('newThisWeek'),
  ] as const;
}

/**
 * Expected, reported and new-this-week members placed on E by their stored facts
 * (placedByFacts), per (town, unit), as queries selecting exactly (townId, unitId, expected,
 * reported, newThisWeek): grouped by (place_town_id, unit_id), they are one pass over
 * members_town in index order, with no sort and no join (one town, or a share of the towns:
 * one range of it).
 */
function memberFigureQueries(db: Kysely<Database>, { start, end, townId }: WeeklyFilter, share?: Share) {
  // Their figures in cheaper terms than memberFigureColumns (a third of this pass's time): such
  // a member with a current check-in has it on or before E, and the first one is no later, so
  // they reported by E exactly when they have a current check-in; one with none has no
  // check-in by E (placedByFacts).
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
  const parts = [];
  if (townId !== undefined) parts.push(byFacts.where('members.place_town_id', townId === null ? 'is' : '=', townId));
  else if (!share) parts.push(byFacts);
  else {
    let range = byFacts;
    if (share.from !== undefined) range = range.where('members.place_town_id', '>=', share.from);
    if (share.before !== undefined) range = range.where('members.place_town_id', '<', share.before);
    if (share.from !== undefined || share.before !== undefined) parts.push(range);
    if (share.unknown) parts.push(byFacts.where('members.place_town_id', 'is', null));
  }
  return parts.map((part) =>
    part.select((eb) => ['members.place_town_id as townId', 'members.unit_id as unitId', ...figuresByFacts(eb)]).groupBy(['members.place_town_id', 'members.unit_id']),
  );
}

/** The few members the rule must place on E (a current check-in after E; placedByRule), grouped
 * by the town the rule gives them: the same columns as memberFigureQueries. In any town,
 * whichever is asked for (the tally keeps the ones wanted). */
async function ruleFigureQueries(db: Kysely<Database>, filter: WeeklyFilter) {
  const communities = await db.selectFrom('communities').select('id').execute();
  return (await placedByRule(db, filter.end, communities.map((c) => c.id))).map((part) =>
    part.select((eb) => [townOn(eb, filter.end).as('townId'), 'members.unit_id as unitId', ...memberFigureColumns(eb, filter)]).groupBy(['townId', 'members.unit_id']),
  );
}

/** Activities dated S..E per (town of the activity's community, unit of the member), as a query
 * selecting exactly (townId, unitId, activities, hours); one town (or a share of the towns):
 * its communities' only. */
function activityFigureQuery(db: Kysely<Database>, { start, end, townId }: WeeklyFilter, share?: Share) {
  let query = db
    .selectFrom('activities as a')
    .innerJoin('communities as c', 'c.id', 'a.community_id')
    .innerJoin('members as m', 'm.id', 'a.member_id')
    .where('a.date', '>=', start)
    .where('a.date', '<=', end);
  if (typeof townId === 'number') query = query.where('c.town_id', '=', townId);
  if (share?.from !== undefined) query = query.where('c.town_id', '>=', share.from);
  if (share?.before !== undefined) query = query.where('c.town_id', '<', share.before);
  return query
    .select((eb) => ['c.town_id as townId', 'm.unit_id as unitId', eb.fn.countAll<number>().as('activities'), eb.fn.sum<number>(eb.fn.coalesce('a.hours', eb.lit(0))).as('hours')])
    .groupBy(['c.town_id', 'm.unit_id']);
}

// A member of no known town: null in SQL, NaN among numbers.
const townNumber = (value: number) => (Number.isNaN(value) ? null : value);

/** A query of member figures (the columns of memberFigureQueries) or of activity figures (those
 * of activityFigureQuery). */
interface FigureQuery { kind: 'members' | 'activities'; query: Compilable }

const membersKind = (queries: Compilable[]): FigureQuery[] => queries.map((query) => ({ kind: 'members', query }));

/** The queries of a share of the towns (undefined: every town). */
function shareQueries(db: Kysely<Database>, filter: WeeklyFilter, share?: Share): FigureQuery[] {
  return [...membersKind(memberFigureQueries(db, filter, share)), { kind: 'activities', query: activityFigureQuery(db, filter, share) }];
}

/** The answers to the queries, read through `reader`. */
const answers = (reader: NumberReader, queries: readonly FigureQuery[]) => reader.numbers(queries.map((q) => q.query));

/** Read the queries through `reader` and add their figures to the tally. */
async function tallyQueries(tally: WeeklyTally, reader: NumberReader, queries: readonly FigureQuery[]): Promise<void> {
  tallyNumbers(tally, queries, await answers(reader, queries));
}

function tallyNumbers(tally: WeeklyTally, queries: readonly FigureQuery[], answers: readonly Float64Array[]): void {
  queries.forEach(({ kind }, q) => {
    const n = answers[q];
    if (kind === 'members') {
      for (let i = 0; i < n.length; i += 5) tally.addMembers(townNumber(n[i]), n[i + 1], n[i + 2], n[i + 3] || 0, n[i + 4] || 0);
    } else {
      for (let i = 0; i < n.length; i += 4) tally.addActivities(n[i], n[i + 1], n[i + 2], n[i + 3] || 0);
    }
  });
}

/**
 * One town's rows of the week, sorted by unit, as columns: `rank` is the town's place among the
 * towns (compareWeeklyRows order); `figures` holds WEEKLY_FIGURES numbers per unit, in that
 * order (a hundred thousand rows are written from these without an object per row).
 */
export interface WeeklyTownBlock { rank: number; town: string; units: string[]; figures: Float64Array }

/** The figures of a row of a WeeklyTownBlock, in order. */
export const WEEKLY_FIGURES = ['expected', 'reported', 'newThisWeek', 'activities', 'hours', 'pairedCommunities'] as const;

/** A block's rows as objects. */
function blockRows(block: WeeklyTownBlock): WeeklyRow[] {
  return block.units.map((unit, i) => {
    const at = i * WEEKLY_FIGURES.length;
    const f = block.figures;
    return { town: block.town, unit, expected: f[at], reported: f[at + 1], newThisWeek: f[at + 2], activities: f[at + 3], hours: f[at + 4], pairedCommunities: f[at + 5] };
  });
}

/**
 * The week's rows town by town, each town's block as soon as its figures are complete (blocks
 * come in no particular order: `rank` orders them), so that a caller can write the first towns
 * while the others are being read.
 *
 * Read by this connection alone, or, with a helper reading the same snapshot in another thread,
 * split by town between the two, each reading its own range of members_town and of the
 * activities: the helper first places the members the rule places (any town may have some),
 * then reads the towns with the higher ids (half of them); this thread reads the others and
 * the pairings. Its towns are then complete and given while the helper reads on. Measured on a
 * million members, this share gave the shortest report: the helper starts some 40 ms later.
 * Should the helper fail, what it was asked for is read here.
 */
export async function* weeklyTownBlocks(db: Kysely<Database>, filter: WeeklyFilter, readers: WeeklyReaders = {}): AsyncGenerator<WeeklyTownBlock> {
  const towns = (await db.selectFrom('towns').select(['id', 'name']).orderBy('id').execute()).map((t) => ({ id: Number(t.id), name: t.name }));
  const units = await db.selectFrom('units').select(['id', 'name']).execute();
  const tally = new WeeklyTally(
    towns,
    units.map((u) => ({ id: Number(u.id), name: u.name })),
    filter.townId,
  );
  const local = readers.local ?? numbersThrough(db);
  const ruled = membersKind(await ruleFigureQueries(db, filter));
  if (!readers.helper || filter.townId !== undefined || towns.length < 2) {
    await tallyQueries(tally, local, [...ruled, ...shareQueries(db, filter)]);
    await tallyPairings(db, filter, tally);
    yield* tally.blocks(() => true);
    return;
  }
  const helper = readers.helper;
  const ids = towns.map((t) => t.id);
  const from = ids[Math.floor(ids.length / 2)];
  const helperShare = shareQueries(db, filter, { from });
  // Asked first: the helper works while this thread reads its own share.
  const theirRule = answers(helper, ruled);
  const theirShare = answers(helper, helperShare);
  for (const answer of [theirRule, theirShare]) answer.catch(() => undefined); // awaited below
  // This thread's members in three ranges of towns: between them it learns that the helper has
  // begun, and lets writers go on (see readSnapshot). Its activities in one query (each reads
  // all the week's activities).
  const cuts = [ids[Math.floor(ids.length / 6)], ids[Math.floor(ids.length / 3)]];
  const mine: Share[] = [{ before: cuts[0] }, { from: cuts[0], before: cuts[1] }, { from: cuts[1], before: from, unknown: true }];
  await tallyQueries(tally, local, [
    ...mine.flatMap((share) => membersKind(memberFigureQueries(db, filter, share))),
    { kind: 'activities', query: activityFigureQuery(db, filter, { before: from }) },
  ]);
  await tallyPairings(db, filter, tally);
  // Should the helper fail, what it was asked for is read here.
  tallyNumbers(tally, ruled, await theirRule.catch(() => answers(local, ruled)));
  // This thread's towns are complete (the members of no known town are given last, with the
  // helper's towns: a town id without a name, none should be, counts there).
  const given = new Set(towns.filter((t) => t.id < from).map((t) => tally.rankOf(t.id)));
  yield* tally.blocks((rank) => given.has(rank));
  tallyNumbers(tally, helperShare, await theirShare.catch(() => answers(local, helperShare)));
  yield* tally.blocks((rank) => !given.has(rank));
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

/** Whether the database is large enough for the weekly figures to use a helper (the highest member
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

const FIELDS = WEEKLY_FIGURES.length;

/**
 * The week's figures per (town, unit), summed as they come (a (town, unit) may come from more
 * than one query), in flat arrays: a hundred thousand rows of objects built as the figures
 * arrive cost more in garbage collection than the queries that give them. They are given town
 * by town (blocks), each in order: the towns and units are ranked by name (a few thousand
 * names), and (town rank, unit rank) is the order of compareWeeklyRows.
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
  /** The slots of each town, by rank. */
  private readonly townSlots: number[][] = [];
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
    // Unit ids are small whole numbers (a few thousand units); ids far beyond their number (a
    // sequence that skipped) are looked up through otherSlots instead of growing these arrays.
    this.unitSpan = Math.min(units.reduce((max, u) => Math.max(max, u.id), 0) + 1, 2 * units.length + 1024);
  }

  /** The slot of (town, unit); -1 when the town is not asked for. */
  private slot(townId: number | null, unitId: number): number {
    if (this.only !== undefined && townId !== this.only) return -1;
    // A town id without a name (none should be) counts under the unknown town, as it shows.
    if (townId !== this.lastTownId) {
      this.lastTownId = townId;
      this.lastTown = this.rankOf(townId);
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
      (this.townSlots[town] ??= []).push(slot);
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

  /** The place of a town among the towns (compareWeeklyRows order). */
  rankOf(townId: number | null): number {
    return this.townRank.get(townId) ?? this.townRank.get(null)!;
  }

  /** Units ranked by name (ties by id), looked up by id where the ids are small. A unit id
   * without a name (none should be) comes after the named ones, by id, and shows its id; a
   * member with no unit, first of those, as 未知. The same ranks whichever figures came first. */
  private unitOrder?: { rank: (id: number) => number; label: (id: number) => string };

  private unitRanks(): { rank: (id: number) => number; label: (id: number) => string } {
    if (this.unitOrder) return this.unitOrder;
    const ranked = [...this.unitName].sort(([a, x], [b, y]) => (x < y ? -1 : x > y ? 1 : a - b));
    const rankById = new Int32Array(this.unitSpan).fill(-1);
    const rankOf = new Map<number, number>();
    ranked.forEach(([id], rank) => {
      if (Number.isInteger(id) && id >= 0 && id < this.unitSpan) rankById[id] = rank;
      else rankOf.set(id, rank);
    });
    const named = ranked.length;
    const rank = (id: number) => {
      const found = Number.isInteger(id) && id >= 0 && id < this.unitSpan && rankById[id] >= 0 ? rankById[id] : rankOf.get(id);
      if (found !== undefined) return found;
      return Number.isNaN(id) ? named : named + 1 + Math.max(0, Math.min(id, 2 ** 31));
    };
    const label = (id: number) => this.unitName.get(id) ?? (Number.isNaN(id) ? UNKNOWN_TOWN : String(id));
    return (this.unitOrder = { rank, label });
  }

  /** The blocks of the towns whose rank is chosen: each its units with a non-zero figure, sorted
   * by unit. */
  *blocks(chosen: (rank: number) => boolean): Generator<WeeklyTownBlock> {
    const { rank, label } = this.unitRanks();
    const f = this.figures;
    for (let town = 0; town < this.townNames.length; town++) {
      const slots = this.townSlots[town];
      if (!slots || !chosen(town)) continue;
      // Unit rank and slot in one number, sorted as numbers.
      const keys = new Float64Array(slots.length);
      for (let i = 0; i < slots.length; i++) keys[i] = rank(this.slotUnit[slots[i]]) * this.slotTown.length + slots[i];
      keys.sort();
      const units: string[] = [];
      const figures = new Float64Array(slots.length * FIELDS);
      for (const key of keys) {
        const slot = key % this.slotTown.length;
        const at = slot * FIELDS;
        if (!(f[at] || f[at + 1] || f[at + 2] || f[at + 3] || f[at + 4] || f[at + 5])) continue;
        const to = units.length * FIELDS;
        for (let i = 0; i < FIELDS; i++) figures[to + i] = f[at + i];
        units.push(label(this.slotUnit[slot]));
      }
      yield { rank: town, town: this.townNames[town], units, figures: figures.subarray(0, units.length * FIELDS) };
    }
  }
}

/** Every (town, unit) with any non-zero figure, sorted by town then unit (compareWeeklyRows). */
export async function weeklyFigures(db: Kysely<Database>, filter: WeeklyFilter, readers: WeeklyReaders = {}): Promise<WeeklyRow[]> {
  const blocks: WeeklyTownBlock[] = [];
  for await (const block of weeklyTownBlocks(db, filter, readers)) blocks.push(block);
  return blocks.sort((a, b) => a.rank - b.rank).flatMap(blockRows);
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
