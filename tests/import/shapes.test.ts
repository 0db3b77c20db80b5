// Import of the real-world shapes in fixtures/rosters/ and every option of SPEC §4.
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { onPostgres } from '../helpers/backend.js';
import { describe, expect, it } from 'vitest';
import { runDbd, runJson, tempDir } from '../helpers/cli.js';
import { contentDigest, count, rows } from '../helpers/db.js';
import { fixtureBaseDb as baseDb, IMPORT_ENV as env, importJson, rosterFixture as F, writeCsv, type ImportDoc, type SheetDoc } from '../helpers/importDoc.js';


function sheetOf(doc: ImportDoc, name: string): SheetDoc {
  const sheet = doc.files.flatMap((f) => f.sheets).find((s) => s.sheet === name);
  if (!sheet) throw new Error(`no sheet ${name}`);
  return sheet;
}

describe('workbook with a 填表说明 sheet, units, organisations and a two-level merged header', () => {
  const db = path.join(tempDir(), 'dbd.sqlite');
  const { status, doc, stderr } = importJson(db, [F('单位与党员.xlsx'), F('社区名单.gbk.csv')]);

  it('imports every recognisable sheet in dependency order and skips the instructions sheet with a warning', () => {
    expect(status).toBe(0);
    expect(doc.files[0].skippedSheets.map((s) => s.sheet)).toEqual(['填表说明']);
    expect(sheetOf(doc, '单位')).toMatchObject({ kind: 'units', added: 2 });
    expect(sheetOf(doc, '党组织')).toMatchObject({ kind: 'orgs', added: 4, skipped: 2 });
    expect(sheetOf(doc, '社区名单.gbk')).toMatchObject({ kind: 'communities', added: 5, skipped: 1 });
    expect(stderr).toBe('');
  });

  it('finds the two-level header and skips title, 填报, column codes, 合计 under the header, 小计, notes and signatures', () => {
    const members = sheetOf(doc, '党员');
    expect(members.kind).toBe('members');
    expect(members.headerRows).toEqual([3, 4]);
    expect(members.added).toBe(10);
    expect(members.skippedRows).toEqual([
      { row: 1, reason: 'title' },
      { row: 2, reason: 'filing' },
      { row: 5, reason: 'codes' },
      { row: 6, reason: 'total' },
      { row: 18, reason: 'total' },
      { row: 19, reason: 'notes' },
      { row: 20, reason: 'notes' },
    ]);
    expect(members.read).toBe(17);
    expect(count(db, 'members')).toBe(10);
  });

  it('normalises values: placeholders empty, lower-case x upper-cased, statuses, 变动日期', () => {
    const byName = Object.fromEntries(
      rows<{ name: string; job_title: string | null; category: string | null; id_number: string; status_kind: string; departed_on: string | null }>(
        db,
        'select name, job_title, category, id_number, status_kind, departed_on from members',
      ).map((m) => [m.name, m]),
    );
    expect(byName['郑强'].job_title).toBeNull();
    expect(byName['王丽'].category).toBeNull();
    expect(byName['沈洁'].category).toBeNull();
    expect(byName['陈静'].id_number).toMatch(/^[0-9]{17}[0-9X]$/);
    expect(byName['陈静']).toMatchObject({ status_kind: 'departed', departed_on: '2026-09-30' });
    expect(byName['王丽'].status_kind).toBe('exempt');
    expect(byName['卫红'].status_kind).toBe('exempt');
    expect(byName['周明'].status_kind).toBe('active');
  });

  it('links organisations to parents given by full or short name, and records roster pairings', () => {
    const orgs = rows<{ name: string; parent: string | null }>(db, 'select o.name, p.name as parent from orgs o left join orgs p on p.id = o.parent_id');
    expect(orgs.filter((o) => o.parent === '中共樟溪区审计局机关委员会').map((o) => o.name).sort()).toEqual([
      '中共樟溪区审计局机关第一支部委员会',
      '中共樟溪区审计局机关第二支部委员会',
    ]);
    expect(count(db, 'pairings')).toBe(3);
  });
});

