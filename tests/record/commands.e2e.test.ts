// dbd checkin / checkin --void / org-checkin / activity and members --not-reported, end to end
// on copies of the sample database.
import fs from 'node:fs';
import path from 'node:path';
import { copyDatabase } from '../helpers/backend.js';
import { rows } from '../helpers/db.js';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runDbd, runJson, sampleDatabase, tempDir } from '../helpers/cli.js';

const TODAY = { DBD_TODAY: '2026-11-21' };

let sample: string;
let db: string;
beforeAll(() => {
  sample = sampleDatabase(tempDir('dbd-record-e2e-'));
});
beforeEach(() => {
  db = path.join(tempDir('dbd-record-copy-'), 'copy.sqlite');
  copyDatabase(sample, db);
});

const dbd = (args: string[], env: Record<string, string> = TODAY) => runDbd([...args, '--db', db], { env });
const json = <T = any>(args: string[], env: Record<string, string> = TODAY) => runJson<T>([...args, '--db', db], { env });

function count(table: 'checkins' | 'activities' | 'pairings', where = '1 = 1'): number {
  return rows<{ n: number }>(db, `select count(*) as n from ${table} where ${where}`)[0].n;
}

interface Member { name: string; idNumber: string; org: string; status: string | null; residenceTown: string | null; currentCommunity: string | null; currentCheckin: string | null }
const notReported = (args: string[] = [], env = TODAY) => json<{ asOf: string; count: number; members: Member[] }>(['members', '--not-reported', ...args], env);
const orgRow = (org: string, args: string[] = []) => json<{ rows: Array<{ org: string; expected: number; reported: number; below: boolean }> }>(['rate', ...args]).rows.find((r) => r.org === org)!;
const towns = (args: string[] = []) => Object.fromEntries(json<{ rows: Array<{ town: string; expected: number; reported: number }> }>(['rate', '--by', 'town', ...args]).rows.map((r) => [r.town, `${r.reported}/${r.expected}`]));

describe('dbd members --not-reported', () => {
  it('lists the six members the rate table counts as expected but not reported', () => {
    const doc = notReported();
    expect(doc).toMatchObject({ asOf: '2026-11-21', count: 6 });
    expect(doc.members.map((m) => m.name).sort()).toEqual(['付晗东', '侯群飞', '姜俊', '孙宁涵', '方龙', '蔡昊'].sort());
    for (const m of doc.members) expect(m.idNumber).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
    expect(notReported(['--org', '财政局二支部']).members.map((m) => m.name).sort()).toEqual(['付晗东', '蔡昊'].sort());
    expect(notReported(['--org', '人民医院党委']).count).toBe(3);
    const text = dbd(['members', '--not-reported']);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain('截至 2026-11-21 尚未报到的党员 6 名');
  });

  it('--limit lists the first N but still counts them all, and says so; a limit that is not a positive whole number is exit 2', () => {
    const doc = json<{ count: number; shown: number; members: Member[] }>(['members', '--not-reported', '--limit', '2']);
    expect(doc).toMatchObject({ count: 6, shown: 2 });
    expect(doc.members).toHaveLength(2);
    expect(dbd(['members', '--not-reported', '--limit', '2']).stdout).toContain('截至 2026-11-21 尚未报到的党员 6 名（列出前 2 名）');
    expect(dbd(['members', '--not-reported', '--limit', '6']).stdout).toContain('尚未报到的党员 6 名\n');
    // Only plain decimal digits: not hexadecimal or exponent forms, nor a number past 2^53 (SQLite's datatype mismatch).
    for (const bad of ['0', '-1', '1.5', 'abc', '0x10', '1e2', ' 5', '99999999999999999999']) {
      const result = dbd(['members', '--limit', bad]);
      expect(result.status, bad).toBe(2);
      expect(result.stderr, bad).toContain(`--limit 的值“${bad}”应为正整数`);
    }
  });

  it('agrees with the rate table as of an earlier date, including the member who left later', () => {
    const doc = notReported(['--as-of', '2026-06-30']);
    // 78 expected on 2026-06-30, 34 reported (README --as-of figures, counting each member once).
    expect(doc.count).toBe(44);
    expect(notReported(['--as-of', '2026-06-30', '--org', '财政局三支部']).count).toBe(4);
    // The member of 财政局三支部 who left on 2026-09-30 reported on 2026-04-08: listed the day
    // before, not after, and never once she has left.
    const departed = (asOf: string) => notReported(['--as-of', asOf]).members.filter((m) => m.status === '调出').map((m) => m.name);
    expect(departed('2026-04-07')).toEqual(['夏桂春']);
    expect(departed('2026-04-08')).toEqual([]);
    expect(notReported(['--as-of', '2026-04-07', '--org', '财政局三支部']).members.map((m) => m.name)).toContain('夏桂春');
  });

  it('places members by their residence town, as the rate table does for those not yet reported', () => {
    expect(notReported(['--town', '白沙街道']).members.map((m) => m.name).sort()).toEqual(['姜俊', '孙宁涵', '方龙'].sort());
    expect(notReported(['--town', '青山街道']).members.map((m) => m.name).sort()).toEqual(['侯群飞', '蔡昊'].sort());
    expect(notReported(['--town', '柳林镇']).members.map((m) => m.name)).toEqual(['付晗东']);
    // Checked in (at a 青山街道 community) after the as-of date: still listed under the residence town then.
    expect(dbd(['checkin', '孙宁涵', '--community', '青山社区', '--date', '2026-11-21']).status).toBe(0);
    expect(notReported(['--town', '白沙街道', '--as-of', '2026-11-20']).members.map((m) => m.name)).toContain('孙宁涵');
    expect(notReported(['--town', '白沙街道']).members.map((m) => m.name)).not.toContain('孙宁涵');
  });
});

