// Writing imported records: one writer per kind, each resolving names through the Catalog
// and upserting with prepared statements (the hot path of a million-row import).
// Idempotent by the keys of SPEC §4; an empty incoming value never blanks a stored one.
import { idNumberVariants, maskedIdFits, maskIdNumber, typoVariants } from '../domain/idNumber.js';
import { personName, suggestClosest } from '../domain/text.js';
import { t } from '../i18n/index.js';
import type {
  ActivityRecord,
  CheckinRecord,
  CommunityRecord,
  MemberRecord,
  OrgCheckinRecord,
  OrgRecord,
  PersonRef,
  UnitRecord,
} from '../ingest/records.js';
import type { Catalog, CommunityInfo, Lookup, OrgInfo } from './catalog.js';
import { MemberFacts, placeTown } from './memberFacts.js';
import { param, type DbHandle } from './open.js';
import type { Member } from './schema.js';

export type Outcome = 'added' | 'updated' | 'unchanged';
export interface RowProblem { column: string; value: string; reason: string }
export type WriteResult = Outcome | RowProblem[];

export interface WriteContext {
  handle: DbHandle;
  catalog: Catalog;
  /** The import date: departures without a 变动日期 happen on it. */
  today: string;
  now: string;
}

/** Column headers of the current sheet by field, for naming columns in problems. */
export type HeaderOf = (field: string) => string;

/** Numbers by member id in a typed array: a million-member roster costs 4 MB, not a Map of 80. */
class NumbersById {
  private values = new Int32Array(1024);
  private readonly large = new Map<number, number>();
  get(id: number): number | undefined {
    const value = id < this.values.length ? this.values[id] : (this.large.get(id) ?? 0);
    return value === 0 ? undefined : value;
  }
  /** value must not be 0 (0 means absent). */
  set(id: number, value: number): void {
    if (id >= this.values.length && id < 1 << 26) {
      let length = this.values.length;
      while (length <= id) length *= 2;
      const grown = new Int32Array(length);
      grown.set(this.values);
      this.values = grown;
    }
    if (id < this.values.length) this.values[id] = value;
    else this.large.set(id, value);
  }
}

/** When IndexDeferral first looks: early, so that a load into an empty or small table defers
 * the indexes from then on. */
const FIRST_DEFERRAL_CHECK = 5_000;

/**
 * A bulk load defers a table's indexes that only reports use, once it has inserted enough rows
 * that building them afterwards (one sort) is cheaper than a random insert per row: checked
 * after 5,000 rows and then every 50,000, deferred when the rows inserted are at least an eighth
 * of those already there (measured: a random index insert costs about eight times a sort step).
 */
class IndexDeferral {
  private inserted = 0;
  private existing: number | undefined;
  private done = false;
  private readonly count;
  constructor(private readonly handle: DbHandle, table: 'members' | 'checkins' | 'activities', private readonly indexes: readonly string[]) {
    this.count = handle.prepare(handle.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')), []);
  }
  async rowInserted(): Promise<void> {
    if (this.done || (++this.inserted % 50_000 !== 0 && this.inserted !== FIRST_DEFERRAL_CHECK)) return;
    this.existing ??= Number((await this.count.get<{ n: number }>({}))?.n ?? 0) - this.inserted;
    if (this.inserted * 8 >= this.existing) {
      await this.handle.deferIndexes(this.indexes);
      this.done = true;
    }
  }
}

/** The problem of a name not found: unknownKey with suggestions, or the candidates of an
 * ambiguous one (ambiguousKey: a community's advice names the town, an organisation's the unit). */
function lookupProblem(lookup: Lookup<unknown>, column: string, value: string, unknownKey: string, ambiguousKey = 'ingest.ambiguous'): RowProblem[] {
  if ('found' in lookup) return [];
  if (lookup.ambiguous?.length) {
    const candidates = lookup.ambiguous.join(t('common.groupSeparator'));
    const reason = lookup.notInUnit ? t('ingest.ambiguousOrgNotInUnit', { unit: lookup.notInUnit, candidates }) : t(ambiguousKey, { candidates });
    return [{ column, value, reason }];
  }
  const hint = lookup.suggestions.length ? t('ingest.didYouMean', { names: lookup.suggestions.join(t('common.listSeparator')) }) : '';
  return [{ column, value, reason: t(unknownKey) + hint }];
}

/** Resolve a community named in a row: with its town it is found or created; without, it must be known. */
export async function resolveCommunity(catalog: Catalog, name: string, town: string | null, header: HeaderOf, create: boolean): Promise<CommunityInfo | RowProblem[]> {
  if (town) {
    if (create) return (await catalog.ensureCommunity(name, town)).info;
    const found = catalog.findCommunity(name, town);
    if ('found' in found) return found.found;
    return lookupProblem(found, header('community'), name, 'ingest.unknownCommunity');
  }
  const found = catalog.findCommunity(name);
  if ('found' in found) return found.found;
  return lookupProblem(found, header('community'), name, 'ingest.unknownCommunityNoTown');
}

export class CommunityWriter {
  constructor(private readonly ctx: WriteContext) {}
  async write(record: CommunityRecord): Promise<WriteResult> {
    const { catalog } = this.ctx;
    const existing = catalog.findCommunity(record.community, record.town, true);
    if ('found' in existing) return (await catalog.updateCommunity(existing.found, record.community, record.code)) ? 'updated' : 'unchanged';
    await catalog.ensureCommunity(record.community, record.town, record.code, true);
    catalog.countAsOwn('communities');
    return 'added';
  }
}

export class UnitWriter {
  private readonly update;
  private readonly select;
  constructor(private readonly ctx: WriteContext) {
    const { handle } = ctx;
    this.select = handle.prepare(handle.db.selectFrom('units').select(['category', 'town_id']).where('id', '=', param('id')), ['id']);
    this.update = handle.prepare(
      handle.db.updateTable('units').set({ category: param('category'), town_id: param('town_id') }).where('id', '=', param('id')),
      ['id', 'category', 'town_id'],
    );
  }
  async write(record: UnitRecord): Promise<WriteResult> {
    const { catalog } = this.ctx;
    const { id, created } = await catalog.ensureUnit(record.unit);
    if (created) catalog.countAsOwn('units');
    const stored = (await this.select.get<{ category: string | null; town_id: number | null }>({ id }))!;
    const category = record.category ?? stored.category;
    const townId = record.town ? await catalog.ensureTown(record.town) : stored.town_id;
    const changed = category !== stored.category || townId !== stored.town_id;
    if (changed) await this.update.run({ id, category, town_id: townId });
    return created ? 'added' : changed ? 'updated' : 'unchanged';
  }
}

interface PendingOrgLinks { org: OrgInfo; record: OrgRecord; rowIndex: number }

/**
 * Organisation rosters in two steps: every organisation first, then parents and pairings,
 * because a parent may be listed below its children or named by a short name.
 */
export class OrgWriter {
  private readonly pending: PendingOrgLinks[] = [];
  private readonly findPairing;
  private readonly insertPairing;
  private readonly updatePairingDate;

  constructor(private readonly ctx: WriteContext) {
    const { handle } = ctx;
    const { db } = handle;
    this.findPairing = handle.prepare(
      db
        .selectFrom('pairings')
        .select(['id', 'date'])
        .where('org_id', '=', param('org_id'))
        .where('community_id', '=', param('community_id'))
        .where('source', '=', param('source')),
      ['org_id', 'community_id', 'source'],
    );
    this.insertPairing = handle.prepare(
      db.insertInto('pairings').values({
        org_id: param('org_id'),
        community_id: param('community_id'),
        town_id: param('town_id'),
        date: param('date'),
        source: param('source'),
        created_at: param('created_at'),
      }),
      ['org_id', 'community_id', 'town_id', 'date', 'source', 'created_at'],
    );
    this.updatePairingDate = handle.prepare(db.updateTable('pairings').set({ date: param('date') }).where('id', '=', param('id')), ['id', 'date']);
  }

