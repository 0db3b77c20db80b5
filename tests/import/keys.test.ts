// Which stored member a row is (SPEC §3, §4): the ID number, else the phone, never the name;
// organisations named by a short name that several units share; suggestions for unknown
// members; a repeated member across the sheets of one workbook.
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { openDatabase, type DbHandle } from '../../src/db/open.js';
import { SUGGESTED_UNKNOWN_MEMBERS } from '../../src/db/writers.js';
import { idCheckDigit } from '../../src/domain/idNumber.js';
import { importFiles } from '../../src/ingest/importFiles.js';
import { dbTarget, onPostgres } from '../helpers/backend.js';
import { runDbd, tempDir } from '../helpers/cli.js';
import { contentDigest, count, rows } from '../helpers/db.js';
import { fixtureBaseDb as baseDb, IMPORT_ENV as env, importJson, rosterFixture as F, writeCsv, type ImportDoc, type SheetDoc } from '../helpers/importDoc.js';

function sheet(doc: ImportDoc, index = 0): SheetDoc {
  return doc.files[0].sheets[index];
}

/** A valid ID number from its first 17 digits. */
const id = (first17: string) => first17 + idCheckDigit(first17);

type Member = { id_number: string | null; phone: string | null; name: string; job_title: string | null; org: string };
function members(db: string): Member[] {
  return rows<Member>(db, 'select m.id_number, m.phone, m.name, m.job_title, o.short_name as org from members m join orgs o on o.id = m.org_id order by m.id');
}

