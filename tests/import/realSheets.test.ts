// Sheets as offices really fill them in: columns such as 联系人 or 经办人 in the header, a note in
// brackets after a header, signature, notes and subtotal lines at the bottom, a merged box of
// notes beside the table, a tab-separated file under a title line, dates as serial numbers, a
// contact group over 手机 | 办公电话, section headings merged across the table, 1985.10 typed into
// a cell formatted 0.00.
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { runDbd, tempDir } from '../helpers/cli.js';
import { rows } from '../helpers/db.js';
import { fixtureBaseDb as baseDb, importJson, writeCsv as writeText, type ImportDoc } from '../helpers/importDoc.js';

const sheet = (doc: ImportDoc) => doc.files[0].sheets[0];

describe('header rows with columns that are also signature words', () => {
  it('an organisation roster with 联系人 and a check-in register with 经办人 and 签名 import', () => {
    const db = baseDb();
    const orgs = writeText('党组织联系人.csv', [
      '单位名称,党组织名称,简称,书记,联系人,联系电话',
      '樟溪区财政局,中共樟溪区财政局机关支部委员会,财政局支部,王五,张三,0571-88888888',
    ]);
    const members = writeText('党员.csv', ['姓名,身份证号,所在党组织', '李明,110101199003077314,财政局支部']);
    const checkins = writeText('报到.csv', ['姓名,身份证号,报到社区,所属街道,报到时间,经办人,签名', '李明,110101199003077314,东湖社区,东湖街道,2026-03-05,赵六,']);
    const { status, doc, stderr } = importJson(db, [orgs, members, checkins]);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(doc.files.map((f) => f.sheets[0].kind)).toEqual(['orgs', 'members', 'checkins']);
    expect(doc.files.map((f) => f.sheets[0].added)).toEqual([1, 1, 1]);
  });
});

describe('lines at the bottom of a roster', () => {
  it('signature, notes, 单位（盖章） and 本页小计 lines are skipped, never read as members', () => {
    const db = baseDb();
    const file = writeText('花名册.csv', [
      '序号,姓名,身份证号,所在党组织,联系电话',
      '1,张一,330106198005141408,审计一支部,13700000001',
      '2,张二,110101199003077314,审计一支部,13700000002',
      '本页小计,2,,,',
      '填表人：张三,,,联系电话：0571-87654321,填表日期：2026年10月8日',
      '备注：,外派人员请在状态栏注明,,,',
      '注：,本表一式两份,,,',
      '单位（盖章）：,,,,2026年10月8日',
      '填表人：,审核人：,联系电话：,,',
    ]);
    const { status, doc } = importJson(db, [file]);
    expect(status).toBe(0);
    expect(sheet(doc)).toMatchObject({ added: 2, skipped: 6, errors: [] });
    expect(sheet(doc).skippedRows.map((r) => r.row)).toEqual([4, 5, 6, 7, 8, 9]);
  });
});

describe('headers carrying a note in brackets', () => {
  it('人员状态（在职/外派/调出） is the status column: an exempt member is not expected', () => {
    const db = baseDb();
    const file = writeText('党员.csv', [
      '姓名,身份证号码(18位),所在党组织（全称）,联系电话（手机）,人员状态（在职/外派/调出）',
      '张一,330106198005141408,中共樟溪区审计局机关第一支部委员会,13700000001,外派',
      '张二,110101199003077314,中共樟溪区审计局机关第一支部委员会,13700000002,在职',
    ]);
    const { status, doc } = importJson(db, [file]);
    expect(status).toBe(0);
    expect(sheet(doc)).toMatchObject({ kind: 'members', added: 2 });
    expect(rows(db, "select name, phone, status_kind from members order by name")).toEqual([
      { name: '张一', phone: '13700000001', status_kind: 'exempt' },
      { name: '张二', phone: '13700000002', status_kind: 'active' },
    ]);
  });
});