  /** Step one: the organisation itself. */
  async write(record: OrgRecord, rowIndex: number): Promise<Outcome> {
    const { catalog } = this.ctx;
    const unit = await catalog.ensureUnit(record.unit);
    const existing = catalog.findOrg(record.org);
    const byFullName = 'found' in existing && existing.found.name === record.org ? existing.found : undefined;
    let outcome: Outcome;
    let org: OrgInfo;
    if (byFullName) {
      org = byFullName;
      outcome = 'unchanged';
    } else {
      org = await catalog.createOrg(record.org, unit.id);
      catalog.countAsOwn('orgs');
      outcome = 'added';
    }
    const changed = await catalog.updateOrg(org, {
      shortName: record.shortName,
      unitId: unit.id,
      category: record.category,
      townId: record.town ? await catalog.ensureTown(record.town) : null,
      code: record.code,
      secretary: record.secretary,
      phone: record.phone,
    });
    if (changed && outcome === 'unchanged') outcome = 'updated';
    this.pending.push({ org, record, rowIndex });
    return outcome;
  }

  /** Step two: parents and pairings. Returns the rows whose outcome became 'updated', and problems per row. */
  async finish(header: (rowIndex: number, field: string) => string): Promise<{ updatedRows: Set<number>; problems: Map<number, RowProblem[]> }> {
    const { catalog } = this.ctx;
    const updatedRows = new Set<number>();
    const problems = new Map<number, RowProblem[]>();
    const fail = (rowIndex: number, list: RowProblem[]) => problems.set(rowIndex, [...(problems.get(rowIndex) ?? []), ...list]);
    for (const { org, record, rowIndex } of this.pending) {
      if (record.parent) {
        // A parent named by a short name that several organisations share: the one of this unit.
        const parent = catalog.findOrg(record.parent, record.unit);
        if (!('found' in parent)) fail(rowIndex, lookupProblem(parent, header(rowIndex, 'parent'), record.parent, 'ingest.unknownParent', 'ingest.ambiguousOrg'));
        else if (parent.found.id === org.id || catalog.wouldCycle(org.id, parent.found.id)) {
          fail(rowIndex, [{ column: header(rowIndex, 'parent'), value: record.parent, reason: t('ingest.parentCycle') }]);
        } else if (await catalog.updateOrg(org, { parentId: parent.found.id })) updatedRows.add(rowIndex);
      }
      for (const name of record.pairedCommunities) {
        let community = catalog.findCommunity(name);
        if (!('found' in community) && record.town) {
          const inTown = catalog.findCommunity(name, record.town);
          if ('found' in inTown) community = inTown;
        }
        if (!('found' in community)) {
          fail(rowIndex, lookupProblem(community, header(rowIndex, 'pairedCommunity'), name, 'ingest.unknownCommunityNoTown'));
          continue;
        }
        const result = await upsertPairing(this, org.id, community.found, record.pairedDate, 'roster', this.ctx.now);
        if (result !== 'unchanged') updatedRows.add(rowIndex);
      }
    }
    this.pending.length = 0;
    return { updatedRows, problems };
  }

  /** @internal used by upsertPairing */
  statements() {
    return { find: this.findPairing, insert: this.insertPairing, updateDate: this.updatePairingDate };
  }
}

async function upsertPairing(
  owner: { statements(): ReturnType<OrgWriter['statements']> },
  orgId: number,
  community: CommunityInfo,
  date: string | null,
  source: 'roster' | 'checkin',
  now: string,
): Promise<Outcome> {
  const { find, insert, updateDate } = owner.statements();
  const existing = await find.get<{ id: number; date: string | null }>({ org_id: orgId, community_id: community.id, source });
  if (!existing) {
    await insert.run({ org_id: orgId, community_id: community.id, town_id: community.townId, date, source, created_at: now });
    return 'added';
  }
  if (date !== null && existing.date !== date) {
    await updateDate.run({ id: existing.id, date });
    return 'updated';
  }
  return 'unchanged';
}

export class OrgCheckinWriter {
  private readonly orgWriter: OrgWriter;
  private readonly findTownPairing;
  constructor(private readonly ctx: WriteContext) {
    this.orgWriter = new OrgWriter(ctx);
    const { handle } = ctx;
    this.findTownPairing = handle.prepare(
      handle.db
        .selectFrom('pairings')
        .select(['id', 'date'])
        .where('org_id', '=', param('org_id'))
        .where('town_id', '=', param('town_id'))
        .where('community_id', 'is', null)
        .where('source', '=', 'checkin'),
      ['org_id', 'town_id'],
    );
  }