describe('phone as the key of a roster without ID numbers', () => {
  it('a re-imported phone roster with a corrected name updates the member; an empty cell blanks nothing', () => {
    const db = baseDb();
    const first = writeCsv('电话名册.csv', ['姓名,联系电话,所在党组织,职务', '侯群,13900000011,审计一支部,科员']);
    expect(importJson(db, [first]).status).toBe(0);
    const corrected = writeCsv('电话名册2.csv', ['姓名,联系电话,所在党组织,职务', '侯群飞,13900000011,审计一支部,']);
    const { status, doc } = importJson(db, [corrected]);
    expect(status).toBe(0);
    expect(sheet(doc)).toMatchObject({ added: 0, updated: 1, unchanged: 0 });
    expect(members(db)).toEqual([{ id_number: null, phone: '13900000011', name: '侯群飞', job_title: '科员', org: '审计一支部' }]);
  });

  it('two rows of one file with the same phone and different values are an error naming both rows', () => {
    const db = baseDb();
    const before = contentDigest(db);
    const file = writeCsv('同一电话.csv', ['姓名,联系电话,所在党组织', '侯群,13900000011,审计一支部', '侯群飞,13900000011,审计二支部']);
    const { status, doc } = importJson(db, [file]);
    expect(status).toBe(3);
    expect(sheet(doc).errors).toHaveLength(1);
    const [error] = sheet(doc).errors;
    expect(error).toMatchObject({ row: 3, column: '联系电话', value: '13900000011' });
    expect(error.reason).toContain('第 2 行');
    expect(error.reason).toContain('姓名');
    expect(error.reason).toContain('所在党组织');
    expect(contentDigest(db)).toBe(before);
  });

  it('a roster with ID numbers gives the phone-keyed member their ID number instead of adding a second one', () => {
    const db = baseDb();
    expect(importJson(db, [writeCsv('电话名册.csv', ['姓名,联系电话,所在党组织,职务', '侯群飞,13900000011,审计一支部,科员'])]).status).toBe(0);
    // A check-in recorded by phone stays the member's.
    expect(importJson(db, [writeCsv('报到.csv', ['手机号码,报到社区,所属街道,报到时间', '13900000011,东湖社区,东湖街道,2026-03-05'])]).status).toBe(0);
    const idNumber = id('33011019761002218');
    const withIds = writeCsv('身份证名册.csv', ['姓名,身份证号,联系电话,所在党组织,职务', `侯群飞,${idNumber},13900000011,审计一支部,`]);
    const { status, doc } = importJson(db, [withIds]);
    expect(status).toBe(0);
    expect(sheet(doc)).toMatchObject({ added: 0, updated: 1 });
    expect(members(db)).toEqual([{ id_number: idNumber, phone: '13900000011', name: '侯群飞', job_title: '科员', org: '审计一支部' }]);
    expect(rows(db, 'select m.id_number from checkins c join members m on m.id = c.member_id')).toEqual([{ id_number: idNumber }]);
    // Idempotent: the same roster again changes nothing.
    expect(sheet(importJson(db, [withIds]).doc)).toMatchObject({ added: 0, updated: 0, unchanged: 1 });
  });

  it('the ID number decides before the phone: a known ID number, or a phone whose member has an ID number, is no claim', () => {
    const db = baseDb();
    const a = id('33011019800101001');
    const b = id('33011019800101002');
    expect(importJson(db, [writeCsv('a.csv', ['姓名,身份证号,联系电话,所在党组织', `甲一,${a},13900000001,审计一支部`])]).status).toBe(0);
    expect(importJson(db, [writeCsv('b.csv', ['姓名,联系电话,所在党组织', '乙一,13900000002,审计一支部'])]).status).toBe(0);
    // 甲一 gives the phone of the member without an ID number: 甲一 (known by the ID number) is updated.
    const moved = importJson(db, [writeCsv('c.csv', ['姓名,身份证号,联系电话,所在党组织', `甲一,${a},13900000002,审计一支部`])]);
    expect(sheet(moved.doc)).toMatchObject({ added: 0, updated: 1 });
    // A new ID number with 甲一's old phone: 甲一 has an ID number, so this is a new member.
    const other = importJson(db, [writeCsv('d.csv', ['姓名,身份证号,联系电话,所在党组织', `丙一,${b},13900000001,审计一支部`])]);
    expect(sheet(other.doc)).toMatchObject({ added: 1, updated: 0 });
    expect(members(db).map((m) => [m.name, m.id_number, m.phone])).toEqual([
      ['甲一', a, '13900000002'],
      ['乙一', null, '13900000002'],
      ['丙一', b, '13900000001'],
    ]);
  });

  it('a new ID number and its phone-keyed member repeated in the same file with other values is a conflict naming the first row', () => {
    const db = baseDb();
    expect(importJson(db, [writeCsv('电话名册.csv', ['姓名,联系电话,所在党组织', '侯群飞,13900000011,审计一支部'])]).status).toBe(0);
    const idNumber = id('33011019761002218');
    const file = writeCsv('重复.csv', ['姓名,身份证号,联系电话,所在党组织,职务', `侯群飞,${idNumber},13900000011,审计一支部,科员`, `侯群飞,${idNumber},13900000011,审计一支部,科长`]);
    const { status, doc } = importJson(db, [file]);
    expect(status).toBe(3);
    expect(sheet(doc).errors).toEqual([expect.objectContaining({ row: 3, column: '身份证号', value: idNumber })]);
    expect(sheet(doc).errors[0].reason).toContain('第 2 行');
    expect(sheet(doc).errors[0].reason).toContain('职务');
  });

  it('a row keyed by phone and a later row of the same file with an ID number and that phone are the same member', () => {
    const db = baseDb();
    const idNumber = id('33011019761002218');
    const file = writeCsv('混合.csv', ['姓名,身份证号,联系电话,所在党组织', '侯群飞,,13900000011,审计一支部', `侯群飞,${idNumber},13900000011,审计一支部`]);
    const { status, doc } = importJson(db, [file]);
    expect(status).toBe(3);
    expect(sheet(doc).errors).toEqual([expect.objectContaining({ row: 3, column: '身份证号', value: idNumber })]);
    expect(sheet(doc).errors[0].reason).toBe('与本文件第 2 行是同一党员，但内容不同（身份证号）');
  });

  it('members sharing a phone are told apart by the name or a masked ID number, else the phone is ambiguous', () => {
    const db = baseDb();
    const a = id('33011019800101011');
    const b = id('33011019810202022');
    const shared = writeCsv('共用电话.csv', ['姓名,身份证号,联系电话,所在党组织', `张三,${a},057188880000,审计一支部`, `李四,${b},057188880000,审计一支部`]);
    expect(importJson(db, [shared]).status).toBe(0);
    const byName = importJson(db, [writeCsv('按姓名.csv', ['姓名,联系电话,所在党组织,职务', '李四,057188880000,审计一支部,科长'])]);
    expect(byName.status).toBe(0);
    expect(sheet(byName.doc)).toMatchObject({ added: 0, updated: 1 });
    const masked = `${a.slice(0, 6)}********${a.slice(14)}`;
    const byMask = importJson(db, [writeCsv('按脱敏.csv', ['姓名,身份证号,联系电话,所在党组织,职务', `张叁,${masked},057188880000,审计一支部,书记`])]);
    expect(byMask.status).toBe(0);
    expect(sheet(byMask.doc)).toMatchObject({ added: 0, updated: 1 });
    expect(members(db).map((m) => [m.name, m.job_title])).toEqual([
      ['张叁', '书记'],
      ['李四', '科长'],
    ]);
    const neither = importJson(db, [writeCsv('都不是.csv', ['姓名,联系电话,所在党组织', '王五,057188880000,审计一支部'])]);
    expect(neither.status).toBe(3);
    expect(sheet(neither.doc).errors).toEqual([expect.objectContaining({ row: 2, column: '联系电话', reason: '该电话号码对应多名党员：请改用身份证号' })]);
  });
});

