// Towns, communities, units and organisations, held in memory for one command (a city has a
// few thousand of them) so that resolving a name per imported row costs a map lookup.
// Names are matched across the usual variants: 社区居委会 = 社区, short names (简称), etc.
import { communityBaseName, communityWithoutTown, nameKey, normaliseText, pickTownVariant, suggestClosest, townStem } from '../domain/text.js';
import { t } from '../i18n/index.js';
import type { DbHandle, PreparedStatement } from './open.js';
import { param } from './open.js';

export interface CommunityInfo { id: number; name: string; baseName: string; townId: number; townName: string }
export interface OrgInfo {
  id: number;
  name: string;
  shortName: string | null;
  unitId: number;
  parentId: number | null;
  category: string | null;
  townId: number | null;
  code: string | null;
  secretary: string | null;
  phone: string | null;
}

/**
 * A name looked up: found, or missing with the closest names as suggestions, or ambiguous with
 * the candidates (notInUnit: an organisation's short name that the unit given beside it does
 * not resolve, none of the candidates being of that unit).
 */
export type Lookup<T> = { found: T } | { missing: true; suggestions: string[]; ambiguous?: string[]; notInUnit?: string };

/**
 * A miss whose "did you mean" suggestions are worked out only when read: they compare the
 * name with every known one, and most misses are names about to be created (an organisation
 * roster of 10,000 rows would otherwise cost minutes).
 */
function missing(suggest: () => string[]): Lookup<never> {
  let suggestions: string[] | undefined;
  return {
    missing: true,
    get suggestions() {
      return (suggestions ??= suggest());
    },
  };
}

export { nameKey };

const CREATED_KINDS = ['towns', 'communities', 'units', 'orgs'] as const;
type CreatedKind = (typeof CREATED_KINDS)[number];

/** A pure string function remembered: a million rows name the same few thousand places. */
function remembered(fn: (s: string) => string, limit = 50_000): (s: string) => string {
  let known = new Map<string, string>();
  return (s) => {
    let value = known.get(s);
    if (value === undefined) {
      if (known.size >= limit) known = new Map();
      value = fn(s);
      known.set(s, value);
    }
    return value;
  };
}
const lookupKey = remembered(nameKey);
const communityKey = remembered((name) => nameKey(communityBaseName(name)));

export class Catalog {
  readonly towns = new Map<string, { id: number; name: string }>();
  /** Towns by townStem, for the variants offices write (青山街道办事处 for 青山街道). */
  private readonly townsByStem = new Map<string, Array<{ id: number; name: string; kind: string }>>();
  readonly townNames = new Map<number, string>();
  private readonly communities = new Map<string, CommunityInfo>();
  private readonly communitiesByBase = new Map<string, CommunityInfo[]>();
  readonly communitiesById = new Map<number, CommunityInfo>();
  readonly units = new Map<string, { id: number; name: string }>();
  readonly unitNames = new Map<number, string>();
  private readonly orgsByName = new Map<string, OrgInfo>();
  private readonly orgsByShort = new Map<string, OrgInfo[]>();
  readonly orgsById = new Map<number, OrgInfo>();
  /** What the command created as references (a roster's organisation, a register's community),
   * in order: the summary names them, so that a name written another way, which made a new one,
   * is seen. A community is named with its town. */
  readonly createdNames: Record<CreatedKind, string[]> = { towns: [], communities: [], units: [], orgs: [] };

  /** While a row is written in a savepoint, how to undo what it added to the maps, and the
   * counts of references created before it. */
  private undoLog: Array<() => void> | null = null;
  private createdBefore = this.created;

  private constructor(
    private readonly statements: Statements,
    private readonly handle: DbHandle,
  ) {}

  /** Start recording changes so that a failed row can be undone (see rollbackRow). */
  beginRow(): void {
    this.undoLog = [];
    this.createdBefore = this.created;
  }

  commitRow(): void {
    this.undoLog = null;
  }

