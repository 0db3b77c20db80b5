// Header finding, kind detection and row classification on hand-made grids.
import { describe, expect, it } from 'vitest';
import type { SheetRow } from '../../src/ingest/cells.js';
import { detectKind, mapColumns, type Kind } from '../../src/ingest/fields.js';
import { findLayout, skipReason } from '../../src/ingest/layout.js';
import { RowClassifier } from '../../src/ingest/classify.js';

const grid = (rows: Array<Array<string | number | null>>): SheetRow[] => rows.map((cells, i) => ({ rowNumber: i + 1, cells }));

describe('detectKind', () => {
  it.each([
    [['街道', '社区', '社区代码'], 'communities'],
    [['单位名称', '单位类别'], 'units'],
    [['单位名称', '党组织名称', '简称', '党组织类别', '上级党组织'], 'orgs'],
    [['党组织名称', '结对社区', '所属街道', '报到时间'], 'org-checkins'],
    [['姓名', '身份证号', '所在党组织', '性别'], 'members'],
    [['身份证号', '联系电话', '工作单位', '所在党组织'], 'members'],
    [['姓名', '身份证号', '报到社区', '所属街道', '报到时间', '认领岗位'], 'checkins'],
    [['活动日期', '姓名', '身份证号', '社区', '服务类别', '服务时长(小时)', '积分'], 'activities'],
    [['姓名', '手机号码', '报到日期', '社区'], 'checkins'],
    [['联系电话', '报到社区', '报到时间'], 'checkins'],
    [['电话', '服务日期', '社区', '服务类别'], 'activities'],
    [['党组织名称', '报到社区', '报到时间', '联系电话'], 'org-checkins'],
    [['报到党组织', '结对社区', '所属街道', '报到时间'], 'org-checkins'],
    [['单位党组织', '报到社区', '报到时间'], 'org-checkins'],
    [['单位', '单位党组织'], 'org-checkins'],
    [['街道', '社区', '联系人', '联系电话'], 'communities'],
    [['姓名', '性别', '民族', '出生年月', '身份证号', '所在党组织', '报到社区', '报到时间'], 'members'],
    [['序号', '镇（街道）', '村（社区）名称', '社区代码'], 'communities'],
    [['镇', '村/社区'], 'communities'],
    [['乡镇', '居委会'], 'communities'],
    [['乡镇（街道）', '社区（居委会）'], 'communities'],
    [['街道办事处', '村（居）委会'], 'communities'],
    [['姓名', '身份证号', '报到社区', '所属街道', '到社区报到时间'], 'checkins'],
    [['姓名', '身份证号', '所报到社区', '报到年月日'], 'checkins'],
    [['姓名', '身份证号', '报到社区(村)名称', '报到时间'], 'checkins'],
    [['党员姓名', '身份证号码', '社区名称', '街道名称', '进社区报到时间'], 'checkins'],
    [['姓名', '活动日期', '社区', '志愿服务类别'], 'activities'],
    [['姓名', '日期', '社区', '服务项目'], 'activities'],
    [['姓名', '身份证号', '报到社区', '报到时间', '服务项目'], 'checkins'],
    [['填表说明'], undefined],
    [['项目', '金额'], undefined],
  ])('%j → %s', (headers, kind) => {
    expect(detectKind(headers as string[])).toBe(kind);
  });

  it('reads the departure date under the names offices give it', () => {
    for (const header of ['变动日期', '状态变动日期', '异动日期', '转出时间', '调离日期']) {
      expect(mapColumns('members', ['姓名', '身份证号', '所在党组织', '人员状态', header]).get('changeDate'), header).toBe(4);
    }
    expect(mapColumns('checkins', ['党员姓名', '社区名称', '街道名称', '进社区报到时间'])).toEqual(
      new Map([['name', 0], ['community', 1], ['town', 2], ['date', 3]]),
    );
  });

  it('matches traditional characters, full-width brackets and stray spaces', () => {
    expect(detectKind(['姓　名', '身份證號碼', '所在黨組織'])).toBe('members');
    const columns = mapColumns('activities', ['服务时长（小时）', '服 务 类 别']);
    expect(columns.get('hours')).toBe(0);
    expect(columns.get('category')).toBe(1);
  });
});

