// Each attribution rule of SPEC §7 on a small purpose-built city (see smallCity.ts):
// the member's town as of the week's end, expected/reported, new this week, activities,
// pairings, and which units appear.
import { beforeAll, describe, expect, it } from 'vitest';
import { dbTarget } from '../helpers/backend.js';
import { openDatabase } from '../../src/db/open.js';
import { parseWeek } from '../../src/domain/weeks.js';
import { DEFAULT_THRESHOLD } from '../../src/domain/rates.js';
import { buildRateReport } from '../../src/report/rate.js';
import { buildWeeklyReport, spanOf, sumWeekly } from '../../src/report/weekly.js';
import type { WeeklyRow } from '../../src/db/queries/weekly.js';
import { idFor, importCity, voidCheckin, weeklyRow } from './smallCity.js';

const people: Array<[n: number, name: string, org: string, unit: string, residence: string, town: string, status: string, changed: string]> = [
  [1, '王一', '甲局一支部', '甲局', '东一社区', '东城街道', '', ''],
  [2, '王二', '甲局一支部', '甲局', '东一社区', '东城街道', '', ''],
  [3, '王三', '甲局一支部', '甲局', '东一社区', '东城街道', '', ''],
  [4, '王四', '甲局二支部', '甲局', '西二社区', '西城街道', '', ''],
  [5, '王五', '甲局一支部', '甲局', '西二社区', '西城街道', '', ''],
  [6, '王六', '甲局一支部', '甲局', '南村', '南镇', '', ''],
  [7, '王七', '甲局一支部', '甲局', '东二社区', '东城街道', '', ''],
  [8, '王八', '甲局一支部', '甲局', '', '', '', ''],
  [9, '王九', '甲局一支部', '甲局', '东一社区', '东城街道', '外派', ''],
  [10, '李十', '甲局一支部', '甲局', '东一社区', '东城街道', '调出', '2026-11-01'],
  [11, '李十一', '甲局一支部', '甲局', '东二社区', '东城街道', '调出', '2026-11-20'],
  [12, '李十二', '甲局一支部', '甲局', '西一社区', '西城街道', '', ''],
  [13, '李十三', '甲局一支部', '甲局', '西一社区', '西城街道', '', ''],
  [14, '赵十四', '乙院党支部', '乙院', '西一社区', '西城街道', '', ''],
  [15, '赵十五', '丁所党支部', '丁所', '东一社区', '东城街道', '免报到', ''],
];
const person = (n: number) => `${idFor(n)},${people[n - 1][1]}`;

const files = {
  '社区.csv': `街道,社区
东城街道,东一社区
东城街道,东二社区
西城街道,西一社区
西城街道,西二社区
南镇,南村`,
  '党组织.csv': `党组织名称,单位名称,上级党组织,党组织类别,结对社区,结对时间
甲局党委,甲局,,党委,东二社区,2026-11-20
甲局一支部,甲局,甲局党委,党支部,东一社区,
甲局二支部,甲局,甲局党委,党支部,东一社区,2026-01-01
乙院党支部,乙院,,党支部,,
丙厂党支部,丙厂,,党支部,,
丁所党支部,丁所,,党支部,,`,
  '党员.csv': ['身份证号,姓名,所在党组织,工作单位,居住地社区,所属街道,人员状态,变动日期', ...people.map((p) => [idFor(p[0]), ...p.slice(1)].join(','))].join('\n'),
  '报到.csv': `身份证号,姓名,报到社区,报到时间
${person(1)},东一社区,2026-03-01
${person(2)},东一社区,2026-03-01
${person(2)},西一社区,2026-11-20
${person(3)},东一社区,2026-03-01
${person(3)},西一社区,2026-11-10
${person(4)},西二社区,2026-11-09
${person(5)},西二社区,2026-11-15
${person(6)},西二社区,2026-11-16
${person(9)},东一社区,2026-03-01
${person(10)},东一社区,2026-03-01
${person(11)},东二社区,2026-05-01
${person(12)},东一社区,2026-11-12
${person(13)},东一社区,2026-02-01
${person(13)},西一社区,2026-11-11
${person(14)},东二社区,2026-11-13`,
  '志愿服务.csv': `身份证号,姓名,服务社区,服务日期,服务类别,服务时长(小时),积分
${person(1)},西一社区,2026-11-10,文体活动,2,2
${person(9)},东一社区,2026-11-12,治安巡逻,1.5,2
${person(10)},东一社区,2026-11-14,环境整治,,
${person(1)},东一社区,2026-11-08,助老助残,1,1
${person(1)},东一社区,2026-11-16,助老助残,1,1
${person(14)},南村,2026-11-15,政策宣讲,3,3`,
  '结对.csv': `党组织名称,结对社区,所属街道,结对时间
丙厂党支部,西二社区,西城街道,2026-11-15
甲局一支部,东一社区,东城街道,2026-04-01
乙院党支部,,南镇,2026-11-10`,
};

