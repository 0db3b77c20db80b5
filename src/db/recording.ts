// Single records written from the command line (SPEC §5): a check-in, voiding one, an
// organisation check-in, an activity. Each call is one write transaction and reuses the import
// writers (CheckinWriter, OrgCheckinWriter, ActivityWriter, MemberFinder), so a record typed in
// and the same record imported end up identical. Names that cannot be resolved are data errors
// (exit 3) with the closest known names; nothing is created on the fly from a typo.
import { checkIdNumber, idCheckDigit, looksLikeIdNumber, maskIdNumber } from '../domain/idNumber.js';
import { normaliseText, personName, suggestClosest } from '../domain/text.js';
import { dataError, usageError } from '../errors.js';
import { t } from '../i18n/index.js';
import { Catalog, type CommunityInfo, type OrgInfo } from './catalog.js';
import { MemberFacts } from './memberFacts.js';
import type { DbHandle } from './open.js';
import type { StatusKind } from './schema.js';
import { ActivityWriter, CheckinWriter, MemberFinder, OrgCheckinWriter, type WriteContext } from './writers.js';

/** When the write happens: `today` for date checks, `now` for created_at / voided_at. */
export interface Clock { today: string; now: string }

export interface MemberInfo {
  id: number;
  name: string;
  idNumber: string | null;
  phone: string | null;
  org: string;
  orgShortName: string | null;
  unit: string;
  status: string | null;
  statusKind: StatusKind;
  departedOn: string | null;
}

export interface CheckinInfo {
  id: number;
  communityId: number;
  community: string;
  town: string;
  date: string;
  post: string | null;
  voidedAt: string | null;
  voidReason: string | null;
}

/** How a member was named on the command line. */
export type MemberKey = { idNumber: string } | { phone: string } | { name: string };

const PHONE = /^(?:\+?86)?(1\d{10})$/;
const LANDLINE = /^(?:0\d{9,11}|\d{7,8})$/;

/** Tell an ID number, a phone number and a name apart. A malformed ID or a masked one is a usage error. */
export function parseMemberKey(text: string): MemberKey {
  const clean = normaliseText(text);
  if (clean === '') throw usageError(t('record.memberEmpty'));
  const compact = clean.replace(/[\s-]/g, '');
  const phone = PHONE.exec(compact);
  if (phone) return { phone: phone[1] };
  // A landline (0571-8888 1234, 88881234) is stored as the roster wrote it.
  if (LANDLINE.test(compact)) return { phone: clean };
  if (looksLikeIdNumber(compact) || /^\d{6,}[\dXx]?$/.test(compact)) {
    const checked = checkIdNumber(compact);
    if (checked.ok) return { idNumber: checked.id };
    if (checked.reason === 'masked') throw usageError(t('record.maskedId', { value: clean }));
    throw usageError(t('record.badMemberKey', { value: clean }));
  }
  return { name: personName(clean) };
}

type FoundMember = { id: number; id_number: string | null; phone: string | null; name: string };

function describeCandidate(m: { name: string; id_number: string | null; phone: string | null; org?: string }): string {
  const key = m.id_number ? maskIdNumber(m.id_number) : m.phone ?? '';
  return t('record.memberWithDetails', { name: m.name, details: [key, m.org].filter(Boolean).join(t('common.detailSeparator')) });
}

function hint(names: string[]): string {
  return names.length ? t('record.didYouMean', { names: names.join(t('common.listSeparator')) }) : '';
}

async function loadMember(handle: DbHandle, id: number): Promise<MemberInfo> {
  const row = await handle.db
    .selectFrom('members')
    .innerJoin('orgs', 'orgs.id', 'members.org_id')
    .innerJoin('units', 'units.id', 'orgs.unit_id')
    .select([
      'members.id',
      'members.name',
      'members.id_number',
      'members.phone',
      'orgs.name as org',
      'orgs.short_name',
      'units.name as unit',
      'members.status',
      'members.status_kind',
      'members.departed_on',
    ])
    .where('members.id', '=', id)
    .executeTakeFirstOrThrow();
  return {
    id: row.id,
    name: row.name,
    idNumber: row.id_number,
    phone: row.phone,
    org: row.org,
    orgShortName: row.short_name,
    unit: row.unit,
    status: row.status,
    statusKind: row.status_kind,
    departedOn: row.departed_on,
  };
}