describe('dbd members --as-of', () => {
  interface Listed extends Member { statusKind: string; departedOn: string | null; currentTown: string | null; firstCheckin: string | null }
  const listing = (args: string[] = []) => json<{ asOf: string; count: number; members: Listed[] }>(['members', ...args]);
  const townOf = (m: Listed) => m.currentTown ?? m.residenceTown ?? '未知';

  it('is the roster of that date, each member with their check-in as of then, as the rate table counts them', () => {
    for (const asOf of ['2026-03-04', '2026-04-07', '2026-06-30', '2026-09-30', '2026-11-10', '2026-11-21']) {
      const members = listing(['--as-of', asOf]).members;
      // Exempt members stay on the roster: listed, though not expected.
      const expected = members.filter((m) => m.statusKind !== 'exempt');
      const reported = expected.filter((m) => m.currentCheckin !== null);
      for (const m of members) if (m.currentCheckin !== null) expect(m.currentCheckin <= asOf, `${m.name} ${m.currentCheckin}`).toBe(true);
      const byTown: Record<string, string> = {};
      for (const town of new Set(expected.map(townOf))) {
        const here = expected.filter((m) => townOf(m) === town);
        byTown[town] = `${here.filter((m) => m.currentCheckin !== null).length}/${here.length}`;
      }
      expect(byTown, asOf).toEqual(towns(['--as-of', asOf]));
      expect(reported.length + notReported(['--as-of', asOf]).count, asOf).toBe(expected.length);
      // --town filters by the town of that date.
      for (const town of Object.keys(byTown)) {
        expect(listing(['--as-of', asOf, '--town', town]).members.filter((m) => m.statusKind !== 'exempt').length, `${asOf} ${town}`).toBe(expected.filter((m) => townOf(m) === town).length);
      }
    }
  });

  it('lists a member who left after the date, and not once they have left', () => {
    const names = (args: string[]) => listing(args).members.map((m) => m.name);
    expect(names(['--as-of', '2026-09-29', '--org', '财政局三支部'])).toContain('夏桂春');
    expect(names(['--as-of', '2026-09-30', '--org', '财政局三支部'])).not.toContain('夏桂春');
    expect(names(['--org', '财政局三支部'])).not.toContain('夏桂春');
    expect(names(['--all', '--org', '财政局三支部'])).toContain('夏桂春');
    const text = dbd(['members', '--as-of', '2026-06-30', '--org', '财政局三支部']);
    expect(text.stdout).toContain('截至 2026-06-30：党员');
    expect(text.stdout).toMatch(/夏桂春 .* 调出（2026-09-30） .* 2026-04-08/);
    // A search that finds only a member who has left says so, and how to list them.
    const search = dbd(['members', '--search', '夏桂春']);
    expect(search.stdout).toContain('党员 0 名');
    expect(search.stderr).toContain('另有 1 名已离开名册（调出等）的党员符合条件：加 --all 一并列出');
    expect(dbd(['members', '--search', '夏桂春', '--all']).stderr).not.toContain('--all');
    expect(dbd(['members', '--search', '无此人']).stderr).not.toContain('--all');
  });

  it('shows the check-in of that date, not a later one, with or without --not-reported', () => {
    // 王伟 of 财政局一支部 reported at 青山社区 on 2026-03-05 and moved to 滨江社区 on 2026-11-10.
    const wangWei = (args: string[]) => listing(['--search', '王伟', ...args]).members.find((m) => m.org === '中共樟溪区财政局机关第一支部委员会')!;
    expect(wangWei([])).toMatchObject({ currentCommunity: '滨江社区', currentTown: '白沙街道', currentCheckin: '2026-11-10', firstCheckin: '2026-03-05' });
    expect(wangWei(['--as-of', '2026-11-09'])).toMatchObject({ currentCommunity: '青山社区', currentTown: '青山街道', currentCheckin: '2026-03-05', firstCheckin: '2026-03-05' });
    expect(wangWei(['--as-of', '2026-03-04'])).toMatchObject({ currentCommunity: null, currentTown: null, currentCheckin: null, firstCheckin: null });
    expect(listing(['--as-of', '2026-11-09', '--town', '青山街道']).members.map((m) => m.name)).toContain('王伟');
    expect(listing(['--as-of', '2026-11-09', '--community', '青山社区']).members.map((m) => m.name)).toContain('王伟');
    // Not reported on 2026-11-20, reported on 2026-11-21: the listing of the 20th shows no check-in.
    expect(dbd(['checkin', '孙宁涵', '--community', '望江社区', '--date', '2026-11-21']).status).toBe(0);
    const before = notReported(['--as-of', '2026-11-20']).members.find((m) => m.name === '孙宁涵')!;
    expect(before).toMatchObject({ currentCommunity: null, currentCheckin: null });
    const text = dbd(['members', '--not-reported', '--as-of', '2026-11-20', '--search', '孙宁涵']);
    expect(text.stdout).not.toContain('2026-11-21');
    expect(text.stdout).not.toContain('望江社区居委会  2026');
  });
});