describe('a check-in named by phone', () => {
  it('is the member of that phone; a name that is not theirs is a mismatch, as beside an ID number', () => {
    const db = baseDb();
    expect(importJson(db, [writeCsv('名册.csv', ['姓名,联系电话,所在党组织', '侯明,13900000022,审计一支部'])]).status).toBe(0);
    const header = '姓名,联系电话,报到社区,所属街道,报到时间';
    const wrong = importJson(db, [writeCsv('报到.csv', [header, '侯明明,13900000022,东湖社区,东湖街道,2026-11-01'])]);
    expect(wrong.status).toBe(3);
    expect(sheet(wrong.doc).errors).toEqual([expect.objectContaining({ row: 2, column: '姓名', value: '侯明明', reason: '姓名与名册不符：该联系电话在名册中是 侯明' })]);
    const right = importJson(db, [writeCsv('报到2.csv', [header, '侯明,13900000022,东湖社区,东湖街道,2026-11-01'])]);
    expect(right.status).toBe(0);
    expect(sheet(right.doc)).toMatchObject({ kind: 'checkins', added: 1 });
  });
});

/** Runs of the statements a writer prepared, by their SQL (SQLite: one statement per row). */
function countingHandle(handle: DbHandle, runs: Map<string, number>): DbHandle {
  const counted = Object.create(handle) as DbHandle;
  counted.prepare = (query, names) => {
    const statement = handle.prepare(query, names);
    const sql = query.compile().sql;
    const count = () => runs.set(sql, (runs.get(sql) ?? 0) + 1);
    return {
      run: (values) => (count(), statement.run(values)),
      get: (values) => (count(), statement.get(values)),
      all: (values) => (count(), statement.all(values)),
    };
  };
  return counted;
}