async function withOrgNames(handle: DbHandle, members: FoundMember[]) {
  if (members.length === 0) return [];
  const rows = await handle.db
    .selectFrom('members')
    .innerJoin('orgs', 'orgs.id', 'members.org_id')
    .select(['members.id', 'members.name', 'members.id_number', 'members.phone', 'orgs.short_name', 'orgs.name as org_name'])
    .where('members.id', 'in', members.map((m) => m.id))
    .execute();
  // In the order given (closest first, or by id as the look-ups read them).
  const byId = new Map(rows.map((r) => [r.id, { name: r.name, id_number: r.id_number, phone: r.phone, org: r.short_name ?? r.org_name }]));
  return members.flatMap((m) => byId.get(m.id) ?? []);
}

/** The member named by an ID number, a phone number or a unique name; else a data error with hints. */
export async function findMember(handle: DbHandle, text: string): Promise<MemberInfo> {
  const key = parseMemberKey(text);
  const finder = new MemberFinder(handle);
  if ('idNumber' in key) {
    const found = await finder.getByIdNumber(key.idNumber);
    if (found) return loadMember(handle, found.id);
    // One typing slip away, or the same region and birth date: most likely the same person.
    const near = (await finder.nearIdNumbers(key.idNumber)).slice(0, 5);
    const badCheck = idCheckDigit(key.idNumber.slice(0, 17)) !== key.idNumber[17] ? t('record.badCheckDigit') : '';
    const names = (await withOrgNames(handle, near)).map(describeCandidate);
    throw dataError(t('record.noMemberId', { id: key.idNumber }) + badCheck + hint(names) + t('record.searchHint'));
  }
  if ('phone' in key) {
    const found = await finder.allByPhone(key.phone);
    if (found.length === 1) return loadMember(handle, found[0].id);
    if (found.length > 1) {
      const names = (await withOrgNames(handle, found.slice(0, 10))).map(describeCandidate);
      throw dataError(t('record.phoneAmbiguous', { phone: key.phone, candidates: names.join(t('common.listSeparator')) + (found.length > 10 ? '…' : '') }));
    }
    const near = (await withOrgNames(handle, await finder.nearPhones(key.phone))).map(describeCandidate);
    throw dataError(t('record.noMemberPhone', { phone: key.phone }) + hint(near) + t('record.searchHint'));
  }
  const found = await finder.allByName(key.name);
  if (found.length === 1) return loadMember(handle, found[0].id);
  if (found.length > 1) {
    const names = (await withOrgNames(handle, found)).map(describeCandidate);
    throw dataError(t('record.nameAmbiguous', { name: key.name, candidates: names.join(t('common.listSeparator')) }));
  }
  // Candidates sharing the first or the last character: a typo rarely changes both.
  const chars = Array.from(key.name);
  const like = await handle.db
    .selectFrom('members')
    .select('name')
    .distinct()
    .where((eb) => eb.or([eb('name', 'like', `${chars[0]}%`), eb('name', 'like', `%${chars[chars.length - 1]}`)]))
    .limit(2000)
    .execute();
  throw dataError(t('record.noMemberName', { name: key.name }) + hint(suggestClosest(key.name, like.map((r) => r.name))) + t('record.searchHint'));
}

/** A community by name (and town): found, or a data error with the closest names. */
export function findCommunity(catalog: Catalog, name: string, town?: string | null): CommunityInfo {
  const cleanName = normaliseText(name);
  if (cleanName === '') throw usageError(t('record.communityEmpty'));
  if (town) {
    const townInfo = catalog.findTown(town);
    if (!townInfo) throw dataError(t('record.noTown', { town: normaliseText(town) }) + hint(catalog.townSuggestions(town)));
  }
  const found = catalog.findCommunity(cleanName, town || null);
  if ('found' in found) return found.found;
  if (found.ambiguous?.length) throw dataError(t('record.communityAmbiguous', { name: cleanName, candidates: found.ambiguous.join(t('common.listSeparator')) }));
  const where = town ? t('record.inTown', { town: normaliseText(town) }) : '';
  throw dataError(t('record.noCommunity', { name: cleanName, where }) + hint(found.suggestions));
}