describe('dbd orgs and dbd communities: --org, --town, --not-reported (SPEC §5)', () => {
  interface OrgRow { name: string; shortName: string | null; town: string | null; pairedCommunities: string[] }
  const orgs = (args: string[] = []) => json<{ count: number; orgs: OrgRow[] }>(['orgs', ...args]).orgs;
  const short = (rows: OrgRow[]) => rows.map((o) => o.shortName).sort();

  it('orgs --org lists the organisation and those under it; --town those located there or paired there', () => {
    expect(short(orgs(['--org', '人民医院党委']))).toEqual(['人民医院党委', '内科党总支', '内科一支部', '内科二支部', '外科支部'].sort());
    expect(short(orgs(['--org', '中共樟溪区人民医院外科支部委员会']))).toEqual(['外科支部']);
    // 营销支部 and 外科支部 are located in 白沙街道 and paired with communities of 柳林镇.
    expect(short(orgs(['--town', '柳林镇']))).toEqual(['营销支部', '外科支部', '实验中学党支部', '税务局党支部'].sort());
  });

  it('orgs counts an organisation\'s own members on the roster on its date: one who left later still counts', () => {
    const own = (args: string[]) => json<{ orgs: Array<{ shortName: string; ownMembers: number }> }>(['orgs', ...args]).orgs.find((o) => o.shortName === '财政局三支部')!.ownMembers;
    // 夏桂春 of 财政局三支部 left on 2026-09-30.
    expect(own(['--as-of', '2026-09-29'])).toBe(own([]) + 1);
    expect(own(['--as-of', '2026-09-30'])).toBe(own([]));
  });

  it('orgs --not-reported lists those with no pairing or report to a town by the date (双报到)', () => {
    const now = orgs(['--not-reported']);
    expect(short(now)).toEqual(['外派人员党支部', '财政局三支部', '内科党总支', '内科一支部', '内科二支部'].sort());
    for (const o of now) expect(o.pairedCommunities).toEqual([]);
    // 营销支部 reported on 2026-11-18, 外科支部 on 2026-11-12: not yet on 2026-11-11.
    expect(short(orgs(['--not-reported', '--as-of', '2026-11-11']))).toEqual([...short(now), '营销支部', '外科支部'].sort());
    expect(dbd(['orgs', '--not-reported']).stdout).toContain('截至 2026-11-21 尚未结对或向街道报到的党组织 5 个');
    expect(dbd(['orgs', '--town', '不存在街道']).status).toBe(2);
  });

  it('search finds a member by the masked ID number a listing shows or by the 15-digit form, and a community by a 村民委员会 variant', () => {
    const found = (search: string) => json<{ members: Member[] }>(['members', '--search', search]).members.map((m) => m.name);
    expect(found('330108********1326')).toEqual(['孙宁涵']);
    expect(found('330108710202132')).toEqual(['孙宁涵']);
    expect(found('孙宁涵')).toEqual(['孙宁涵']);
    const communities = json<{ communities: Array<{ name: string }> }>(['communities', '--search', '杏花村民委员会']).communities;
    expect(communities.map((c) => c.name)).toEqual(['杏花村委会']);
  });

  it('communities --org counts only that organisation\'s members; --not-reported lists where residents have not reported', () => {
    type CommunityRow = { name: string; residents: number; reported: number; notReported: number };
    const communities = (args: string[] = []) => json<{ communities: CommunityRow[] }>(['communities', ...args]).communities;
    const all = communities();
    const notReportedTotal = all.reduce((sum, c) => sum + c.notReported, 0);
    expect(notReportedTotal).toBe(notReported().count);
    const open = communities(['--not-reported']);
    expect(open.length).toBeGreaterThan(0);
    for (const c of open) expect(c.notReported).toBeGreaterThan(0);
    expect(open.reduce((sum, c) => sum + c.notReported, 0)).toBe(notReportedTotal);
    const branch = communities(['--org', '内科一支部']);
    const branchMembers = json<{ count: number }>(['members', '--org', '内科一支部']).count;
    expect(branch.reduce((sum, c) => sum + c.residents, 0)).toBeLessThanOrEqual(branchMembers);
    expect(branch.reduce((sum, c) => sum + c.notReported, 0)).toBe(notReported(['--org', '内科一支部']).count);
    for (const c of branch) expect(c.residents + c.reported).toBeGreaterThan(0);
  });
});