describe('the cost of phone keys in a roster with ID numbers', () => {
  // SQLite writes a row at a time with prepared statements (a server reads a chunk's members together).
  it.skipIf(onPostgres)('looks up no phone unless a stored member without an ID number may have it', async () => {
    const dir = tempDir();
    const handle = await openDatabase(dbTarget(path.join(dir, 'dbd.sqlite')));
    try {
      const runs = new Map<string, number>();
      const counted = countingHandle(handle, runs);
      const phoneLookups = () => [...runs].filter(([sql]) => /^select .* from "members" where "phone" = \?/.test(sql)).reduce((sum, [, n]) => sum + n, 0);
      const roster = (name: string, lines: string[]) => {
        const file = path.join(dir, name);
        fs.writeFileSync(file, `${lines.join('\n')}\n`);
        return file;
      };
      const ids = (from: number, n: number, phone: (i: number) => string) =>
        Array.from({ length: n }, (_, i) => `成员${from + i},${id(`11010519800101${String(from + i).padStart(3, '0')}`)},${phone(from + i)},审计一支部`);
      const today = '2026-11-21';
      await importFiles(counted, [F('社区名单.utf8.csv'), F('党组织.csv')], { today });
      runs.clear();

      const first = await importFiles(counted, [roster('a.csv', ['姓名,身份证号,联系电话,所在党组织', ...ids(0, 200, (i) => `1390000${String(i).padStart(4, '0')}`)])], { today });
      expect(first.written).toBe(true);
      expect(phoneLookups()).toBe(0);

      await importFiles(counted, [roster('b.csv', ['姓名,联系电话,所在党组织', '无号者,13911112222,审计一支部'])], { today });
      runs.clear();
      // 200 new ID numbers; one of them gives the phone of the member without an ID number.
      const second = await importFiles(counted, [roster('c.csv', ['姓名,身份证号,联系电话,所在党组织', ...ids(200, 200, (i) => (i === 300 ? '13911112222' : `1390000${String(i).padStart(4, '0')}`))])], { today });
      expect(second.files[0].sheets[0]).toMatchObject({ added: 199, updated: 1 });
      expect(phoneLookups()).toBe(1);
      const claimed = await handle.db.selectFrom('members').select(['name', 'id_number']).where('phone', '=', '13911112222').execute();
      expect(claimed).toEqual([{ name: '成员300', id_number: id('11010519800101300') }]);

      // Now every member has an ID number: no look-up at all.
      runs.clear();
      await importFiles(counted, [roster('d.csv', ['姓名,身份证号,联系电话,所在党组织', ...ids(400, 100, () => '13911112222')])], { today });
      expect(phoneLookups()).toBe(0);
    } finally {
      await handle.close();
    }
  });
});

describe('an organisation given a new short name', () => {
  it('answers to the new one only, in the same import too', () => {
    const db = baseDb();
    expect(importJson(db, [writeCsv('甲.csv', ['单位名称,党组织名称,简称', '甲局,甲局第一支部,甲一支'])]).status).toBe(0);
    const renamed = writeCsv('改简称.csv', ['单位名称,党组织名称,简称', '甲局,甲局第一支部,新简称']);
    const member = writeCsv('党员.csv', ['姓名,身份证号,所在党组织', `甲一,${id('33011019800101001')},甲一支`, `甲二,${id('33011019800101002')},新简称`]);
    const { status, doc } = importJson(db, [renamed, member], ['--skip-invalid']);
    expect(status).toBe(0);
    expect(doc.files[1].sheets[0].errors.map((e) => [e.row, e.value])).toEqual([[2, '甲一支']]);
    expect(rows(db, 'select name from members')).toEqual([{ name: '甲二' }]);
  });
});

describe('the same member twice in one roster', () => {
  it('differing only in 人员状态: the conflict names that column once', () => {
    const db = baseDb();
    const file = writeCsv('状态.csv', ['姓名,身份证号,所在党组织,人员状态', `甲一,${id('33011019800101001')},审计一支部,外派`, `甲一,${id('33011019800101001')},审计一支部,在职`]);
    const { status, doc } = importJson(db, [file]);
    expect(status).toBe(3);
    const [error] = sheet(doc).errors;
    expect(error.reason.match(/人员状态/g)).toHaveLength(1);
  });

  it('a refused import does not say what was created alongside', () => {
    const db = baseDb();
    const file = writeCsv('新组织.csv', ['姓名,身份证号,工作单位,所在党组织', `甲一,${id('33011019800101001')},新单位,新支部`, `乙一,3.30102E+17,新单位,新支部`]);
    const result = runDbd(['import', file, '--db', db], { env });
    expect(result.status).toBe(3);
    expect(result.stdout).not.toContain('随之新建');
    const dry = runDbd(['import', file, '--db', db, '--dry-run', '--skip-invalid'], { env });
    expect(dry.stdout).toContain('随之新建');
  });
});