describe('encodings', () => {
  it('a GBK CSV and the same data in UTF-8 (and UTF-16) give identical databases', () => {
    const digests = [
      [F('社区名单.gbk.csv'), F('党员.gbk.csv')],
      [F('社区名单.utf8.csv'), F('党员.utf8.csv')],
      [F('社区名单.utf8.csv'), F('党员.utf16.csv')],
    ].map((files) => {
      const db = path.join(tempDir(), 'dbd.sqlite');
      expect(importJson(db, [F('党组织.csv'), ...files]).status).toBe(0);
      return contentDigest(db);
    });
    expect(digests[1]).toBe(digests[0]);
    expect(digests[2]).toBe(digests[0]);
  });

  it('--encoding overrides detection', () => {
    const db = baseDb();
    const wrong = runDbd(['import', F('党员.gbk.csv'), '--db', db, '--encoding', 'utf-8'], { env });
    expect(wrong.status).toBe(3);
    const right = importJson(db, [F('党员.gbk.csv')], ['--encoding', 'gbk']);
    expect(right.status).toBe(0);
    expect(right.doc.files[0].sheets[0].added).toBe(10);
  });

  it('a password-protected workbook and an OpenDocument sheet are refused with what to do', () => {
    const db = baseDb();
    const dir = tempDir();
    // A protected .xlsx is an OLE2 container (like an old .xls) holding an EncryptedPackage stream.
    const ole2 = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(3000), Buffer.from('EncryptedPackage', 'utf16le'), Buffer.alloc(600)]);
    fs.writeFileSync(path.join(dir, '加密.xlsx'), ole2);
    // An .ods begins with its mimetype, stored.
    const name = Buffer.from('mimetype');
    const mime = Buffer.from('application/vnd.oasis.opendocument.spreadsheet');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt32LE(mime.length, 18);
    local.writeUInt32LE(mime.length, 22);
    local.writeUInt16LE(name.length, 26);
    fs.writeFileSync(path.join(dir, '表格.xlsx'), Buffer.concat([local, name, mime, Buffer.alloc(200)]));
    const before = contentDigest(db);
    const encrypted = runDbd(['import', path.join(dir, '加密.xlsx'), '--db', db], { env });
    expect(encrypted.status).toBe(3);
    expect(encrypted.stderr).toContain('密码');
    expect(encrypted.stderr).not.toContain('.xls 格式');
    const ods = runDbd(['import', path.join(dir, '表格.xlsx'), '--db', db], { env });
    expect(ods.status).toBe(3);
    expect(ods.stderr).toContain('OpenDocument');
    expect(contentDigest(db)).toBe(before);
  });

  it('UTF-16 saved without its byte order mark is refused with advice, and read with --encoding', () => {
    const file = path.join(tempDir(), '无标记.csv');
    fs.writeFileSync(file, Buffer.from(fs.readFileSync(F('党员.utf8.csv'), 'utf8').replace(/^\ufeff/, ''), 'utf16le'));
    const db = baseDb();
    const refused = runDbd(['import', file, '--db', db], { env });
    expect(refused.status).toBe(3);
    expect(refused.stderr).toContain('--encoding utf-16le');
    const read = importJson(db, [file], ['--encoding', 'utf-16le']);
    expect(read.status).toBe(0);
    expect(read.doc.files[0].sheets[0].added).toBe(10);
  });

  it('bytes that are not GBK in a GBK file are exit 3 naming the row, and nothing is written', () => {
    const db = baseDb();
    const before = contentDigest(db);
    const lines = fs.readFileSync(F('党员.gbk.csv'));
    // A name on the third line with two bytes no GBK character has.
    const at = lines.indexOf(0x0a, lines.indexOf(0x0a) + 1) + 1;
    const damaged = Buffer.concat([lines.subarray(0, at), Buffer.from([0xff, 0x80]), lines.subarray(at)]);
    const file = path.join(tempDir(), '损坏.csv');
    fs.writeFileSync(file, damaged);
    const result = runDbd(['import', file, '--db', db], { env });
    expect(result.status).toBe(3);
    expect(result.stderr).toContain('损坏.csv 第 3 行附近');
    expect(result.stderr).toContain('GBK');
    expect(contentDigest(db)).toBe(before);
  });
});

