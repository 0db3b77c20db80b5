// The rules of SPEC §6 on small databases built through the real import and recording code.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OrgTree } from '../../src/db/queries/orgTree.js';
import { recordCheckin, voidCheckin } from '../../src/db/recording.js';
import { DEFAULT_THRESHOLD, parseThreshold, type Threshold } from '../../src/domain/rates.js';
import { setLang } from '../../src/i18n/index.js';
import { renderTerminal } from '../../src/render/terminal.js';
import { belowOnly, buildRateReport, rateDocument, rateTable, rollUp, type RateBy, type RateReport } from '../../src/report/rate.js';
import { idFor, makeWorld, membersOf, type World } from './world.js';

const threshold = (text: string): Threshold => parseThreshold(text)!;

let world: World;
beforeEach(async () => {
  setLang('zh');
  world = await makeWorld();
});
afterEach(async () => {
  await world.close();
});

function report(asOf = '2026-11-21', by: RateBy = 'org', options: { threshold?: Threshold; minActivities?: number } = {}): Promise<RateReport> {
  return buildRateReport(world.handle.db, { asOf, by, threshold: options.threshold ?? DEFAULT_THRESHOLD, minActivities: options.minActivities ?? 2 });
}

function row(r: RateReport, key: string) {
  const found = r.rows.find((x) => x.org === key || x.shortName === key || x.unit === key || x.town === key || x.category === key);
  if (!found) throw new Error(`no row ${key} in ${JSON.stringify(r.rows)}`);
  return found;
}

const clock = { today: '2026-11-21', now: '2026-11-21T10:00:00.000Z' };

describe('exact threshold', () => {
  it('9 of 10 at 0.9 is not below; 899 of 1000 is', async () => {
    const ten = membersOf('一支部', 10, 0);
    const thousand = membersOf('乙支部', 1000, 1000);
    await world.members([...ten, ...thousand]);
    await world.checkins([
      ...ten.slice(0, 9).map((m) => ({ id: m.id, community: '青山社区', date: '2026-03-01' })),
      ...thousand.slice(0, 899).map((m) => ({ id: m.id, community: '花园社区', date: '2026-03-01' })),
    ]);
    const r = await report();
    expect(row(r, '一支部')).toMatchObject({ expected: 10, reported: 9, below: false });
    expect(row(r, '乙支部')).toMatchObject({ expected: 1000, reported: 899, below: true });
    const doc = rateDocument(r);
    expect(doc.rows.find((x) => x.org === '甲单位第一支部')?.rate).toBe(0.9);
    expect(doc.rows.find((x) => x.org === '乙单位支部')?.rate).toBe(0.899);
    // The threshold is a parameter: at 0.8 neither is below, at 0.91 both are.
    expect((await report('2026-11-21', 'org', { threshold: threshold('0.8') })).rows.filter((x) => x.below)).toEqual([]);
    const at91 = await report('2026-11-21', 'org', { threshold: threshold('91%') });
    expect(at91.rows.filter((x) => x.below).map((x) => x.shortName)).toEqual(['乙支部', '一支部']); // code-point order of full names
    // A total below the threshold is filled red too (908 of 1010 by unit is below 90%); at 0.8 not.
    const byUnit = rateTable(await report('2026-11-21', 'unit'));
    expect(byUnit.totals).toHaveLength(1);
    expect(byUnit.highlight!(byUnit.totals![0])).toBe(true);
    const lenient = rateTable(await report('2026-11-21', 'unit', { threshold: threshold('0.8') }));
    expect(lenient.highlight!(lenient.totals![0])).toBe(false);
  });

  it('shows rates truncated, so a rate below the threshold never shows as 90.00%', async () => {
    const members = membersOf('乙支部', 1000, 2000);
    await world.members(members);
    await world.checkins(members.slice(0, 899).map((m) => ({ id: m.id, community: '花园社区', date: '2026-03-01' })));
    let text = renderTerminal(rateTable(await report()), { color: false });
    expect(text).toContain('89.90%');
    await world.checkins(members.slice(899, 900).map((m) => ({ id: m.id, community: '花园社区', date: '2026-03-01' })));
    text = renderTerminal(rateTable(await report()), { color: false });
    expect(text).toContain('90.00%');
    expect(text).not.toContain('不得评为年度先进党组织');
  });

  it('truncates 17/19 to 89.47% and 2/3 to 66.66%, never rounding up', async () => {
    const a = membersOf('一支部', 19, 0);
    const b = membersOf('乙支部', 3, 100);
    await world.members([...a, ...b]);
    await world.checkins([...a.slice(0, 17), ...b.slice(0, 2)].map((m) => ({ id: m.id, community: '青山社区', date: '2026-03-01' })));
    const table = rateTable(await report());
    const byOrg = new Map(table.rows.map((r) => [r.shortName, r]));
    expect(byOrg.get('一支部')?.rate).toBe(0.8947);
    expect(byOrg.get('乙支部')?.rate).toBe(0.6666);
    const text = renderTerminal(table, { color: false });
    expect(text).toContain('89.47%');
    expect(text).toContain('66.66%');
    expect(text).not.toContain('66.67%');
  });
});