describe('organisations named by a short name that several units share', () => {
  /** Units 甲局 and 乙局, each with a 机关党总支 over a 第一支部. */
  function twoUnits(): string {
    const db = baseDb();
    const orgs = writeCsv('两单位.csv', [
      '单位名称,党组织名称,简称,上级党组织',
      '甲局,中共甲局机关总支部委员会,机关党总支,',
      '乙局,中共乙局机关总支部委员会,机关党总支,',
      '甲局,中共甲局机关第一支部委员会,第一支部,机关党总支',
      '乙局,中共乙局机关第一支部委员会,第一支部,机关党总支',
    ]);
    const { status, doc } = importJson(db, [orgs]);
    expect(status, JSON.stringify(doc)).toBe(0);
    return db;
  }

  it("an organisation roster's parent is the one of the row's unit", () => {
    const db = twoUnits();
    expect(rows(db, "select o.name, p.name as parent from orgs o join orgs p on p.id = o.parent_id join units u on u.id = o.unit_id where u.name in ('甲局', '乙局') order by o.id")).toEqual([
      { name: '中共甲局机关第一支部委员会', parent: '中共甲局机关总支部委员会' },
      { name: '中共乙局机关第一支部委员会', parent: '中共乙局机关总支部委员会' },
    ]);
  });

  it('a member roster resolves the short name among the organisations of the unit beside it', () => {
    const db = twoUnits();
    const file = writeCsv('党员.csv', ['姓名,身份证号,工作单位,所在党组织', `甲一,${id('33011019800101001')},甲局,第一支部`, `乙一,${id('33011019800101002')},乙局,第一支部`]);
    expect(importJson(db, [file]).status).toBe(0);
    expect(rows(db, 'select m.name, o.name as org from members m join orgs o on o.id = m.org_id order by m.id')).toEqual([
      { name: '甲一', org: '中共甲局机关第一支部委员会' },
      { name: '乙一', org: '中共乙局机关第一支部委员会' },
    ]);
  });

  it('without the unit, or with another unit, the error lists the candidates with their units and advises the full name or the unit', () => {
    const db = twoUnits();
    const file = writeCsv('党员.csv', ['姓名,身份证号,工作单位,所在党组织', `甲一,${id('33011019800101001')},,第一支部`, `丙一,${id('33011019800101002')},丙局,第一支部`]);
    const { status, doc } = importJson(db, [file]);
    expect(status).toBe(3);
    const [noUnit, otherUnit] = sheet(doc).errors;
    expect(noUnit).toMatchObject({ row: 2, column: '所在党组织', value: '第一支部' });
    expect(noUnit.reason).toContain('中共甲局机关第一支部委员会（甲局）');
    expect(noUnit.reason).toContain('中共乙局机关第一支部委员会（乙局）');
    expect(noUnit.reason).toContain('所在单位');
    expect(noUnit.reason).not.toContain('街道');
    expect(otherUnit).toMatchObject({ row: 3, column: '所在党组织' });
    expect(otherUnit.reason).toContain('丙局');
    expect(count(db, 'members')).toBe(0);
    const english = runDbd(['import', file, '--db', db, '--lang', 'en'], { env });
    expect(english.stderr).toContain('give its unit');
    expect(english.stderr).not.toContain('give the town');
  });

  it('an organisation check-in resolves the short name by its 单位 column', () => {
    const db = twoUnits();
    const file = writeCsv('结对.csv', ['党组织名称,单位,结对社区,所属街道,结对时间', '第一支部,乙局,东湖社区,东湖街道,2026-03-01']);
    const { status, doc } = importJson(db, [file]);
    expect(status).toBe(0);
    expect(sheet(doc)).toMatchObject({ kind: 'org-checkins', added: 1 });
    expect(rows(db, "select o.name from pairings p join orgs o on o.id = p.org_id where p.source = 'checkin'")).toEqual([{ name: '中共乙局机关第一支部委员会' }]);
    const noUnit = importJson(db, [writeCsv('结对2.csv', ['党组织名称,结对社区,所属街道,结对时间', '第一支部,东湖社区,东湖街道,2026-03-01'])]);
    expect(noUnit.status).toBe(3);
    expect(sheet(noUnit.doc).errors[0].reason).toContain('所在单位');
  });

  it('a community named in two towns keeps the advice to give the town', () => {
    const db = baseDb();
    expect(importJson(db, [writeCsv('社区.csv', ['街道,社区', '西山镇,东湖社区'])]).status).toBe(0);
    const file = writeCsv('党员.csv', ['姓名,身份证号,所在党组织,居住地社区', `甲一,${id('33011019800101001')},审计一支部,东湖社区`]);
    const { status, doc } = importJson(db, [file]);
    expect(status).toBe(3);
    expect(sheet(doc).errors[0].reason).toContain('所属街道');
  });
});