  async write(record: OrgCheckinRecord, header: HeaderOf): Promise<WriteResult> {
    const { catalog, now } = this.ctx;
    const org = catalog.findOrg(record.org, record.unit);
    if (!('found' in org)) return lookupProblem(org, header('org'), record.org, 'ingest.unknownOrg', 'ingest.ambiguousOrg');
    if (record.communities.length > 0) {
      // Every community of the cell is found (or created) before any pairing is written.
      const communities: CommunityInfo[] = [];
      for (const name of record.communities) {
        const community = await resolveCommunity(catalog, name, record.town, header, true);
        if (Array.isArray(community)) return community;
        communities.push(community);
      }
      const outcomes: Outcome[] = [];
      for (const community of communities) outcomes.push(await upsertPairing(this.orgWriter, org.found.id, community, record.date, 'checkin', now));
      return outcomes.includes('added') ? 'added' : outcomes.includes('updated') ? 'updated' : 'unchanged';
    }
    const townId = await catalog.ensureTown(record.town!);
    const { insert, updateDate } = this.orgWriter.statements();
    const existing = await this.findTownPairing.get<{ id: number; date: string | null }>({ org_id: org.found.id, town_id: townId });
    if (!existing) {
      await insert.run({ org_id: org.found.id, community_id: null, town_id: townId, date: record.date, source: 'checkin', created_at: now });
      return 'added';
    }
    if (record.date !== null && existing.date !== record.date) {
      await updateDate.run({ id: existing.id, date: record.date });
      return 'updated';
    }
    return 'unchanged';
  }
}


/** Roster rows of one chunk on a server: see MemberWriter.prefetch. */
interface MemberChunk {
  /** ID number → the stored member (id -1: inserted by the next flush). */
  stored: Map<string, StoredMember>;
  /** ID numbers no member has. */
  absent: Set<string>;
  /** New members waiting for flush(). */
  pending: Array<Record<string, unknown>>;
  /** ID number → the row that added it, for members waiting. */
  pendingRows: Map<string, number>;
  /** Phone → the stored members without an ID number who have it, for the chunk's new ID
   * numbers whose phone may be theirs (see PhoneOnlyMembers); null when there are none. */
  phoneOnly: Map<string, StoredMember[]> | null;
}

const MEMBER_COLUMNS = [
  'id_number',
  'phone',
  'name',
  'gender',
  'ethnicity',
  'birth_date',
  'org_id',
  'job_title',
  'category',
  'residence_community_id',
  'status',
  'status_kind',
  'departed_on',
  'joined_on',
] as const;
type MemberColumn = (typeof MEMBER_COLUMNS)[number];
/** A new member's row also holds the facts its organisation and residence give (migration
 * 0003): unit_id, and place_town_id (a new member has no check-in: the residence's town). */
const NEW_MEMBER_COLUMNS = [...MEMBER_COLUMNS, 'unit_id', 'place_town_id'] as const;
type NewMemberColumn = (typeof NEW_MEMBER_COLUMNS)[number];
type StoredMember = Pick<Member, 'id' | MemberColumn>;

export type FoundMember = { id: number; id_number: string | null; phone: string | null; name: string };

/** Run fn on slices of ids small enough for one `in (…)` list of a statement. */
async function inSlices<T>(ids: T[], fn: (slice: T[]) => Promise<void>): Promise<void> {
  for (let i = 0; i < ids.length; i += 5_000) await fn(ids.slice(i, i + 5_000));
}

/**
 * How many unknown members one finder (one import's check-ins, say) suggests the closest known
 * ones for; later ones get the plain message. A suggestion costs a few indexed look-ups: a file
 * of 100,000 unknown rows must not take minutes.
 */
export const SUGGESTED_UNKNOWN_MEMBERS = 100;
/** Members sharing one phone that are looked at (an office landline): the rest cannot be told apart anyway. */
const PHONE_CANDIDATES = 100;
/** Suggestions shown for one unknown member. */
const SUGGESTIONS = 5;

/** The least string above every string that starts with `prefix`, in code point order (the
 * order of SQLite's text and of PostgreSQL's "C" collation): `prefix` ≤ s < this. */
/** The members a name belongs to, for a message: their ID numbers (masked), and the phones of
 * those a roster added without one (a phone is not called an ID number). */
function whoElseHasName(members: Array<{ id_number: string | null; phone: string | null }>): string {
  const ids = members.flatMap((m) => (m.id_number ? [maskIdNumber(m.id_number)] : []));
  const phones = members.flatMap((m) => (!m.id_number && m.phone ? [m.phone] : []));
  const parts = [
    ...(ids.length ? [t('ingest.nameElsewhereIds', { ids: ids.join(t('common.listSeparator')) })] : []),
    ...(phones.length ? [t('ingest.nameElsewherePhones', { phones: phones.join(t('common.listSeparator')) })] : []),
  ];
  return parts.join(t('common.groupSeparator'));
}

function prefixEnd(prefix: string): string {
  const chars = Array.from(prefix);
  let code = chars[chars.length - 1].codePointAt(0)! + 1;
  if (code >= 0xd800 && code <= 0xdfff) code = 0xe000;
  return chars.slice(0, -1).join('') + String.fromCodePoint(code);
}

/** Characters that differ, place by place (Infinity for strings of different lengths). */
function differences(a: string, b: string): number {
  if (a.length !== b.length) return Infinity;
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++;
  return n;
}

/** A member as suggestions and candidate lists show them: the name, with the masked ID number (or the phone). */
export function describeMember(m: FoundMember): string {
  return t('common.withNote', { text: m.name, note: m.id_number ? maskIdNumber(m.id_number) : m.phone ?? '' });
}

/**
 * Of several members sharing a phone, the one a row means: the only one whose name is the row's
 * (when it gives one) and whose ID number fits the row's masked one (when it gives one); else,
 * with a masked ID number, the only member whose ID number fits it. Undefined when neither tells.
 */
export function tellApartByPhone<M extends FoundMember>(members: M[], name: string | null, maskedId: string | null): M | undefined {
  const fitsMask = (m: M) => !maskedId || m.id_number === null || maskedIdFits(maskedId, m.id_number);
  const both = members.filter((m) => (name === null || personName(m.name) === name) && fitsMask(m));
  if (both.length === 1) return both[0];
  if (both.length === 0 && maskedId) {
    const masked = members.filter((m) => m.id_number !== null && maskedIdFits(maskedId, m.id_number));
    if (masked.length === 1) return masked[0];
  }
  return undefined;
}

/** Finds members named in check-in and activity rows, and in listings. */
export class MemberFinder {
  private readonly byIdNumber;
  private readonly byPhone;
  private readonly byName;
  private suggestionsLeft = SUGGESTED_UNKNOWN_MEMBERS;
  constructor(private readonly handle: DbHandle) {
    const { db } = handle;
    const select = () => db.selectFrom('members').select(['id', 'id_number', 'phone', 'name']);
    this.byIdNumber = handle.prepare(select().where('id_number', '=', param('v')), ['v']);
    this.byPhone = handle.prepare(select().where('phone', '=', param('v')).orderBy('id').limit(PHONE_CANDIDATES), ['v']);
    this.byName = handle.prepare(select().where('name', '=', param('v')).limit(6), ['v']);
  }

  /** On a server: the members of a chunk's ID numbers (null: none has it), read by preload. */
  private preloaded: Map<string, FoundMember | null> | null = null;

  /**
   * Read the members of these ID numbers in one query a slice; lookups of them then need none,
   * whether found or not. Returns the ids of the members found.
   */
  async preload(idNumbers: string[]): Promise<number[]> {
    const found = new Map<string, FoundMember | null>(idNumbers.map((id) => [id, null]));
    await inSlices([...found.keys()], async (slice) => {
      const rows = await this.handle.db.selectFrom('members').select(['id', 'id_number', 'phone', 'name']).where('id_number', 'in', slice).execute();
      for (const row of rows) found.set(row.id_number!, row);
    });
    this.preloaded = found;
    return [...found.values()].flatMap((member) => (member ? [member.id] : []));
  }

  forget(): void {
    this.preloaded = null;
  }

  async getByIdNumber(id: string): Promise<FoundMember | undefined> {
    const known = this.preloaded?.get(id);
    if (known !== undefined) return known ?? undefined;
    return this.byIdNumber.get<FoundMember>({ v: id });
  }
  async allByPhone(phone: string) {
    await this.handle.restoreIndexes(); // a bulk load may have deferred members_phone
    return this.byPhone.all<FoundMember>({ v: phone });
  }
  async allByName(name: string) {
    await this.handle.restoreIndexes(); // and members_name
    return this.byName.all<FoundMember>({ v: name });
  }

  /**
   * Members whose ID number is one or two characters away from this one: one typing slip away
   * (see idNumberVariants), or sharing its region and birth date (the first 14 characters) and
   * differing in at most two of the last four. Closest first; every look-up uses the ID index.
   */
  async nearIdNumbers(id: string): Promise<FoundMember[]> {
    const { db } = this.handle;
    const variants = idNumberVariants(id);
    const slips = variants.length ? await db.selectFrom('members').select(['id', 'id_number', 'phone', 'name']).where('id_number', 'in', variants).limit(SUGGESTIONS).execute() : [];
    const prefix = id.slice(0, 14);
    const sameBirth = await db
      .selectFrom('members')
      .select(['id', 'id_number', 'phone', 'name'])
      .where('id_number', '>=', prefix)
      .where('id_number', '<', prefixEnd(prefix))
      .limit(50)
      .execute();
    const near = [...slips, ...sameBirth.filter((m) => differences(m.id_number!, id) <= 2)];
    return uniqueMembers(near).sort((a, b) => differences(a.id_number!, id) - differences(b.id_number!, id));
  }

  /** Members whose mobile number is one typing slip away from this one (one indexed look-up). */
  async nearPhones(phone: string): Promise<FoundMember[]> {
    if (!/^1\d{10}$/.test(phone)) return [];
    await this.handle.restoreIndexes(); // members_phone
    return this.handle.db
      .selectFrom('members')
      .select(['id', 'id_number', 'phone', 'name'])
      .where('phone', 'in', typoVariants(phone))
      .orderBy('id')
      .limit(SUGGESTIONS)
      .execute();
  }