describe('a merged box of notes beside the table', () => {
  it('over the header row and the data rows, it neither hides the header nor makes rows of its own', async () => {
    const db = baseDb();
    const workbook = new ExcelJS.Workbook();
    const ws = workbook.addWorksheet('党员');
    ws.getCell('A1').value = '樟溪区在职党员花名册';
    ['姓名', '身份证号', '所在党组织', '联系电话'].forEach((h, i) => (ws.getRow(2).getCell(i + 1).value = h));
    ws.getRow(3).values = ['张一', '330106198005141408', '审计一支部', '13700000001'];
    ws.getRow(5).values = ['张二', '110101199003077314', '审计一支部', '13700000002'];
    ws.mergeCells('F1:H8');
    ws.getCell('F1').value = '注意事项：1.身份证号用文本格式；2.外派人员在状态栏注明';
    const file = path.join(tempDir(), '党员.xlsx');
    await workbook.xlsx.writeFile(file);
    const { status, doc } = importJson(db, [file]);
    expect(status).toBe(0);
    expect(sheet(doc)).toMatchObject({ kind: 'members', added: 2, read: 3, headerRows: [2] });
    // Row 1 holds the title and the box's text.
    expect(sheet(doc).skippedRows).toEqual([{ row: 1, reason: 'notes' }]);
  });
});

describe('other shapes', () => {
  it('a tab-separated .txt under a title line', () => {
    const db = baseDb();
    const file = writeText('党员.txt', ['樟溪区在职党员花名册', '姓名,身份证号,所在党组织', '张一,330106198005141408,审计一支部'], '\t');
    const { status, doc } = importJson(db, [file]);
    expect(status).toBe(0);
    expect(sheet(doc)).toMatchObject({ kind: 'members', added: 1 });
  });

  it('check-in dates written out as Excel serial numbers in a CSV', () => {
    const db = baseDb();
    const members = writeText('党员.csv', ['姓名,身份证号,所在党组织', '张一,330106198005141408,审计一支部']);
    const checkins = writeText('报到.csv', ['姓名,身份证号,报到社区,所属街道,报到时间', '张一,330106198005141408,东湖社区,东湖街道,46086']);
    expect(importJson(db, [members, checkins]).status).toBe(0);
    expect(rows(db, 'select date from checkins')).toEqual([{ date: '2026-03-05' }]);
  });
});

describe('two registers pasted one under the other', () => {
  it('the second block repeating the header in another order is read by that header', () => {
    const db = baseDb();
    const members = writeText('党员.csv', ['姓名,身份证号,所在党组织', '张一,330106198005141408,审计一支部', '李明,110101199003077314,审计一支部']);
    const checkins = writeText('报到.csv', [
      '姓名,身份证号,报到社区,所属街道,报到时间,认领岗位',
      '张一,330106198005141408,东湖社区,东湖街道,2026-03-05,网格员',
      '姓名,身份证号,报到社区,认领岗位,报到时间,所属街道',
      '李明,110101199003077314,书院社区,法律咨询员,2026-03-06,东湖街道',
    ]);
    const { status, doc } = importJson(db, [members, checkins]);
    expect(status).toBe(0);
    expect(doc.files[1].sheets[0]).toMatchObject({ read: 3, added: 2, skipped: 1, errors: [] });
    expect(doc.files[1].sheets[0].skippedRows).toEqual([{ row: 3, reason: 'repeated-header' }]);
    expect(rows(db, 'select m.name, c.name as community, t.name as town, k.post from checkins k join members m on m.id = k.member_id join communities c on c.id = k.community_id join towns t on t.id = c.town_id order by k.id')).toEqual([
      { name: '张一', community: '东湖社区', town: '东湖街道', post: '网格员' },
      { name: '李明', community: '书院社区', town: '东湖街道', post: '法律咨询员' },
    ]);
    expect(rows(db, "select name from towns where name = '法律咨询员'")).toEqual([]);
  });
});