describe('a member named in a check-in file who is not in the roster', () => {
  const hou = id('33011019761002218'); // 330110197610022183
  function rosterDb(): string {
    const db = baseDb();
    const roster = writeCsv('名册.csv', [
      '姓名,身份证号,联系电话,所在党组织',
      `侯群飞,${hou},13900000011,审计一支部`,
      `侯明,${id('33011019850505001')},13900000022,审计一支部`,
      `周明,${id('33011019800101001')},13900000033,审计二支部`,
    ]);
    expect(importJson(db, [roster]).status).toBe(0);
    return db;
  }
  const checkins = (lines: string[], header = '姓名,身份证号,报到社区,所属街道,报到时间') => writeCsv('报到.csv', [header, ...lines]);

  it('suggests the closest known members by name and by an ID number two characters off, masked', () => {
    const db = rosterDb();
    expect(hou).toBe('330110197610022183');
    const { status, doc } = importJson(db, [checkins(['侯群,330110197610022191,东湖社区,东湖街道,2026-11-01'])]);
    expect(status).toBe(3);
    const [error] = sheet(doc).errors;
    expect(error).toMatchObject({ row: 2, column: '身份证号', value: '330110197610022191' });
    expect(error.reason).toContain('该党员不在名册中');
    expect(error.reason).toContain('是否是：侯群飞（330110********2183）');
    expect(error.reason).not.toContain(hou);
  });

  it('finds an ID number one digit off anywhere (its check digit then fails), whatever the name', () => {
    const db = rosterDb();
    const slip = `${hou.slice(0, 3)}2${hou.slice(4)}`; // 330210…: region, not birth date
    const { status, doc } = importJson(db, [checkins([`,${slip},东湖社区,东湖街道,2026-11-01`])]);
    expect(status).toBe(3);
    expect(sheet(doc).errors[0].reason).toContain('侯群飞（330110********2183）');
  });

  it('names the member a name belongs to by phone when the roster gave them no ID number', () => {
    const db = rosterDb();
    const byPhone = writeCsv('电话名册.csv', ['姓名,联系电话,所在党组织', '王明敏,13900001500,审计一支部']);
    expect(importJson(db, [byPhone]).status).toBe(0);
    const { status, doc } = importJson(db, [checkins(['王明敏,330110197610022191,东湖社区,东湖街道,2026-11-01', `侯群飞,${id('33011019761002219')},东湖社区,东湖街道,2026-11-01`])]);
    expect(status).toBe(3);
    const [phoneOnly, withId] = sheet(doc).errors;
    expect(phoneOnly.reason).toBe('该身份证号不在名册中（姓名 王明敏 属于名册中未填身份证号、联系电话为 13900001500 的党员）');
    expect(withId.reason).toBe('该身份证号不在名册中（姓名 侯群飞 属于另一身份证号 330110********2183）');
  });

  it('suggests for an unknown phone (one digit off) and for an unknown name', () => {
    const db = rosterDb();
    const byPhone = importJson(db, [checkins(['13900000012,东湖社区,东湖街道,2026-11-01'], '手机号码,报到社区,所属街道,报到时间')]);
    expect(byPhone.status).toBe(3);
    expect(sheet(byPhone.doc).errors[0]).toMatchObject({ column: '手机号码', value: '13900000012' });
    expect(sheet(byPhone.doc).errors[0].reason).toContain('侯群飞（330110********2183）');
    const byName = importJson(db, [checkins(['候群飞,东湖社区,东湖街道,2026-11-01', '侯群非,东湖社区,东湖街道,2026-11-01'], '姓名,报到社区,所属街道,报到时间')]);
    expect(byName.status).toBe(3);
    const [, second] = sheet(byName.doc).errors;
    expect(second).toMatchObject({ row: 3, column: '姓名', value: '侯群非' });
    expect(second.reason).toContain('是否是：侯群飞（330110********2183）');
  });

  it(`suggests for the first ${SUGGESTED_UNKNOWN_MEMBERS} unknown members only, then gives the plain message`, () => {
    const db = rosterDb();
    const n = SUGGESTED_UNKNOWN_MEMBERS + 30;
    const lines = Array.from({ length: n }, (_, i) => `侯群${String.fromCodePoint(0x4e00 + i)},东湖社区,东湖街道,2026-11-01`);
    const { status, doc } = importJson(db, [checkins(lines, '姓名,报到社区,所属街道,报到时间')]);
    expect(status).toBe(3);
    const errors = sheet(doc).errors;
    expect(errors).toHaveLength(n);
    expect(errors.filter((e) => e.reason.includes('是否是')).length).toBe(SUGGESTED_UNKNOWN_MEMBERS);
    expect(errors[n - 1].reason).toBe('该党员不在名册中（请先导入在职党员花名册）');
  });
});