  /**
   * Members whose names are closest to this one (suggestClosest; two of each name at most), among
   * those sharing its first two characters, or its first (the surname): a range of the name
   * index, a few hundred rows.
   */
  async nearNames(name: string): Promise<FoundMember[]> {
    const chars = Array.from(name);
    if (chars.length === 0) return [];
    await this.handle.restoreIndexes(); // members_name
    const byName = new Map<string, FoundMember[]>();
    for (const prefix of chars.length > 1 ? [chars.slice(0, 2).join(''), chars[0]] : [chars[0]]) {
      const rows = await this.handle.db
        .selectFrom('members')
        .select(['id', 'id_number', 'phone', 'name'])
        .where('name', '>=', prefix)
        .where('name', '<', prefixEnd(prefix))
        .orderBy('name')
        .orderBy('id')
        .limit(300)
        .execute();
      for (const row of rows) {
        const list = byName.get(row.name) ?? [];
        if (!list.some((m) => m.id === row.id)) list.push(row);
        byName.set(row.name, list);
      }
      if (byName.size >= 20) break; // enough names that share two characters
    }
    // Two members a name at most: a common name must not crowd out the next closest one.
    return suggestClosest(name, byName.keys()).flatMap((closest) => byName.get(closest)!.slice(0, 2));
  }

  /**
   * The known members an unknown one most likely is, described for a message: by ID number or
   * phone one slip away, then by the closest names. Empty once this finder has made
   * SUGGESTED_UNKNOWN_MEMBERS suggestions.
   */
  async suggest(ref: Pick<PersonRef, 'idNumber' | 'phone' | 'name'>): Promise<string[]> {
    if (this.suggestionsLeft <= 0) return [];
    this.suggestionsLeft--;
    const near: FoundMember[] = [];
    if (ref.idNumber) near.push(...(await this.nearIdNumbers(ref.idNumber)));
    else if (ref.phone) near.push(...(await this.nearPhones(ref.phone)));
    if (ref.name) near.push(...(await this.nearNames(ref.name)));
    return uniqueMembers(near).slice(0, SUGGESTIONS).map(describeMember);
  }

  /** "Not in the roster", with the closest known members when there are any. */
  private async notInRoster(ref: PersonRef): Promise<string> {
    const names = await this.suggest(ref);
    return t('ingest.notInRoster') + (names.length ? t('ingest.didYouMean', { names: names.join(t('common.listSeparator')) }) : '');
  }

  /** The member a row names: by ID number, else phone, else a unique name. */
  async resolve(ref: PersonRef, header: HeaderOf): Promise<number | RowProblem[]> {
    if (ref.idNumber) {
      const member = await this.getByIdNumber(ref.idNumber);
      if (!member) {
        const sameName = ref.name ? await this.allByName(ref.name) : [];
        const reason = sameName.length ? t('ingest.notInRosterNameElsewhere', { name: ref.name!, who: whoElseHasName(sameName) }) : await this.notInRoster(ref);
        return [{ column: header('idNumber'), value: ref.idNumber, reason }];
      }
      // Names stored by an earlier version may keep their padding (张 三).
      if (ref.name && ref.name !== personName(member.name)) {
        return [{ column: header('name'), value: ref.name, reason: t('ingest.nameMismatch', { name: member.name }) }];
      }
      return member.id;
    }
    if (ref.phone) {
      const members = await this.allByPhone(ref.phone);
      if (members.length === 0) return [{ column: header('phone'), value: ref.phone, reason: await this.notInRoster(ref) }];
      if (members.length === 1) {
        // The phone is the key; a name that is not the member's is a mistake, as beside an ID number.
        if (ref.name && ref.name !== personName(members[0].name)) {
          return [{ column: header('name'), value: ref.name, reason: t('ingest.nameMismatchPhone', { name: members[0].name }) }];
        }
        return members[0].id;
      }
      const member = tellApartByPhone(members, ref.name, ref.maskedId);
      if (member) return member.id;
      return [{ column: header('phone'), value: ref.phone, reason: t('ingest.phoneAmbiguous') }];
    }
    if (ref.name) {
      const members = await this.allByName(ref.name);
      if (members.length === 1) return members[0].id;
      if (members.length > 1) return [{ column: header('name'), value: ref.name, reason: t('ingest.nameAmbiguous') }];
      return [{ column: header('name'), value: ref.name, reason: await this.notInRoster(ref) }];
    }
    return [{ column: header('name'), value: '', reason: t('ingest.noPersonKey') }];
  }
}

/** Each member once, in the order first given. */
function uniqueMembers(members: FoundMember[]): FoundMember[] {
  const byId = new Map<number, FoundMember>();
  for (const member of members) if (!byId.has(member.id)) byId.set(member.id, member);
  return [...byId.values()];
}

/** Phones of members without an ID number held in memory, at most (beyond, every phone may be one). */
const PHONE_ONLY_HELD = 100_000;

/**
 * The stored members without an ID number (added from rosters keyed by phone), as far as roster
 * rows with ID numbers need them: such a row whose ID number is new and whose phone is one of
 * theirs is that member (see MemberWriter.claimPhoneOnly). Read once per import and kept up to
 * date, so that a roster of ID numbers looks up no phone, unless its phone may be one of theirs.
 */
class PhoneOnlyMembers {
  loaded = false;
  private count = 0;
  /** Their phones; null when there are more than PHONE_ONLY_HELD (any phone may then be one). */
  private phones: Set<string> | null = null;
  constructor(private readonly handle: DbHandle) {}

  async load(): Promise<void> {
    if (this.loaded) return;
    const rows = await this.handle.db.selectFrom('members').select('phone').where('id_number', 'is', null).limit(PHONE_ONLY_HELD + 1).execute();
    this.count = rows.length;
    this.phones = rows.length > PHONE_ONLY_HELD ? null : new Set(rows.flatMap((row) => (row.phone ? [row.phone] : [])));
    this.loaded = true;
  }

  /** Whether a stored member without an ID number may have this phone (after load()). */
  mayHave(phone: string): boolean {
    return this.count > 0 && (this.phones === null || this.phones.has(phone));
  }

  /** A member without an ID number was added. */
  added(phone: string): void {
    if (!this.loaded) return; // load() will count it
    this.count++;
    this.phones?.add(phone);
  }

  /** A member without an ID number was given one. (Their phone stays in the set: at worst a look-up for nothing.) */
  claimed(): void {
    if (this.loaded && this.phones !== null) this.count--;
  }
}

/** Of the stored members without an ID number who share a row's phone, the one it names: the only one, else the only one of its name. */
function pickPhoneOnly(candidates: StoredMember[], name: string): StoredMember | undefined {
  if (candidates.length === 1) return candidates[0];
  const named = candidates.filter((m) => personName(m.name) === name);
  return named.length === 1 ? named[0] : undefined;
}

export class MemberWriter {
  private readonly selectByIdNumber;
  private readonly selectByPhone;
  private readonly selectPhoneOnly;
  private readonly phoneOnly: PhoneOnlyMembers;
  private readonly insert;
  private readonly insertNew;
  private readonly update;
  private readonly deferral: IndexDeferral;
  /** member id → row number of the first row of the current file that gave it. */
  private seenRows = new NumbersById();
  /** Names of the import's member sheets so far (the last is being written), and their files. */
  private sheetNames: string[] = [];
  private sheetFiles: string[] = [];
  private fileName = '';
  /** member id → index in sheetNames of the sheet of that first row, when not the first sheet. */
  private seenSheets = new NumbersById();
  readonly touchedOrgs = new Set<number>();
  /** member id → 1 for every member the import's rosters gave (for --full-roster). */
  private readonly seenMembers = new NumbersById();
  /** On PostgreSQL, rows are written in chunks (see prefetch): what the chunk's ID numbers hold. */
  private chunk: MemberChunk | null = null;