describe('mapColumns', () => {
  it.each([
    ['communities', ['序号', '镇（街道）', '村（社区）名称', '社区代码'], { town: 1, community: 2, code: 3 }],
    ['communities', ['乡鎮', '村（居）委會'], { town: 0, community: 1 }],
    ['communities', ['街道办事处', '居委会'], { town: 0, community: 1 }],
    ['communities', ['镇', '村/社区'], { town: 0, community: 1 }],
    ['checkins', ['姓名', '身份证号', '报到社区', '所属街道', '到社区报到时间'], { name: 0, idNumber: 1, community: 2, town: 3, date: 4 }],
    ['checkins', ['姓名', '所报到社区', '报到年月日'], { name: 0, community: 1, date: 2 }],
    ['checkins', ['姓名', '报到社区（村）名称', '报到时间'], { name: 0, community: 1, date: 2 }],
    ['activities', ['姓名', '活动日期', '社区', '志愿服务类别'], { name: 0, date: 1, community: 2, category: 3 }],
    ['activities', ['姓名', '活动日期', '社区', '服务项目'], { name: 0, date: 1, community: 2, category: 3 }],
  ])('%s %j', (kind, headers, expected) => {
    expect(Object.fromEntries(mapColumns(kind as Kind, headers as string[]))).toEqual(expected);
  });

  it('reads a roster\'s 所属街道 beside 居住地社区 as the residence town, not the check-in town', () => {
    const roster = ['姓名', '身份证号', '所在党组织', '居住地社区', '所属街道', '报到社区', '报到时间'];
    expect(mapColumns('checkins', roster).has('town')).toBe(false);
    expect(mapColumns('checkins', [...roster, '报到街道']).get('town')).toBe(7);
    expect(mapColumns('checkins', ['姓名', '报到社区', '所属街道', '报到时间']).get('town')).toBe(2);
  });
});