  rollbackRow(): void {
    const log = this.undoLog ?? [];
    this.undoLog = null;
    for (let i = log.length - 1; i >= 0; i--) log[i]();
    for (const kind of CREATED_KINDS) this.createdNames[kind].length = this.createdBefore[kind];
  }

  /** How many of each were created (createdNames). */
  get created(): Record<CreatedKind, number> {
    const { towns, communities, units, orgs } = this.createdNames;
    return { towns: towns.length, communities: communities.length, units: units.length, orgs: orgs.length };
  }

  private onUndo(fn: () => void): void {
    this.undoLog?.push(fn);
  }

  static async load(handle: DbHandle): Promise<Catalog> {
    const catalog = new Catalog(prepareStatements(handle), handle);
    const { db } = handle;
    for (const town of await db.selectFrom('towns').select(['id', 'name']).execute()) catalog.addTown(town.id, town.name);
    for (const c of await db.selectFrom('communities').select(['id', 'name', 'base_name', 'town_id']).execute()) {
      catalog.addCommunity({ id: c.id, name: c.name, baseName: c.base_name, townId: c.town_id, townName: catalog.townNames.get(c.town_id) ?? '' });
    }
    for (const unit of await db.selectFrom('units').select(['id', 'name']).execute()) catalog.addUnit(unit.id, unit.name);
    for (const o of await db.selectFrom('orgs').selectAll().execute()) {
      catalog.addOrg({ id: o.id, name: o.name, shortName: o.short_name, unitId: o.unit_id, parentId: o.parent_id, category: o.category, townId: o.town_id, code: o.code, secretary: o.secretary, phone: o.phone });
    }
    return catalog;
  }

  private addTown(id: number, name: string): void {
    this.towns.set(nameKey(name), { id, name });
    this.townNames.set(id, name);
    const { stem, kind } = townStem(name);
    const sameStem = this.townsByStem.get(stem) ?? [];
    sameStem.push({ id, name, kind });
    this.townsByStem.set(stem, sameStem);
    this.onUndo(() => {
      this.towns.delete(nameKey(name));
      this.townNames.delete(id);
      const list = this.townsByStem.get(stem) ?? [];
      list.splice(list.findIndex((t) => t.id === id), 1);
    });
  }

  private addCommunity(info: CommunityInfo): void {
    const base = nameKey(info.baseName);
    this.communities.set(`${info.townId}|${base}`, info);
    const list = this.communitiesByBase.get(base) ?? [];
    list.push(info);
    this.communitiesByBase.set(base, list);
    this.communitiesById.set(info.id, info);
    this.onUndo(() => {
      this.communities.delete(`${info.townId}|${base}`);
      this.communitiesByBase.set(base, (this.communitiesByBase.get(base) ?? []).filter((c) => c.id !== info.id));
      this.communitiesById.delete(info.id);
    });
  }

  private addUnit(id: number, name: string): void {
    this.units.set(nameKey(name), { id, name });
    this.unitNames.set(id, name);
    this.onUndo(() => {
      this.units.delete(nameKey(name));
      this.unitNames.delete(id);
    });
  }

  private addOrg(info: OrgInfo): void {
    if (!this.orgsById.has(info.id)) {
      this.onUndo(() => {
        this.orgsByName.delete(nameKey(info.name));
        this.orgsById.delete(info.id);
        if (info.shortName) {
          const key = nameKey(info.shortName);
          this.orgsByShort.set(key, (this.orgsByShort.get(key) ?? []).filter((org) => org.id !== info.id));
        }
      });
    }
    this.orgsByName.set(nameKey(info.name), info);
    this.orgsById.set(info.id, info);
    if (info.shortName) {
      const key = nameKey(info.shortName);
      const list = (this.orgsByShort.get(key) ?? []).filter((org) => org.id !== info.id);
      list.push(info);
      this.orgsByShort.set(key, list);
    }
  }