describe('a member repeated in another sheet of the same workbook', () => {
  it('names the sheet of the first row', async () => {
    const db = baseDb();
    const workbook = new ExcelJS.Workbook();
    const idNumber = id('33011019800101001');
    for (const [name, job] of [['一月', '科员'], ['二月', '科长']]) {
      const ws = workbook.addWorksheet(name);
      ws.addRow(['姓名', '身份证号', '所在党组织', '职务']);
      ws.addRow(['周明', idNumber, '审计一支部', job]);
    }
    const file = path.join(tempDir(), '两个月.xlsx');
    await workbook.xlsx.writeFile(file);
    const { status, doc } = importJson(db, [file]);
    expect(status).toBe(3);
    expect(doc.files[0].sheets.map((s) => [s.sheet, s.errors.length])).toEqual([
      ['一月', 0],
      ['二月', 1],
    ]);
    const [error] = sheet(doc, 1).errors;
    expect(error).toMatchObject({ row: 2, column: '身份证号', value: idNumber });
    expect(error.reason).toBe('与本文件工作表“一月”第 2 行是同一党员，但内容不同（职务）');
    const english = runDbd(['import', file, '--db', db, '--lang', 'en'], { env });
    expect(english.stderr).toContain('same member as row 2 of sheet "一月" of this file, with different values (职务)');
  });

  it('within one sheet the message stays as it was', () => {
    const db = baseDb();
    const file = writeCsv('重复.csv', ['姓名,身份证号,所在党组织,职务', `周明,${id('33011019800101001')},审计一支部,科员`, `周明,${id('33011019800101001')},审计一支部,科长`]);
    expect(sheet(importJson(db, [file]).doc).errors[0].reason).toBe('与本文件第 2 行是同一党员，但内容不同（职务）');
  });
});

