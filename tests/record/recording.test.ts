// Single-record writes (SPEC §5) on small databases built through the real import code.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findMember, parseMemberKey, recordActivity, recordCheckin, recordOrgCheckin, voidCheckin } from '../../src/db/recording.js';
import { idCheckDigit } from '../../src/domain/idNumber.js';
import { DbdError } from '../../src/errors.js';
import { setLang } from '../../src/i18n/index.js';
import { idFor, makeWorld, type World } from '../rate/world.js';

/** An ID number whose check character is X. */
const ID_WITH_X = Array.from({ length: 300 }, (_, n) => idFor(100 + n)).find((id) => id.endsWith('X'))!;

const clock = { today: '2026-11-21', now: '2026-11-21T10:00:00.000Z' };

let world: World;
beforeEach(async () => {
  setLang('zh');
  world = await makeWorld();
  await world.members([
    { id: idFor(1), name: '张三', org: '一支部', phone: '13800000001', community: '花园社区', town: '青山街道' },
    { id: idFor(2), name: '李四', org: '一支部', phone: '13800000002' },
    { id: idFor(3), name: '王伟', org: '二支部', phone: '13800000003' },
    { id: idFor(4), name: '王伟', org: '乙支部', phone: '13800000004' },
    { id: idFor(5), name: '外派者', org: '乙支部', status: '外派' },
    { id: idFor(6), name: '调出者', org: '乙支部', status: '调出', changeDate: '2026-06-30' },
    { id: ID_WITH_X, name: '末位X', org: '乙支部' },
  ]);
});
afterEach(async () => {
  await world.close();
});

async function facts(id: string) {
  return world.handle.db
    .selectFrom('members')
    .leftJoin('communities', 'communities.id', 'members.current_community_id')
    .select(['members.first_checkin_on', 'members.current_checkin_on', 'communities.name as community'])
    .where('members.id_number', '=', id)
    .executeTakeFirstOrThrow();
}

async function checkins(id: string) {
  return world.handle.db
    .selectFrom('checkins')
    .innerJoin('members', 'members.id', 'checkins.member_id')
    .innerJoin('communities', 'communities.id', 'checkins.community_id')
    .select(['communities.name as community', 'checkins.date', 'checkins.post', 'checkins.voided_at', 'checkins.void_reason'])
    .where('members.id_number', '=', id)
    .orderBy('checkins.id')
    .execute();
}

async function expectDbdError(promise: Promise<unknown>, exitCode: number, text: RegExp | string): Promise<DbdError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DbdError);
  expect((error as DbdError).exitCode).toBe(exitCode);
  if (typeof text === 'string') expect((error as DbdError).message).toContain(text);
  else expect((error as DbdError).message).toMatch(text);
  return error as DbdError;
}