describe('expected members', () => {
  it('gives an undefined rate, never below, when nobody is expected', async () => {
    await world.members([...membersOf('乙支部', 2, 0, { status: '外派' }), ...membersOf('一支部', 1, 10)]);
    const r = await report();
    expect(row(r, '乙支部')).toMatchObject({ expected: 0, reported: 0, below: false });
    expect(rateDocument(r).rows.find((x) => x.org === '乙单位支部')).toEqual({ org: '乙单位支部', unit: '乙单位', expected: 0, reported: 0, rate: null, below: false });
    const text = renderTerminal(rateTable(r), { color: false });
    expect(text.split('\n').find((line) => line.startsWith('乙单位支部'))).toContain('—');
    expect(belowOnly(r).rows.map((x) => x.shortName)).toEqual(['一支部']);
  });

  it('excludes exempt members, even those who checked in', async () => {
    const active = membersOf('一支部', 2, 0);
    const exempt = [
      { id: idFor(10), name: '病休者', org: '一支部', status: '长期病休' },
      { id: idFor(11), name: '援派者', org: '一支部', status: '援派' },
    ];
    await world.members([...active, ...exempt]);
    await world.checkins([active[0], exempt[0]].map((m) => ({ id: m.id, community: '青山社区', date: '2026-03-01' })));
    expect(row(await report(), '一支部')).toMatchObject({ expected: 2, reported: 1 });
  });

  it('counts a member who left after D as expected on D, and not from the day they left', async () => {
    const stays = membersOf('一支部', 3, 0);
    const leaves = { id: idFor(9), name: '调出者', org: '一支部', status: '调出', changeDate: '2026-09-30' };
    await world.members([...stays, leaves]);
    await world.checkins([leaves, stays[0]].map((m) => ({ id: m.id, community: '青山社区', date: '2026-03-01' })));
    expect(row(await report('2026-06-30'), '一支部')).toMatchObject({ expected: 4, reported: 2 });
    expect(row(await report('2026-09-29'), '一支部')).toMatchObject({ expected: 4, reported: 2 });
    expect(row(await report('2026-09-30'), '一支部')).toMatchObject({ expected: 3, reported: 1 });
  });

  it('lists an organisation whose members have all left only for dates before they left; one of exempt members stays', async () => {
    await world.members([
      ...membersOf('一支部', 2, 0),
      { id: idFor(7), name: '调出者', org: '乙支部', status: '调出', changeDate: '2026-09-30' },
      { id: idFor(8), name: '外派者', org: '二支部', status: '外派' },
    ]);
    for (const minActivities of [0, 2]) {
      const listed = async (asOf: string) => (await report(asOf, 'org', { minActivities })).rows.map((x) => x.shortName).sort();
      expect(await listed('2026-09-29')).toEqual(['一支部', '乙支部', '二支部'].sort());
      expect(row(await report('2026-09-29', 'org', { minActivities }), '乙支部')).toMatchObject({ expected: 1, reported: 0 });
      expect(await listed('2026-09-30')).toEqual(['一支部', '二支部'].sort());
      expect(row(await report('2026-09-30', 'org', { minActivities }), '二支部')).toMatchObject({ expected: 0, reported: 0 });
    }
  });

  it('takes a departure without a date as the import date', async () => {
    await world.members([...membersOf('一支部', 2, 0), { id: idFor(5), name: '退休者', org: '一支部', status: '退休' }]);
    expect(row(await report('2026-11-20'), '一支部').expected).toBe(3);
    expect(row(await report('2026-11-21'), '一支部').expected).toBe(2);
  });
});