  constructor(private readonly ctx: WriteContext) {
    const { handle } = ctx;
    const { db } = handle;
    this.selectByIdNumber = handle.prepare(db.selectFrom('members').select(['id', ...MEMBER_COLUMNS]).where('id_number', '=', param('id_number')), ['id_number']);
    const byPhone = () => db.selectFrom('members').select(['id', ...MEMBER_COLUMNS]).where('phone', '=', param('phone'));
    this.selectByPhone = handle.prepare(byPhone().orderBy('id').limit(PHONE_CANDIDATES), ['phone']);
    this.selectPhoneOnly = handle.prepare(byPhone().where('id_number', 'is', null).orderBy('id').limit(PHONE_CANDIDATES), ['phone']);
    this.phoneOnly = new PhoneOnlyMembers(handle);
    const values = Object.fromEntries(MEMBER_COLUMNS.map((column) => [column, param(column)])) as Record<MemberColumn, never>;
    const newValues = Object.fromEntries(NEW_MEMBER_COLUMNS.map((column) => [column, param(column)])) as Record<NewMemberColumn, never>;
    this.insert = handle.prepareInsert(db.insertInto('members').values({ ...newValues, created_at: param('now'), updated_at: param('now') }), [...NEW_MEMBER_COLUMNS, 'now']);
    // A new member with an ID number (nearly every roster row) costs this one statement: the
    // unique ID number tells an existing member, who then takes the update path.
    this.insertNew = handle.prepareInsert(
      db
        .insertInto('members')
        .values({ ...newValues, created_at: param('now'), updated_at: param('now') })
        .onConflict((oc) => oc.column('id_number').doNothing()),
      [...NEW_MEMBER_COLUMNS, 'now'],
    );
    // members_town too: a new member's place in it (town, unit) is random, and building it
    // once at the end measured faster (about 0.5 s of 18.5 s for a million members).
    this.deferral = new IndexDeferral(handle, 'members', ['members_phone', 'members_name', 'members_org', 'members_town']);
    // The facts follow the organisation's unit and, for a member with no current check-in, the
    // residence (given as the statement's own value: the row's is the one before the update).
    this.update = handle.prepare(
      db
        .updateTable('members')
        .set((eb) => ({
          ...values,
          unit_id: param('unit_id'),
          place_town_id: placeTown(eb, eb.ref('members.current_community_id'), eb.val(param('residence_community_id'))),
          updated_at: param('now'),
        }))
        .where('id', '=', param('id')),
      [...MEMBER_COLUMNS, 'unit_id', 'now', 'id'],
    );
  }

  /** A new file starts. A member repeated in another file of the same import, with other values,
   * is a conflict as within a file: which one won would depend on the order of the files. */
  startFile(file: string): void {
    this.fileName = file;
  }

  /** A member sheet starts (a conflicting repeat names the sheet, and the file, of the first row
   * when they are others). */
  startSheet(name: string): void {
    this.sheetNames.push(name);
    this.sheetFiles.push(this.fileName);
  }

  /** A roster row that was not imported (--skip-invalid) names this member: present in the file
   * all the same, so --full-roster does not mark them departed. */
  async markPresent(key: { idNumber: string | null; phone: string | null }): Promise<void> {
    let found: { id: number } | undefined;
    if (key.idNumber) found = await this.selectByIdNumber.get<{ id: number }>({ id_number: key.idNumber });
    if (!found && key.phone) {
      await this.ctx.handle.restoreIndexes(); // a bulk load may have deferred members_phone
      const byPhone = await this.selectByPhone.all<{ id: number }>({ phone: key.phone });
      if (byPhone.length === 1) found = byPhone[0];
    }
    if (found) this.seenMembers.set(found.id, 1);
  }

  /** The first row of the current file that gives this member. */
  private markSeen(memberId: number, rowNumber: number): void {
    this.seenRows.set(memberId, rowNumber);
    const sheet = this.sheetNames.length - 1;
    if (sheet > 0) this.seenSheets.set(memberId, sheet);
  }

  /**
   * Before a chunk of roster rows, on a server: read the stored members of all their ID numbers
   * in one query, so that each row is decided without a round trip and new members are inserted
   * together by flush(), many rows per statement. (SQLite answers each statement in
   * microseconds, in process: there the rows are written one by one.)
   */
  async prefetch(records: MemberRecord[]): Promise<void> {
    await this.flush();
    this.chunk = null;
    if (this.ctx.handle.dialect !== 'postgres') return;
    const ids = [...new Set(recordsWithIdNumbers(records))];
    const chunk: MemberChunk = { stored: new Map(), absent: new Set(ids), pending: [], pendingRows: new Map(), phoneOnly: null };
    const { db } = this.ctx.handle;
    await inSlices(ids, async (slice) => {
      const found = await db.selectFrom('members').select(['id', ...MEMBER_COLUMNS]).where('id_number', 'in', slice).execute();
      for (const member of found) {
        chunk.stored.set(member.id_number!, member as StoredMember);
        chunk.absent.delete(member.id_number!);
      }
    });
    // New ID numbers whose phone may be a stored member's without one: those members, in one query.
    if (ids.length > 0) await this.phoneOnly.load();
    const phones = [...new Set(records.flatMap((r) => (r.idNumber && r.phone && chunk.absent.has(r.idNumber) && this.phoneOnly.mayHave(r.phone) ? [r.phone] : [])))];
    if (phones.length > 0) {
      const phoneOnly = new Map<string, StoredMember[]>();
      await inSlices(phones, async (slice) => {
        const found = await db.selectFrom('members').select(['id', ...MEMBER_COLUMNS]).where('phone', 'in', slice).where('id_number', 'is', null).orderBy('id').execute();
        for (const member of found as StoredMember[]) phoneOnly.set(member.phone!, [...(phoneOnly.get(member.phone!) ?? []), member]);
      });
      chunk.phoneOnly = phoneOnly;
    }
    this.chunk = chunk;
  }

  /** Insert the members a chunk added, many rows per statement; a no-op when none are waiting. */
  async flush(): Promise<void> {
    const chunk = this.chunk;
    if (!chunk || chunk.pending.length === 0) return;
    const pending = chunk.pending.splice(0);
    // 16 columns a row: well under PostgreSQL's 65,535 parameters a statement.
    for (let i = 0; i < pending.length; i += 2_000) {
      const inserted = await this.ctx.handle.db
        .insertInto('members')
        .values(pending.slice(i, i + 2_000) as never)
        .returning(['id', 'id_number'])
        .execute();
      for (const { id, id_number } of inserted) {
        this.markSeen(id, chunk.pendingRows.get(id_number!)!);
        this.seenMembers.set(id, 1);
      }
    }
    for (const values of pending) {
      chunk.absent.delete(values.id_number as string);
      chunk.pendingRows.delete(values.id_number as string);
    }
    this.chunk = null; // the inserted members are read again by the next prefetch
  }