describe('naming the member', () => {
  it('tells ID numbers, phones and names apart', () => {
    expect(parseMemberKey(idFor(1))).toEqual({ idNumber: idFor(1) });
    expect(parseMemberKey(` ${ID_WITH_X.toLowerCase()} `)).toEqual({ idNumber: ID_WITH_X });
    expect(parseMemberKey('１３８００００００01')).toEqual({ phone: '13800000001' });
    expect(parseMemberKey('+86 138-0000-0001')).toEqual({ phone: '13800000001' });
    expect(parseMemberKey('张三')).toEqual({ name: '张三' });
    // A 15-digit number is converted to its 18-digit form.
    expect(parseMemberKey('110105900101001')).toEqual({ idNumber: '11010519900101001' + idCheckDigit('11010519900101001') });
  });

  it('refuses masked and malformed ID numbers as usage errors', () => {
    expect(() => parseMemberKey('110105********001X')).toThrow(/已脱敏/);
    expect(() => parseMemberKey('12345678901234')).toThrow(/既不是有效的身份证号/);
    try {
      parseMemberKey('110105********001X');
    } catch (error) {
      expect((error as DbdError).exitCode).toBe(2);
    }
  });

  it('finds a member by ID number (a lower-case x too), phone or unique name', async () => {
    expect((await findMember(world.handle, idFor(1))).name).toBe('张三');
    expect((await findMember(world.handle, ID_WITH_X.toLowerCase())).name).toBe('末位X');
    expect((await findMember(world.handle, '13800000002')).name).toBe('李四');
    expect((await findMember(world.handle, '李四')).idNumber).toBe(idFor(2));
  });

  it('lists the candidates of an ambiguous name, masked, and asks for the ID number (exit 3)', async () => {
    const error = await expectDbdError(findMember(world.handle, '王伟'), 3, '名册中有多名党员叫“王伟”');
    expect(error.message).toContain(`王伟（${idFor(3).slice(0, 6)}********${idFor(3).slice(14)}，二支部）`);
    expect(error.message).not.toContain(idFor(3));
  });

  it('suggests the closest names, or people with the same birth date and region, for an unknown member', async () => {
    await expectDbdError(findMember(world.handle, '张山'), 3, '名册中没有名为“张山”的党员；是否是：张三');
    const wrong = idFor(1).slice(0, 16) + (idFor(1)[16] === '9' ? '8' : '9') + idFor(1)[17];
    const error = await expectDbdError(findMember(world.handle, wrong), 3, `名册中没有身份证号为 ${wrong} 的党员`);
    expect(error.message).toContain('张三（');
    await expectDbdError(findMember(world.handle, '13900000000'), 3, '名册中没有联系电话为 13900000000 的党员');
  });

  it('suggests the member an ID number or a phone one typing slip away names, masked', async () => {
    // A slip in the region part: not the same birth date and region, but its check digit fails.
    const slip = `${idFor(1).slice(0, 2)}${idFor(1)[2] === '9' ? '8' : '9'}${idFor(1).slice(3)}`;
    const byId = await expectDbdError(findMember(world.handle, slip), 3, '（该号码校验位不正确，请核对）；是否是：张三（');
    expect(byId.message).toContain(`张三（${idFor(1).slice(0, 6)}********${idFor(1).slice(14)}，一支部）`);
    expect(byId.message).not.toContain(idFor(1));
    await expectDbdError(findMember(world.handle, '13800000101'), 3, '名册中没有联系电话为 13800000101 的党员；是否是：张三（');
  });
});