describe('reported members as of a date', () => {
  it('does not count a check-in dated after the as-of date', async () => {
    const [m] = membersOf('一支部', 1, 0);
    await world.members([m]);
    await world.checkins([{ id: m.id, community: '青山社区', date: '2026-03-05' }]);
    expect(row(await report('2026-03-04'), '一支部')).toMatchObject({ expected: 1, reported: 0, below: true });
    expect(row(await report('2026-03-05'), '一支部')).toMatchObject({ expected: 1, reported: 1, below: false });
  });

  it('counts from the first valid check-in even after the member moved', async () => {
    const [m] = membersOf('一支部', 1, 0);
    await world.members([m]);
    await world.checkins([
      { id: m.id, community: '青山社区', date: '2026-03-05' },
      { id: m.id, community: '白沙社区', town: '白沙街道', date: '2026-11-10' },
    ]);
    expect(row(await report('2026-04-01'), '一支部').reported).toBe(1);
  });

  it('voiding the current check-in makes the earlier one current; voiding all stops counting', async () => {
    const [m] = membersOf('一支部', 1, 0);
    await world.members([m]);
    await world.checkins([
      { id: m.id, community: '青山社区', date: '2026-03-05' },
      { id: m.id, community: '白沙社区', town: '白沙街道', date: '2026-11-10' },
    ]);
    expect(row(await report('2026-11-21', 'town'), '白沙街道').reported).toBe(1);
    const first = await voidCheckin(world.handle, { member: m.id, reason: '报错社区' }, clock);
    expect(first.voided).toMatchObject({ community: '白沙社区', date: '2026-11-10', voidReason: '报错社区' });
    expect(first.current).toMatchObject({ community: '青山社区', town: '青山街道', date: '2026-03-05' });
    expect(row(await report('2026-11-21', 'town'), '青山街道')).toMatchObject({ expected: 1, reported: 1 });
    expect((await report('2026-11-21', 'town')).rows.map((x) => x.town)).toEqual(['青山街道']);
    const second = await voidCheckin(world.handle, { member: m.id, reason: '未实际报到' }, clock);
    expect(second.current).toBeNull();
    expect(row(await report(), '一支部')).toMatchObject({ expected: 1, reported: 0 });
  });

  it('a voided first check-in does not count for earlier dates either', async () => {
    const [m] = membersOf('一支部', 1, 0);
    await world.members([m]);
    await recordCheckin(world.handle, { member: m.id, community: '花园社区', date: '2026-02-01' }, clock);
    await recordCheckin(world.handle, { member: m.id, community: '青山社区', town: '青山街道', date: '2026-05-01' }, clock);
    // Void the current (May): February becomes current and still counts as of March.
    await voidCheckin(world.handle, { member: m.id, reason: 'x' }, clock);
    expect(row(await report('2026-03-01'), '一支部').reported).toBe(1);
    // Void February too: as of March nobody had reported.
    await voidCheckin(world.handle, { member: m.id, reason: 'y' }, clock);
    expect(row(await report('2026-03-01'), '一支部').reported).toBe(0);
  });
});