  async write(record: MemberRecord, rowNumber: number, header: HeaderOf): Promise<WriteResult> {
    const { catalog, today, now } = this.ctx;
    let org = catalog.findOrg(record.org, record.unit);
    if (!('found' in org) && !org.ambiguous?.length && record.unit) {
      org = { found: await catalog.createOrg(record.org, (await catalog.ensureUnit(record.unit)).id) };
    }
    if (!('found' in org)) return lookupProblem(org, header('org'), record.org, 'ingest.unknownOrgNoUnit', 'ingest.ambiguousOrg');
    let residence: CommunityInfo | null = null;
    if (record.residenceCommunity) {
      const community = await resolveCommunity(catalog, record.residenceCommunity, record.residenceTown, (f) => header(f === 'community' ? 'residenceCommunity' : f), true);
      if (Array.isArray(community)) return community;
      residence = community;
    }
    const residenceId = residence?.id ?? null;

    let stored: StoredMember | undefined;
    let pendingFirstRow: number | undefined;
    const chunk = this.chunk;
    if (record.idNumber && chunk && (chunk.absent.has(record.idNumber) || chunk.stored.has(record.idNumber))) {
      const firstRow = chunk.pendingRows.get(record.idNumber);
      if (chunk.absent.has(record.idNumber) && firstRow === undefined) {
        stored = this.claimInChunk(chunk, record);
        if (!stored) {
          // New, and first in this chunk: inserted with the others by flush().
          const values = this.newMemberValues(record, org.found, residence, today);
          values.created_at = now;
          values.updated_at = now;
          chunk.pending.push(values);
          chunk.pendingRows.set(record.idNumber, rowNumber);
          chunk.stored.set(record.idNumber, { id: -1, ...(values as unknown as Omit<StoredMember, 'id'>) });
          this.touchedOrgs.add(org.found.id);
          await this.deferral.rowInserted();
          return 'added';
        }
      } else {
        stored = chunk.stored.get(record.idNumber);
        pendingFirstRow = firstRow;
      }
    } else if (record.idNumber) {
      // Only where some stored member has no ID number, and may have this row's phone.
      if (record.phone) {
        if (!this.phoneOnly.loaded) await this.phoneOnly.load();
        if (this.phoneOnly.mayHave(record.phone)) stored = await this.claimPhoneOnly(record.idNumber, record.phone, record.name);
      }
      if (!stored) {
        const id = await this.insertIfNew(record, org.found, residence, now, today);
        if (id !== undefined) {
          this.touchedOrgs.add(org.found.id);
          this.markSeen(id, rowNumber);
          this.seenMembers.set(id, 1);
          return 'added';
        }
        stored = await this.selectByIdNumber.get<StoredMember>({ id_number: record.idNumber });
      }
    } else if (record.phone) {
      // No ID number (no ID column, an empty cell, or a masked number): the phone is the key.
      await this.flush(); // members waiting in a chunk must be found by phone too
      await this.ctx.handle.restoreIndexes(); // a bulk load may have deferred members_phone
      const found = await this.selectByPhone.all<StoredMember>({ phone: record.phone });
      // Members sharing the phone (an older roster's, or ID numbers' rosters): told apart by the
      // name, or the visible characters of a masked ID number; one alone is the member whatever
      // the name (a corrected name updates it).
      stored = found.length === 1 ? found[0] : tellApartByPhone(found, record.name, record.maskedId);
      if (found.length > 1 && !stored) return [{ column: header('phone'), value: record.phone, reason: t('ingest.phoneAmbiguous') }];
    }

    const incoming: Partial<Record<MemberColumn, string | number | null>> = {
      id_number: record.idNumber,
      phone: record.phone,
      name: record.name,
      gender: record.gender,
      ethnicity: record.ethnicity,
      birth_date: record.birthDate,
      org_id: org.found.id,
      job_title: record.jobTitle,
      category: record.category,
      residence_community_id: residenceId,
      joined_on: record.joinedOn,
    };
    if (record.statusKind) {
      incoming.status = record.status;
      incoming.status_kind = record.statusKind;
      incoming.departed_on =
        record.statusKind === 'departed' ? record.changeDate ?? (stored?.status_kind === 'departed' ? stored.departed_on : today) : null;
    }
    this.touchedOrgs.add(org.found.id);

    if (!stored) {
      const row = Object.fromEntries(MEMBER_COLUMNS.map((c) => [c, incoming[c] ?? null])) as Record<NewMemberColumn, unknown>;
      row.status_kind ??= 'active';
      row.unit_id = org.found.unitId;
      row.place_town_id = residence?.townId ?? null;
      const id = (await this.insert.insert({ ...row, now }))!;
      await this.deferral.rowInserted();
      this.markSeen(id, rowNumber);
      this.seenMembers.set(id, 1);
      if (!record.idNumber && record.phone) {
        this.phoneOnly.added(record.phone);
        // A later row of the open chunk with a new ID number and this phone is this member.
        if (this.chunk) {
          const phoneOnly = (this.chunk.phoneOnly ??= new Map());
          phoneOnly.set(record.phone, [...(phoneOnly.get(record.phone) ?? []), { id, ...row } as unknown as StoredMember]);
        }
      }
      return 'added';
    }

    const changes: MemberColumn[] = [];
    for (const column of MEMBER_COLUMNS) {
      const value = incoming[column];
      if (value === undefined) continue;
      if (value === null && column !== 'departed_on') continue; // never blank a stored value
      if (stored[column] !== value) changes.push(column);
    }
    const firstRow = pendingFirstRow ?? this.seenRows.get(stored.id);
    if (pendingFirstRow === undefined) this.seenMembers.set(stored.id, 1);
    if (firstRow !== undefined) {
      if (changes.length === 0) return 'unchanged';
      // (Two stored columns may come from one header: 人员状态 gives status and status_kind.)
      const columns = [...new Set(changes.map((c) => columnHeader(c, header)))].join(t('common.listSeparator'));
      // The first row in another sheet of the workbook: named, or "row 2" would read as this row.
      const firstSheet = pendingFirstRow === undefined ? (this.seenSheets.get(stored.id) ?? 0) : this.sheetNames.length - 1;
      const current = this.sheetNames.length - 1;
      const reason =
        firstSheet === current || this.sheetNames[firstSheet] === undefined
          ? t('ingest.duplicateConflict', { row: firstRow, columns })
          : this.sheetFiles[firstSheet] !== this.sheetFiles[current]
            ? t('ingest.duplicateConflictFile', { file: this.sheetFiles[firstSheet], sheet: this.sheetNames[firstSheet], row: firstRow, columns })
            : t('ingest.duplicateConflictSheet', { sheet: this.sheetNames[firstSheet], row: firstRow, columns });
      return [{ column: header(record.idNumber ? 'idNumber' : 'phone'), value: record.idNumber ?? record.phone ?? '', reason }];
    }
    this.markSeen(stored.id, rowNumber);
    if (changes.length === 0) return 'unchanged';
    const next = { ...stored } as Record<string, unknown>;
    for (const column of changes) next[column] = incoming[column];
    await this.update.run({ ...(next as Record<MemberColumn, unknown>), unit_id: org.found.unitId, now, id: stored.id });
    if (record.idNumber && chunk?.stored.has(record.idNumber)) chunk.stored.set(record.idNumber, next as StoredMember);
    if (stored.id_number === null && next.id_number !== null) this.phoneOnly.claimed();
    return 'updated';
  }

  /**
   * SPEC §3: a roster row whose ID number no member has, and whose phone belongs to a stored
   * member without an ID number (one a roster keyed by phone added), is that member: the ID
   * number is filled in rather than a second member added. Several such members sharing the
   * phone: the name tells them apart, else the row is a new member.
   */
  private async claimPhoneOnly(idNumber: string, phone: string, name: string): Promise<StoredMember | undefined> {
    await this.ctx.handle.restoreIndexes(); // a bulk load may have deferred members_phone
    const member = pickPhoneOnly(await this.selectPhoneOnly.all<StoredMember>({ phone }), name);
    if (!member) return undefined;
    // Only a new ID number: a member who has it is the one (the insert path finds them).
    if (await this.selectByIdNumber.get<StoredMember>({ id_number: idNumber })) return undefined;
    return member;
  }