describe('more header spellings', () => {
  it('a community list headed 镇（街道）/村（社区）名称 and a check-in register headed 到社区报到时间 import', () => {
    const db = baseDb();
    const communities = writeText('村社区.csv', ['序号,镇（街道）,村（社区）名称,社区代码', '1,西山镇,东岭村,339902101203', '2,东湖街道,新桥社区,339902001004']);
    const members = writeText('党员.csv', ['姓名,身份证号,所在党组织', '张一,330106198005141408,审计一支部', '张二,110101199003077314,审计一支部']);
    const checkins = writeText('报到.csv', ['姓名,身份证号,报到社区,所属街道,到社区报到时间', '张一,330106198005141408,东岭村,西山镇,2026-03-05']);
    const other = writeText('报到2.csv', ['姓名,身份证号,所报到社区,报到年月日', '张二,110101199003077314,新桥社区,2026年3月6日']);
    const { status, doc, stderr } = importJson(db, [communities, members, checkins, other]);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(doc.files.map((f) => [f.sheets[0].kind, f.sheets[0].added])).toEqual([['communities', 2], ['members', 2], ['checkins', 1], ['checkins', 1]]);
    expect(rows(db, 'select c.name, k.date from checkins k join communities c on c.id = k.community_id order by k.date')).toEqual([
      { name: '东岭村', date: '2026-03-05' },
      { name: '新桥社区', date: '2026-03-06' },
    ]);
  });

  it('an activity register headed 志愿服务类别', () => {
    const db = baseDb();
    const members = writeText('党员.csv', ['姓名,身份证号,所在党组织', '张一,330106198005141408,审计一支部']);
    const activities = writeText('志愿服务.csv', ['姓名,身份证号,活动日期,社区,志愿服务类别,服务时长', '张一,330106198005141408,2026-03-05,东湖社区,环境整治,2']);
    const { status, doc } = importJson(db, [members, activities]);
    expect(status).toBe(0);
    expect(doc.files[1].sheets[0]).toMatchObject({ kind: 'activities', added: 1 });
  });
});

describe('="…" cells in a CSV', () => {
  it('are the ID numbers and phones inside them', () => {
    const db = baseDb();
    const members = writeText('党员.csv', ['姓名,身份证号,联系电话,所在党组织', '张一,="330106198005141408",="13700000001",审计一支部', '张二,"=""110101199003077314""",="13700000002",审计一支部']);
    const checkins = writeText('报到.csv', ['姓名,身份证号,报到社区,所属街道,报到时间', '张一,="330106198005141408",东湖社区,东湖街道,="2026-03-05"']);
    const { status, doc } = importJson(db, [members, checkins]);
    expect(doc.files.flatMap((f) => f.sheets[0].errors)).toEqual([]);
    expect(status).toBe(0);
    expect(rows(db, 'select name, id_number, phone from members order by name')).toEqual([
      { name: '张一', id_number: '330106198005141408', phone: '13700000001' },
      { name: '张二', id_number: '110101199003077314', phone: '13700000002' },
    ]);
    expect(rows(db, 'select date from checkins')).toEqual([{ date: '2026-03-05' }]);
  });
});

describe('total and column-code rows', () => {
  it('a 累计 row is a total; two rows of codes (A B C…, then (1) (2) (3)…) under the header are codes', () => {
    const db = baseDb();
    const members = writeText('党员.csv', ['姓名,身份证号,所在党组织', '张一,330106198005141408,审计一支部']);
    const activities = writeText('志愿服务.csv', [
      '姓名,身份证号,活动日期,社区,服务类别,备注,服务时长',
      'A,B,C,D,E,F,G',
      '（1）,（2）,（3）,（4）,（5）,（6）,（7）',
      '张一,330106198005141408,2026-03-05,东湖社区,环境整治,累计服务时长另计,2',
      '累计,,,,,,2',
    ]);
    const { status, doc } = importJson(db, [members, activities]);
    expect(status).toBe(0);
    expect(doc.files[1].sheets[0]).toMatchObject({ read: 4, added: 1, skipped: 3, errors: [] });
    expect(doc.files[1].sheets[0].skippedRows).toEqual([
      { row: 2, reason: 'codes' },
      { row: 3, reason: 'codes' },
      { row: 5, reason: 'total' },
    ]);
  });
});

