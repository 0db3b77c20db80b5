// The row listings of the monthly export: the volunteer service of a period, and the members
// expected to report who have not (by the rate rules of SPEC §6, shared with the rate table).
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

/** Every activity dated from..to, by date, then unit, organisation and member. */
export async function activitiesBetween(db: Kysely<Database>, from: string, to: string): Promise<ActivityListing[]> {
  return db
    .selectFrom('activities as a')
    .innerJoin('members as m', 'm.id', 'a.member_id')
    .innerJoin('orgs as o', 'o.id', 'm.org_id')
    .innerJoin('units as u', 'u.id', 'o.unit_id')
    .innerJoin('communities as c', 'c.id', 'a.community_id')
    .innerJoin('towns as tw', 'tw.id', 'c.town_id')
    .where('a.date', '>=', from)
    .where('a.date', '<=', to)
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
    .execute();
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

/** Members expected on `asOf` and not reported by then, by unit, organisation and member. */
export async function notReportedOn(db: Kysely<Database>, asOf: string): Promise<NotReportedListing[]> {
  return db
    .selectFrom('members')
    .innerJoin('orgs as o', 'o.id', 'members.org_id')
    .innerJoin('units as u', 'u.id', 'o.unit_id')
    .leftJoin('communities as rc', 'rc.id', 'members.residence_community_id')
    .leftJoin('towns as rt', 'rt.id', 'rc.town_id')
    // Not reported: the complement of reportedOn among the expected (written out, because NOT of
    // a comparison with a NULL first check-in would be NULL, not true).
    .where((eb) => eb.and([expectedOn(eb, asOf), eb.or([eb('members.first_checkin_on', 'is', null), eb('members.first_checkin_on', '>', asOf)])]))
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
    .execute();
}