  /** claimPhoneOnly for a row of a chunk, whose ID number prefetch() found new: from the chunk's members without one. */
  private claimInChunk(chunk: MemberChunk, record: MemberRecord): StoredMember | undefined {
    const candidates = record.phone ? chunk.phoneOnly?.get(record.phone) : undefined;
    if (!candidates) return undefined;
    const member = pickPhoneOnly(candidates, record.name);
    if (!member) return undefined;
    chunk.phoneOnly!.set(record.phone!, candidates.filter((m) => m !== member));
    // A later row of the chunk with this ID number is the same member.
    chunk.absent.delete(record.idNumber!);
    chunk.stored.set(record.idNumber!, member);
    return member;
  }

  /** The columns of a new member's row (timestamps aside). */
  private newMemberValues(record: MemberRecord, org: OrgInfo, residence: CommunityInfo | null, today: string): Record<string, unknown> {
    const departed = record.statusKind === 'departed';
    return {
      id_number: record.idNumber,
      phone: record.phone,
      name: record.name,
      gender: record.gender,
      ethnicity: record.ethnicity,
      birth_date: record.birthDate,
      org_id: org.id,
      job_title: record.jobTitle,
      category: record.category,
      residence_community_id: residence?.id ?? null,
      status: record.statusKind ? record.status : null,
      status_kind: record.statusKind ?? 'active',
      departed_on: departed ? (record.changeDate ?? today) : null,
      joined_on: record.joinedOn,
      unit_id: org.unitId,
      place_town_id: residence?.townId ?? null,
    };
  }

  /** Insert the member of this row unless the ID number is known: the new id, else undefined. */
  private async insertIfNew(record: MemberRecord, org: OrgInfo, residence: CommunityInfo | null, now: string, today: string): Promise<number | undefined> {
    const values = this.newMemberValues(record, org, residence, today);
    values.now = now; // the statement's one parameter for both timestamps
    const id = await this.insertNew.insert(values as Record<NewMemberColumn | 'now', unknown>);
    if (id === undefined) return undefined;
    await this.deferral.rowInserted();
    return id;
  }

  /** --full-roster: members of the organisations this file covered who were not in it leave. */
  async departAbsent(): Promise<{ total: number; byOrg: Map<number, number> }> {
    await this.flush();
    const { handle, today, now } = this.ctx;
    const byOrg = new Map<number, number>();
    if (this.touchedOrgs.size === 0) return { total: 0, byOrg };
    await handle.restoreIndexes(); // members_org, if this import deferred it
    const absent = await handle.db
      .selectFrom('members')
      .select(['id', 'org_id'])
      .where('org_id', 'in', [...this.touchedOrgs])
      .where('status_kind', '!=', 'departed')
      .execute();
    let count = 0;
    for (const { id, org_id } of absent) {
      if (this.seenMembers.get(id) !== undefined) continue;
      await handle.db
        .updateTable('members')
        .set({ status: '调出', status_kind: 'departed', departed_on: today, updated_at: now })
        .where('id', '=', id)
        .execute();
      byOrg.set(org_id, (byOrg.get(org_id) ?? 0) + 1);
      count++;
    }
    return { total: count, byOrg };
  }
}

function columnHeader(column: MemberColumn, header: HeaderOf): string {
  const field: Record<MemberColumn, string> = {
    id_number: 'idNumber',
    phone: 'phone',
    name: 'name',
    gender: 'gender',
    ethnicity: 'ethnicity',
    birth_date: 'birthDate',
    org_id: 'org',
    job_title: 'jobTitle',
    category: 'category',
    residence_community_id: 'residenceCommunity',
    status: 'status',
    status_kind: 'status',
    departed_on: 'changeDate',
    joined_on: 'joinedOn',
  };
  return header(field[column]);
}

/**
 * Check-in and activity registers on a server, a chunk of rows at a time: their members and
 * the records already stored for them are read in one query each, new records are inserted
 * together by flush() (SQLite answers each statement in process: there rows go one by one).
 */
class EventChunk<Stored> {
  /** Key of a record → what is stored (id -1: waiting to be inserted by flush). */
  readonly stored = new Map<string, Stored>();
  readonly pending: Array<Record<string, unknown>> = [];

  /**
   * The chunk of these rows on a server (null on SQLite): their members preloaded by `finder`,
   * and the records stored for them, read a slice of member ids at a time as [key, stored].
   */
  static async open<Stored>(
    handle: DbHandle,
    finder: MemberFinder,
    records: Array<{ idNumber: string | null }>,
    readStored: (memberIds: number[]) => Promise<Array<[string, Stored]>>,
  ): Promise<EventChunk<Stored> | null> {
    if (handle.dialect !== 'postgres') return null;
    const members = await finder.preload(recordsWithIdNumbers(records));
    const chunk = new EventChunk<Stored>();
    await inSlices(members, async (slice) => {
      for (const [key, stored] of await readStored(slice)) chunk.stored.set(key, stored);
    });
    return chunk;
  }

  /** The chunk's new records, 2,000 rows a statement (well under PostgreSQL's 65,535 parameters). */
  async insertPending(handle: DbHandle, table: 'checkins' | 'activities'): Promise<void> {
    for (let i = 0; i < this.pending.length; i += 2_000) await handle.db.insertInto(table).values(this.pending.slice(i, i + 2_000) as never).execute();
  }
}

function recordsWithIdNumbers(records: Array<{ idNumber: string | null }>): string[] {
  return records.map((record) => record.idNumber).filter((id): id is string => Boolean(id));
}

function checkinKey(memberId: number, communityId: number, date: string): string {
  return `${memberId}|${communityId}|${date}`;
}

function activityKey(memberId: number, date: string, communityId: number, category: string): string {
  return `${memberId}|${date}|${communityId}|${category}`;
}


export class CheckinWriter {
  private readonly finder: MemberFinder;
  private readonly facts: MemberFacts;
  private readonly find;
  private readonly insert;
  private readonly updatePost;
  private readonly deferral: IndexDeferral;

  private chunk: EventChunk<{ id: number; post: string | null; waiting?: Record<string, unknown> }> | null = null;
  /** Members whose facts the chunk's new check-ins change (recomputed by flush). */
  private readonly touched = new Set<number>();

  constructor(private readonly ctx: WriteContext) {
    const { handle } = ctx;
    const { db } = handle;
    this.finder = new MemberFinder(handle);
    this.facts = new MemberFacts(handle);
    this.find = handle.prepare(
      db
        .selectFrom('checkins')
        .select(['id', 'post'])
        .where('member_id', '=', param('member_id'))
        .where('community_id', '=', param('community_id'))
        .where('date', '=', param('date')),
      ['member_id', 'community_id', 'date'],
    );
    this.updatePost = handle.prepare(db.updateTable('checkins').set({ post: param('post') }).where('id', '=', param('id')), ['id', 'post']);
    this.insert = handle.prepare(
      db
        .insertInto('checkins')
        .values({
          member_id: param('member_id'),
          community_id: param('community_id'),
          date: param('date'),
          post: param('post'),
          created_at: param('created_at'),
        })
        .onConflict((oc) => oc.columns(['member_id', 'community_id', 'date']).doNothing()),
      ['member_id', 'community_id', 'date', 'post', 'created_at'],
    );
    // A check-in moves its member in the report indexes of members too (members_town, and
    // members_org for the first one): a bulk load builds them once at the end.
    this.deferral = new IndexDeferral(handle, 'checkins', ['checkins_community_date', 'members_org', 'members_town']);
  }