describe('headers and values', () => {
  it('reads traditional headers, full-width brackets, spaces and digits', () => {
    const db = baseDb();
    const { status, doc } = importJson(db, [F('繁體表頭.csv')]);
    expect(status).toBe(0);
    expect(doc.files[0].sheets[0]).toMatchObject({ kind: 'members', added: 3, errors: [] });
    expect(rows(db, "select name from members order by id").map((r) => (r as { name: string }).name)).toEqual(['褚伟', '卫红', '蒋勇']);
  });

  it('reads a three-level header', () => {
    const db = baseDb();
    const { status, doc } = importJson(db, [F('三级表头.xlsx')]);
    expect(status).toBe(0);
    expect(doc.files[0].sheets[0]).toMatchObject({ kind: 'members', added: 3, headerRows: [2, 3, 4], skipped: 1 });
  });

  it('converts a 15-digit ID to 18 digits', () => {
    const db = baseDb();
    expect(importJson(db, [F('十五位身份证.csv')]).status).toBe(0);
    expect(rows(db, "select id_number from members where name = '孔亮'")).toEqual([{ id_number: '330102197001010013' }]);
  });

  it('reads check-ins from a TSV with every date spelling and community variants', () => {
    const db = baseDb();
    expect(importJson(db, [F('党员.utf8.csv')]).status).toBe(0);
    const { status, doc } = importJson(db, [F('报到登记.tsv')]);
    expect(status).toBe(0);
    expect(doc.files[0].sheets[0]).toMatchObject({ kind: 'checkins', added: 6 });
    expect(rows(db, 'select date from checkins order by id').map((r) => (r as { date: string }).date)).toEqual([
      '2026-03-05',
      '2026-03-06',
      '2026-03-07',
      '2026-03-08',
      '2026-03-09',
      '2026-11-10',
    ]);
    // 周明 moved on 11-10: current check-in is the latest, first is kept.
    expect(rows(db, "select first_checkin_on, current_checkin_on, c.name as current from members m join communities c on c.id = m.current_community_id where m.name = '周明'")).toEqual([
      { first_checkin_on: '2026-03-05', current_checkin_on: '2026-11-10', current: '湖滨社区居委会' },
    ]);
  });

  it('refuses a wrong check digit only with --strict (a warning otherwise)', () => {
    const db = baseDb();
    const file = writeCsv('校验位.csv', ['姓名,身份证号,所在党组织', '甲乙,330102198001010010,二中党支部']);
    const strict = importJson(db, [file], ['--strict']);
    expect(strict.status).toBe(3);
    expect(strict.doc.files[0].sheets[0].errors[0]).toMatchObject({ row: 2, column: '身份证号', value: '330102198001010010' });
    const lenient = importJson(db, [file]);
    expect(lenient.status).toBe(0);
    expect(lenient.doc.files[0].sheets[0].warnings[0]).toMatchObject({ row: 2, column: '身份证号' });
  });

  it('refuses a masked ID unless the phone identifies the member', () => {
    const db = baseDb();
    expect(importJson(db, [F('党员.utf8.csv')]).status).toBe(0);
    const masked = writeCsv('脱敏.csv', ['姓名,身份证号,联系电话,所在党组织', '周明,330102********0013,,审计局党委']);
    const refused = importJson(db, [masked]);
    expect(refused.status).toBe(3);
    expect(refused.doc.files[0].sheets[0].errors[0].reason).toContain('*');
    const withPhone = writeCsv('脱敏2.csv', ['姓名,身份证号,联系电话,所在党组织,职务', '周明,330102********0013,13800000001,审计局党委,书记']);
    const accepted = importJson(db, [withPhone]);
    expect(accepted.status).toBe(0);
    expect(accepted.doc.files[0].sheets[0]).toMatchObject({ added: 0, updated: 1 });
  });

  it('lists every invalid row with row, column, value and reason, and writes nothing', () => {
    const db = baseDb();
    const before = contentDigest(db);
    const file = writeCsv('多处错误.csv', [
      '姓名,身份证号,所在党组织,出生年月,人员状态',
      '甲一,330102198001010013,二中党支部,1980.13,',
      '甲二,3.30102E+17,二中党支部,1980.01,',
      '甲三,330102198001010021,不存在的支部,1980.01,',
      '甲四,330102198001010030,二中党支部,1980.01,休假',
    ]);
    const { status, doc } = importJson(db, [file]);
    expect(status).toBe(3);
    expect(doc.written).toBe(false);
    expect(doc.files[0].sheets[0].errors.map((e) => [e.row, e.column])).toEqual([
      [2, '出生年月'],
      [3, '身份证号'],
      [4, '所在党组织'],
      [5, '人员状态'],
    ]);
    expect(doc.files[0].sheets[0].errors[3].reason).toContain('免报到');
    expect(contentDigest(db)).toBe(before);
  });

  it('two rows giving the same member with conflicting values are an error naming both rows', () => {
    const db = baseDb();
    const file = writeCsv('重复.csv', ['姓名,身份证号,所在党组织,职务', '甲一,330102198001010013,二中党支部,教师', '甲一,330102198001010013,二中党支部,校长']);
    const { status, doc } = importJson(db, [file]);
    expect(status).toBe(3);
    const [error] = doc.files[0].sheets[0].errors;
    expect(error.row).toBe(3);
    expect(error.reason).toContain('2');
    expect(error.reason).toContain('职务');
  });

  it('suggests the closest names for an unknown community', () => {
    const db = baseDb();
    const file = writeCsv('社区错.csv', ['姓名,身份证号,所在党组织,居住地社区', '甲一,330102198001010013,二中党支部,东胡社区']);
    const { status, doc } = importJson(db, [file]);
    expect(status).toBe(3);
    expect(doc.files[0].sheets[0].errors[0].reason).toContain('东湖社区');
  });
});