describe('organisation rows whose parent cannot be linked', () => {
  const roster = () =>
    writeCsv('上级.csv', [
      '单位名称,党组织名称,简称,上级党组织',
      '甲局,甲局第一支部,甲一支,甲局党委',
      '甲局,中共甲局委员会,甲局党委,',
      '乙局,乙局支部,乙支,不存在的党委',
      '丙局,丙局支部A,丙A,丙局支部B',
      '丙局,丙局支部B,丙B,丙A',
    ]);
  const orgNames = (db: string) => rows<{ name: string; parent: string | null }>(db, 'select o.name, p.name as parent from orgs o left join orgs p on p.id = o.parent_id order by o.name');
  const ownOrgs = (db: string) => orgNames(db).filter((o) => /^(甲|乙|丙|中共甲)/.test(o.name));

  it('are errors, not also counted as added, and nothing is written', () => {
    const db = baseDb();
    const before = contentDigest(db);
    const { status, doc } = importJson(db, [roster()]);
    expect(status).toBe(3);
    expect(sheet(doc)).toMatchObject({ read: 5, added: 3, errors: [{ row: 4, column: '上级党组织', value: '不存在的党委' }, { row: 6, column: '上级党组织', value: '丙A' }] });
    expect(contentDigest(db)).toBe(before);
  });

  it('with --skip-invalid are not imported, nor are the rows whose parent was one of them', () => {
    const db = baseDb();
    const { status, doc } = importJson(db, [roster()], ['--skip-invalid']);
    expect(status).toBe(0);
    // 丙局支部B closes a loop; without it, 丙局支部A's parent is unknown.
    expect(sheet(doc)).toMatchObject({ read: 5, added: 2, updated: 0, unchanged: 0 });
    expect(sheet(doc).errors.map((e) => [e.row, e.value])).toEqual([
      [4, '不存在的党委'],
      [5, '丙局支部B'],
      [6, '丙A'],
    ]);
    expect(ownOrgs(db)).toEqual([
      { name: '中共甲局委员会', parent: null },
      { name: '甲局第一支部', parent: '中共甲局委员会' },
    ]);
    expect(rows(db, "select name from units where name in ('乙局', '丙局')")).toEqual([]);
    expect(doc.created).toMatchObject({ units: 1, orgs: 0 });
    // The dry run says the same.
    const again = importJson(baseDb(), [roster()], ['--skip-invalid', '--dry-run']);
    expect(sheet(again.doc)).toMatchObject({ added: 2, errors: sheet(doc).errors });
  });

  it('with --skip-invalid, a refused row does not keep a short name it was giving an organisation already stored', () => {
    const db = baseDb();
    expect(importJson(db, [writeCsv('甲.csv', ['单位名称,党组织名称,简称', '甲局,甲局第一支部,甲一支'])]).status).toBe(0);
    const renamed = writeCsv('改简称.csv', ['单位名称,党组织名称,简称,上级党组织', '甲局,甲局第一支部,新简称,不存在的党委']);
    // In the same import, a member roster naming the organisation by the refused short name.
    const member = writeCsv('党员.csv', ['姓名,身份证号,所在党组织', `甲一,${id('33011019800101001')},新简称`, `甲二,${id('33011019800101002')},甲一支`]);
    const { status, doc } = importJson(db, [renamed, member], ['--skip-invalid']);
    expect(status).toBe(0);
    expect(doc.files[1].sheets[0].errors[0]).toMatchObject({ row: 2, column: '所在党组织', value: '新简称' });
    expect(rows(db, 'select name from members')).toEqual([{ name: '甲二' }]);
    expect(rows(db, "select short_name from orgs where name = '甲局第一支部'")).toEqual([{ short_name: '甲一支' }]);
  });
});
