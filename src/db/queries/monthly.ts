// The row listings of the monthly export: the volunteer service of a period, and the members
// expected to report who have not (by the rate rules of SPEC §6, shared with the rate table).
// The listings are streamed (a row at a time, never the whole list in memory); their counts and
// sums come from aggregate queries, so that they are known before the rows are written: run both
// in one read transaction for figures that agree.
import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';
import { expectedOn } from './rate.js';

export interface ActivityListing {
  memberId: number;
  date: string;
  name: string;
  idNumber: string | null;
  phone: string | null;
  unit: string;
  org: string;
  community: string;
  town: string;
  category: string;
  hours: number | null;
  points: number | null;
  note: string | null;
}

function activitiesIn(db: Kysely<Database>, from: string, to: string) {
  return db
    .selectFrom('activities as a')
    .innerJoin('members as m', 'm.id', 'a.member_id')
    .innerJoin('orgs as o', 'o.id', 'm.org_id')
    .innerJoin('units as u', 'u.id', 'o.unit_id')
    .innerJoin('communities as c', 'c.id', 'a.community_id')
    .innerJoin('towns as tw', 'tw.id', 'c.town_id')
    .where('a.date', '>=', from)
    .where('a.date', '<=', to);
}

/** Every activity dated from..to, by date, then unit, organisation and member: streamed. */
export function activitiesBetween(db: Kysely<Database>, from: string, to: string): AsyncIterable<ActivityListing> {
  return activitiesIn(db, from, to)
    .select([
      'm.id as memberId',
      'a.date',
      'm.name',
      'm.id_number as idNumber',
      'm.phone',
      'u.name as unit',
      'o.name as org',
      'c.name as community',
      'tw.name as town',
      'a.category',
      'a.hours',
      'a.points',
      'a.note',
    ])
    .orderBy('a.date')
    .orderBy('u.name')
    .orderBy('o.name')
    .orderBy('m.id')
    .orderBy('a.id')
    .stream();
}

export interface ActivitySums {
  count: number;
  /** Distinct members. */
  people: number;
  hours: number;
  points: number;
}

/** The activities of from..to counted and summed: in all, and per unit (by the unit's name). */
export async function activitySums(db: Kysely<Database>, from: string, to: string): Promise<{ all: ActivitySums; byUnit: Array<ActivitySums & { unit: string }> }> {
  const sums = activitiesIn(db, from, to).select((eb) => [
    eb.fn.countAll<number>().as('count'),
    eb.fn.count<number>('m.id').distinct().as('people'),
    eb.fn.sum<number | null>('a.hours').as('hours'),
    eb.fn.sum<number | null>('a.points').as('points'),
  ]);
  const [all, byUnit] = await Promise.all([sums.executeTakeFirstOrThrow(), sums.select('u.name as unit').groupBy('u.name').execute()]);
  const figures = (r: { count: number | string | bigint; people: number | string | bigint; hours: number | string | null; points: number | string | null }): ActivitySums => ({
    count: Number(r.count),
    people: Number(r.people),
    hours: Number(r.hours ?? 0),
    points: Number(r.points ?? 0),
  });
  return { all: figures(all), byUnit: byUnit.map((r) => ({ unit: r.unit, ...figures(r) })) };
}

export interface NotReportedListing {
  unit: string;
  org: string;
  name: string;
  idNumber: string | null;
  phone: string | null;
  residenceCommunity: string | null;
  residenceTown: string | null;
}

function notReportedAsOf(db: Kysely<Database>, asOf: string) {
  return (
    db
      .selectFrom('members')
      .innerJoin('orgs as o', 'o.id', 'members.org_id')
      .innerJoin('units as u', 'u.id', 'o.unit_id')
      // Not reported: the complement of reportedOn among the expected (written out, because NOT of
      // a comparison with a NULL first check-in would be NULL, not true).
      .where((eb) => eb.and([expectedOn(eb, asOf), eb.or([eb('members.first_checkin_on', 'is', null), eb('members.first_checkin_on', '>', asOf)])]))
  );
}

/** Members expected on `asOf` and not reported by then, by unit, organisation and member: streamed. */
export function notReportedOn(db: Kysely<Database>, asOf: string): AsyncIterable<NotReportedListing> {
  return notReportedAsOf(db, asOf)
    .leftJoin('communities as rc', 'rc.id', 'members.residence_community_id')
    .leftJoin('towns as rt', 'rt.id', 'rc.town_id')
    .select([
      'u.name as unit',
      'o.name as org',
      'members.name',
      'members.id_number as idNumber',
      'members.phone',
      'rc.name as residenceCommunity',
      'rt.name as residenceTown',
    ])
    .orderBy('u.name')
    .orderBy('o.name')
    .orderBy('members.id')
    .stream();
}

/** How many members notReportedOn lists. */
export async function countNotReported(db: Kysely<Database>, asOf: string): Promise<number> {
  const row = await notReportedAsOf(db, asOf)
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}