describe('a member roster with check-in columns', () => {
  const roster = () =>
    writeText('花名册.csv', [
      '序号,姓名,性别,身份证号,联系电话,工作单位,所在党组织,居住地社区,所属街道,报到社区,报到时间,认领岗位',
      '1,张一,男,330106198005141408,13700000001,樟溪区审计局,审计一支部,东湖社区,东湖街道,西山村,2026-03-05,环境整治',
      '2,张二,女,110101199003077314,13700000002,樟溪区审计局,审计一支部,书院社区,东湖街道,,,',
    ]);

  it('is imported as members with a warning naming the check-in columns left out and --kind checkins', () => {
    const db = baseDb();
    const file = roster();
    const human = runDbd(['import', file, '--db', db], { env: { DBD_TODAY: '2026-11-21' } });
    expect(human.status).toBe(0);
    expect(human.stderr).toContain('花名册.csv [花名册] 按党员花名册导入，其中的报到列（报到社区、报到时间、认领岗位）没有导入');
    expect(human.stderr).toContain('--kind checkins');
    const { doc } = importJson(db, [file]);
    expect(doc.files[0].sheets[0].kind).toBe('members');
    expect(doc.files[0].sheets[0].warnings[0]).toEqual({ row: 1, column: '报到社区、报到时间、认领岗位', value: '', reason: expect.stringContaining('--kind checkins') });
  });

  it('gives its check-ins with --kind checkins: 所属街道 is the residence town, a member without a check-in is skipped', () => {
    const db = baseDb();
    const file = roster();
    expect(importJson(db, [file]).status).toBe(0);
    const result = runDbd(['import', file, '--db', db, '--kind', 'checkins'], { env: { DBD_TODAY: '2026-11-21' } });
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('1 行的报到社区和报到时间都为空（尚未报到），已跳过');
    const { doc } = importJson(db, [file], ['--kind', 'checkins']);
    expect(doc.files[0].sheets[0]).toMatchObject({ kind: 'checkins', read: 2, unchanged: 1, skipped: 1, errors: [] });
    expect(doc.files[0].sheets[0].skippedRows).toEqual([{ row: 3, reason: 'no-checkin' }]);
    // 西山村 of 西山镇, not a new 西山村 in 东湖街道 (the member's 所属街道).
    expect(rows(db, 'select t.name as town, c.name as community, k.post from checkins k join communities c on c.id = k.community_id join towns t on t.id = c.town_id')).toEqual([
      { town: '西山镇', community: '西山村', post: '环境整治' },
    ]);
  });
});