  /**
   * A town by its name, or by a variant of it: with its office suffix (青山街道办事处, 柳林镇人民政府)
   * or without its kind (青山), when exactly one town answers and the kinds do not differ
   * (青山镇 is not 青山街道: both may exist).
   */
  findTown(name: string): { id: number; name: string } | undefined {
    const exact = this.towns.get(lookupKey(name));
    if (exact) return exact;
    const wanted = townStem(name);
    const variant = pickTownVariant(this.townsByStem.get(wanted.stem) ?? [], wanted);
    if (!variant) return undefined;
    // Remembered under this spelling: a file that writes it so writes it on every row.
    const found = { id: variant.id, name: variant.name };
    const key = lookupKey(name);
    this.towns.set(key, found);
    this.onUndo(() => this.towns.delete(key));
    return found;
  }

  async ensureTown(name: string): Promise<number> {
    const found = this.findTown(name);
    if (found) return found.id;
    const clean = normaliseText(name);
    const id = (await this.statements.insertTown.get<{ id: number }>({ name: clean }))!.id;
    this.addTown(id, clean);
    this.createdNames.towns.push(clean);
    return id;
  }

  townSuggestions(name: string): string[] {
    return suggestClosest(name, [...this.townNames.values()]);
  }

  /**
   * A community by name, within a town when one is given. A reference (a register's, a roster's
   * residence) may write the community with its town (白沙街道滨江社区); a communities list names
   * each as it is (柳林镇中心村 may be a village's name): `asListed`.
   */
  findCommunity(name: string, town?: string | null, asListed = false): Lookup<CommunityInfo> {
    const base = communityKey(name);
    if (town) {
      const townInfo = this.findTown(town);
      const found = townInfo && (this.communities.get(`${townInfo.id}|${base}`) ?? (asListed ? undefined : this.writtenWithTown(name, townInfo, [town])));
      if (found) return { found };
      // The community exists, in another town: that is the likeliest slip, say where it is.
      const elsewhere = this.communitiesByBase.get(base);
      if (elsewhere?.length) return missing(() => elsewhere.map((c) => `${c.townName} ${c.name}`));
      return missing(() => this.communitySuggestions(name, townInfo?.id));
    }
    const list = this.communitiesByBase.get(base) ?? [];
    if (list.length === 0 && !asListed) {
      // Written with its town in the one column (白沙街道滨江社区): the town is the one written.
      for (const [id, townName] of this.townNames) {
        const withTown = this.writtenWithTown(name, { id, name: townName }, []);
        if (withTown) return { found: withTown };
      }
    }
    if (list.length === 1) return { found: list[0] };
    if (list.length > 1) return { missing: true, suggestions: [], ambiguous: list.map((c) => `${c.townName} ${c.name}`) };
    return missing(() => this.communitySuggestions(name));
  }

  /** A known community of this town written with the town's name (communityWithoutTown), remembered
   * under this spelling as findTown remembers a town's: a file that writes it so writes it on every row. */
  private writtenWithTown(name: string, town: { id: number; name: string }, written: string[]): CommunityInfo | undefined {
    const rest = communityWithoutTown(name, [...written, town.name]);
    const found = rest === undefined ? undefined : this.communities.get(`${town.id}|${communityKey(rest)}`);
    if (!found) return undefined;
    const key = `${town.id}|${communityKey(name)}`;
    this.communities.set(key, found);
    this.onUndo(() => this.communities.delete(key));
    return found;
  }

  private communitySuggestions(name: string, townId?: number): string[] {
    const all = [...this.communitiesById.values()].filter((c) => townId === undefined || c.townId === townId);
    const byName = new Map(all.map((c) => [c.name, c]));
    return suggestClosest(name, byName.keys()).map((n) => `${byName.get(n)!.townName} ${n}`);
  }