describe('dbd checkin', () => {
  it('records a first check-in and sets the member facts', async () => {
    const result = await recordCheckin(world.handle, { member: '张三', community: '花园社区', date: '2026-03-05', post: '网格员' }, clock);
    expect(result).toMatchObject({ outcome: 'added', effect: 'first', previous: null });
    expect(result.current).toMatchObject({ community: '花园社区', town: '青山街道', date: '2026-03-05', post: '网格员' });
    expect(await facts(idFor(1))).toEqual({ first_checkin_on: '2026-03-05', current_checkin_on: '2026-03-05', community: '花园社区' });
  });

  it('changes nothing when the member checks in again at the same community', async () => {
    await recordCheckin(world.handle, { member: '张三', community: '花园社区', date: '2026-03-05' }, clock);
    const again = await recordCheckin(world.handle, { member: '张三', community: '花园社区居委会', date: '2026-04-01' }, clock);
    expect(again).toMatchObject({ outcome: 'unchanged', effect: 'same' });
    const same = await recordCheckin(world.handle, { member: idFor(1), community: '花园社区', town: '青山街道', date: '2026-03-05' }, clock);
    expect(same.outcome).toBe('unchanged');
    expect(await checkins(idFor(1))).toHaveLength(1);
    expect(await facts(idFor(1))).toEqual({ first_checkin_on: '2026-03-05', current_checkin_on: '2026-03-05', community: '花园社区' });
  });

  it('at the same community with an earlier date: into the history, the current one stays (SPEC §4)', async () => {
    await recordCheckin(world.handle, { member: '张三', community: '花园社区', date: '2026-06-01' }, clock);
    const earlier = await recordCheckin(world.handle, { member: '张三', community: '花园社区居委会', date: '2026-02-01' }, clock);
    expect(earlier).toMatchObject({ outcome: 'added', effect: 'history' });
    expect(earlier.current).toMatchObject({ community: '花园社区', date: '2026-06-01' });
    expect(await checkins(idFor(1))).toEqual([
      { community: '花园社区', date: '2026-06-01', post: null, voided_at: null, void_reason: null },
      { community: '花园社区', date: '2026-02-01', post: null, voided_at: null, void_reason: null },
    ]);
    expect(await facts(idFor(1))).toEqual({ first_checkin_on: '2026-02-01', current_checkin_on: '2026-06-01', community: '花园社区' });
    // Later than the current one at the same community: nothing; a different post updates only that.
    expect(await recordCheckin(world.handle, { member: '张三', community: '花园社区', date: '2026-09-01' }, clock)).toMatchObject({ outcome: 'unchanged', effect: 'same' });
    expect(await recordCheckin(world.handle, { member: '张三', community: '花园社区', date: '2026-09-01', post: '网格员' }, clock)).toMatchObject({ outcome: 'updated', effect: 'same' });
    expect(await checkins(idFor(1))).toHaveLength(2);
  });

  it('updates the post when a different one is given at the same community', async () => {
    await recordCheckin(world.handle, { member: '张三', community: '花园社区', date: '2026-03-05', post: '网格员' }, clock);
    const result = await recordCheckin(world.handle, { member: '张三', community: '花园社区', date: '2026-06-01', post: '调解员' }, clock);
    expect(result).toMatchObject({ outcome: 'updated', effect: 'same' });
    expect(await checkins(idFor(1))).toEqual([{ community: '花园社区', date: '2026-03-05', post: '调解员', voided_at: null, void_reason: null }]);
  });

  it('moves the member to another community from that date and keeps the history', async () => {
    await recordCheckin(world.handle, { member: '张三', community: '花园社区', date: '2026-03-05' }, clock);
    const moved = await recordCheckin(world.handle, { member: '张三', community: '白沙社区', date: '2026-11-10' }, clock);
    expect(moved).toMatchObject({ outcome: 'added', effect: 'moved' });
    expect(moved.previous).toMatchObject({ community: '花园社区', date: '2026-03-05' });
    expect(moved.current).toMatchObject({ community: '白沙社区', town: '白沙街道', date: '2026-11-10' });
    expect((await checkins(idFor(1))).map((c) => [c.community, c.date])).toEqual([
      ['花园社区', '2026-03-05'],
      ['白沙社区', '2026-11-10'],
    ]);
    expect(await facts(idFor(1))).toEqual({ first_checkin_on: '2026-03-05', current_checkin_on: '2026-11-10', community: '白沙社区' });
  });

  it('puts a check-in dated before the current one into the history without moving the member', async () => {
    await recordCheckin(world.handle, { member: '张三', community: '白沙社区', date: '2026-06-01' }, clock);
    const earlier = await recordCheckin(world.handle, { member: '张三', community: '花园社区', date: '2026-02-01' }, clock);
    expect(earlier).toMatchObject({ outcome: 'added', effect: 'history' });
    expect(earlier.current).toMatchObject({ community: '白沙社区', date: '2026-06-01' });
    expect(await facts(idFor(1))).toEqual({ first_checkin_on: '2026-02-01', current_checkin_on: '2026-06-01', community: '白沙社区' });
    const again = await recordCheckin(world.handle, { member: '张三', community: '花园社区', date: '2026-02-01' }, clock);
    expect(again).toMatchObject({ outcome: 'unchanged', effect: 'history' });
  });

  it('needs the town when the community name is in two towns', async () => {
    await expectDbdError(
      recordCheckin(world.handle, { member: '张三', community: '青山社区', date: '2026-03-05' }, clock),
      3,
      '社区“青山社区”不唯一：青山街道 青山社区、白沙街道 青山社区居委会；请用 --town 指定街道（镇）',
    );
    const result = await recordCheckin(world.handle, { member: '张三', community: '青山社区', town: '白沙街道', date: '2026-03-05' }, clock);
    expect(result.checkin).toMatchObject({ community: '青山社区居委会', town: '白沙街道' });
  });

  it('writes nothing and suggests names for an unknown community or town', async () => {
    await expectDbdError(recordCheckin(world.handle, { member: '张三', community: '花圆社区', date: '2026-03-05' }, clock), 3, '找不到社区“花圆社区”；是否是：青山街道 花园社区');
    await expectDbdError(recordCheckin(world.handle, { member: '张三', community: '花园社区', town: '青山镇', date: '2026-03-05' }, clock), 3, '找不到街道（镇）“青山镇”；是否是：青山街道');
    await expectDbdError(recordCheckin(world.handle, { member: '张散', community: '花园社区', date: '2026-03-05' }, clock), 3, '是否是：张三');
    expect(await checkins(idFor(1))).toEqual([]);
    const towns = await world.handle.db.selectFrom('towns').select('name').execute();
    expect(towns.map((t) => t.name).sort()).toEqual(['白沙街道', '青山街道']);
  });

  it('warns, but records, for exempt and departed members and future dates', async () => {
    expect((await recordCheckin(world.handle, { member: '外派者', community: '花园社区', date: '2026-03-05' }, clock)).warnings).toEqual([
      '注意：外派者 为“外派”（免报到），此记录保留但不计入报到率',
    ]);
    expect((await recordCheckin(world.handle, { member: '调出者', community: '花园社区', date: '2026-07-01' }, clock)).warnings).toEqual([
      '注意：调出者 已于 2026-06-30 调出，此报到日期不早于离开日期：记录保留，但不计入报到率',
    ]);
    // Dated before the departure it counts, but only for dates before it (SPEC §6): say that, not "does not count".
    expect((await recordCheckin(world.handle, { member: '调出者', community: '白沙社区', date: '2026-05-01' }, clock)).warnings).toEqual([
      '注意：调出者 已于 2026-06-30 调出：此报到只计入 2026-06-30 之前各日的报到率，此后不再计入',
    ]);
    expect((await recordCheckin(world.handle, { member: '调出者', community: '白沙社区', date: '2026-06-30' }, clock)).warnings[0]).toContain('不计入报到率');
    expect((await recordCheckin(world.handle, { member: '李四', community: '花园社区', date: '2026-12-01' }, clock)).warnings).toEqual([
      '注意：日期 2026-12-01 晚于今天（2026-11-21）',
    ]);
  });

  it('warns about an activity dated on or after the member left, not one before', async () => {
    const activity = (date: string) => recordActivity(world.handle, { member: '调出者', community: '花园社区', date, category: '环境整治' }, clock);
    expect((await activity('2026-07-01')).warnings).toEqual(['注意：调出者 已于 2026-06-30 调出，此活动日期不早于离开日期，请核对（记录已保留）']);
    expect((await activity('2026-06-30')).warnings).toHaveLength(1);
    expect((await activity('2026-05-01')).warnings).toEqual([]);
    setLang('en');
    expect((await activity('2026-08-01')).warnings).toEqual(['note: 调出者 left (调出) on 2026-06-30; this activity is dated on or after that day: check the date (the record is kept)']);
  });
});