describe('findLayout', () => {
  it('skips a title row and finds a one-row header', () => {
    const layout = findLayout(grid([['XX单位在职党员到社区报到花名册'], ['姓名', '身份证号', '所在党组织'], ['甲', '110101199003070011', '一支部']]));
    expect(layout?.headerRows).toEqual([2]);
    expect(layout?.kind).toBe('members');
  });

  it('names a label found under two groups with its group: the check-in\'s 社区 is not the residence\'s', () => {
    for (const group of ['报到地', '报到社区']) {
      const layout = findLayout(
        grid([
          ['姓名', '身份证号', '居住地', '居住地', group, group, '报到时间'],
          ['姓名', '身份证号', '街道', '社区', '街道', '社区', '报到时间'],
          ['甲', '110101199003070011', '白沙街道', '白沙社区', '青山街道', '新华社区', '2026-03-05'],
        ]),
      )!;
      expect(layout.kind, group).toBe('checkins');
      expect(layout.headers.slice(2, 6), group).toEqual(['居住街道', '居住社区', '报到街道', '报到社区']);
      const columns = mapColumns('checkins', layout.headers);
      expect([columns.get('town'), columns.get('community')], group).toEqual([4, 5]);
    }
    // A group whose name would make no known header leaves the label as it was.
    const plain = findLayout(
      grid([
        ['姓名', '身份证号', '现居住处', '现居住处', '报到地', '报到地', '报到时间'],
        ['姓名', '身份证号', '街道', '社区', '街道', '社区', '报到时间'],
        ['甲', '110101199003070011', '白沙街道', '白沙社区', '青山街道', '新华社区', '2026-03-05'],
      ]),
    )!;
    expect(plain.headers.slice(2, 6)).toEqual(['街道', '社区', '报到街道', '报到社区']);
  });

  it('combines a two-level header whose merged cells were not filled (CSV)', () => {
    const layout = findLayout(
      grid([
        ['序号', '基本信息', '', '身份证号', '组织情况', ''],
        ['', '姓名', '性别', '', '所在党组织', '人员状态'],
        [1, '甲', '男', '110101199003070011', '一支部', ''],
      ]),
    );
    expect(layout?.headerRows).toEqual([1, 2]);
    expect(layout?.headers).toEqual(['序号', '姓名', '性别', '身份证号', '所在党组织', '人员状态']);
  });

  it('takes the labels under a group label that is itself a field (联系电话 over 手机 | 办公电话)', () => {
    // As the reader gives a merged header: A, B, C, F merged down over two rows, D:E across.
    const carried = findLayout(
      grid([
        ['樟溪区在职党员花名册'],
        ['序号', '姓名', '身份证号', '联系电话', '联系电话', '所在党组织'],
        ['序号', '姓名', '身份证号', '手机', '办公电话', '所在党组织'],
        [1, '甲', '110101199003070011', '13700000001', '0571-87654321', '一支部'],
      ]),
    )!;
    expect(carried.headerRows).toEqual([2, 3]);
    expect(carried.kind).toBe('members');
    expect(carried.headers).toEqual(['序号', '姓名', '身份证号', '手机', '办公电话', '所在党组织']);
    expect(mapColumns('members', carried.headers).get('phone')).toBe(3);
    const contact = findLayout(
      grid([
        ['序号', '姓名', '身份证号', '联系方式', '联系方式', '所在党组织'],
        ['序号', '姓名', '身份证号', '手机号码', '电子邮箱', '所在党组织'],
        [1, '甲', '110101199003070011', '13700000001', 'jia@example.cn', '一支部'],
      ]),
    )!;
    expect(contact.headerRows).toEqual([1, 2]);
    expect(Object.fromEntries(mapColumns('members', contact.headers))).toEqual({ name: 1, idNumber: 2, phone: 3, org: 5 });
    // The same header saved as a CSV: the merged cells hold their text in the first cell only.
    const csv = findLayout(
      grid([
        ['序号', '姓名', '身份证号', '联系电话', '', '所在党组织'],
        ['', '', '', '手机', '办公电话', ''],
        [1, '甲', '110101199003070011', '13700000001', '0571-87654321', '一支部'],
      ]),
    )!;
    expect(csv.headerRows).toEqual([1, 2]);
    expect(mapColumns('members', csv.headers).get('phone')).toBe(3);
  });

  it('reads every label under a phone group as a phone: 单位 under 联系电话 is the office phone, not the work unit', () => {
    for (const rows of [
      [
        ['序号', '姓名', '身份证号', '联系电话', '联系电话', '所在党组织'],
        ['序号', '姓名', '身份证号', '手机', '单位', '所在党组织'],
      ],
      [
        ['序号', '姓名', '身份证号', '联系电话', '', '所在党组织'],
        ['', '', '', '手机', '单位', ''],
      ],
    ]) {
      const layout = findLayout(grid([...rows, [1, '甲', '110101199003070011', '13700000001', '0571-87654321', '一支部']]))!;
      expect(layout.headerRows).toEqual([1, 2]);
      expect(layout.headers[4]).toBe('联系电话单位');
      expect(Object.fromEntries(mapColumns('members', layout.headers))).toEqual({ name: 1, idNumber: 2, phone: 3, org: 5 });
    }
    // A work unit beside the phones is still the work unit; a blank beside a lone header is no group.
    const beside = findLayout(
      grid([
        ['序号', '姓名', '身份证号', '联系电话', '', '单位'],
        ['', '', '', '', '', ''],
        [1, '甲', '110101199003070011', '13700000001', '', '樟溪区甲局'],
      ]),
    )!;
    expect(mapColumns('members', beside.headers).get('unit')).toBe(5);
  });

  it('a blank after a merged phone group is beyond the merge: 工作单位 there is the work unit', () => {
    // As the reader gives it: 联系电话 merged over E:F (carried into both), G2 empty, 居住情况 over H:I.
    const layout = findLayout(
      grid([
        ['樟溪区在职党员花名册'],
        ['', '', '', '', '联系电话', '联系电话', '', '居住情况', '居住情况'],
        ['序号', '姓名', '身份证号', '所在党组织', '手机', '办公电话', '工作单位', '所属街道', '居住地社区'],
        [1, '周四', '339901198503051050', '审计局机关党支部', '13900000004', '88886666', '樟溪区审计局', '白沙街道', '白沙社区'],
      ]),
    )!;
    expect(layout.headers[6]).toBe('工作单位');
    expect(Object.fromEntries(mapColumns('members', layout.headers))).toMatchObject({ phone: 4, unit: 6, org: 3 });
    // Saved as a CSV, a group label over blanks still spans only the columns with labels under it.
    const csv = findLayout(grid([['序号', '姓名', '身份证号', '联系电话', '', '工作单位', '所在党组织'], ['', '', '', '手机', '单位', '', '']]))!;
    expect(Object.fromEntries(mapColumns('members', csv.headers))).toMatchObject({ phone: 3, unit: 5, org: 6 });
  });

  it('居住地 | 报到地 with the label in the first cell only: each 街道 and 社区 belongs to its group', () => {
    const rows = [
      ['序号', '姓名', '身份证号', '居住地', '', '报到地', '', '报到时间'],
      ['', '', '', '街道', '社区', '街道', '社区', ''],
      [1, '付琪', '330102198210100407', '青山街道', '花园社区', '白沙街道', '滨江社区', '2026-03-05'],
    ];
    const layout = findLayout(grid(rows), 'checkins')!;
    expect(layout.headerRows).toEqual([1, 2]);
    expect(Object.fromEntries(mapColumns('checkins', layout.headers))).toMatchObject({ community: 6, date: 7 });
    const roster = findLayout(grid(rows.map((row) => row.slice(0, 7))), 'members')!;
    expect(Object.fromEntries(mapColumns('members', roster.headers))).toMatchObject({ residenceTown: 3, residenceCommunity: 4 });
  });

  it('a contact line above the header (联系人 | 王五 | 联系电话 | 0571-88889999) is not part of it', () => {
    const layout = findLayout(
      grid([
        ['樟溪区在职党员花名册'],
        ['联系人', '王五', '联系电话', '0571-88889999'],
        ['序号', '姓名', '工作单位', '身份证号', '手机号码', '所在党组织'],
        [1, '周四', '樟溪区审计局', '339901198503051050', '13900000004', '审计局机关党支部'],
      ]),
    )!;
    expect(layout.headerRows).toEqual([3]);
    expect(mapColumns('members', layout.headers).get('unit')).toBe(2);
  });

  it('a mobile column is the phone rather than a 联系电话 column before it', () => {
    expect(mapColumns('members', ['姓名', '身份证号', '联系电话', '手机', '所在党组织']).get('phone')).toBe(3);
    expect(mapColumns('members', ['姓名', '手机号码', '联系电话']).get('phone')).toBe(1);
    expect(mapColumns('members', ['姓名', '联系电话', '电话']).get('phone')).toBe(1);
  });

  it('keeps the first data row out of a header with a merged group label', () => {
    const layout = findLayout(
      grid([
        ['序号', '姓名', '身份证号', '联系电话', '联系电话', '所在党组织'],
        [1, '甲', '110101199003070011', '13700000001', '0571-87654321', '一支部'],
      ]),
    )!;
    expect(layout.headerRows).toEqual([1]);
    // Labels under 联系电话 that name another field (单位 is a member's unit) and none that names
    // the phone would read the phones as something else: the header is left as it was.
    for (const labels of [['单位', '住宅'], ['宅电', '办公']]) {
      const layout = findLayout(
        grid([
          ['序号', '姓名', '身份证号', '联系电话', '联系电话', '所在党组织'],
          ['序号', '姓名', '身份证号', ...labels, '所在党组织'],
        ]),
      )!;
      expect(layout.headerRows, labels.join()).toEqual([1]);
    }
  });

  it('does not take a 填报 line as part of the header', () => {
    const layout = findLayout(grid([['标题'], ['填报单位：组织部', '', '填报日期：2026年10月8日'], ['姓名', '身份证号', '所在党组织']]));
    expect(layout?.headerRows).toEqual([3]);
  });

  it('takes a header that holds 联系人, 负责人 or 经办人 columns', () => {
    const orgs = findLayout(grid([['单位名称', '党组织名称', '简称', '书记', '联系人', '联系电话'], ['樟溪区甲局', '中共樟溪区甲局支部委员会', '甲局支部', '王五', '张三', '0571-88888888']]));
    expect(orgs?.headerRows).toEqual([1]);
    expect(orgs?.kind).toBe('orgs');
    const checkins = findLayout(grid([['标题'], ['姓名', '身份证号', '报到社区', '所属街道', '报到时间', '经办人', '签名'], ['甲', '110101199003070011', '白沙社区', '白沙街道', '2026-03-05', '李四', '']]));
    expect(checkins?.headerRows).toEqual([2]);
    expect(checkins?.kind).toBe('checkins');
  });

  it('still passes over a 联系人 line above the header', () => {
    const layout = findLayout(grid([['标题'], ['填报单位：组织部', '联系人：张三', '联系电话：0571-88888888'], ['姓名', '身份证号', '所在党组织']]));
    expect(layout?.headerRows).toEqual([3]);
  });

  it('matches headers that carry a note in brackets', () => {
    const layout = findLayout(grid([['姓名', '身份证号码(18位)', '所在党组织（全称）', '联系电话（手机）', '人员状态（在职/外派/调出）']]));
    expect(layout?.kind).toBe('members');
    const columns = mapColumns('members', layout!.headers);
    expect([columns.get('idNumber'), columns.get('org'), columns.get('phone'), columns.get('status')]).toEqual([1, 2, 3, 4]);
  });

  it('returns nothing for an instructions sheet', () => {
    expect(findLayout(grid([['填表说明'], ['1. 身份证号请设置为文本格式']]))).toBeUndefined();
  });
});