describe('roll-up through the organisation tree', () => {
  it('lists organisations with members of their own, each covering its whole subtree', async () => {
    await world.members([
      ...membersOf('甲党委', 2, 0),
      ...membersOf('一支部', 4, 10),
      ...membersOf('二支部', 3, 20),
      ...membersOf('二支部', 1, 30, { status: '外派' }),
    ]);
    await world.checkins([idFor(0), idFor(10), idFor(11), idFor(12), idFor(13), idFor(20)].map((id) => ({ id, community: '青山社区', date: '2026-03-01' })));
    const r = await report();
    // 甲总支 has no members of its own: not listed, but counted in 甲党委.
    expect(r.rows.map((x) => x.shortName)).toEqual(['甲党委', '一支部', '二支部']);
    expect(row(r, '甲党委')).toMatchObject({ expected: 9, reported: 6, below: true });
    expect(row(r, '一支部')).toMatchObject({ expected: 4, reported: 4, below: false });
    expect(row(r, '二支部')).toMatchObject({ expected: 3, reported: 1, below: true });
    expect(row(await report('2026-11-21', 'unit'), '甲单位')).toMatchObject({ expected: 9, reported: 6 });
  });

  it('rollUp sums own counts over each subtree and survives a loop', () => {
    const tree = new OrgTree();
    const node = (id: number, parentId: number | null, children: number[]) =>
      tree.byId.set(id, { id, name: `o${id}`, shortName: null, unitId: 1, unitName: 'u', parentId, category: null, townId: null, children });
    node(1, null, [2, 3]);
    node(2, 1, [4]);
    node(3, 1, []);
    node(4, 2, [1]); // a loop back to the top: must not hang
    const own = new Map([
      [1, { expected: 2, reported: 1, shortfall: 0 }],
      [3, { expected: 5, reported: 5, shortfall: 2 }],
      [4, { expected: 3, reported: 0, shortfall: 0 }],
    ]);
    const out = rollUp(tree, own);
    expect([...out.keys()].sort()).toEqual([1, 3, 4]);
    expect(out.get(1)).toEqual({ expected: 10, reported: 6, shortfall: 2 });
    expect(out.get(3)).toEqual({ expected: 5, reported: 5, shortfall: 2 });
    expect(out.get(4)).toEqual({ expected: 10, reported: 6, shortfall: 2 });
  });
});

describe('grouping by town and category', () => {
  it('places members by their check-in as of the date, else their residence, else 未知', async () => {
    const mover = { id: idFor(1), name: '转移者', org: '一支部', community: '花园社区', town: '青山街道' };
    const resident = { id: idFor(2), name: '未报到者', org: '一支部', community: '白沙社区', town: '白沙街道' };
    const nowhere = { id: idFor(3), name: '无居住地', org: '一支部' };
    await world.members([mover, resident, nowhere]);
    await world.checkins([
      { id: mover.id, community: '青山社区', town: '青山街道', date: '2026-03-05' },
      { id: mover.id, community: '白沙社区', town: '白沙街道', date: '2026-11-10' },
    ]);
    const towns = async (asOf: string) =>
      Object.fromEntries((await report(asOf, 'town')).rows.map((x) => [x.town ?? '未知', `${x.reported}/${x.expected}`]));
    expect(await towns('2026-03-04')).toEqual({ 青山街道: '0/1', 白沙街道: '0/1', 未知: '0/1' });
    expect(await towns('2026-11-09')).toEqual({ 青山街道: '1/1', 白沙街道: '0/1', 未知: '0/1' });
    expect(await towns('2026-11-10')).toEqual({ 白沙街道: '1/2', 未知: '0/1' });
    const doc = rateDocument(await report('2026-11-10', 'town'));
    expect(doc.rows).toEqual([
      { town: '白沙街道', expected: 2, reported: 1, rate: 0.5, below: true },
      { town: '未知', expected: 1, reported: 0, rate: 0, below: true },
    ]);
  });

  it('groups by 管理类别, an empty one last, and leaves out groups with nobody expected', async () => {
    await world.members([
      ...membersOf('一支部', 2, 0, { category: '区管' }),
      ...membersOf('一支部', 1, 10, { category: '市管' }),
      ...membersOf('一支部', 1, 20),
      ...membersOf('乙支部', 2, 30, { category: '其他', status: '驻外' }),
    ]);
    await world.checkins([{ id: idFor(0), community: '青山社区', date: '2026-03-01' }]);
    const r = await report('2026-11-21', 'category');
    expect(r.rows.map((x) => [x.category, x.reported, x.expected])).toEqual([
      ['区管', 1, 2],
      ['市管', 0, 1],
      [null, 0, 1],
    ]);
    expect(rateDocument(r).rows[2]).toEqual({ category: null, expected: 1, reported: 0, rate: 0, below: true });
    expect(rateTable(r).rows[2].category).toBe('未填写');
    // 乙单位 has only exempt members: left out of --by unit.
    expect((await report('2026-11-21', 'unit')).rows.map((x) => x.unit)).toEqual(['甲单位']);
  });
});