describe('idempotency and updates', () => {
  it('re-import changes nothing; a changed field updates; an empty cell never blanks a stored value', () => {
    const db = baseDb();
    expect(importJson(db, [F('党员.utf8.csv')]).status).toBe(0);
    const again = importJson(db, [F('党员.utf8.csv')]);
    expect(again.doc.files[0].sheets[0]).toMatchObject({ added: 0, updated: 0, unchanged: 10 });
    const changed = writeCsv('变更.csv', [
      '姓名,身份证号,所在党组织,职务,联系电话',
      `周明,${rows<{ id_number: string }>(db, "select id_number from members where name = '周明'")[0].id_number},审计局党委,书记,`,
    ]);
    const update = importJson(db, [changed]);
    expect(update.doc.files[0].sheets[0]).toMatchObject({ added: 0, updated: 1 });
    expect(rows(db, "select job_title, phone from members where name = '周明'")).toEqual([{ job_title: '书记', phone: '13800000001' }]);
  });

  it('an empty status keeps the stored one; 在职 puts the member back in service', () => {
    const db = baseDb();
    expect(importJson(db, [F('党员.utf8.csv')]).status).toBe(0);
    const id = rows<{ id_number: string }>(db, "select id_number from members where name = '王丽'")[0].id_number;
    importJson(db, [writeCsv('a.csv', ['姓名,身份证号,所在党组织,人员状态', `王丽,${id},审计一支部,`])]);
    expect(rows(db, "select status_kind from members where name = '王丽'")).toEqual([{ status_kind: 'exempt' }]);
    importJson(db, [writeCsv('b.csv', ['姓名,身份证号,所在党组织,人员状态', `王丽,${id},审计一支部,在职`])]);
    expect(rows(db, "select status_kind from members where name = '王丽'")).toEqual([{ status_kind: 'active' }]);
  });

  it('--full-roster marks members of the covered organisations absent from the file as departed', () => {
    const db = baseDb();
    expect(importJson(db, [F('党员.utf8.csv')]).status).toBe(0);
    const ids = rows<{ name: string; id_number: string }>(db, "select name, id_number from members where org_id = (select id from orgs where short_name = '二中党支部')");
    const keep = ids.filter((m) => m.name !== '蒋勇');
    const file = writeCsv('新名册.csv', ['姓名,身份证号,所在党组织', ...keep.map((m) => `${m.name},${m.id_number},二中党支部`)]);
    // A dry run says who would be marked, not that they were.
    const dry = runDbd(['import', file, '--full-roster', '--dry-run', '--db', db], { env });
    expect(dry.stdout).toContain('1 名党员不在新名册中，将标记为调出（试运行，未写入）');
    const { status, doc } = importJson(db, [file], ['--full-roster']);
    expect(status).toBe(0);
    expect(doc.files[0].sheets[0].departed).toBe(1);
    expect(rows(db, "select status, status_kind, departed_on from members where name = '蒋勇'")).toEqual([{ status: '调出', status_kind: 'departed', departed_on: '2026-11-21' }]);
    expect(rows(db, "select status_kind from members where name = '周明'")).toEqual([{ status_kind: 'active' }]);
  });

  it('--full-roster --skip-invalid: a member whose row is refused is in the file all the same, not departed', () => {
    const db = baseDb();
    expect(importJson(db, [F('党员.utf8.csv')]).status).toBe(0);
    const ids = rows<{ name: string; id_number: string }>(db, "select name, id_number from members where org_id = (select id from orgs where short_name = '二中党支部') order by id");
    // The first member's row has a status no one accepts (请假): refused, but they are listed.
    const lines = ids.map((m, i) => `${m.name},${m.id_number},二中党支部,${i === 0 ? '请假' : ''}`);
    const file = writeCsv('新名册.csv', ['姓名,身份证号,所在党组织,人员状态', ...lines]);
    const { status, doc } = importJson(db, [file], ['--full-roster', '--skip-invalid']);
    expect(status).toBe(0);
    expect(doc.files[0].sheets[0].errors).toHaveLength(1);
    expect(doc.files[0].sheets[0].departed).toBe(0);
    expect(rows(db, 'select status_kind from members where id_number = ?', ids[0].id_number)).not.toEqual([{ status_kind: 'departed' }]);
    // Also when the row is refused by the writer (an organisation that does not exist).
    const other = writeCsv('新名册2.csv', ['姓名,身份证号,所在党组织', ...ids.map((m, i) => `${m.name},${m.id_number},${i === 1 ? '不存在的支部' : '二中党支部'}`)]);
    const second = importJson(db, [other], ['--full-roster', '--skip-invalid']);
    expect(second.status).toBe(0);
    expect(second.doc.files[0].sheets[0].departed).toBe(0);
    expect(rows(db, 'select status_kind from members where id_number = ?', ids[1].id_number)).not.toEqual([{ status_kind: 'departed' }]);
  });

  it('a member in two files of one import with different values is a conflict naming the other file (the result must not depend on their order)', () => {
    const db = baseDb();
    expect(importJson(db, [F('党员.utf8.csv')]).status).toBe(0);
    const [m] = rows<{ name: string; id_number: string }>(db, "select name, id_number from members where org_id = (select id from orgs where short_name = '二中党支部') order by id limit 1");
    const a = writeCsv('甲.csv', ['姓名,身份证号,所在党组织,联系电话', `${m.name},${m.id_number},二中党支部,13800000001`]);
    const b = writeCsv('乙.csv', ['姓名,身份证号,所在党组织,联系电话', `${m.name},${m.id_number},二中党支部,13800000002`]);
    const before = contentDigest(db);
    for (const order of [[a, b], [b, a]]) {
      const { status, doc } = importJson(db, order);
      expect(status).toBe(3);
      const errors = doc.files.flatMap((f: { sheets: Array<{ errors: Array<{ reason: string }> }> }) => f.sheets.flatMap((sh) => sh.errors));
      expect(errors).toHaveLength(1);
      expect(errors[0].reason).toContain(path.basename(order[0]));
      expect(contentDigest(db)).toBe(before);
    }
    // The same values in both: no conflict.
    const c = writeCsv('丙.csv', ['姓名,身份证号,所在党组织,联系电话', `${m.name},${m.id_number},二中党支部,13800000001`]);
    expect(importJson(db, [a, c]).status).toBe(0);
  });
});