export function findTown(catalog: Catalog, town: string): { id: number; name: string } {
  const found = catalog.findTown(town);
  if (found) return found;
  throw dataError(t('record.noTown', { town: normaliseText(town) }) + hint(catalog.townSuggestions(town)));
}

export function findOrg(catalog: Catalog, name: string): OrgInfo {
  const found = catalog.findOrg(name);
  if ('found' in found) return found.found;
  if (found.ambiguous?.length) throw dataError(t('record.orgAmbiguous', { name, candidates: found.ambiguous.join(t('common.listSeparator')) }));
  throw dataError(t('record.noOrg', { name: normaliseText(name) }) + hint(found.suggestions));
}

async function checkinById(handle: DbHandle, id: number): Promise<CheckinInfo> {
  const row = await handle.db
    .selectFrom('checkins')
    .innerJoin('communities', 'communities.id', 'checkins.community_id')
    .innerJoin('towns', 'towns.id', 'communities.town_id')
    .select([
      'checkins.id',
      'checkins.community_id',
      'communities.name as community',
      'towns.name as town',
      'checkins.date',
      'checkins.post',
      'checkins.voided_at',
      'checkins.void_reason',
    ])
    .where('checkins.id', '=', id)
    .executeTakeFirstOrThrow();
  return {
    id: row.id,
    communityId: row.community_id,
    community: row.community,
    town: row.town,
    date: row.date,
    post: row.post,
    voidedAt: row.voided_at,
    voidReason: row.void_reason,
  };
}

/** The member's current check-in: the latest valid one by date (the later record on a tie),
 * the same order MemberFacts keeps. */