describe('dbd checkin --void', () => {
  it('voids the current check-in, keeps it with its reason, and makes the latest earlier one current', async () => {
    await recordCheckin(world.handle, { member: '张三', community: '花园社区', date: '2026-03-05' }, clock);
    await recordCheckin(world.handle, { member: '张三', community: '白沙社区', date: '2026-11-10' }, clock);
    const result = await voidCheckin(world.handle, { member: '张三', reason: ' 报错社区 ' }, clock);
    expect(result.voided).toMatchObject({ community: '白沙社区', date: '2026-11-10', voidedAt: clock.now, voidReason: '报错社区' });
    expect(result.current).toMatchObject({ community: '花园社区', date: '2026-03-05' });
    expect(await facts(idFor(1))).toEqual({ first_checkin_on: '2026-03-05', current_checkin_on: '2026-03-05', community: '花园社区' });
    expect(await checkins(idFor(1))).toHaveLength(2);

    const last = await voidCheckin(world.handle, { member: '张三', reason: '未实际报到' }, clock);
    expect(last.current).toBeNull();
    expect(await facts(idFor(1))).toEqual({ first_checkin_on: null, current_checkin_on: null, community: null });
    await expectDbdError(voidCheckin(world.handle, { member: '张三', reason: 'x' }, clock), 3, '张三 没有可作废的报到记录');
  });

  it('needs a reason', async () => {
    await expectDbdError(voidCheckin(world.handle, { member: '张三', reason: '  ' }, clock), 2, '作废报到须说明原因');
  });

  it('reinstates a voided check-in that is typed in again', async () => {
    await recordCheckin(world.handle, { member: '李四', community: '花园社区', date: '2026-03-05' }, clock);
    await voidCheckin(world.handle, { member: '李四', reason: '误作废' }, clock);
    const result = await recordCheckin(world.handle, { member: '李四', community: '花园社区', date: '2026-03-05' }, clock);
    expect(result.outcome).toBe('reinstated');
    expect(await checkins(idFor(2))).toEqual([{ community: '花园社区', date: '2026-03-05', post: null, voided_at: null, void_reason: null }]);
    expect(await facts(idFor(2))).toEqual({ first_checkin_on: '2026-03-05', current_checkin_on: '2026-03-05', community: '花园社区' });
  });
});