describe('dbd members --town 未知', () => {
  // A member with no residence community and no check-in: no known town (SPEC §6, §7).
  beforeEach(() => {
    const roster = path.join(tempDir(), '补充名册.csv');
    fs.writeFileSync(roster, '姓名,身份证号,所在党组织,工作单位\n无居所,110101199003074506,内科一支部,樟溪区人民医院\n');
    expect(dbd(['import', roster]).status).toBe(0);
  });

  it('lists the members whose town is unknown, as rate --by town and weekly-report count them', () => {
    expect(towns()['未知']).toBe('0/1');
    const names = (args: string[]) => json<{ members: Member[] }>(['members', ...args]).members.map((m) => m.name);
    expect(names(['--town', '未知'])).toEqual(['无居所']);
    expect(names(['--town', '未知', '--not-reported'])).toEqual(['无居所']);
    expect(names(['--town', 'unknown'])).toEqual(['无居所']);
    expect(names(['--town', 'Unknown', '--lang', 'en'])).toEqual(['无居所']);
    expect(json<{ rows: Array<{ town: string; expected: number }> }>(['weekly-report', '--town', 'unknown']).rows).toEqual([expect.objectContaining({ town: '未知', expected: 1 })]);
    const text = dbd(['members', '--town', '未知']);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain('无居所');
    // Once reported, the community places her: in 白沙街道 from that date, still 未知 the day before.
    expect(dbd(['checkin', '无居所', '--community', '望江社区', '--date', '2026-11-20']).status).toBe(0);
    expect(names(['--town', '未知'])).toEqual([]);
    expect(names(['--town', '白沙街道'])).toContain('无居所');
    expect(names(['--town', '未知', '--as-of', '2026-11-19'])).toEqual(['无居所']);
    expect(towns(['--as-of', '2026-11-19'])['未知']).toBe('0/1');
  });

  it('still refuses a town that does not exist, suggesting names', () => {
    const result = dbd(['members', '--town', '白杉街道']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('找不到街道（镇）“白杉街道”；是否是：白沙街道');
    // The town without its kind is that town, as in imports.
    expect(dbd(['members', '--town', '白沙']).stdout).toBe(dbd(['members', '--town', '白沙街道']).stdout);
  });
});

describe('dbd checkin', () => {
  it('records a check-in that the rate table and the listing then count', () => {
    const asOf19 = orgRow('中共樟溪区人民医院内科第一支部委员会', ['--as-of', '2026-11-19']);
    const result = dbd(['checkin', '孙宁涵', '--community', '望江社区', '--date', '2026-11-20', '--post', '网格协管员']);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('已登记报到：孙宁涵（330108********1326，内科一支部）于 2026-11-20 到 白沙街道 望江社区居委会 报到，认领岗位：网格协管员。\n');
    expect(orgRow('中共樟溪区人民医院内科第一支部委员会')).toMatchObject({ expected: 19, reported: 18, below: false });
    expect(json(['rate', '--below', '0.9']).rows.map((r: { org: string }) => r.org)).toEqual(['中共樟溪区人民医院外科支部委员会', '中共樟溪区财政局机关第二支部委员会']);
    expect(notReported().count).toBe(5);
    // As of the day before, she had not reported: that figure is unchanged.
    expect(orgRow('中共樟溪区人民医院内科第一支部委员会', ['--as-of', '2026-11-19']).reported).toBe(asOf19.reported);
  });

  it('changes nothing when the member checks in again at the same community', () => {
    expect(dbd(['checkin', '孙宁涵', '--community', '望江社区', '--date', '2026-11-20']).status).toBe(0);
    const before = count('checkins');
    const again = dbd(['checkin', '330108197102021326', '--community', '望江社区居委会', '--town', '白沙街道']);
    expect(again.status).toBe(0);
    expect(again.stdout).toBe('未作更改：孙宁涵（330108********1326，内科一支部）已在 白沙街道 望江社区居委会 报到（2026-11-20 起）。\n');
    const doc = json(['checkin', '孙宁涵', '--community', '望江社区', '--date', '2026-11-20']);
    expect(doc).toMatchObject({ outcome: 'unchanged', effect: 'same', current: { community: '望江社区居委会', date: '2026-11-20' } });
    expect(count('checkins')).toBe(before);
  });

  it('at the same community with a date before the current check-in: into the history, as the same register row is (SPEC §4)', () => {
    expect(dbd(['checkin', '孙宁涵', '--community', '望江社区', '--date', '2026-11-20']).status).toBe(0);
    const before = count('checkins');
    const reportedInOctober = () => orgRow('中共樟溪区人民医院内科第一支部委员会', ['--as-of', '2026-10-31']).reported;
    const october = reportedInOctober();
    const earlier = dbd(['checkin', '孙宁涵', '--community', '望江社区', '--date', '2026-10-01']);
    expect(earlier.status).toBe(0);
    expect(earlier.stdout).toContain('记入历史');
    expect(earlier.stdout).toContain('2026-11-20 起');
    expect(count('checkins')).toBe(before + 1);
    const first = () => json<{ members: Array<Member & { firstCheckin: string | null }> }>(['members', '--search', '孙宁涵']).members[0];
    expect(first()).toMatchObject({ firstCheckin: '2026-10-01', currentCheckin: '2026-11-20' });
    expect(reportedInOctober()).toBe(october + 1);
    // Again: it is stored now, nothing changes; the same row in a register is unchanged too.
    expect(json(['checkin', '孙宁涵', '--community', '望江社区居委会', '--date', '2026-10-01'])).toMatchObject({ outcome: 'unchanged' });
    const register = path.join(tempDir(), '报到登记补录.csv');
    fs.writeFileSync(register, '身份证号,报到社区,所属街道,报到时间\n330108197102021326,望江社区,白沙街道,2026-10-01\n');
    expect(dbd(['import', register]).status).toBe(0);
    expect(count('checkins')).toBe(before + 1);
  });

  it('a current check-in typed with a future date: the right date at the same community makes the member reported', () => {
    expect(dbd(['checkin', '方龙', '--community', '白沙社区', '--date', '2062-03-05']).status).toBe(0);
    expect(notReported().members.map((m) => m.name)).toContain('方龙');
    const fixed = dbd(['checkin', '方龙', '--community', '白沙社区', '--date', '2026-03-05']);
    expect(fixed.status).toBe(0);
    expect(notReported().members.map((m) => m.name)).not.toContain('方龙');
  });

  it('moves the member to another community from that date, keeping the history; --void moves them back', () => {
    expect(dbd(['checkin', '孙宁涵', '--community', '望江社区', '--date', '2026-11-20']).status).toBe(0);
    expect(towns()).toEqual({ 柳林镇: '13/14', 白沙街道: '38/40', 青山街道: '21/23' });
    const dayBefore = towns(['--as-of', '2026-11-20']);

    const moved = json(['checkin', '孙宁涵', '--community', '青山社区', '--town', '青山街道']);
    expect(moved).toMatchObject({
      outcome: 'added',
      effect: 'moved',
      member: { name: '孙宁涵', idNumber: '330108********1326' },
      checkin: { town: '青山街道', community: '青山社区', date: '2026-11-21' },
      previous: { town: '白沙街道', community: '望江社区居委会', date: '2026-11-20' },
    });
    expect(count('checkins', "date in ('2026-11-20', '2026-11-21') and voided_at is null")).toBeGreaterThanOrEqual(2);
    expect(towns()).toEqual({ 柳林镇: '13/14', 白沙街道: '37/39', 青山街道: '22/24' });
    // As of the day before the move she still counts in 白沙街道.
    expect(towns(['--as-of', '2026-11-20'])).toEqual(dayBefore);

    const voided = dbd(['checkin', '--void', '孙宁涵', '--reason', '报错社区']);
    expect(voided.status).toBe(0);
    expect(voided.stdout).toBe(
      '已作废：孙宁涵（330108********1326，内科一支部）于 2026-11-21 在 青山街道 青山社区 的报到（原因：报错社区）。记录保留，不再计入。\n当前报到：白沙街道 望江社区居委会（2026-11-20 起）。\n',
    );
    expect(count('checkins', "void_reason = '报错社区' and voided_at is not null")).toBe(1);
    expect(towns()).toEqual({ 柳林镇: '13/14', 白沙街道: '38/40', 青山街道: '21/23' });

    const last = json(['checkin', '--void', '孙宁涵', '--reason', '未实际报到']);
    expect(last).toMatchObject({ outcome: 'voided', voided: { community: '望江社区居委会', voidReason: '未实际报到' }, current: null });
    expect(orgRow('中共樟溪区人民医院内科第一支部委员会').reported).toBe(17);
    const none = dbd(['checkin', '--void', '孙宁涵', '--reason', 'x']);
    expect(none.status).toBe(3);
    expect(none.stderr).toContain('孙宁涵 没有可作废的报到记录');
  });

  it('voids the sample member who moved towns, making the earlier check-in current', () => {
    // 王伟 (two members share the name) moved from 青山社区 to 滨江社区 on 2026-11-10: named by ID number.
    const moved = json<{ members: Member[] }>(['members', '--full-id', '--search', '王伟']).members.filter((m) => m.currentCheckin === '2026-11-10');
    expect(moved).toHaveLength(1);
    const before = towns();
    const result = dbd(['checkin', '--void', moved[0].idNumber, '--reason', '跨街道改报到登记错误']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('于 2026-11-10 在 白沙街道 滨江社区 的报到（原因：跨街道改报到登记错误）');
    expect(result.stdout).toContain('当前报到：青山街道 青山社区（2026-03-05 起）。');
    expect(before).toEqual({ 柳林镇: '13/14', 白沙街道: '37/40', 青山街道: '21/23' });
    expect(towns()).toEqual({ 柳林镇: '13/14', 白沙街道: '36/39', 青山街道: '22/24' });
  });

  it('exits 3 with suggestions for unknown or ambiguous names, and writes nothing', () => {
    const before = count('checkins');
    const cases: Array<[string[], string]> = [
      [['checkin', '孙宁寒', '--community', '望江社区'], '名册中没有名为“孙宁寒”的党员；是否是：孙宁涵'],
      [['checkin', '王伟', '--community', '望江社区'], '名册中有多名党员叫“王伟”：王伟（340104********6011，财政局一支部）、王伟（340104********5859，外科支部）'],
      [['checkin', '孙宁涵', '--community', '望江'], '找不到社区“望江”；是否是：白沙街道 望江社区居委会'],
      [['checkin', '孙宁涵', '--community', '望江社区', '--town', '白沙镇'], '找不到街道（镇）“白沙镇”；是否是：白沙街道'],
      // The community is in another town: say which.
      [['checkin', '孙宁涵', '--community', '望江社区', '--town', '柳林镇'], '找不到社区“望江社区”（在 柳林镇）；是否是：白沙街道 望江社区居委会'],
      [['checkin', '19999999999', '--community', '望江社区'], '名册中没有联系电话为 19999999999 的党员'],
    ];
    for (const [args, message] of cases) {
      const result = dbd(args);
      expect(result.status, args.join(' ')).toBe(3);
      expect(result.stderr).toContain(message);
      expect(result.stdout).toBe('');
    }
    expect(count('checkins')).toBe(before);
  });

  it('exits 2 for bad option values and missing options', () => {
    const cases: Array<[string[], string]> = [
      [['checkin', '孙宁涵', '--community', '望江社区', '--date', '2026-02-30'], '--date 的值“2026-02-30”不是有效日期'],
      [['checkin', '孙宁涵'], '请给出报到社区'],
      [['checkin', '--void', '孙宁涵'], '作废报到须说明原因'],
      [['checkin', '孙宁涵', '--community', '望江社区', '--reason', 'x'], '--reason 只能与 --void 一起使用'],
      [['checkin', '--void', '孙宁涵', '--reason', 'x', '--community', '望江社区'], '--void 作废的是该党员当前的报到'],
      [['checkin', '330108********1326', '--community', '望江社区'], '已脱敏'],
      [['org-checkin', '内科一支部'], '请给出结对社区（--community）或报到的街道（--town）'],
      // An empty name is wrong usage, for an organisation as for a member (not an unknown name, exit 3).
      [['org-checkin', '', '--community', '白沙社区'], '请给出党组织'],
      [['org-checkin', ' ', '--town', '白沙街道'], '请给出党组织'],
      [['checkin', '', '--community', '白沙社区'], '请给出党员'],
      [['activity', '孙宁涵', '--community', '望江社区', '--category', '环境整治'], '缺少必需的选项 --date <date>'],
      [['activity', '孙宁涵', '--community', '望江社区', '--date', '2026-04-01', '--category', '环境整治', '--hours', 'two'], '--hours 的值“two”无效'],
      // An Excel serial is not a date anyone types (12345 would be 1933-10-18).
      [['checkin', '孙宁涵', '--community', '望江社区', '--date', '12345'], '--date 的值“12345”不是有效日期'],
      // Of the right form but outside the years dbd takes: say so, not "not a date".
      [['checkin', '孙宁涵', '--community', '望江社区', '--date', '1850-01-01'], '--date 的值“1850-01-01”超出可用的日期范围（年份应在 1900 至 2100 之间）'],
      [['activity', '孙宁涵', '--community', '望江社区', '--date', '2101-01-01', '--category', '环境整治'], '--date 的值“2101-01-01”超出可用的日期范围'],
      [['org-checkin', '内科一支部', '--town', '白沙街道', '--date', '1850-01-01', '--lang', 'en'], '--date value "1850-01-01" is outside the dates dbd accepts (years 1900 to 2100)'],
      [['activity', '孙宁涵', '--community', '望江社区', '--date', '2026-04-01', '--category', '环境整治', '--hours', '0x10'], '--hours 的值“0x10”无效'],
      [['activity', '孙宁涵', '--community', '望江社区', '--date', '2026-04-01', '--category', '环境整治', '--hours', '1e9'], '--hours 的值“1e9”无效'],
      [['activity', '孙宁涵', '--community', '望江社区', '--date', '2026-04-01', '--category', '环境整治', '--hours', '25'], '一次活动最多 24 小时'],
      [['activity', '孙宁涵', '--community', '望江社区', '--date', '2026-04-01', '--category', '环境整治', '--points', '-1'], '--points 的值“-1”无效'],
    ];
    for (const [args, message] of cases) {
      const result = dbd(args);
      expect(result.status, args.join(' ')).toBe(2);
      expect(result.stderr).toContain(message);
    }
  });

  it('accepts the date forms of the registers and speaks English with --lang en', () => {
    const result = dbd(['checkin', '方龙', '--community', '白沙社区', '--date', '2026年3月5日', '--lang', 'en']);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('Recorded: 方龙 (330105********7583, 内科一支部) reported to 白沙社区, 白沙街道 on 2026-03-05.\n');
    expect(json(['checkin', '方龙', '--community', '白沙社区', '--full-id']).member.idNumber).toMatch(/^\d{17}[\dX]$/);
  });
});

describe('dbd org-checkin', () => {
  it('records a pairing once and a report to a town', () => {
    const before = count('pairings');
    const first = dbd(['org-checkin', '内科一支部', '--community', '白沙社区', '--date', '2026-03-10']);
    expect(first.status).toBe(0);
    expect(first.stdout).toBe('已登记组织报到：中共樟溪区人民医院内科第一支部委员会（内科一支部）于 2026-03-10 与 白沙街道 白沙社区 结对共建。\n');
    const again = json(['org-checkin', '内科一支部', '--community', '白沙社区', '--date', '2026-04-10']);
    expect(again).toEqual({ outcome: 'unchanged', org: '中共樟溪区人民医院内科第一支部委员会', unit: '樟溪区人民医院', town: '白沙街道', community: '白沙社区', date: '2026-03-10' });
    expect(json(['org-checkin', '税务局党支部', '--town', '白沙街道'])).toMatchObject({ outcome: 'added', community: null, town: '白沙街道', date: '2026-11-21' });
    expect(count('pairings')).toBe(before + 2);
    // English decorations use plain brackets, not the full-width ones of Chinese text.
    const en = dbd(['org-checkin', '财政局三支部', '--community', '新华社区', '--lang', 'en']);
    expect(en.status).toBe(0);
    expect(en.stdout).toBe('Recorded: 中共樟溪区财政局机关第三支部委员会 (财政局三支部) paired with 新华社区, 青山街道 on 2026-11-21.\n');
    const unknown = dbd(['org-checkin', '内科三支部', '--town', '白沙街道']);
    expect(unknown.status).toBe(3);
    expect(unknown.stderr).toContain('找不到党组织“内科三支部”；是否是：');
  });
});

describe('dbd activity', () => {
  it('records an activity once, then updates it', () => {
    const before = count('activities');
    const args = ['activity', '胡宏欣', '--community', '白沙社区', '--date', '2026-11-18', '--category', '关爱帮扶', '--hours', '1.5'];
    const first = dbd(args);
    expect(first.status).toBe(0);
    expect(first.stdout).toBe('已登记志愿服务：胡宏欣（330110********0925，内科一支部）于 2026-11-18 在 白沙街道 白沙社区，类别 关爱帮扶，1.5 小时。\n');
    expect(json(args)).toMatchObject({ outcome: 'unchanged', activity: { hours: 1.5, category: '关爱帮扶' } });
    expect(json([...args, '--points', '3', '--note', '走访独居老人'])).toMatchObject({ outcome: 'updated', activity: { hours: 1.5, points: 3, note: '走访独居老人' } });
    expect(count('activities')).toBe(before + 1);
  });

  it('counts toward the volunteer-service minimum of the rate table', () => {
    type Doc = { rows: Array<{ org: string; activityShortfall: number }> };
    const shortfall = () => json<Doc>(['rate', '--min-activities', '1']).rows.find((r) => r.org === '中共樟溪区人民医院内科第二支部委员会')!.activityShortfall;
    const before = shortfall();
    const withoutAny = json<{ members: Member[] }>(['members', '--org', '内科二支部']).members.map((m) => m.name);
    let dropped = false;
    for (const name of withoutAny) {
      expect(dbd(['activity', name, '--community', '白沙社区', '--date', '2026-11-19', '--category', '测试服务']).status).toBe(0);
      if (shortfall() < before) dropped = true;
    }
    expect(dropped || before === 0).toBe(true);
    expect(shortfall()).toBe(0);
  });
});