describe('options', () => {
  it('--dry-run reports what would change and writes nothing', () => {
    const db = baseDb();
    const before = contentDigest(db);
    const { status, doc } = importJson(db, [F('党员.utf8.csv')], ['--dry-run']);
    expect(status).toBe(0);
    expect(doc.written).toBe(false);
    expect(doc.files[0].sheets[0].added).toBe(10);
    expect(contentDigest(db)).toBe(before);
  });

  it('--skip-invalid imports the valid rows (exit 0), and exit 3 when none is valid', () => {
    const db = baseDb();
    const file = writeCsv('部分错误.csv', ['姓名,身份证号,所在党组织,居住地社区,所属街道', '甲一,330102198001010013,二中党支部,新社区,新街道', '甲二,330102198001010021,不存在的支部,新社区2,新街道2']);
    const { status, doc } = importJson(db, [file], ['--skip-invalid']);
    expect(status).toBe(0);
    expect(doc.files[0].sheets[0]).toMatchObject({ added: 1 });
    expect(doc.files[0].sheets[0].errors).toHaveLength(1);
    expect(count(db, 'members')).toBe(1);
    // The invalid row's community and town were not left behind.
    expect(rows(db, "select name from towns where name = '新街道2'")).toEqual([]);
    const none = writeCsv('全错.csv', ['姓名,身份证号,所在党组织', '甲二,330102198001010021,不存在的支部']);
    expect(importJson(db, [none], ['--skip-invalid']).status).toBe(3);
  });

  it('--dry-run --skip-invalid reports and exits as the real run would, writing nothing', () => {
    const db = baseDb();
    const file = writeCsv('状态.csv', ['姓名,身份证号,所在党组织,人员状态', '甲一,330102198001010013,二中党支部,在职', '甲二,330102198001010021,二中党支部,退伍']);
    const before = contentDigest(db);
    const dry = runDbd(['import', file, '--db', db, '--dry-run', '--skip-invalid'], { env });
    expect(dry.status).toBe(0);
    expect(dry.stdout).toContain('有效行将会导入；1 行有错误，不会导入。');
    expect(dry.stderr).not.toContain('没有任何行可以导入');
    const dryDoc = importJson(db, [file], ['--dry-run', '--skip-invalid']);
    expect(dryDoc.status).toBe(0);
    expect(dryDoc.doc.written).toBe(false);
    expect(contentDigest(db)).toBe(before);
    const real = importJson(db, [file], ['--skip-invalid']);
    expect(real.status).toBe(0);
    expect(real.doc.files[0].sheets[0]).toEqual({ ...dryDoc.doc.files[0].sheets[0] });
    expect(count(db, 'members')).toBe(1);
    // Nothing valid: exit 3 in both.
    const none = writeCsv('全错.csv', ['姓名,身份证号,所在党组织,人员状态', '甲三,330102198001010048,二中党支部,退伍']);
    expect(importJson(db, [none], ['--dry-run', '--skip-invalid']).status).toBe(3);
  });

  it('an unknown --encoding is wrong usage (exit 2) before anything is read, also for a workbook', () => {
    const dir = tempDir();
    const db = path.join(dir, 'dbd.sqlite');
    for (const file of [F('社区名单.utf8.csv'), F('单位与党员.xlsx')]) {
      const result = runDbd(['import', file, '--db', db, '--encoding', 'klingon'], { env });
      expect(result.status, file).toBe(2);
      expect(result.stderr, file).toContain('不认识的编码 klingon');
    }
    if (!onPostgres) expect(fs.existsSync(db)).toBe(false);
    expect(runDbd(['import', F('社区名单.gbk.csv'), '--db', db, '--encoding', 'GBK'], { env }).status).toBe(0);
  });

  it('--errors writes the problems as a spreadsheet', async () => {
    const db = baseDb();
    const out = path.join(tempDir(), '错误清单.xlsx');
    const file = writeCsv('错.csv', ['姓名,身份证号,所在党组织', '甲二,3.30102E+17,二中党支部']);
    expect(runDbd(['import', file, '--db', db, '--errors', out], { env }).status).toBe(3);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    const sheet = wb.worksheets[0];
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(['级别', '文件', '工作表', '行', '列', '值', '原因']);
    expect((sheet.getRow(2).values as unknown[]).slice(1, 6)).toEqual(['错误', '错.csv', '错', 2, '身份证号']);
  });

  it('--errors writes a CSV by its extension, refuses another extension, and lists a file refused as a whole', () => {
    const db = baseDb();
    const dir = tempDir();
    const file = writeCsv('错.csv', ['姓名,身份证号,所在党组织', '甲二,3.30102E+17,二中党支部']);
    expect(runDbd(['import', file, '--db', db, '--errors', path.join(dir, 'e.csv')], { env }).status).toBe(3);
    expect(fs.readFileSync(path.join(dir, 'e.csv'), 'utf8').split('\r\n')[1]).toMatch(/^错误,错\.csv,错,2,身份证号,/);
    const other = runDbd(['import', file, '--db', db, '--errors', path.join(dir, 'e.txt')], { env });
    expect(other.status).toBe(2);
    expect(other.stderr).toContain('.txt');
    expect(fs.existsSync(path.join(dir, 'e.txt'))).toBe(false);
    // A whole file refused: the list says so (an earlier run's list is not left in its place).
    const xls = path.join(dir, '旧.xls');
    fs.writeFileSync(xls, Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(1000)]));
    expect(runDbd(['import', xls, '--db', db, '--errors', path.join(dir, 'e.csv')], { env }).status).toBe(3);
    const lines = fs.readFileSync(path.join(dir, 'e.csv'), 'utf8').trim().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^错误,旧\.xls,,,,,旧\.xls 是旧版二进制 \.xls 格式/);
  });

  it('--kind forces the kind; --sheet limits to one sheet and names a missing one', () => {
    const db = path.join(tempDir(), 'dbd.sqlite');
    const only = importJson(db, [F('单位与党员.xlsx')], ['--sheet', '单位']);
    expect(only.status).toBe(0);
    expect(only.doc.files[0].sheets.map((s) => s.sheet)).toEqual(['单位']);
    const missing = runDbd(['import', F('单位与党员.xlsx'), '--db', db, '--sheet', '不存在'], { env });
    expect(missing.status).toBe(3);
    expect(missing.stderr).toContain('不存在');
    const guide = runDbd(['import', F('单位与党员.xlsx'), '--db', db, '--sheet', '填表说明'], { env });
    expect(guide.status).toBe(3);
    const forced = importJson(path.join(tempDir(), 'x.sqlite'), [F('社区名单.utf8.csv')], ['--kind', 'communities']);
    expect(forced.doc.files[0].sheets[0].kind).toBe('communities');
    expect(runDbd(['import', F('社区名单.utf8.csv'), '--db', db, '--kind', 'nonsense'], { env }).status).toBe(2);
  });

  it('files are imported in dependency order whatever the command-line order', () => {
    const db = path.join(tempDir(), 'dbd.sqlite');
    const { status } = importJson(db, [F('报到登记.tsv'), F('党员.gbk.csv'), F('党组织.csv'), F('社区名单.gbk.csv')]);
    expect(status).toBe(0);
    expect(count(db, 'checkins')).toBe(6);
  });

  it('an empty file and binary garbage are clear errors (exit 3)', () => {
    const dir = tempDir();
    const db = path.join(dir, 'dbd.sqlite');
    fs.writeFileSync(path.join(dir, 'empty.csv'), '');
    fs.writeFileSync(path.join(dir, 'garbage.csv'), Buffer.from([0, 1, 2, 3, 255, 254, 0, 0, 7, 8]));
    fs.writeFileSync(path.join(dir, 'renamed.xlsx'), '姓名,身份证号\n');
    for (const name of ['empty.csv', 'garbage.csv', 'renamed.xlsx']) {
      const result = runDbd(['import', path.join(dir, name), '--db', db], { env });
      expect(result.status, name).toBe(3);
      expect(result.stderr, name).toContain(name);
      expect(result.stderr, name).not.toMatch(/\n\s+at /);
    }
  });

  it('a missing file or a folder is wrong usage (exit 2, SPEC §9), found before the database is made', () => {
    const dir = tempDir();
    const db = path.join(dir, 'dbd.sqlite');
    fs.mkdirSync(path.join(dir, 'folder.csv'));
    fs.writeFileSync(path.join(dir, 'good.csv'), '街道,社区\n新街道,新社区\n');
    const cases: Array<[string, string]> = [
      ['missing.csv', `找不到文件：${path.join(dir, 'missing.csv')}`],
      ['folder.csv', `${path.join(dir, 'folder.csv')} 是文件夹，不是文件`],
    ];
    for (const [name, message] of cases) {
      // With a good file beside it: nothing of that one is imported either.
      const result = runDbd(['import', path.join(dir, 'good.csv'), path.join(dir, name), '--db', db], { env });
      expect(result.status, name).toBe(2);
      expect(result.stderr, name).toContain(message);
      expect(result.stderr, name).not.toMatch(/\n\s+at /);
    }
    if (!onPostgres) expect(fs.existsSync(db)).toBe(false);
    const en = runDbd(['import', path.join(dir, 'missing.csv'), '--db', db, '--lang', 'en'], { env });
    expect(en.status).toBe(2);
    expect(en.stderr).toContain('file not found:');
  });
});

describe('database file', () => {
  // A file's permissions: a server's database has none (its access is the server's roles).
  it.skipIf(onPostgres)('is created readable by its owner only', () => {
    const db = baseDb();
    expect(fs.statSync(db).mode & 0o777).toBe(0o600);
  });

  it.skipIf(onPostgres)('that cannot be created (a file stands where its folder should be) is exit 4 in words', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'afile'), '');
    const target = path.join(dir, 'afile', 'x.sqlite');
    // (dbd copy --to such a path is refused earlier, as wrong usage: tests/copy/copy.test.ts.)
    for (const args of [['import', F('社区名单.utf8.csv'), '--db', target]]) {
      const result = runDbd(args, { env });
      expect(result.status, args[0]).toBe(4);
      expect(result.stderr, args[0]).toContain(`无法写入 ${target}`);
      expect(result.stderr, args[0]).not.toContain('内部错误');
    }
  });
});