describe('skipReason', () => {
  const layout = findLayout(grid([['姓名', '身份证号', '所在党组织', '备注']]))!;
  const data = [0, 1, 2, 3];
  const row = (cells: Array<string | number | null>, first = false) => skipReason({ rowNumber: 9, cells }, layout, data, first);

  it.each([
    [['合计', '84人'], 'total'],
    [['小 计', '', ''], 'total'],
    [['总计：', 3], 'total'],
    [['填表说明：身份证号请设置为文本格式'], 'notes'],
    [['注：上级党组织可填写全称或简称。'], 'notes'],
    [['填报人：张三', '', '审核人：李四'], 'notes'],
    [['甲', '乙', '1', '2'], 'codes'],
    [['(1)', '(2)', '(3)', '(4)'], 'codes'],
    [['（1）', '（2）', '（3）', ''], 'codes'],
    [['A', 'B', 'C', 'D'], 'codes'],
    [['①', '②', '③', '④'], 'codes'],
    [['栏次', '1', '2', '3'], 'codes'],
    [['累计', '', '', 2], 'total'],
    [['', '累 计', '', 2], 'total'],
    [['姓名', '身份证号', '所在党组织', '备注'], 'repeated-header'],
  ])('%j → %s', (cells, reason) => {
    expect(row(cells as Array<string | number | null>, reason === 'codes')).toBe(reason);
  });

  it('a heading carried across the table by a merge (every cell the same text) is a section', () => {
    const roster = findLayout(grid([['序号', '姓名', '身份证号', '联系电话', '所在党组织', '所属街道', '居住地社区']]))!;
    const fields = [...mapColumns('members', roster.headers).values()];
    const reason = (cells: Array<string | number | null>) => skipReason({ rowNumber: 4, cells }, roster, fields, false, 'members');
    for (const heading of ['二、财政局机关第二支部', '第二支部', '财政局', '（二）人民医院', '二、中共樟溪区财政局机关第二支部委员会']) {
      expect(reason(Array(7).fill(heading)), heading).toBe('section');
    }
    // Unmerged, in the 序号 column only: no field's value (as before).
    expect(reason(['二、财政局机关第二支部'])).toBe('empty-template');
    // Unmerged, in the 姓名 column: numbered, or naming an organisation; a name alone is data.
    for (const heading of ['二、财政局机关第二支部', '（三）人民医院', '第一党支部', '审计局机关党委', '3.退休干部']) {
      expect(reason(['', heading]), heading).toBe('section');
    }
    for (const name of ['王伟', '欧阳娜娜', '财政局']) expect(reason(['', name]), name).toBeUndefined();
    expect(reason(['', '甲、税务局'])).toBe('section');
    // A template's filled-in example row is not a member.
    for (const first of ['示例', '例：', '填写示例']) expect(reason([first, '张三', '33010219800101001X', '13800000000', '审计一支部', '东湖街道', '东湖社区']), first).toBe('notes');
    expect(reason([1, '示例', '33010219800101001X', '13800000000', '审计一支部', '东湖街道', '东湖社区'])).toBeUndefined();
    // A number alone is a value, not a numbered heading (1.5 hours in an activity list).
    const activities = findLayout(grid([['姓名', '身份证号', '社区', '活动日期', '服务时长']]))!;
    const activityFields = [...mapColumns('activities', activities.headers).values()];
    expect(skipReason({ rowNumber: 3, cells: ['', '', '', '', '1.5'] }, activities, activityFields, false, 'activities')).toBeUndefined();
    // A sentence carried across is a note; a member row is data, whatever two of its cells hold.
    expect(reason(Array(7).fill('以上人员均已核实，请各社区于月底前反馈'))).toBe('notes');
    expect(reason([1, '王伟', '110101199003070011', '', '财政局', '财政局', ''])).toBeUndefined();
  });

  it('a repeated header naming 联系人 and 联系电话 is a repeated header, not a signature line', () => {
    const contacts = findLayout(grid([['街道', '社区', '联系人', '联系电话']]))!;
    expect(skipReason({ rowNumber: 9, cells: ['街道', '社区', '联系人', '联系电话'] }, contacts, [0, 1], false)).toBe('repeated-header');
  });

  it.each([
  ])('%j → %s', (cells, reason) => {
    expect(row(cells as Array<string | number | null>, reason === 'codes')).toBe(reason);
  });

  it.each([
    [['填表人：张三', '', '联系电话：0571-87654321', '填表日期：2026年10月8日'], 'filing'],
    [['备注：', '外派人员请在状态栏注明', '', ''], 'notes'],
    [['注：', '本表一式两份', '', ''], 'notes'],
    [['单位（盖章）：', '', '', '2026年10月8日'], 'filing'],
    [['填表人：', '审核人：', '联系电话：', ''], 'notes'],
    [['单位负责人：张三', '填表人：李四', '审核日期：2026年10月8日'], 'filing'],
    [['本页小计', 2, '', ''], 'total'],
    [['以上人员均已核实，请各社区于月底前反馈'], 'notes'],
    // Labels in cells of their own, without colons.
    [['填表人', '张三', '', '审核人', '李四', '填表日期', '2026年11月20日'], 'notes'],
    [['填表日期', '2026年11月20日', '联系电话', '0571-87654321'], 'filing'],
    [['', '', '', '以上人员由各支部核实后报组织部备案存档'], 'notes'],
  ])('a signature, notes or subtotal line at the bottom: %j → %s', (cells, reason) => {
    expect(row(cells as Array<string | number | null>)).toBe(reason);
  });

  it.each([
    [['王伟', '负责人', '一支部', '']],
    [['联系人', '13800000001', '一支部', '']],
  ])('one label-like value in a data row is data: %j', (cells) => {
    expect(row(cells)).toBeUndefined();
  });

  it('keeps a long name alone as a row where one value makes a row (units)', () => {
    const units = findLayout(grid([['单位名称', '单位类别']]))!;
    const reason = (cells: string[]) => skipReason({ rowNumber: 5, cells }, units, [0, 1], false, 'units');
    expect(reason(['国网浙江省电力有限公司樟溪区供电分公司', ''])).toBeUndefined();
    expect(reason(['注：单位类别按机关、事业单位、国有企业填写', ''])).toBe('notes');
  });

  it('keeps 累计 inside text, and bracketed numbers that are not a whole row of codes', () => {
    expect(row(['累计服务时长', '110101199003070011', '一支部', ''])).toBeUndefined();
    expect(row(['王伟', '累计3次', '一支部', ''])).toBeUndefined();
    expect(row(['王伟', '(1)', '一支部', '(2)'], true)).toBeUndefined();
  });

  it('keeps data rows, including one whose note mentions 注意', () => {
    expect(row(['王伟', '110101199003070011', '一支部', ''])).toBeUndefined();
    expect(row(['王伟', '110101199003070011', '一支部', '注意：已调动'])).toBeUndefined();
    expect(row(['王伟', '', '', ''])).toBeUndefined();
    expect(row(['王伟', '110101199003070011', '一支部', '联系人：李四'])).toBeUndefined();
    expect(row(['负责人', '110101199003070011', '一支部', ''])).toBeUndefined();
  });
});