describe('a two-level header whose group label is itself a column', () => {
  it('联系电话 over 手机 | 办公电话 and 联系方式 over 手机号码 | 电子邮箱: the mobile column is the phone', async () => {
    const db = baseDb();
    const workbook = new ExcelJS.Workbook();
    const phones = workbook.addWorksheet('联系电话');
    phones.getCell('A1').value = '樟溪区在职党员花名册';
    phones.getRow(2).values = ['序号', '姓名', '身份证号', '联系电话', null, '所在党组织'];
    phones.getRow(3).values = [null, null, null, '手机', '办公电话'];
    for (const column of ['A', 'B', 'C', 'F']) phones.mergeCells(`${column}2:${column}3`);
    phones.mergeCells('D2:E2');
    phones.getRow(4).values = [1, '张一', '330106198005141408', '13700000001', '0571-87654321', '审计一支部'];
    phones.getRow(5).values = [2, '张二', '11010119900307731X', null, '0571-87654322', '审计一支部'];
    const contacts = workbook.addWorksheet('联系方式');
    contacts.getRow(1).values = ['序号', '姓名', '身份证号', '联系方式', null, '所在党组织'];
    contacts.getRow(2).values = [null, null, null, '手机号码', '电子邮箱'];
    for (const column of ['A', 'B', 'C', 'F']) contacts.mergeCells(`${column}1:${column}2`);
    contacts.mergeCells('D1:E1');
    contacts.getRow(3).values = [1, '张三', '110101199003070011', '13700000003', 'zhangsan@example.cn', '审计二支部'];
    const file = path.join(tempDir(), '党员.xlsx');
    await workbook.xlsx.writeFile(file);
    const { status, doc } = importJson(db, [file]);
    expect(doc.files[0].sheets.map((s) => s.errors)).toEqual([[], []]);
    expect(status).toBe(0);
    expect(doc.files[0].sheets[0]).toMatchObject({ kind: 'members', headerRows: [2, 3], read: 3, added: 2, skippedRows: [{ row: 1, reason: 'title' }] });
    expect(doc.files[0].sheets[1]).toMatchObject({ kind: 'members', headerRows: [1, 2], read: 1, added: 1, skippedRows: [] });
    // 办公电话 is a landline, not the member's phone; 电子邮箱 is not read.
    expect(rows(db, 'select name, phone from members order by name')).toEqual([
      { name: '张一', phone: '13700000001' },
      { name: '张三', phone: '13700000003' },
      { name: '张二', phone: null },
    ]);
  });
});

describe('a phone group over 手机 | 单位', () => {
  it('单位 under 联系电话 is the office phone: the work unit is read from 工作单位, and no unit is named by a phone', async () => {
    const db = baseDb();
    const workbook = new ExcelJS.Workbook();
    const ws = workbook.addWorksheet('党员');
    ws.getRow(1).values = ['序号', '姓名', '身份证号', '联系电话', null, '工作单位', '所在党组织'];
    ws.getRow(2).values = [null, null, null, '手机', '单位'];
    for (const column of ['A', 'B', 'C', 'F', 'G']) ws.mergeCells(`${column}1:${column}2`);
    ws.mergeCells('D1:E1');
    ws.getRow(3).values = [1, '张一', '330106198005141408', '13700000001', '0571-87654321', '樟溪区新建局', '樟溪区新建局机关党支部'];
    const file = path.join(tempDir(), '党员.xlsx');
    await workbook.xlsx.writeFile(file);
    const { status, doc } = importJson(db, [file]);
    expect(sheet(doc).errors).toEqual([]);
    expect(status).toBe(0);
    expect(sheet(doc)).toMatchObject({ headerRows: [1, 2], added: 1 });
    expect(rows(db, "select m.phone, u.name as unit from members m join units u on u.id = m.unit_id where m.name = '张一'")).toEqual([{ phone: '13700000001', unit: '樟溪区新建局' }]);
    expect(rows(db, "select name from units where name like '0571%'")).toEqual([]);
  });
});

describe('section headings between the members', () => {
  it('a heading merged across the table is skipped and reported as skipped', async () => {
    const db = baseDb();
    const workbook = new ExcelJS.Workbook();
    const ws = workbook.addWorksheet('党员');
    ws.getRow(1).values = ['序号', '姓名', '身份证号', '联系电话', '所在党组织', '所属街道', '居住地社区'];
    ws.getRow(2).values = [1, '张一', '330106198005141408', '13700000001', '审计一支部', '东湖街道', '东湖社区'];
    const headings: Array<[number, string]> = [[3, '二、财政局机关第二支部'], [5, '第二支部'], [6, '财政局'], [7, '（二）人民医院']];
    for (const [row, heading] of headings) {
      ws.getCell(`A${row}`).value = heading;
      ws.mergeCells(`A${row}:G${row}`);
    }
    ws.getRow(4).values = [2, '张二', '11010119900307731X', '13700000002', '审计二支部', '东湖街道', '东湖社区'];
    ws.getRow(8).values = [3, '张三', '110101199003070011', '13700000003', '二中党支部', '东湖街道', '东湖社区'];
    const file = path.join(tempDir(), '党员.xlsx');
    await workbook.xlsx.writeFile(file);
    const { status, doc } = importJson(db, [file]);
    expect(sheet(doc).errors).toEqual([]);
    expect(status).toBe(0);
    expect(sheet(doc)).toMatchObject({ kind: 'members', read: 7, added: 3, skipped: 4 });
    expect(sheet(doc).skippedRows).toEqual(headings.map(([row]) => ({ row, reason: 'section' })));
    expect(rows(db, 'select name from members order by name')).toEqual([{ name: '张一' }, { name: '张三' }, { name: '张二' }]);
  });
});