  /** Find or create a community named together with its town (creating the town too); asListed
   * as findCommunity's. */
  async ensureCommunity(name: string, town: string, code: string | null = null, asListed = false): Promise<{ info: CommunityInfo; created: boolean }> {
    const found = this.findCommunity(name, town, asListed);
    if ('found' in found) return { info: found.found, created: false };
    const townId = await this.ensureTown(town);
    // A new community a reference writes with its town (白沙街道新城社区) is named without it.
    const clean = normaliseText((asListed ? undefined : communityWithoutTown(name, [town, this.townNames.get(townId)!])) ?? name);
    const baseName = communityBaseName(clean);
    const id = (await this.statements.insertCommunity.get<{ id: number }>({ town_id: townId, name: clean, base_name: baseName, code }))!.id;
    const info = { id, name: clean, baseName, townId, townName: this.townNames.get(townId)! };
    this.addCommunity(info);
    this.createdNames.communities.push(`${info.townName} ${clean}`);
    return { info, created: true };
  }

  async updateCommunity(info: CommunityInfo, name: string, code: string | null): Promise<boolean> {
    const current = (await this.statements.selectCommunity.get<{ name: string; code: string | null }>({ id: info.id }))!;
    const nextName = normaliseText(name);
    const nextCode = code ?? current.code;
    if (current.name === nextName && current.code === nextCode) return false;
    await this.statements.updateCommunity.run({ id: info.id, name: nextName, code: nextCode });
    info.name = nextName;
    return true;
  }

  findUnit(name: string): { id: number; name: string } | undefined {
    return this.units.get(lookupKey(name));
  }

  async ensureUnit(name: string): Promise<{ id: number; created: boolean }> {
    const found = this.findUnit(name);
    if (found) return { id: found.id, created: false };
    const clean = normaliseText(name);
    const id = (await this.statements.insertUnit.get<{ id: number }>({ name: clean }))!.id;
    this.addUnit(id, clean);
    this.createdNames.units.push(clean);
    return { id, created: true };
  }

  /**
   * An organisation by full name, else by a short name that names exactly one. A short name that
   * several organisations share (第一支部 in two units) is resolved among the organisations of
   * `unit` when the row names one.
   */
  findOrg(name: string, unit?: string | null): Lookup<OrgInfo> {
    const key = lookupKey(name);
    const full = this.orgsByName.get(key);
    if (full) return { found: full };
    const short = this.orgsByShort.get(key) ?? [];
    if (short.length === 1) return { found: short[0] };
    if (short.length > 1) {
      let candidates = short;
      let notInUnit: string | undefined;
      if (unit) {
        const unitId = this.findUnit(unit)?.id;
        const inUnit = short.filter((org) => org.unitId === unitId);
        if (inUnit.length === 1) return { found: inUnit[0] };
        if (inUnit.length > 1) candidates = inUnit;
        else notInUnit = normaliseText(unit);
      }
      const ambiguous = candidates.map((org) => t('common.withNote', { text: org.name, note: this.unitNames.get(org.unitId) ?? '' }));
      return { missing: true, suggestions: [], ambiguous, ...(notInUnit ? { notInUnit } : {}) };
    }
    return missing(() => {
      const names = [...this.orgsById.values()].flatMap((org) => (org.shortName ? [org.name, org.shortName] : [org.name]));
      return suggestClosest(name, names);
    });
  }

  /** What a sheet of that kind created is its own (counted as added), not created alongside. */
  countAsOwn(kind: Exclude<CreatedKind, 'towns'>): void {
    this.createdNames[kind].pop();
  }

  async createOrg(name: string, unitId: number): Promise<OrgInfo> {
    const clean = normaliseText(name);
    const id = (await this.statements.insertOrg.get<{ id: number }>({ name: clean, unit_id: unitId }))!.id;
    const info: OrgInfo = { id, name: clean, shortName: null, unitId, parentId: null, category: null, townId: null, code: null, secretary: null, phone: null };
    this.addOrg(info);
    this.createdNames.orgs.push(clean);
    return info;
  }

