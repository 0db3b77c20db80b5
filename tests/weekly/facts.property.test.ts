// A randomized check of the per-member facts behind the weekly report and the rate table by
// town (members.unit_id, members.place_town_id and the check-in facts): a small random city is
// built and changed through the real writers (imports of rosters and registers, single
// check-ins, voids and reinstatements, members moving organisation or residence through
// re-imports, an organisation moved to another unit, departures and exemptions), and then, for
// several weeks, weeklyFigures and countsByTown are compared with a plain reference computed
// from the raw rows (the check-in history, not the facts). Seeded: the same cities every run.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dbTarget } from '../helpers/backend.js';
import { generator, type Random } from '../helpers/random.js';
import { numbersThrough } from '../../src/db/numbers.js';
import { openDatabase, type DbHandle } from '../../src/db/open.js';
import { countsByTown, type RateCounts } from '../../src/db/queries/rate.js';
import { UNKNOWN_TOWN, weeklyFigures, type WeeklyRow } from '../../src/db/queries/weekly.js';
import { recordCheckin, voidCheckin } from '../../src/db/recording.js';
import { idCheckDigit } from '../../src/domain/idNumber.js';
import type { Kind } from '../../src/ingest/fields.js';
import { importFiles } from '../../src/ingest/importFiles.js';

function idFor(n: number): string {
  const first17 = `11010219700101${String(n).padStart(3, '0')}`;
  return first17 + idCheckDigit(first17);
}

const TODAY = '2026-11-21';
const clock = { today: TODAY, now: `${TODAY}T09:00:00.000Z` };

const TOWNS = ['东城街道', '西城街道', '南镇'];
/** [town, community]: two communities of the same name in different towns, too. */
const COMMUNITIES: Array<[string, string]> = [
  ['东城街道', '东一社区'],
  ['东城街道', '东二社区'],
  ['西城街道', '西一社区'],
  ['西城街道', '东一社区'],
  ['南镇', '南村'],
  ['南镇', '北村'],
];
const UNITS = ['甲局', '乙院', '丙厂', '丁所'];
/** [organisation, unit] */
const ORGS: Array<[string, string]> = [
  ['甲局一支部', '甲局'],
  ['甲局二支部', '甲局'],
  ['乙院党支部', '乙院'],
  ['丙厂一支部', '丙厂'],
  ['丙厂二支部', '丙厂'],
  ['丁所党支部', '丁所'],
];

/** A day of 2026 from day n of the year (0 = 2026-01-01). */
function day(n: number): string {
  return new Date(Date.UTC(2026, 0, 1 + n)).toISOString().slice(0, 10);
}

interface Person {
  n: number;
  /** ID number, or '' for a member known by phone only. */
  id: string;
  phone: string;
  name: string;
  org: string;
  residence: [string, string] | null;
  status: string;
  changeDate: string;
}

/** How the tests name a member to the recording commands. */
const key = (p: Person) => p.id || p.phone;