describe('section headings typed into the 姓名 column, not merged', () => {
  it('are skipped as headings when numbered or naming an organisation; a name alone is still an error', () => {
    const db = baseDb();
    const headings: Array<[number, string]> = [[3, '二、财政局机关第二支部'], [5, '（三）人民医院'], [6, '第一党支部'], [7, '审计局机关党委'], [8, '3.退休干部']];
    const lines = ['序号,姓名,身份证号,联系电话,所在党组织', '1,张一,330106198005141408,13700000001,审计一支部', ',,,,', '2,张二,11010119900307731X,13700000002,审计二支部'];
    for (const [row, heading] of headings) lines[row - 1] = `,${heading},,,`;
    lines.push('3,张三,110101199003070011,13700000003,二中党支部');
    const file = writeText('党员.csv', lines);
    const { status, doc } = importJson(db, [file]);
    expect(sheet(doc).errors).toEqual([]);
    expect(status).toBe(0);
    expect(sheet(doc)).toMatchObject({ added: 3, skipped: headings.length });
    expect(sheet(doc).skippedRows).toEqual(headings.map(([row]) => ({ row, reason: 'section' })));
    const nameOnly = writeText('党员2.csv', ['序号,姓名,身份证号,联系电话,所在党组织', ',王五,,,']);
    const refused = importJson(baseDb(), [nameOnly]);
    expect(refused.status).toBe(3);
    expect(sheet(refused.doc).skippedRows).toEqual([]);
  });
});

describe('出生年月 and 入党时间 typed as 1985.10', () => {
  it('is October in a cell formatted with two decimals; 1985.1 in a General cell is January with a warning', async () => {
    const db = baseDb();
    const workbook = new ExcelJS.Workbook();
    const ws = workbook.addWorksheet('党员');
    ws.getRow(1).values = ['姓名', '身份证号', '所在党组织', '出生年月', '入党时间'];
    // Excel keeps 1985.10 as the number 1985.1; a 0.00 format shows it as typed.
    ws.getRow(2).values = ['张一', '330106198005141408', '审计一支部', 1985.1, 2010.1];
    ws.getCell('D2').numFmt = '0.00';
    ws.getCell('E2').numFmt = '#,##0.00';
    ws.getRow(3).values = ['张二', '11010119900307731X', '审计一支部', 1985.1, 1985.03];
    ws.getRow(4).values = ['张三', '110101199003070011', '审计一支部', 1985.11, 1990.12];
    const file = path.join(tempDir(), '党员.xlsx');
    await workbook.xlsx.writeFile(file);
    const { status, doc } = importJson(db, [file]);
    expect(status).toBe(0);
    expect(sheet(doc)).toMatchObject({ added: 3, errors: [] });
    expect(sheet(doc).warnings).toEqual([{ row: 3, column: '出生年月', value: '1985.1', reason: expect.stringContaining('文本') }]);
    expect(sheet(doc).warnings[0].reason).toContain('10 月');
    expect(rows(db, 'select name, birth_date, joined_on from members order by name')).toEqual([
      { name: '张一', birth_date: '1985-10-01', joined_on: '2010-10-01' },
      { name: '张三', birth_date: '1985-11-01', joined_on: '1990-12-01' },
      { name: '张二', birth_date: '1985-01-01', joined_on: '1985-03-01' },
    ]);
  });
});
