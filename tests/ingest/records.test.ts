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

  it('reads phones as clerks write them: a text apostrophe, +86, spaces, dashes, an area code in brackets', () => {
    const phone = (written: string) => parse('members', memberHeaders, ['甲', '110101199003070011', written, '一支部', '', '', '']);
    for (const written of ["'13800000001", '+86 138 0000 0001', '138-0000-0001']) {
      expect(phone(written).problems).toEqual([]);
      expect(phone(written).record).toMatchObject({ phone: '13800000001' });
    }
    expect(phone('(0571)87069837').record).toMatchObject({ phone: '(0571)87069837' });
    expect(phone("'0571-87069837").record).toMatchObject({ phone: '0571-87069837' });
    expect(phone('1380000000').problems[0]).toMatchObject({ column: '联系电话', value: '1380000000' });
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

  it('reads an ID number written with dashes between its groups, as one with spaces', () => {
    for (const written of ['110101-19900307-0011', '110101－19900307－0011', '110101—19900307—0011', '110101 19900307 0011']) {
      const { record, problems } = parse('members', memberHeaders, ['甲', written, '', '一支部', '', '', '']);
      expect(problems, written).toEqual([]);
      expect(record, written).toMatchObject({ idNumber: '110101199003070011' });
    }
    const checkin = parse('checkins', ['身份证号', '报到社区', '报到时间'], ['110101-19900307-0011', '青山社区', '2026-03-05']);
    expect(checkin.problems).toEqual([]);
    expect(checkin.record).toMatchObject({ idNumber: '110101199003070011' });
  });

  it('refuses a formula cell and an error cell', () => {
    const formula = parse('members', memberHeaders, ['甲', { formula: 'A1&B1', result: '110101199003070011' }, '', '一支部', '', '', '']);
    expect(formula.problems[0]).toMatchObject({ column: '身份证号', value: '=A1&B1' });
    // A cell of a shared formula other than its first holds no formula text: its result is shown.
    const shared = parse('members', memberHeaders, ['甲', '110101199003070011', '', '一支部', '', '', { formula: '', result: '科员' }]);
    expect(shared.problems[0]).toMatchObject({ column: '职务', value: '科员' });
    const error = parse('members', memberHeaders, [{ error: '#N/A' }, '110101199003070011', '', '一支部', '', '', '']);
    expect(error.problems[0]).toMatchObject({ column: '姓名', value: '#N/A' });
  });

  it('reads a month-only number as its cell shows it, and 1985.1 shown as such with a warning', () => {
    const headers = ['姓名', '身份证号', '所在党组织', '出生年月', '入党时间'];
    const row = (birth: Cell, joined: Cell, shownDecimals?: Map<number, number>) =>
      parseRecord('members', { rowNumber: 7, cells: ['甲', '110101199003070011', '一支部', birth, joined], shownDecimals, columns: mapColumns('members', headers), headers, strict: true });
    // 0.00 cells: 1985.1 shows 1985.10.
    const formatted = row(1985.1, 2010.1, new Map([[3, 2], [4, 2]]));
    expect(formatted.problems).toEqual([]);
    expect(formatted.record).toMatchObject({ birthDate: '1985-10-01', joinedOn: '2010-10-01' });
    // General cells: January, and a warning (also with --strict) that it may be October.
    const general = row(1985.1, 1985.03);
    expect(general.record).toMatchObject({ birthDate: '1985-01-01', joinedOn: '1985-03-01' });
    expect(general.problems).toEqual([{ row: 7, column: '出生年月', value: '1985.1', reason: expect.stringContaining('10 月'), warning: true }]);
    expect(general.problems[0].reason).toContain('文本');
    // A month that does not exist is shown as the cell shows it.
    expect(row(1985.13, '', new Map([[3, 3]])).problems[0]).toMatchObject({ column: '出生年月', value: '1985.130' });
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

  it('reads hours written in minutes, hours and minutes, 半小时 and 个半小时', () => {
    const headers = ['活动日期', '身份证号', '社区', '服务类别', '服务时长(小时)', '积分'];
    const hours = (written: string) => {
      const { record, problems } = parse('activities', headers, ['2026-04-05', '110101199003070011', '白沙社区', '助老', written, '3分']);
      expect(problems, written).toEqual([]);
      return (record as { hours: number; points: number }).hours;
    };
    expect(hours('90分钟')).toBe(1.5);
    expect(hours('９０分')).toBe(1.5);
    expect(hours('1小时30分钟')).toBe(1.5);
    expect(hours('1小时30分')).toBe(1.5);
    expect(hours('半小时')).toBe(0.5);
    expect(hours('1个半小时')).toBe(1.5);
    expect(hours('2个小时')).toBe(2);
    expect(hours('20分钟')).toBe(0.33);
    expect(hours('２小时')).toBe(2);
    expect(hours('2.5 h')).toBe(2.5);
    // 分 of points stays points.
    expect(parse('activities', headers, ['2026-04-05', '110101199003070011', '白沙社区', '助老', '90分钟', '3分']).record).toMatchObject({ points: 3 });
    // More than a day in minutes is still a warning.
    const long = parse('activities', headers, ['2026-04-05', '110101199003070011', '白沙社区', '助老', '1500分钟', 3]);
    expect(long.record).toMatchObject({ hours: 25 });
    expect(long.problems).toEqual([expect.objectContaining({ column: '服务时长(小时)', warning: true })]);
  });

  it('reads hours in a time format (1:30, a cell formatted [h]:mm), not as a date', () => {
    const headers = ['活动日期', '身份证号', '社区', '服务类别', '服务时长(小时)', '积分'];
    const hours = (cell: Cell) => parse('activities', headers, ['2026-04-05', '110101199003070011', '白沙社区', '助老', cell, 3]);
    // The reader gives a time-formatted cell as a date on Excel's day zero (1904 system too).
    expect(hours(new Date(Date.UTC(1899, 11, 30, 1, 30))).record).toMatchObject({ hours: 1.5 });
    expect(hours(new Date(Date.UTC(1899, 11, 31, 2, 0))).record).toMatchObject({ hours: 26 });
    expect(hours(new Date(Date.UTC(1904, 0, 1, 0, 45))).record).toMatchObject({ hours: 0.75 });
    // [h]:mm beyond two days: 50:00.
    expect(hours(new Date(Date.UTC(1900, 0, 1, 2, 0))).record).toMatchObject({ hours: 50 });
    expect(hours('1:30').record).toMatchObject({ hours: 1.5 });
    // A real date in the hours column is no number of hours.
    expect(hours(new Date(Date.UTC(2026, 3, 5))).problems[0]).toMatchObject({ column: '服务时长(小时)', value: '2026-04-05' });
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

describe('organisation rows', () => {
  const headers = ['单位名称', '党组织名称', '简称', '结对社区'];
  const paired = (cell: Cell) => {
    const { record, problems } = parse('orgs', headers, ['樟溪区税务局', '中共樟溪区税务局机关支部委员会', '税务局党支部', cell]);
    expect(problems).toEqual([]);
    return (record as { pairedCommunities: string[] }).pairedCommunities;
  };

  it('reads communities listed on several lines of one cell (Alt+Enter) as several', () => {
    expect(paired('新华社区\n白沙社区')).toEqual(['新华社区', '白沙社区']);
    expect(paired('新华社区\r\n白沙社区居委会\n')).toEqual(['新华社区', '白沙社区居委会']);
  });

  it('splits on / and ／ and the usual list punctuation', () => {
    expect(paired('望江社区/柳林社区')).toEqual(['望江社区', '柳林社区']);
    expect(paired('望江社区／柳林社区')).toEqual(['望江社区', '柳林社区']);
    expect(paired('望江社区，柳林村、东湖社区')).toEqual(['望江社区', '柳林村', '东湖社区']);
  });

  it('splits on spaces only when every piece is a community name', () => {
    expect(paired('新华社区 白沙社区')).toEqual(['新华社区', '白沙社区']);
    expect(paired('新华 社区')).toEqual(['新华 社区']);
  });

  it('reads a placeholder as no community', () => {
    expect(paired('无')).toEqual([]);
    expect(paired('/')).toEqual([]);
    expect(paired(null)).toEqual([]);
  });
});

describe('人员状态 in traditional characters', () => {
  it('在職, 調出 and 長期病休 are read as 在职, 调出 and 长期病休', () => {
    const kinds = ['在職', '調出', '長期病休', '離退休'].map((status) => {
      const { record, problems } = parse('members', memberHeaders, ['张三', '110101199003074514', '', '一支部', '', status, '']);
      expect(problems.filter((p) => !p.warning)).toEqual([]);
      return (record as MemberRecord).statusKind;
    });
    expect(kinds).toEqual(['active', 'departed', 'exempt', 'departed']);
  });
});