function csvField(value: string | number | undefined): string {
  const text = value === undefined ? '' : String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

class City {
  private fileNo = 0;
  readonly people: Person[] = [];
  /** [organisation, unit], as this city has them now. */
  readonly orgs = ORGS.map(([org, unit]): [string, string] => [org, unit]);
  /** Voided check-ins that may be typed in again: [person, community, date]. */
  readonly voided: Array<[Person, [string, string], string]> = [];
  private constructor(
    readonly handle: DbHandle,
    readonly dir: string,
    readonly random: Random,
  ) {}

  static async make(seed: number): Promise<City> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dbd-facts-'));
    const handle = await openDatabase(dbTarget(path.join(dir, 'city.sqlite')));
    const city = new City(handle, dir, generator(seed));
    await city.import('communities', ['街道', '社区'], COMMUNITIES);
    await city.import('orgs', ['党组织名称', '单位名称'], city.orgs);
    return city;
  }

  async import(kind: Kind, header: string[], rows: Array<Array<string | number | undefined>>): Promise<void> {
    if (rows.length === 0) return;
    const file = path.join(this.dir, `${++this.fileNo}-${kind}.csv`);
    fs.writeFileSync(file, [header, ...rows].map((r) => r.map(csvField).join(',')).join('\n') + '\n');
    const result = await importFiles(this.handle, [file], { kind, today: TODAY });
    if (!result.written || result.errorCount > 0) {
      throw new Error(`import of ${kind} failed: ${JSON.stringify(result.files.map((f) => f.sheets.map((s) => s.errors)))}`);
    }
  }

  /** A random status: mostly on the roster; some exempt, some departed (dated or, as the
   * roster leaves it, on the import date). */
  private status(): [string, string] {
    const r = this.random;
    if (r.chance(0.08)) return [r.pick(['免报到', '外派']), ''];
    if (r.chance(0.1)) return ['调出', r.chance(0.8) ? day(r.int(320)) : ''];
    return ['', ''];
  }

  private residence(): [string, string] | null {
    return this.random.chance(0.1) ? null : this.random.pick(COMMUNITIES);
  }

  addPeople(count: number): Promise<void> {
    const r = this.random;
    for (let i = 0; i < count; i++) {
      const n = this.people.length + 1;
      const [status, changeDate] = this.status();
      this.people.push({
        n,
        id: r.chance(0.05) ? '' : idFor(n),
        phone: `1390000${String(n).padStart(4, '0')}`,
        name: `党员${n}`,
        org: r.pick(this.orgs)[0],
        residence: this.residence(),
        status,
        changeDate,
      });
    }
    return this.roster(this.people);
  }

  roster(people: Person[]): Promise<void> {
    return this.import(
      'members',
      ['身份证号', '姓名', '联系电话', '所在党组织', '人员状态', '变动日期', '居住地社区', '所属街道'],
      people.map((p) => [p.id, p.name, p.phone, p.org, p.status, p.changeDate, p.residence?.[1], p.residence?.[0]]),
    );
  }

  /** Members with an ID number (the registers name them by it). */
  private withId(): Person[] {
    return this.people.filter((p) => p.id);
  }

  /** A register of check-ins: new ones, and moves to communities in other towns. */
  async checkinRegister(count: number, days: number): Promise<void> {
    const r = this.random;
    const rows: string[][] = [];
    for (let i = 0; i < count; i++) {
      const p = r.pick(this.withId());
      const [town, community] = r.pick(COMMUNITIES);
      rows.push([p.id, community, town, day(r.int(days))]);
    }
    await this.import('checkins', ['身份证号', '报到社区', '所属街道', '报到时间'], rows);
  }

  /** Single check-ins as `dbd checkin` records them (phone-only members too). */
  async singleCheckins(count: number, days: number): Promise<void> {
    const r = this.random;
    for (let i = 0; i < count; i++) {
      const p = r.pick(this.people);
      const [town, community] = r.pick(COMMUNITIES);
      await recordCheckin(this.handle, { member: key(p), community, town, date: day(r.int(days)) }, clock);
    }
  }

  /** Void some members' current check-ins (the one before becomes current). */
  async voids(count: number): Promise<void> {
    const r = this.random;
    for (let i = 0; i < count; i++) {
      const p = r.pick(this.people);
      const member = await this.memberId(p);
      const current = await this.handle.db
        .selectFrom('checkins')
        .innerJoin('communities', 'communities.id', 'checkins.community_id')
        .innerJoin('towns', 'towns.id', 'communities.town_id')
        .select(['towns.name as town', 'communities.name as community', 'checkins.date'])
        .where('checkins.member_id', '=', member)
        .where('checkins.voided_at', 'is', null)
        .orderBy('checkins.date', 'desc')
        .orderBy('checkins.id', 'desc')
        .executeTakeFirst();
      if (!current) continue;
      await voidCheckin(this.handle, { member: key(p), reason: '登记有误' }, clock);
      this.voided.push([p, [current.town, current.community], current.date]);
    }
  }

  /** Type some voided check-ins in again: they count again. */
  async reinstate(count: number): Promise<void> {
    for (let i = 0; i < count && this.voided.length > 0; i++) {
      const [p, [town, community], date] = this.voided.splice(this.random.int(this.voided.length), 1)[0];
      await recordCheckin(this.handle, { member: key(p), community, town, date }, clock);
    }
  }

  /** Re-import some members with another organisation, residence or status. */
  async changePeople(count: number): Promise<void> {
    const r = this.random;
    const changed = new Set<Person>();
    for (let i = 0; i < count; i++) {
      const p = r.pick(this.people);
      const what = r.int(3);
      if (what === 0) p.org = r.pick(this.orgs)[0];
      else if (what === 1) p.residence = this.random.pick(COMMUNITIES); // an empty cell never blanks one
      else [p.status, p.changeDate] = this.status();
      changed.add(p);
    }
    await this.roster([...changed]);
  }

  /** Move an organisation to another unit (an organisation roster giving a new 单位名称). */
  async moveOrg(): Promise<void> {
    const r = this.random;
    const org = r.pick(this.orgs);
    org[1] = r.pick(UNITS.filter((u) => u !== org[1]));
    await this.import('orgs', ['党组织名称', '单位名称'], [[org[0], org[1]]]);
  }

  async activities(count: number, days: number): Promise<void> {
    const r = this.random;
    const rows: Array<Array<string | number>> = [];
    for (let i = 0; i < count; i++) {
      const p = r.pick(this.withId());
      const [town, community] = r.pick(COMMUNITIES);
      rows.push([p.id, community, town, day(r.int(days)), r.pick(['文体活动', '治安巡逻', '助老助残']), r.int(8) / 2]);
    }
    await this.import('activities', ['身份证号', '社区', '街道', '活动日期', '服务类别', '服务时长'], rows);
  }

  private async memberId(p: Person): Promise<number> {
    const query = this.handle.db.selectFrom('members').select('id');
    const row = await (p.id ? query.where('id_number', '=', p.id) : query.where('phone', '=', p.phone)).executeTakeFirstOrThrow();
    return row.id;
  }

  async close(): Promise<void> {
    await this.handle.close();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The raw rows, as stored: roster, organisations, communities, every check-in and activity. */
async function rawRows(db: DbHandle['db']) {
  const [members, orgs, communities, towns, units, checkins, activities] = await Promise.all([
    db.selectFrom('members').select(['id', 'org_id', 'residence_community_id', 'status_kind', 'departed_on']).execute(),
    db.selectFrom('orgs').select(['id', 'unit_id']).execute(),
    db.selectFrom('communities').select(['id', 'town_id']).execute(),
    db.selectFrom('towns').select(['id', 'name']).execute(),
    db.selectFrom('units').select(['id', 'name']).execute(),
    db.selectFrom('checkins').select(['id', 'member_id', 'community_id', 'date', 'voided_at']).execute(),
    db.selectFrom('activities').select(['member_id', 'community_id', 'date', 'hours']).execute(),
  ]);
  return { members, orgs, communities, towns, units, checkins, activities };
}
type Raw = Awaited<ReturnType<typeof rawRows>>;

/** SPEC §6 and §7 from the history, member by member. */
function reference(raw: Raw) {
  const unitOfOrg = new Map(raw.orgs.map((o) => [o.id, o.unit_id]));
  const townOf = new Map(raw.communities.map((c) => [c.id, c.town_id]));
  const valid = new Map<number, Array<{ id: number; community_id: number; date: string }>>();
  for (const c of raw.checkins) {
    if (c.voided_at !== null) continue;
    const list = valid.get(c.member_id) ?? [];
    list.push(c);
    valid.set(c.member_id, list);
  }
  const expectedOn = (m: Raw['members'][number], d: string) =>
    m.status_kind !== 'exempt' && (m.departed_on !== null ? m.departed_on > d : m.status_kind !== 'departed');
  /** Town (null: none) and first valid check-in of a member as of D. */
  const placed = (m: Raw['members'][number], d: string) => {
    const history = valid.get(m.id) ?? [];
    const first = history.reduce<string | null>((min, c) => (min === null || c.date < min ? c.date : min), null);
    let latest: (typeof history)[number] | undefined;
    for (const c of history) {
      if (c.date > d) continue;
      if (!latest || c.date > latest.date || (c.date === latest.date && c.id > latest.id)) latest = c;
    }
    const community = latest ? latest.community_id : m.residence_community_id;
    return { town: community === null ? null : townOf.get(community) ?? null, first };
  };
  return { unitOfOrg, townOf, expectedOn, placed };
}

function referenceWeekly(raw: Raw, start: string, end: string, townId?: number | null): WeeklyRow[] {
  const { unitOfOrg, townOf, expectedOn, placed } = reference(raw);
  const townName = new Map(raw.towns.map((t) => [t.id, t.name]));
  const unitName = new Map(raw.units.map((u) => [u.id, u.name]));
  const rows = new Map<string, WeeklyRow & { townId: number | null }>();
  const row = (town: number | null, unit: number) => {
    const k = `${town}|${unit}`;
    let r = rows.get(k);
    if (!r) {
      r = { townId: town, town: town === null ? UNKNOWN_TOWN : townName.get(town)!, unit: unitName.get(unit)!, expected: 0, reported: 0, newThisWeek: 0, activities: 0, hours: 0, pairedCommunities: 0 };
      rows.set(k, r);
    }
    return r;
  };
  for (const m of raw.members) {
    if (!expectedOn(m, end)) continue;
    const { town, first } = placed(m, end);
    const r = row(town, unitOfOrg.get(m.org_id)!);
    r.expected++;
    if (first !== null && first <= end) r.reported++;
    if (first !== null && first >= start && first <= end) r.newThisWeek++;
  }
  const orgOf = new Map(raw.members.map((m) => [m.id, m.org_id]));
  for (const a of raw.activities) {
    if (a.date < start || a.date > end) continue;
    const r = row(townOf.get(a.community_id)!, unitOfOrg.get(orgOf.get(a.member_id)!)!);
    r.activities++;
    r.hours += a.hours ?? 0;
  }
  return [...rows.values()]
    .filter((r) => townId === undefined || r.townId === townId)
    .filter((r) => r.expected || r.reported || r.newThisWeek || r.activities || r.hours)
    .map(({ townId: _townId, ...r }) => r);
}

function referenceByTown(raw: Raw, asOf: string, minActivities: number): Map<number | null, RateCounts> {
  const { expectedOn, placed } = reference(raw);
  const year = asOf.slice(0, 4);
  const activityCount = new Map<number, number>();
  for (const a of raw.activities) if (a.date.startsWith(year) && a.date <= asOf) activityCount.set(a.member_id, (activityCount.get(a.member_id) ?? 0) + 1);
  const out = new Map<number | null, RateCounts>();
  for (const m of raw.members) {
    if (!expectedOn(m, asOf)) continue;
    const { town, first } = placed(m, asOf);
    const counts = out.get(town) ?? { expected: 0, reported: 0, shortfall: 0 };
    counts.expected++;
    if (first !== null && first <= asOf) {
      counts.reported++;
      if (minActivities > 0 && (activityCount.get(m.id) ?? 0) < minActivities) counts.shortfall++;
    }
    out.set(town, counts);
  }
  return out;
}

const byKey = (rows: WeeklyRow[]) => [...rows].sort((a, b) => (a.town + '|' + a.unit < b.town + '|' + b.unit ? -1 : 1));
const entries = (map: Map<number | null, RateCounts>) => [...map].sort((a, b) => String(a[0]).localeCompare(String(b[0])));

/** Weeks (Monday..Sunday) to look at: before any check-in, through the year, after the last. */
const WEEKS: Array<[string, string]> = [
  ['2025-12-22', '2025-12-28'],
  ['2026-01-05', '2026-01-11'],
  ['2026-03-02', '2026-03-08'],
  ['2026-05-25', '2026-05-31'],
  ['2026-08-10', '2026-08-16'],
  ['2026-10-26', '2026-11-01'],
  ['2026-11-09', '2026-11-15'],
  ['2026-11-16', '2026-11-22'],
];

async function compareAll(city: City): Promise<void> {
  const raw = await rawRows(city.handle.db);
  const townIds = raw.towns.map((t) => t.id);
  for (const [start, end] of WEEKS) {
    const where = `week ${start}..${end}`;
    const want = byKey(referenceWeekly(raw, start, end));
    expect(byKey(await weeklyFigures(city.handle.db, { start, end })), where).toEqual(want);
    // Split between two readers by town, as with a helper thread (here a second reader on the
    // same connection): the same figures, and in the same order.
    const split = await weeklyFigures(city.handle.db, { start, end }, { helper: numbersThrough(city.handle.db) });
    expect(byKey(split), `${where}, split`).toEqual(want);
    expect(split, `${where}, split, in order`).toEqual(await weeklyFigures(city.handle.db, { start, end }));
    // One town, and the members of no known town.
    for (const townId of [city.random.pick(townIds), null]) {
      expect(byKey(await weeklyFigures(city.handle.db, { start, end, townId })), `${where}, town ${townId}`).toEqual(byKey(referenceWeekly(raw, start, end, townId)));
    }
    for (const minActivities of [0, 2]) {
      expect(entries(await countsByTown(city.handle.db, { asOf: end, minActivities })), `rate by town on ${end}, minimum ${minActivities}`).toEqual(
        entries(referenceByTown(raw, end, minActivities)),
      );
    }
  }
}

/** The facts as stored agree with the organisations and the history. */
async function compareFacts(city: City): Promise<void> {
  const raw = await rawRows(city.handle.db);
  const { unitOfOrg, placed } = reference(raw);
  const stored = await city.handle.db.selectFrom('members').select(['id', 'unit_id', 'place_town_id']).orderBy('id').execute();
  const byId = new Map(raw.members.map((m) => [m.id, m]));
  const want = stored.map((s) => {
    const m = byId.get(s.id)!;
    return { id: s.id, unit_id: unitOfOrg.get(m.org_id), place_town_id: placed(m, '9999-12-31').town };
  });
  expect(stored).toEqual(want);
}

const cities: City[] = [];
afterAll(async () => {
  for (const city of cities) await city.close();
});

describe('weekly figures and rate by town from the facts, against the history', () => {
  for (const seed of [1, 2, 3]) {
    it(`random city ${seed}`, async () => {
      const city = await City.make(seed);
      cities.push(city);
      await city.addPeople(220);
      // Early in the year: check-ins up to March, then more of everything, round by round.
      await city.checkinRegister(150, 60);
      await city.activities(60, 60);
      await compareAll(city);
      for (let round = 1; round <= 3; round++) {
        const days = Math.min(60 + round * 90, 323); // up to 2026-11-20, before today
        await city.addPeople(30);
        await city.checkinRegister(120, days);
        await city.singleCheckins(25, days);
        await city.voids(20);
        await city.reinstate(6);
        await city.changePeople(40);
        if (round !== 3) await city.moveOrg();
        await city.activities(60, days);
        await compareFacts(city);
      }
      await compareAll(city);
      // States no writer leaves (a first check-in and a current community, no current date):
      // still counted exactly, by the general rule.
      const reported = await city.handle.db.selectFrom('members').select('id').where('current_checkin_on', 'is not', null).orderBy('id').execute();
      const undated = reported.filter((_, i) => i % 7 === 0).map((m) => m.id);
      await city.handle.db.updateTable('members').set({ current_checkin_on: null }).where('id', 'in', undated).execute();
      await compareAll(city);
    }, 120_000);
  }
});