describe('RowClassifier', () => {
  const classify = (rows: Array<Array<string | null>>, options: { kind?: Kind; fromRoster?: boolean } = {}) => {
    const sheet = grid(rows);
    const layout = findLayout(sheet, options.kind)!;
    const kind = options.kind ?? layout.kind!;
    const classifier = new RowClassifier({ kind, layout, columns: mapColumns(kind, layout.headers), strict: false, fromRoster: options.fromRoster });
    return sheet.map((row) => classifier.classify(row)).map((outcome) => (outcome === undefined ? undefined : 'skip' in outcome ? outcome.skip : 'data'));
  };

  it('skips two rows of column codes under the header (A B C, then 1 2 3), and only those', () => {
    const header = ['姓名', '身份证号', '所在党组织', '联系电话'];
    expect(classify([header, ['A', 'B', 'C', 'D'], ['1', '2', '3', '4'], ['王伟', '110101199003070011', '一支部', '13700000001']])).toEqual([undefined, 'codes', 'codes', 'data']);
    expect(classify([header, ['（1）', '（2）', '（3）', '（4）'], ['王伟', '110101199003070011', '一支部', '13700000001'], ['1', '2', '3', '4']])).toEqual([undefined, 'codes', 'data', 'data']);
  });

  it('skips a section heading merged across the table between members, and reads the rows below it', () => {
    const header = ['序号', '姓名', '身份证号', '所在党组织'];
    const heading = Array(4).fill('二、财政局机关第二支部');
    expect(classify([header, ['1', '王伟', '110101199003070011', '一支部'], heading, ['2', '李兰', '11010119900307731X', '二支部']])).toEqual([undefined, 'data', 'section', 'data']);
  });

  it('skips a roster member without a check-in when check-ins are read from a roster, else keeps the row', () => {
    const rows = [
      ['姓名', '身份证号', '所在党组织', '居住地社区', '报到社区', '报到时间'],
      ['王伟', '110101199003070011', '一支部', '东湖社区', '', ''],
      ['李兰', '110101199003070038', '一支部', '东湖社区', '东湖社区', '2026-03-05'],
    ];
    expect(classify(rows, { kind: 'checkins', fromRoster: true })).toEqual([undefined, 'no-checkin', 'data']);
    expect(classify(rows, { kind: 'checkins' })).toEqual([undefined, 'data', 'data']);
  });
});