let db: string;

beforeAll(async () => {
  db = await importCity(files);
  // 李十二's only check-in and 李十三's later one are voided: they stop counting anywhere.
  await voidCheckin(db, idFor(12), '2026-11-12');
  await voidCheckin(db, idFor(13), '2026-11-11');
});

async function week(label: string, townId?: number | null): Promise<WeeklyRow[]> {
  const handle = await openDatabase(dbTarget(db), { mustExist: true });
  try {
    return (await buildWeeklyReport(handle.db, spanOf(parseWeek(label)!), townId)).rows;
  } finally {
    await handle.close();
  }
}

const row = weeklyRow;

describe('weekly figures of 2026-W46 (2026-11-09..2026-11-15)', () => {
  it('gives exactly these rows, sorted by town then unit, the unknown town last', async () => {
    expect(await week('2026-W46')).toEqual([
      row('东城街道', '乙院', 1, 1, 1, 0, 0, 0),
      row('东城街道', '甲局', 5, 4, 0, 2, 1.5, 1),
      row('南镇', '乙院', 0, 0, 0, 1, 3, 0),
      row('南镇', '甲局', 1, 0, 0, 0, 0, 0),
      row('西城街道', '丙厂', 0, 0, 0, 0, 0, 1),
      row('西城街道', '甲局', 4, 3, 2, 1, 2, 0),
      row('未知', '甲局', 1, 0, 0, 0, 0, 0),
    ]);
  });

  it('places a member who moved after the week by their check-in up to Sunday (history lookup)', async () => {
    // 王二 moved 东一社区 → 西一社区 on 11-20: in W46 in 东城街道, in W47 in 西城街道.
    const w46 = await week('2026-W46');
    const w47 = await week('2026-W47');
    expect(w46.find((r) => r.town === '东城街道' && r.unit === '甲局')!.reported).toBe(4);
    expect(w47.find((r) => r.town === '西城街道' && r.unit === '甲局')!.reported).toBe(5);
  });

  it('counts a member who moved within the week in the new town, and not as new', async () => {
    // 王三: 东一社区 in March, 西一社区 on 11-10.
    const xc = (await week('2026-W46')).find((r) => r.town === '西城街道' && r.unit === '甲局')!;
    expect(xc.expected).toBe(4); // 王三, 王四, 王五, 李十二 (residence)
    expect(xc.newThisWeek).toBe(2); // 王四 on Monday 11-09 and 王五 on Sunday 11-15 only
  });

  it('counts a first check-in on the day after the week neither as reported nor new', async () => {
    // 王六 checked in on 11-16: in W46 not reported, placed by residence (南镇).
    expect((await week('2026-W46')).find((r) => r.town === '南镇' && r.unit === '甲局')).toMatchObject({ expected: 1, reported: 0, newThisWeek: 0 });
    expect((await week('2026-W47')).find((r) => r.town === '西城街道' && r.unit === '甲局')).toMatchObject({ expected: 6, reported: 5, newThisWeek: 1 });
  });

  it('ignores voided check-ins: the earlier valid one or the residence decides', async () => {
    // 李十三: valid 东一社区 (Feb), voided 西一社区 (11-11) → 东城街道, reported, not new.
    // 李十二: only check-in voided → residence 西一社区, expected, not reported.
    const rows = await week('2026-W46');
    expect(rows.find((r) => r.town === '东城街道' && r.unit === '甲局')).toMatchObject({ expected: 5, reported: 4, newThisWeek: 0 });
    expect(rows.find((r) => r.town === '西城街道' && r.unit === '甲局')).toMatchObject({ expected: 4, reported: 3 });
  });

  it('leaves out exempt members and members departed on or before Sunday, keeps those departing later', async () => {
    // 李十一 leaves on 11-20: counted in W46 (东城街道, reported), not in W47.
    const w47dc = (await week('2026-W47')).find((r) => r.town === '东城街道' && r.unit === '甲局')!;
    expect(w47dc).toMatchObject({ expected: 3, reported: 2 });
  });

  it('puts members with neither a check-in nor a residence under 未知', async () => {
    expect(await week('2026-W46', null)).toEqual([row('未知', '甲局', 1, 0, 0, 0, 0, 0)]);
  });

  it('counts activities by date and by the town of their community, by any member of the unit whatever their status', async () => {
    const rows = await week('2026-W46');
    // 王九 (exempt) and 李十 (departed, no hours) at 东一社区; 王一's 11-08 and 11-16 activities are outside.
    expect(rows.find((r) => r.town === '东城街道' && r.unit === '甲局')).toMatchObject({ activities: 2, hours: 1.5 });
    // 王一 lives and reports in 东城街道 but served at 西一社区.
    expect(rows.find((r) => r.town === '西城街道' && r.unit === '甲局')).toMatchObject({ activities: 1, hours: 2 });
    expect((await week('2026-W47')).find((r) => r.town === '东城街道' && r.unit === '甲局')).toMatchObject({ activities: 1, hours: 1 });
  });

  it('counts distinct paired communities of the town, dated on or before Sunday, undated from the start', async () => {
    // 东一社区 paired by 甲局一支部 (roster, undated; and an organisation check-in) and 甲局二支部:
    // one community. 东二社区 paired by 甲局党委 from 11-20: only from W47.
    expect((await week('2026-W46')).find((r) => r.town === '东城街道' && r.unit === '甲局')!.pairedCommunities).toBe(1);
    expect((await week('2026-W47')).find((r) => r.town === '东城街道' && r.unit === '甲局')!.pairedCommunities).toBe(2);
    // A report to a town without a community (乙院党支部 → 南镇) pairs no community.
    expect((await week('2026-W46')).find((r) => r.town === '南镇' && r.unit === '乙院')!.pairedCommunities).toBe(0);
  });

  it('lists a unit under a town as soon as one figure is non-zero, and never a unit with none', async () => {
    const rows = await week('2026-W46');
    expect(rows.find((r) => r.unit === '丙厂')).toEqual(row('西城街道', '丙厂', 0, 0, 0, 0, 0, 1));
    expect(rows.find((r) => r.town === '南镇' && r.unit === '乙院')).toEqual(row('南镇', '乙院', 0, 0, 0, 1, 3, 0));
    expect(rows.some((r) => r.unit === '丁所')).toBe(false);
  });

  it('limits to one town', async () => {
    const handle = await openDatabase(dbTarget(db), { mustExist: true });
    const town = await handle.db.selectFrom('towns').select('id').where('name', '=', '南镇').executeTakeFirstOrThrow();
    await handle.close();
    expect((await week('2026-W46', town.id)).map((r) => `${r.town}/${r.unit}`)).toEqual(['南镇/乙院', '南镇/甲局']);
  });

  it('agrees with the rate table by unit as of the Sunday (the same §6 rules)', async () => {
    const rows = await week('2026-W46');
    const handle = await openDatabase(dbTarget(db), { mustExist: true });
    const rate = await buildRateReport(handle.db, { asOf: '2026-11-15', threshold: DEFAULT_THRESHOLD, by: 'unit', minActivities: 0 });
    await handle.close();
    for (const unit of rate.rows) {
      const total = sumWeekly(rows.filter((r) => r.unit === unit.unit));
      expect({ unit: unit.unit, expected: total.expected, reported: total.reported }).toEqual({ unit: unit.unit, expected: unit.expected, reported: unit.reported });
    }
  });
});
