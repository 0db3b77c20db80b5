// Listings for dbd members / orgs / communities: who is where, who has not yet reported.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';
import { checkIdNumber } from '../../domain/idNumber.js';
import { communityBaseName } from '../../domain/text.js';
import { OrgTree } from './orgTree.js';
import { checkinCommunityOn, checkinDateOn, communityOn, expectedOn, onRosterOn, townOn } from './rate.js';

export interface MemberFilter {
  /** The date the listing describes: who is on the roster, their check-in and their town then. */
  asOf: string;
  orgIds?: number[];
  /** Only members whose town on asOf (SPEC §7 town rule) is this one; null: those whose town is
   * unknown (未知: no check-in by then and no residence community). */
  townId?: number | null;
  communityId?: number;
  /** Only the members expected on asOf and not reported by then (SPEC §6). */
  notReported?: boolean;
  search?: string;
  /** Members who had left by asOf too. */
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
  /** The community and date of the check-in as of asOf (the latest valid one dated on or before
   * it), and the first valid check-in by then; null when none. */
  currentCommunity: string | null;
  currentTown: string | null;
  firstCheckin: string | null;
  currentCheckin: string | null;
}

/**
 * The members as of a date, consistent with the rate table of that date (SPEC §6, §7): those on
 * the roster then (exempt ones included: they stay on the roster; with notReported, only the
 * expected ones), each with their check-in as of then and filtered by their town then. A member
 * who left after the date is listed; a check-in dated after it is not shown.
 */
export async function listMembers(db: Kysely<Database>, filter: MemberFilter): Promise<{ members: MemberListing[]; total: number }> {
  const { asOf } = filter;
  let query = db
    .selectFrom('members as m')
    .innerJoin('orgs as o', 'o.id', 'm.org_id')
    .innerJoin('units as u', 'u.id', 'o.unit_id')
    .leftJoin('communities as rc', 'rc.id', 'm.residence_community_id')
    .leftJoin('towns as rt', 'rt.id', 'rc.town_id')
    .select((eb) => [
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
      checkinCommunityOn(eb, asOf, 'm').as('checkinCommunityId'),
      checkinDateOn(eb, asOf, 'm').as('currentCheckin'),
      eb.case().when('m.first_checkin_on', '<=', asOf).then(eb.ref('m.first_checkin_on')).end().as('firstCheckin'),
    ]);
  if (filter.orgIds) query = query.where('m.org_id', 'in', filter.orgIds.length ? filter.orgIds : [-1]);
  if (filter.townId !== undefined) {
    const townId = filter.townId;
    // Every community has a town: the town is unknown exactly when no community places the member.
    query = townId === null ? query.where((eb) => eb(communityOn(eb, asOf, 'm'), 'is', null)) : query.where((eb) => eb(townOn(eb, asOf, 'm'), '=', townId));
  }
  if (filter.communityId !== undefined) {
    const communityId = filter.communityId;
    query = query.where((eb) => eb.or([eb(checkinCommunityOn(eb, asOf, 'm'), '=', communityId), eb('m.residence_community_id', '=', communityId)]));
  }
  if (filter.notReported) {
    // The members the rate table counts as expected but not reported on that date (SPEC §6):
    // a member who left after D was still expected on D.
    query = query
      .where((eb) => expectedOn(eb, asOf, 'm'))
      .where((eb) => eb.or([eb('m.first_checkin_on', 'is', null), eb('m.first_checkin_on', '>', asOf)]));
  } else if (!filter.includeDeparted) {
    query = query.where((eb) => onRosterOn(eb, asOf, 'm'));
  }
  if (filter.search) {
    const search = filter.search;
    const escaped = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);
    const like = (pattern: string) => sql<string>`${pattern} escape '\\'`;
    const contains = like(`%${escaped(search)}%`);
    // An ID number as listings show it (110105********123X) or in its 15-digit form finds the member too.
    const idForms = [like(`%${escaped(search.toUpperCase()).replace(/\*+/g, '%')}%`)];
    const full = checkIdNumber(search);
    if (full.ok) idForms.push(like(full.id));
    query = query.where((eb) =>
      eb.or([eb('m.name', 'like', contains), eb('m.phone', 'like', contains), ...idForms.map((form) => eb('m.id_number', 'like', form))]),
    );
  }
  let listed = query.orderBy('u.name').orderBy('o.name').orderBy('m.id');
  if (filter.limit !== undefined) listed = listed.limit(filter.limit);
  const [rows, communities] = await Promise.all([
    listed.execute(),
    db.selectFrom('communities as c').innerJoin('towns as t', 't.id', 'c.town_id').select(['c.id', 'c.name', 't.name as town']).execute(),
  ]);
  const communityOf = new Map(communities.map((c) => [c.id, c]));
  const members = rows.map(({ checkinCommunityId, ...row }) => {
    const community = checkinCommunityId === null ? undefined : communityOf.get(Number(checkinCommunityId));
    return { ...row, currentCommunity: community?.name ?? null, currentTown: community?.town ?? null };
  });
  // Cut short by the limit: how many match in all, so that the count is never read as the total.
  let total = members.length;
  if (filter.limit !== undefined && members.length >= filter.limit) {
    // The same joins and conditions, without the listing's columns (their look-ups per member).
    const counted = await query.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
    total = Number(counted?.n ?? members.length);
  }
  return { members, total };
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