  /** Store changed organisation fields; returns whether anything changed. */
  async updateOrg(info: OrgInfo, next: Partial<Omit<OrgInfo, 'id' | 'name'>>): Promise<boolean> {
    const merged = { ...info };
    let changed = false;
    for (const [key, value] of Object.entries(next) as Array<[keyof OrgInfo, never]>) {
      if (value === null || value === undefined) continue; // an empty cell never blanks a stored value
      if (merged[key] !== value) {
        (merged as Record<string, unknown>)[key] = value;
        changed = true;
      }
    }
    if (!changed) return false;
    await this.statements.updateOrg.run({
      id: info.id,
      short_name: merged.shortName,
      unit_id: merged.unitId,
      parent_id: merged.parentId,
      category: merged.category,
      town_id: merged.townId,
      code: merged.code,
      secretary: merged.secretary,
      phone: merged.phone,
    });
    if (merged.unitId !== info.unitId) {
      // Its members' unit fact follows, in the same transaction. The look-up by org_id needs
      // members_org, which a bulk load of members may have deferred.
      await this.handle.restoreIndexes();
      await this.statements.updateMembersUnit.run({ org_id: info.id, unit_id: merged.unitId });
    }
    const before = { ...info };
    this.onUndo(() => this.reindexOrg(info, before));
    this.reindexOrg(info, merged);
    return true;
  }

  /** Give an organisation known to the maps new fields: out of the short-name index under its
   * old short name, in under the new one. */
  private reindexOrg(info: OrgInfo, next: OrgInfo): void {
    if (info.shortName && info.shortName !== next.shortName) {
      const key = nameKey(info.shortName);
      this.orgsByShort.set(key, (this.orgsByShort.get(key) ?? []).filter((org) => org.id !== info.id));
    }
    Object.assign(info, next);
    this.addOrg(info);
  }

  /** Whether making `parentId` the parent of `orgId` would close a loop. */
  wouldCycle(orgId: number, parentId: number): boolean {
    for (let at: number | null = parentId; at !== null; at = this.orgsById.get(at)?.parentId ?? null) {
      if (at === orgId) return true;
    }
    return false;
  }
}

type Statements = ReturnType<typeof prepareStatements>;

function prepareStatements(handle: DbHandle) {
  const { db } = handle;
  return {
    insertTown: handle.prepare(db.insertInto('towns').values({ name: param('name') }).returning('id'), ['name']),
    insertCommunity: handle.prepare(
      db.insertInto('communities').values({ town_id: param('town_id'), name: param('name'), base_name: param('base_name'), code: param('code') }).returning('id'),
      ['town_id', 'name', 'base_name', 'code'],
    ),
    selectCommunity: handle.prepare(db.selectFrom('communities').select(['name', 'code']).where('id', '=', param('id')), ['id']),
    updateCommunity: handle.prepare(
      db.updateTable('communities').set({ name: param('name'), code: param('code') }).where('id', '=', param('id')),
      ['id', 'name', 'code'],
    ),
    insertUnit: handle.prepare(db.insertInto('units').values({ name: param('name') }).returning('id'), ['name']),
    insertOrg: handle.prepare(db.insertInto('orgs').values({ name: param('name'), unit_id: param('unit_id') }).returning('id'), ['name', 'unit_id']),
    updateOrg: handle.prepare(
      db
        .updateTable('orgs')
        .set({
          short_name: param('short_name'),
          unit_id: param('unit_id'),
          parent_id: param('parent_id'),
          category: param('category'),
          town_id: param('town_id'),
          code: param('code'),
          secretary: param('secretary'),
          phone: param('phone'),
        })
        .where('id', '=', param('id')),
      ['id', 'short_name', 'unit_id', 'parent_id', 'category', 'town_id', 'code', 'secretary', 'phone'],
    ),
    updateMembersUnit: handle.prepare(db.updateTable('members').set({ unit_id: param('unit_id') }).where('org_id', '=', param('org_id')), ['org_id', 'unit_id']),
  } satisfies Record<string, PreparedStatement<string>>;
}
