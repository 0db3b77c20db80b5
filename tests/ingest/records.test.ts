// One row → one record: value normalising and the problems a row can have (SPEC §4).
import { describe, expect, it } from 'vitest';
import type { Cell } from '../../src/ingest/cells.js';
import { mapColumns, type Kind } from '../../src/ingest/fields.js';
import { parseRecord, type MemberRecord } from '../../src/ingest/records.js';

function parse(kind: Kind, headers: string[], cells: Cell[], strict = false) {
  return parseRecord(kind, { rowNumber: 7, cells, columns: mapColumns(kind, headers), headers, strict });
}

const memberHeaders = ['姓名', '身份证号', '联系电话', '所在党组织', '出生年月', '人员状态', '职务'];

describe('member rows', () => {
  it('normalises full-width characters, spaces, placeholders and the ID number', () => {
    const { record, problems } = parse('members', memberHeaders, ['　王伟 ', '１１０１０１１９９００３０７００１１', '１３８０００００００１', '一支部', '1990年3月', '', '无']);
    expect(problems).toEqual([]);
    expect(record).toMatchObject({ name: '王伟', idNumber: '110101199003070011', phone: '13800000001', birthDate: '1990-03-01', jobTitle: null, statusKind: null });
  });

  it('reads statuses into kinds and refuses unknown ones with the accepted list', () => {
    const kind = (status: string) => (parse('members', memberHeaders, ['甲', '110101199003070011', '', '一支部', '', status, '']).record as MemberRecord | undefined)?.statusKind;
    expect(kind('在职')).toBe('active');
    expect(kind('驻外')).toBe('exempt');
    expect(kind('退休')).toBe('departed');
    const bad = parse('members', memberHeaders, ['甲', '110101199003070011', '', '一支部', '', '请假', '']);
    expect(bad.record).toBeUndefined();
    expect(bad.problems[0]).toMatchObject({ row: 7, column: '人员状态', value: '请假' });
    expect(bad.problems[0].reason).toContain('长期病休');
  });

  it('refuses an ID stored as a number with the advice to re-export as text', () => {
    const { record, problems } = parse('members', memberHeaders, ['甲', 3.20106198703024e17, '', '一支部', '', '', '']);
    expect(record).toBeUndefined();
    expect(problems[0]).toMatchObject({ column: '身份证号', value: '3.20106198703024E+17' });
    expect(problems[0].reason).toContain('文本');
  });

  it('refuses a formula cell and an error cell', () => {
    const formula = parse('members', memberHeaders, ['甲', { formula: 'A1&B1', result: '110101199003070011' }, '', '一支部', '', '', '']);
    expect(formula.problems[0]).toMatchObject({ column: '身份证号', value: '=A1&B1' });
    const error = parse('members', memberHeaders, [{ error: '#N/A' }, '110101199003070011', '', '一支部', '', '', '']);
    expect(error.problems[0]).toMatchObject({ column: '姓名', value: '#N/A' });
  });

  it('needs the name and the organisation', () => {
    const { problems } = parse('members', memberHeaders, ['', '110101199003070011', '', '—', '', '', '']);
    expect(problems.map((p) => p.column)).toEqual(['姓名', '所在党组织']);
  });
});

describe('check-in and activity rows', () => {
  it.each([
    ['2026-03-05', '2026-03-05'],
    ['2026/3/5', '2026-03-05'],
    ['2026.3.5', '2026-03-05'],
    ['2026年3月5日', '2026-03-05'],
    ['20260305', '2026-03-05'],
    [46086, '2026-03-05'],
    [new Date(Date.UTC(2026, 2, 5)), '2026-03-05'],
  ])('date %j → %s', (cell, date) => {
    const { record } = parse('checkins', ['身份证号', '报到社区', '报到时间'], ['110101199003070011', '青山社区', cell as Cell]);
    expect(record).toMatchObject({ date });
  });

  it('refuses a date that does not exist and a missing date', () => {
    const impossible = parse('checkins', ['身份证号', '报到社区', '报到时间'], ['110101199003070011', '青山社区', '2026-02-30']);
    expect(impossible.problems[0]).toMatchObject({ column: '报到时间', value: '2026-02-30' });
    const missing = parse('checkins', ['身份证号', '报到社区', '报到时间'], ['110101199003070011', '青山社区', '']);
    expect(missing.problems[0]).toMatchObject({ column: '报到时间' });
  });

  it('reads hours and points given as numbers or text', () => {
    const headers = ['活动日期', '身份证号', '社区', '服务类别', '服务时长(小时)', '积分'];
    expect(parse('activities', headers, ['2026-04-05', '110101199003070011', '白沙社区', '助老', '2.5小时', 3]).record).toMatchObject({ hours: 2.5, points: 3 });
    expect(parse('activities', headers, ['2026-04-05', '110101199003070011', '白沙社区', '助老', '两小时', 3]).problems[0]).toMatchObject({ column: '服务时长(小时)' });
    // More hours than a day has: imported, with a warning (minutes, or a total?).
    const long = parse('activities', headers, ['2026-04-05', '110101199003070011', '白沙社区', '助老', 90, 3]);
    expect(long.record).toMatchObject({ hours: 90 });
    expect(long.problems).toEqual([expect.objectContaining({ column: '服务时长(小时)', value: '90', warning: true })]);
    expect(parse('activities', headers, ['2026-04-05', '110101199003070011', '白沙社区', '助老', 24, 3]).problems).toEqual([]);
  });
});