export interface OrgFilter {
  search?: string;
  unit?: string;
  /** Only these organisations (an organisation and its subtree). */
  orgIds?: number[];
  /** Only those of this town: located there (驻地街道), or paired with or reported to it or to one of its communities. */
  townId?: number;
  /** Only those not yet paired with or reported to any community or town by asOf (双报到). */
  notReported?: boolean;
  asOf: string;
}

export async function listOrgs(db: Kysely<Database>, filter: OrgFilter): Promise<OrgListing[]> {
  const tree = await OrgTree.load(db);
  const counts = await db
    .selectFrom('members')
    .select(['org_id', (eb) => eb.fn.countAll<number>().as('n')])
    // On the roster on asOf, as the listing's date says (one who left after it still counts).
    .where((eb) => onRosterOn(eb, filter.asOf))
    .groupBy('org_id')
    .execute();
  const countOf = new Map(counts.map((c) => [c.org_id, Number(c.n)]));
  const towns = new Map((await db.selectFrom('towns').select(['id', 'name']).execute()).map((t) => [t.id, t.name]));
  // Pairings and organisation check-ins in force on asOf (undated ones count from the start).
  const pairings = await db
    .selectFrom('pairings')
    .leftJoin('communities', 'communities.id', 'pairings.community_id')
    .select(['pairings.org_id', 'communities.name', (eb) => eb.fn.coalesce('communities.town_id', 'pairings.town_id').as('town_id')])
    .where((eb) => eb.or([eb('pairings.date', 'is', null), eb('pairings.date', '<=', filter.asOf)]))
    .orderBy('pairings.id')
    .execute();
  const pairedOf = new Map<number, string[]>();
  const townsOf = new Map<number, Set<number>>();
  for (const p of pairings) {
    if (p.name !== null) {
      const list = pairedOf.get(p.org_id) ?? [];
      if (!list.includes(p.name)) list.push(p.name);
      pairedOf.set(p.org_id, list);
    }
    if (p.town_id !== null) townsOf.set(p.org_id, (townsOf.get(p.org_id) ?? new Set()).add(Number(p.town_id)));
  }
  const only = filter.orgIds ? new Set(filter.orgIds) : undefined;
  const out: OrgListing[] = [];
  for (const node of tree.byId.values()) {
    if (only && !only.has(node.id)) continue;
    if (filter.unit && node.unitName !== filter.unit) continue;
    if (filter.townId !== undefined && node.townId !== filter.townId && !townsOf.get(node.id)?.has(filter.townId)) continue;
    if (filter.notReported && townsOf.has(node.id)) continue;
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

export interface CommunityListing { id: number; town: string; name: string; code: string | null; residents: number; reported: number; notReported: number }

export interface CommunityFilter {
  townId?: number;
  search?: string;
  /** Count only the members of these organisations, and list only the communities they live or reported in. */
  orgIds?: number[];
  /** Only the communities with resident members expected on asOf who had not reported by then. */
  notReported?: boolean;
  asOf: string;
}

export async function listCommunities(db: Kysely<Database>, filter: CommunityFilter): Promise<CommunityListing[]> {
  let query = db.selectFrom('communities as c').innerJoin('towns as t', 't.id', 'c.town_id').select(['c.id', 't.name as town', 'c.name', 'c.code']);
  if (filter.townId !== undefined) query = query.where('c.town_id', '=', filter.townId);
  // By name or by its canonical form, so that 杏花村民委员会 finds 杏花村 as --community does.
  if (filter.search) {
    const search = filter.search;
    query = query.where((eb) => eb.or([eb('c.name', 'like', `%${search}%`), eb('c.base_name', 'like', `%${communityBaseName(search)}%`)]));
  }
  // The members on the roster by residence and by current check-in, and the residents not yet
  // reported, each counted in one grouped pass over members (a count per community would read
  // every member once per community: a minute for a city of 500 communities and a million members).
  const countBy = async (column: 'residence_community_id' | 'current_community_id', notReported = false) => {
    let counted = db
      .selectFrom('members')
      .select([`members.${column} as id`, (eb) => eb.fn.countAll<number>().as('n')])
      .where(`members.${column}`, 'is not', null)
      .where('members.status_kind', '!=', 'departed');
    if (filter.orgIds) counted = counted.where('members.org_id', 'in', filter.orgIds.length ? filter.orgIds : [-1]);
    if (notReported) {
      counted = counted
        .where((eb) => expectedOn(eb, filter.asOf))
        .where((eb) => eb.or([eb('members.first_checkin_on', 'is', null), eb('members.first_checkin_on', '>', filter.asOf)]));
    }
    const rows = await counted.groupBy(`members.${column}`).execute();
    return new Map(rows.map((row) => [Number(row.id), Number(row.n)]));
  };
  const [rows, residents, reported, notReported] = await Promise.all([
    query.orderBy('t.id').orderBy('c.id').execute(),
    countBy('residence_community_id'),
    countBy('current_community_id'),
    countBy('residence_community_id', true),
  ]);
  return rows
    .map((r) => ({ ...r, residents: residents.get(r.id) ?? 0, reported: reported.get(r.id) ?? 0, notReported: notReported.get(r.id) ?? 0 }))
    .filter((c) => (!filter.orgIds || c.residents > 0 || c.reported > 0) && (!filter.notReported || c.notReported > 0));
}
