// Listings for dbd members / orgs / communities: who is where, who has not yet reported.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';
import { OrgTree } from './orgTree.js';
import { expectedOn } from './rate.js';

export interface MemberFilter {
  orgIds?: number[];
  townId?: number;
  communityId?: number;
  notReportedAsOf?: string;
  search?: string;
  includeDeparted?: boolean;
  limit?: number;
}

export interface MemberListing {
  id: number;
  idNumber: string | null;
  name: string;
  phone: string | null;
  org: string;
  unit: string;
  category: string | null;
  status: string | null;
  statusKind: string;
  departedOn: string | null;
  residenceCommunity: string | null;
  residenceTown: string | null;
  currentCommunity: string | null;
  currentTown: string | null;
  firstCheckin: string | null;
  currentCheckin: string | null;
}

export async function listMembers(db: Kysely<Database>, filter: MemberFilter): Promise<MemberListing[]> {
  let query = db
    .selectFrom('members as m')
    .innerJoin('orgs as o', 'o.id', 'm.org_id')
    .innerJoin('units as u', 'u.id', 'o.unit_id')
    .leftJoin('communities as rc', 'rc.id', 'm.residence_community_id')
    .leftJoin('towns as rt', 'rt.id', 'rc.town_id')
    .leftJoin('communities as cc', 'cc.id', 'm.current_community_id')
    .leftJoin('towns as ct', 'ct.id', 'cc.town_id')
    .select([
      'm.id',
      'm.id_number as idNumber',
      'm.name',
      'm.phone',
      'o.name as org',
      'u.name as unit',
      'm.category',
      'm.status',
      'm.status_kind as statusKind',
      'm.departed_on as departedOn',
      'rc.name as residenceCommunity',
      'rt.name as residenceTown',
      'cc.name as currentCommunity',
      'ct.name as currentTown',
      'm.first_checkin_on as firstCheckin',
      'm.current_checkin_on as currentCheckin',
    ]);
  if (filter.orgIds) query = query.where('m.org_id', 'in', filter.orgIds.length ? filter.orgIds : [-1]);
  if (filter.townId !== undefined) {
    const townId = filter.townId;
    // Who has not reported by D belongs to the town of their residence community (SPEC §6),
    // even when they have checked in somewhere since D.
    query = filter.notReportedAsOf
      ? query.where('rc.town_id', '=', townId)
      : query.where((eb) => eb.or([eb('cc.town_id', '=', townId), eb.and([eb('cc.town_id', 'is', null), eb('rc.town_id', '=', townId)])]));
  }
  if (filter.communityId !== undefined) {
    const communityId = filter.communityId;
    query = query.where((eb) => eb.or([eb('m.current_community_id', '=', communityId), eb('m.residence_community_id', '=', communityId)]));
  }
  if (filter.notReportedAsOf) {
    const asOf = filter.notReportedAsOf;
    // The members the rate table counts as expected but not reported on that date (SPEC §6):
    // a member who left after D was still expected on D.
    query = query
      .where((eb) => expectedOn(eb, asOf, 'm'))
      .where((eb) => eb.or([eb('m.first_checkin_on', 'is', null), eb('m.first_checkin_on', '>', asOf)]));
  } else if (!filter.includeDeparted) {
    query = query.where('m.status_kind', '!=', 'departed');
  }
  if (filter.search) {
    const like = `%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) =>
      eb.or([
        eb('m.name', 'like', sql<string>`${like} escape '\\'`),
        eb('m.id_number', 'like', sql<string>`${like} escape '\\'`),
        eb('m.phone', 'like', sql<string>`${like} escape '\\'`),
      ]),
    );
  }
  query = query.orderBy('u.name').orderBy('o.name').orderBy('m.id');
  if (filter.limit) query = query.limit(filter.limit);
  return query.execute();
}

export interface OrgListing {
  id: number;
  name: string;
  shortName: string | null;
  category: string | null;
  parent: string | null;
  unit: string;
  town: string | null;
  ownMembers: number;
  pairedCommunities: string[];
}

export async function listOrgs(db: Kysely<Database>, filter: { search?: string; unit?: string }): Promise<OrgListing[]> {
  const tree = await OrgTree.load(db);
  const counts = await db
    .selectFrom('members')
    .select(['org_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('status_kind', '!=', 'departed')
    .groupBy('org_id')
    .execute();
  const countOf = new Map(counts.map((c) => [c.org_id, Number(c.n)]));
  const towns = new Map((await db.selectFrom('towns').select(['id', 'name']).execute()).map((t) => [t.id, t.name]));
  const pairings = await db
    .selectFrom('pairings')
    .innerJoin('communities', 'communities.id', 'pairings.community_id')
    .select(['pairings.org_id', 'communities.name'])
    .orderBy('pairings.id')
    .execute();
  const pairedOf = new Map<number, string[]>();
  for (const p of pairings) {
    const list = pairedOf.get(p.org_id) ?? [];
    if (!list.includes(p.name)) list.push(p.name);
    pairedOf.set(p.org_id, list);
  }
  const out: OrgListing[] = [];
  for (const node of tree.byId.values()) {
    if (filter.unit && node.unitName !== filter.unit) continue;
    if (filter.search && !node.name.includes(filter.search) && !(node.shortName ?? '').includes(filter.search) && !node.unitName.includes(filter.search)) continue;
    out.push({
      id: node.id,
      name: node.name,
      shortName: node.shortName,
      category: node.category,
      parent: node.parentId !== null ? tree.byId.get(node.parentId)?.name ?? null : null,
      unit: node.unitName,
      town: node.townId !== null ? towns.get(node.townId) ?? null : null,
      ownMembers: countOf.get(node.id) ?? 0,
      pairedCommunities: pairedOf.get(node.id) ?? [],
    });
  }
  return out.sort((a, b) => a.unit.localeCompare(b.unit, 'zh') || a.id - b.id);
}

export interface CommunityListing { id: number; town: string; name: string; code: string | null; residents: number; reported: number }

export async function listCommunities(db: Kysely<Database>, filter: { townId?: number; search?: string }): Promise<CommunityListing[]> {
  let query = db.selectFrom('communities as c').innerJoin('towns as t', 't.id', 'c.town_id').select(['c.id', 't.name as town', 'c.name', 'c.code']);
  if (filter.townId !== undefined) query = query.where('c.town_id', '=', filter.townId);
  if (filter.search) query = query.where('c.name', 'like', `%${filter.search}%`);
  // The members on the roster by residence and by current check-in, each counted in one grouped
  // pass over members (a count per community would read every member once per community: a
  // minute for a city of 500 communities and a million members).
  const countBy = async (column: 'residence_community_id' | 'current_community_id') => {
    const rows = await db
      .selectFrom('members')
      .select([`members.${column} as id`, (eb) => eb.fn.countAll<number>().as('n')])
      .where(`members.${column}`, 'is not', null)
      .where('members.status_kind', '!=', 'departed')
      .groupBy(`members.${column}`)
      .execute();
    return new Map(rows.map((row) => [Number(row.id), Number(row.n)]));
  };
  const [rows, residents, reported] = await Promise.all([query.orderBy('t.id').orderBy('c.id').execute(), countBy('residence_community_id'), countBy('current_community_id')]);
  return rows.map((r) => ({ ...r, residents: residents.get(r.id) ?? 0, reported: reported.get(r.id) ?? 0 }));
}