describe('volunteer service minimum', () => {
  it('counts reported members with fewer activities than the minimum in the calendar year up to D', async () => {
    const [none, one, two, late, notReported] = membersOf('一支部', 5, 0);
    await world.members([none, one, two, late, notReported]);
    await world.checkins([none, one, two, late].map((m) => ({ id: m.id, community: '青山社区', date: '2026-03-01' })));
    await world.activities([
      { id: one.id, community: '青山社区', date: '2026-04-01', category: '环境整治' },
      { id: one.id, community: '青山社区', date: '2025-12-31', category: '环境整治' }, // last year
      { id: two.id, community: '青山社区', date: '2026-04-01', category: '环境整治' },
      { id: two.id, community: '花园社区', date: '2026-04-01', category: '环境整治' },
      { id: late.id, community: '青山社区', date: '2026-01-01', category: '关爱帮扶' },
      { id: late.id, community: '青山社区', date: '2026-12-01', category: '关爱帮扶' }, // after D
    ]);
    expect(row(await report('2026-11-21', 'org', { minActivities: 2 }), '一支部')).toMatchObject({ expected: 5, reported: 4, shortfall: 3 });
    expect(row(await report('2026-12-31', 'org', { minActivities: 2 }), '一支部').shortfall).toBe(2);
    expect(row(await report('2026-11-21', 'org', { minActivities: 1 }), '一支部').shortfall).toBe(1);
    expect(row(await report('2026-11-21', 'org', { minActivities: 0 }), '一支部').shortfall).toBe(0);
    expect(rateTable(await report('2026-11-21', 'org', { minActivities: 0 })).columns.map((c) => c.key)).not.toContain('shortfall');
    const doc = rateDocument(await report('2026-11-21', 'org', { minActivities: 3 }), { includeShortfall: true });
    expect(doc.minActivities).toBe(3);
    expect(doc.rows[0]).toMatchObject({ org: '甲单位第一支部', activityShortfall: 4 });
    expect(Object.keys(rateDocument(await report()).rows[0])).toEqual(['org', 'unit', 'expected', 'reported', 'rate', 'below']);
  });
});

describe('the table model', () => {
  it('marks below rows with the verdict, highlighted, in Chinese and English', async () => {
    await world.members([...membersOf('一支部', 2, 0), ...membersOf('二支部', 1, 10)]);
    await world.checkins([{ id: idFor(10), community: '青山社区', date: '2026-03-01' }]);
    const r = await report();
    const table = rateTable(r);
    const below = table.rows.filter((x) => table.highlight!(x));
    expect(below.map((x) => [x.shortName, x.verdict])).toEqual([['一支部', '不得评为年度先进党组织']]);
    setLang('en');
    expect(rateTable(r).rows.find((x) => x.shortName === '一支部')?.verdict).toBe('not eligible for annual advanced rating');
    const coloured = renderTerminal(rateTable(belowOnly(r), { belowOnly: true }), { color: true });
    expect(coloured).toContain('\u001b[31m');
    expect(coloured).toContain('Organisations below 90% as of 2026-11-21: 1');
  });
});