describe('dbd org-checkin', () => {
  it('records a pairing once; a later date changes nothing, an earlier one moves it back', async () => {
    const first = await recordOrgCheckin(world.handle, { org: '一支部', community: '花园社区', date: '2026-03-10' }, clock);
    expect(first).toMatchObject({ outcome: 'added', community: '花园社区', town: '青山街道', date: '2026-03-10', org: { name: '甲单位第一支部', unit: '甲单位' } });
    expect(await recordOrgCheckin(world.handle, { org: '甲单位第一支部', community: '花园社区居委会', date: '2026-05-01' }, clock)).toMatchObject({ outcome: 'unchanged', date: '2026-03-10' });
    expect(await recordOrgCheckin(world.handle, { org: '一支部', community: '花园社区', date: '2026-02-01' }, clock)).toMatchObject({ outcome: 'updated', date: '2026-02-01' });
    const stored = await world.handle.db.selectFrom('pairings').select(['date', 'source', 'community_id', 'town_id']).where('source', '=', 'checkin').execute();
    expect(stored).toHaveLength(1);
    expect(stored[0].date).toBe('2026-02-01');
  });

  it('records a report to a town without a community', async () => {
    expect(await recordOrgCheckin(world.handle, { org: '乙支部', town: '白沙街道', date: '2026-04-01' }, clock)).toMatchObject({ outcome: 'added', community: null, town: '白沙街道' });
    expect((await recordOrgCheckin(world.handle, { org: '乙支部', town: '白沙街道', date: '2026-04-02' }, clock)).outcome).toBe('unchanged');
    const stored = await world.handle.db.selectFrom('pairings').select(['community_id', 'date']).execute();
    expect(stored).toEqual([{ community_id: null, date: '2026-04-01' }]);
  });

  it('refuses unknown organisations and towns with suggestions', async () => {
    await expectDbdError(recordOrgCheckin(world.handle, { org: '三支部', town: '白沙街道', date: '2026-04-01' }, clock), 3, '找不到党组织“三支部”；是否是：');
    await expectDbdError(recordOrgCheckin(world.handle, { org: '乙支部', town: '白杉街道', date: '2026-04-01' }, clock), 3, '找不到街道（镇）“白杉街道”；是否是：白沙街道');
    // The same town written without its kind, or with its office's suffix, is that town.
    expect((await recordOrgCheckin(world.handle, { org: '乙支部', town: '白沙', date: '2026-04-01' }, clock)).outcome).toBe('added');
    expect((await recordOrgCheckin(world.handle, { org: '乙支部', town: '白沙街道办事处', date: '2026-04-01' }, clock)).outcome).toBe('unchanged');
    await world.handle.db.deleteFrom('pairings').execute();
    expect(await world.handle.db.selectFrom('pairings').select('id').execute()).toEqual([]);
  });
});

describe('dbd activity', () => {
  it('records an activity once and updates hours, points and note', async () => {
    const input = { member: '张三', community: '花园社区', date: '2026-04-01', category: '环境整治', hours: 2 };
    expect((await recordActivity(world.handle, input, clock)).outcome).toBe('added');
    expect((await recordActivity(world.handle, input, clock)).outcome).toBe('unchanged');
    const updated = await recordActivity(world.handle, { ...input, hours: 3, points: 5, note: '清理楼道' }, clock);
    expect(updated).toMatchObject({ outcome: 'updated', activity: { hours: 3, points: 5, note: '清理楼道', community: '花园社区', town: '青山街道' } });
    // Leaving hours out keeps the stored hours.
    expect((await recordActivity(world.handle, { ...input, hours: undefined }, clock)).activity.hours).toBe(3);
    expect(await world.handle.db.selectFrom('activities').select('id').execute()).toHaveLength(1);
  });

  it('is another activity with another category on the same day', async () => {
    await recordActivity(world.handle, { member: '张三', community: '花园社区', date: '2026-04-01', category: '环境整治' }, clock);
    await recordActivity(world.handle, { member: '张三', community: '花园社区', date: '2026-04-01', category: '关爱帮扶' }, clock);
    expect(await world.handle.db.selectFrom('activities').select('id').execute()).toHaveLength(2);
  });

  it('refuses an empty category and an unknown member', async () => {
    await expectDbdError(recordActivity(world.handle, { member: '张三', community: '花园社区', date: '2026-04-01', category: ' ' }, clock), 2, '请给出服务类别');
    await expectDbdError(recordActivity(world.handle, { member: '赵六', community: '花园社区', date: '2026-04-01', category: '环境整治' }, clock), 3, '名册中没有名为“赵六”的党员');
  });
});