  async write(record: CheckinRecord, header: HeaderOf): Promise<WriteResult> {
    const memberId = await this.finder.resolve(record, header);
    if (Array.isArray(memberId)) return memberId;
    const community = await resolveCommunity(this.ctx.catalog, record.community, record.town, header, true);
    if (Array.isArray(community)) return community;
    return this.record(memberId, community.id, record.date, record.post);
  }

  /** Before a chunk of rows, on a server: see EventChunk. */
  async prefetch(records: CheckinRecord[]): Promise<void> {
    await this.flush();
    const { db } = this.ctx.handle;
    this.chunk = await EventChunk.open(this.ctx.handle, this.finder, records, async (slice) => {
      const rows = await db.selectFrom('checkins').select(['id', 'member_id', 'community_id', 'date', 'post']).where('member_id', 'in', slice).execute();
      return rows.map((row) => [checkinKey(row.member_id, row.community_id, row.date), { id: row.id, post: row.post }]);
    });
  }

  /** Insert the chunk's new check-ins together, then bring their members' facts up to date. */
  async flush(): Promise<void> {
    const chunk = this.chunk;
    this.chunk = null;
    this.finder.forget();
    if (!chunk) return;
    await chunk.insertPending(this.ctx.handle, 'checkins');
    const members = [...this.touched];
    this.touched.clear();
    await inSlices(members, (slice) => this.facts.refreshAll(slice));
  }

  /** One check-in, idempotent on (member, community, date). */
  async record(memberId: number, communityId: number, date: string, post: string | null): Promise<Outcome> {
    const chunk = this.chunk;
    if (chunk) {
      const key = checkinKey(memberId, communityId, date);
      const existing = chunk.stored.get(key);
      if (!existing) {
        const row = { member_id: memberId, community_id: communityId, date, post, created_at: this.ctx.now };
        chunk.pending.push(row);
        chunk.stored.set(key, { id: -1, post, waiting: row });
        this.touched.add(memberId);
        return 'added';
      }
      if (post === null || existing.post === post) return 'unchanged';
      // Still waiting in this chunk: changed in place, before it is inserted.
      if (existing.waiting) existing.waiting.post = post;
      else await this.updatePost.run({ id: existing.id, post });
      existing.post = post;
      return 'updated';
    }
    // Insert first: a new check-in (the common case) is one statement; the key finds a stored one.
    const inserted = await this.insert.run({ member_id: memberId, community_id: communityId, date, post, created_at: this.ctx.now });
    if (inserted.changes === 1) {
      await this.deferral.rowInserted();
      await this.facts.checkinAdded(memberId, communityId, date);
      return 'added';
    }
    const existing = (await this.find.get<{ id: number; post: string | null }>({ member_id: memberId, community_id: communityId, date }))!;
    if (post !== null && existing.post !== post) {
      await this.updatePost.run({ id: existing.id, post });
      return 'updated';
    }
    return 'unchanged';
  }
}

export class ActivityWriter {
  private readonly finder: MemberFinder;
  private readonly find;
  private readonly insert;
  private readonly update;
  private readonly deferral: IndexDeferral;

  private chunk: EventChunk<{ id: number; hours: number | null; points: number | null; note: string | null; waiting?: Record<string, unknown> }> | null = null;

  constructor(private readonly ctx: WriteContext) {
    const { handle } = ctx;
    const { db } = handle;
    this.finder = new MemberFinder(handle);
    this.find = handle.prepare(
      db
        .selectFrom('activities')
        .select(['id', 'hours', 'points', 'note'])
        .where('member_id', '=', param('member_id'))
        .where('date', '=', param('date'))
        .where('community_id', '=', param('community_id'))
        .where('category', '=', param('category')),
      ['member_id', 'date', 'community_id', 'category'],
    );
    this.update = handle.prepare(
      db.updateTable('activities').set({ hours: param('hours'), points: param('points'), note: param('note') }).where('id', '=', param('id')),
      ['id', 'hours', 'points', 'note'],
    );
    this.insert = handle.prepare(
      db
        .insertInto('activities')
        .values({
          member_id: param('member_id'),
          community_id: param('community_id'),
          date: param('date'),
          category: param('category'),
          hours: param('hours'),
          points: param('points'),
          note: param('note'),
          created_at: param('created_at'),
        })
        .onConflict((oc) => oc.columns(['member_id', 'date', 'community_id', 'category']).doNothing()),
      ['member_id', 'community_id', 'date', 'category', 'hours', 'points', 'note', 'created_at'],
    );
    this.deferral = new IndexDeferral(handle, 'activities', ['activities_date']);
  }

  async write(record: ActivityRecord, header: HeaderOf): Promise<WriteResult> {
    const memberId = await this.finder.resolve(record, header);
    if (Array.isArray(memberId)) return memberId;
    const community = await resolveCommunity(this.ctx.catalog, record.community, record.town, header, true);
    if (Array.isArray(community)) return community;
    return this.record(memberId, community.id, record);
  }

  /** Before a chunk of rows, on a server: see EventChunk. */
  async prefetch(records: ActivityRecord[]): Promise<void> {
    await this.flush();
    const { db } = this.ctx.handle;
    this.chunk = await EventChunk.open(this.ctx.handle, this.finder, records, async (slice) => {
      const rows = await db
        .selectFrom('activities')
        .select(['id', 'member_id', 'date', 'community_id', 'category', 'hours', 'points', 'note'])
        .where('member_id', 'in', slice)
        .execute();
      return rows.map((row) => [activityKey(row.member_id, row.date, row.community_id, row.category), row]);
    });
  }

  /** Insert the chunk's new activities together. */
  async flush(): Promise<void> {
    const chunk = this.chunk;
    this.chunk = null;
    this.finder.forget();
    if (!chunk) return;
    await chunk.insertPending(this.ctx.handle, 'activities');
  }

  async record(memberId: number, communityId: number, a: Pick<ActivityRecord, 'date' | 'category' | 'hours' | 'points' | 'note'>): Promise<Outcome> {
    const key = { member_id: memberId, date: a.date, community_id: communityId, category: a.category };
    const chunk = this.chunk;
    if (chunk) {
      const chunkKey = activityKey(memberId, a.date, communityId, a.category);
      const existing = chunk.stored.get(chunkKey);
      if (!existing) {
        const row = { ...key, hours: a.hours, points: a.points, note: a.note, created_at: this.ctx.now };
        chunk.pending.push(row);
        chunk.stored.set(chunkKey, { id: -1, hours: a.hours, points: a.points, note: a.note, waiting: row });
        return 'added';
      }
      const next = { hours: a.hours ?? existing.hours, points: a.points ?? existing.points, note: a.note ?? existing.note };
      if (next.hours === existing.hours && next.points === existing.points && next.note === existing.note) return 'unchanged';
      // A record waiting in this chunk is changed in place, before it is inserted.
      if (existing.waiting) Object.assign(existing.waiting, next);
      else await this.update.run({ id: existing.id, ...next });
      Object.assign(existing, next);
      return 'updated';
    }
    // Insert first: a new activity is one statement; the key finds a stored one.
    if ((await this.insert.run({ ...key, hours: a.hours, points: a.points, note: a.note, created_at: this.ctx.now })).changes === 1) {
      await this.deferral.rowInserted();
      return 'added';
    }
    const existing = (await this.find.get<{ id: number; hours: number | null; points: number | null; note: string | null }>(key))!;
    const next = { hours: a.hours ?? existing.hours, points: a.points ?? existing.points, note: a.note ?? existing.note };
    if (next.hours === existing.hours && next.points === existing.points && next.note === existing.note) return 'unchanged';
    await this.update.run({ id: existing.id, ...next });
    return 'updated';
  }
}