export async function currentCheckin(handle: DbHandle, memberId: number): Promise<CheckinInfo | null> {
  const row = await handle.db
    .selectFrom('checkins')
    .select('id')
    .where('member_id', '=', memberId)
    .where('voided_at', 'is', null)
    .orderBy('date', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? checkinById(handle, row.id) : null;
}

async function checkinByKey(handle: DbHandle, memberId: number, communityId: number, date: string): Promise<CheckinInfo | null> {
  const row = await handle.db
    .selectFrom('checkins')
    .select('id')
    .where('member_id', '=', memberId)
    .where('community_id', '=', communityId)
    .where('date', '=', date)
    .executeTakeFirst();
  return row ? checkinById(handle, row.id) : null;
}

function writeContext(handle: DbHandle, catalog: Catalog, clock: Clock): WriteContext {
  return { handle, catalog, today: clock.today, now: clock.now };
}

/** Notes for the clerk about a record that is kept but will not count as they may expect. A
 * departed member is expected only before the departure date (SPEC §6), so a check-in dated
 * before it counts until then, and one dated on or after it never does. */
function memberWarnings(member: MemberInfo, date: string, today: string, record: 'checkin' | 'activity'): string[] {
  const warnings: string[] = [];
  if (member.statusKind === 'departed') {
    const params = { name: member.name, status: member.status ?? '', left: member.departedOn ?? '' };
    if (member.departedOn === null) {
      warnings.push(t('record.warnDeparted', params));
    } else if (member.departedOn <= date) {
      warnings.push(t(record === 'checkin' ? 'record.warnDepartedCheckinAfter' : 'record.warnDepartedActivityAfter', params));
    } else if (record === 'checkin') {
      warnings.push(t('record.warnDepartedCheckinBefore', params));
    }
  } else if (member.statusKind === 'exempt') {
    warnings.push(t('record.warnExempt', { name: member.name, status: member.status ?? '' }));
  }
  if (date > today) warnings.push(t('record.warnFuture', { date, today }));
  return warnings;
}

export interface CheckinInput {
  member: string;
  community: string;
  town?: string | null;
  date: string;
  post?: string | null;
}

/**
 * added: a new check-in; unchanged: nothing to do; updated: the post of an existing check-in
 * changed; reinstated: the same check-in had been voided and counts again.
 */
export type CheckinOutcome = 'added' | 'unchanged' | 'updated' | 'reinstated';

/**
 * What the check-in did to the member's current community: first (they had none), moved (to
 * another community from this date), history (dated before the current one, which stays), same
 * (they are already reported there).
 */
export type CheckinEffect = 'first' | 'moved' | 'history' | 'same';

export interface CheckinResult {
  outcome: CheckinOutcome;
  effect: CheckinEffect;
  member: MemberInfo;
  /** The check-in recorded, or the stored one that made recording unnecessary. */
  checkin: CheckinInfo;
  previous: CheckinInfo | null;
  current: CheckinInfo | null;
  warnings: string[];
}

/**
 * One check-in (SPEC §5). Again at the community where the member is currently reported, on or
 * after that check-in's date, changes nothing, except the post when a different one is given.
 * Dated before the current check-in (at any community) it goes into the history without moving
 * the member, as the same row of an imported register does (SPEC §4): the member was there then,
 * so the as-of figures count it, and a current check-in typed with a wrong future date can be
 * completed by the right one. At another community on or after the current date it is a new
 * record that moves the member there from its date, keeping the history.
 */
export async function recordCheckin(handle: DbHandle, input: CheckinInput, clock: Clock): Promise<CheckinResult> {
  return handle.writeTransaction(async () => {
    const catalog = await Catalog.load(handle);
    const member = await findMember(handle, input.member);
    const community = findCommunity(catalog, input.community, input.town);
    const post = input.post ? normaliseText(input.post) || null : null;
    const writer = new CheckinWriter(writeContext(handle, catalog, clock));
    const previous = await currentCheckin(handle, member.id);
    const warnings = memberWarnings(member, input.date, clock.today, 'checkin');

    if (previous && previous.communityId === community.id && input.date >= previous.date) {
      const outcome = post !== null && post !== previous.post ? await writer.record(member.id, community.id, previous.date, post) : 'unchanged';
      const current = await currentCheckin(handle, member.id);
      return { outcome, effect: 'same', member, checkin: current!, previous, current, warnings };
    }

    let outcome: CheckinOutcome;
    const stored = await checkinByKey(handle, member.id, community.id, input.date);
    if (stored?.voidedAt) {
      // Typing the voided check-in in again means it was voided by mistake: it counts again.
      await handle.db.updateTable('checkins').set({ voided_at: null, void_reason: null }).where('id', '=', stored.id).execute();
      if (post !== null && post !== stored.post) await writer.record(member.id, community.id, input.date, post);
      await new MemberFacts(handle).refresh(member.id);
      outcome = 'reinstated';
    } else {
      outcome = await writer.record(member.id, community.id, input.date, post);
    }
    const checkin = (await checkinByKey(handle, member.id, community.id, input.date))!;
    const current = await currentCheckin(handle, member.id);
    const effect: CheckinEffect = !previous ? 'first' : current?.id === checkin.id ? 'moved' : 'history';
    return { outcome, effect, member, checkin, previous, current, warnings };
  });
}

export interface VoidResult {
  member: MemberInfo;
  voided: CheckinInfo;
  /** The check-in that is current now (the latest earlier valid one), or null. */
  current: CheckinInfo | null;
}

/** Void the member's current check-in: kept with its reason, it stops counting; the latest
 * earlier valid check-in becomes current and the member's facts are recomputed. */
export async function voidCheckin(handle: DbHandle, input: { member: string; reason: string }, clock: Clock): Promise<VoidResult> {
  const reason = normaliseText(input.reason);
  if (reason === '') throw usageError(t('record.reasonRequired'));
  return handle.writeTransaction(async () => {
    const member = await findMember(handle, input.member);
    const target = await currentCheckin(handle, member.id);
    if (!target) throw dataError(t('record.nothingToVoid', { name: member.name }));
    await handle.db.updateTable('checkins').set({ voided_at: clock.now, void_reason: reason }).where('id', '=', target.id).execute();
    await new MemberFacts(handle).refresh(member.id);
    return { member, voided: await checkinById(handle, target.id), current: await currentCheckin(handle, member.id) };
  });
}

export interface OrgCheckinInput {
  org: string;
  community?: string | null;
  town?: string | null;
  date: string;
}

export interface OrgCheckinResult {
  /** added; unchanged (already recorded on or before this date); updated (recorded from a later date, now from this one). */
  outcome: 'added' | 'unchanged' | 'updated';
  org: { name: string; shortName: string | null; unit: string };
  community: string | null;
  town: string;
  /** The date the report or pairing counts from after this command (null: from the start). */
  date: string | null;
}

/**
 * An organisation's report to a town, or its pairing with a community. Recording it again on a
 * later date changes nothing (it already counts from the earlier date); on an earlier date the
 * record counts from that earlier date.
 */
export async function recordOrgCheckin(handle: DbHandle, input: OrgCheckinInput, clock: Clock): Promise<OrgCheckinResult> {
  if (normaliseText(input.org) === '') throw usageError(t('record.orgEmpty'));
  if (!input.community && !input.town) throw usageError(t('record.orgNeedsPlace'));
  return handle.writeTransaction(async () => {
    const catalog = await Catalog.load(handle);
    const org = findOrg(catalog, input.org);
    const community = input.community ? findCommunity(catalog, input.community, input.town) : null;
    const town = community ? { id: community.townId, name: community.townName } : findTown(catalog, input.town!);

    let existing = handle.db
      .selectFrom('pairings')
      .select(['id', 'date'])
      .where('org_id', '=', org.id)
      .where('source', '=', 'checkin');
    existing = community
      ? existing.where('community_id', '=', community.id)
      : existing.where('town_id', '=', town.id).where('community_id', 'is', null);
    const stored = await existing.orderBy('id').executeTakeFirst();

    const orgSummary = { name: org.name, shortName: org.shortName, unit: catalog.unitNames.get(org.unitId) ?? '' };
    const base = { org: orgSummary, community: community?.name ?? null, town: town.name };
    if (stored && (stored.date === null || stored.date <= input.date)) return { ...base, outcome: 'unchanged', date: stored.date };

    const writer = new OrgCheckinWriter(writeContext(handle, catalog, clock));
    const outcome = await writer.write(
      { org: org.name, unit: null, communities: community ? [community.name] : [], town: town.name, date: input.date },
      (field) => field,
    );
    if (Array.isArray(outcome)) throw dataError(outcome.map((p) => t('common.labelled', { label: p.value, text: p.reason })).join(t('common.groupSeparator')));
    return { ...base, outcome, date: input.date };
  });
}

export interface ActivityInput {
  member: string;
  community: string;
  town?: string | null;
  date: string;
  category: string;
  hours?: number | null;
  points?: number | null;
  note?: string | null;
}

export interface ActivityResult {
  /** added; unchanged (the same activity is stored); updated (hours, points or note changed). */
  outcome: 'added' | 'unchanged' | 'updated';
  member: MemberInfo;
  activity: {
    community: string;
    town: string;
    date: string;
    category: string;
    hours: number | null;
    points: number | null;
    note: string | null;
  };
  warnings: string[];
}

/** One volunteer activity, idempotent on (member, date, community, category). */
export async function recordActivity(handle: DbHandle, input: ActivityInput, clock: Clock): Promise<ActivityResult> {
  const category = normaliseText(input.category);
  if (category === '') throw usageError(t('record.categoryRequired'));
  const note = input.note ? normaliseText(input.note) || null : null;
  return handle.writeTransaction(async () => {
    const catalog = await Catalog.load(handle);
    const member = await findMember(handle, input.member);
    const community = findCommunity(catalog, input.community, input.town);
    const writer = new ActivityWriter(writeContext(handle, catalog, clock));
    const outcome = await writer.record(member.id, community.id, {
      date: input.date,
      category,
      hours: input.hours ?? null,
      points: input.points ?? null,
      note,
    });
    const stored = await handle.db
      .selectFrom('activities')
      .select(['hours', 'points', 'note'])
      .where('member_id', '=', member.id)
      .where('community_id', '=', community.id)
      .where('date', '=', input.date)
      .where('category', '=', category)
      .executeTakeFirstOrThrow();
    return {
      outcome,
      member,
      activity: { community: community.name, town: community.townName, date: input.date, category, ...stored },
      warnings: memberWarnings(member, input.date, clock.today, 'activity'),
    };
  });
}
