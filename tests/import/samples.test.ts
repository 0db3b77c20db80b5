// The shared sample files give exactly the results their README states (SPEC §4).
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runDbd, runJson, SAMPLES, SAMPLE_ORDER, tempDir } from '../helpers/cli.js';
import { contentDigest, count, rows } from '../helpers/db.js';
import type { ImportDoc, SheetDoc } from '../helpers/importDoc.js';

const env = { DBD_TODAY: '2026-11-21' };


const expected: Record<string, { kind: string; read: number; added: number; skipped: number; skippedRows: number[]; headerRows: number[] }> = {
  '社区名单.csv': { kind: 'communities', read: 13, added: 12, skipped: 1, skippedRows: [1], headerRows: [2] },
  '单位党组织名册.xlsx': { kind: 'orgs', read: 16, added: 14, skipped: 2, skippedRows: [1, 17], headerRows: [2] },
  '在职党员花名册.xlsx': { kind: 'members', read: 88, added: 84, skipped: 4, skippedRows: [1, 2, 89, 91], headerRows: [3, 4] },
  '报到登记.csv': { kind: 'checkins', read: 74, added: 74, skipped: 0, skippedRows: [], headerRows: [1] },
  '志愿服务记录.xlsx': { kind: 'activities', read: 42, added: 40, skipped: 2, skippedRows: [1, 43], headerRows: [2] },
  '结对共建.xlsx': { kind: 'org-checkins', read: 10, added: 9, skipped: 1, skippedRows: [1], headerRows: [2] },
};

describe('shared samples, imported in the README order', () => {
  const dir = tempDir();
  const db = path.join(dir, 'samples.sqlite');
  const docs: Record<string, SheetDoc> = {};

  beforeAll(() => {
    for (const file of SAMPLE_ORDER) {
      const doc = runJson<ImportDoc>(['import', path.join(SAMPLES, file), '--db', db], { env });
      expect(doc.files).toHaveLength(1);
      expect(doc.files[0].sheets).toHaveLength(1);
      docs[file] = doc.files[0].sheets[0];
    }
  });

  for (const [file, want] of Object.entries(expected)) {
    it(`${file}: ${want.kind}, read ${want.read}, added ${want.added}, skipped ${want.skipped}`, () => {
      const sheet = docs[file];
      expect(sheet.kind).toBe(want.kind);
      expect(sheet.read).toBe(want.read);
      expect(sheet.added).toBe(want.added);
      expect(sheet.updated).toBe(0);
      expect(sheet.unchanged).toBe(0);
      expect(sheet.skipped).toBe(want.skipped);
      expect(sheet.errors).toEqual([]);
      expect(sheet.skippedRows.map((r) => r.row)).toEqual(want.skippedRows);
      expect(sheet.headerRows).toEqual(want.headerRows);
    });
  }

  it('a 合计 row is never a member, and the 调出 member is a departed record', () => {
    expect(count(db, 'members')).toBe(84);
    expect(rows(db, "select count(*) as n from members where name like '%合计%' or name like '%人'")[0]).toEqual({ n: 0 });
    const departed = rows<{ name: string; departed_on: string }>(db, "select name, departed_on from members where status_kind = 'departed'");
    expect(departed).toEqual([{ name: '夏桂春', departed_on: '2026-09-30' }]);
    expect(rows(db, "select count(*) as n from members where status_kind = 'exempt'")[0]).toEqual({ n: 6 });
  });

  it('reads IDs as text (lower-case x upper-cased), month-only birth dates, short organisation names', () => {
    const [member] = rows<{ id_number: string; birth_date: string; org: string; community: string }>(
      db,
      `select m.id_number, m.birth_date, o.name as org, c.name as community from members m join orgs o on o.id = m.org_id
       join communities c on c.id = m.residence_community_id where m.name = '蒋新明'`,
    );
    expect(member).toEqual({ id_number: '43010319830226816X', birth_date: '1983-02-26', org: '中共樟溪区财政局机关第一支部委员会', community: '滨江社区' });
    const [viaShort] = rows<{ org: string }>(db, "select o.name as org from members m join orgs o on o.id = m.org_id where m.name = '邱慧'");
    expect(viaShort.org).toBe('中共樟溪区人民医院内科第二支部委员会');
  });

  it('builds the organisation tree from full and short parent names', () => {
    const tree = rows<{ name: string; parent: string | null }>(
      db,
      'select o.name, p.name as parent from orgs o left join orgs p on p.id = o.parent_id order by o.id',
    );
    expect(tree.find((o) => o.name === '中共樟溪区人民医院内科第一支部委员会')?.parent).toBe('中共樟溪区人民医院内科总支部委员会');
    expect(tree.find((o) => o.name === '中共樟溪区人民医院内科总支部委员会')?.parent).toBe('中共樟溪区人民医院委员会');
    expect(tree.filter((o) => o.parent === null).map((o) => o.name)).toHaveLength(5);
  });

  it('matches community name variants to one community (12 in all, 3 towns)', () => {
    expect(count(db, 'communities')).toBe(12);
    expect(count(db, 'towns')).toBe(3);
    expect(rows(db, "select base_name from communities where base_name like '%委员会' or base_name like '%委会'")).toEqual([]);
  });

  it('importing the roster again changes nothing (added 0, updated 0)', () => {
    const before = contentDigest(db);
    const doc = runJson<ImportDoc>(['import', path.join(SAMPLES, '在职党员花名册.xlsx'), '--db', db], { env });
    const sheet = doc.files[0].sheets[0];
    expect(sheet.added).toBe(0);
    expect(sheet.updated).toBe(0);
    expect(sheet.unchanged).toBe(84);
    expect(contentDigest(db)).toBe(before);
  });

  it('importing every sample again changes nothing', () => {
    const before = contentDigest(db);
    const doc = runJson<ImportDoc>(['import', ...SAMPLE_ORDER.map((f) => path.join(SAMPLES, f)), '--db', db], { env });
    for (const file of doc.files) for (const sheet of file.sheets) expect([sheet.sheet, sheet.added, sheet.updated]).toEqual([sheet.sheet, 0, 0]);
    expect(contentDigest(db)).toBe(before);
  });

  describe('bad/: each fails with exit 3 and leaves the database unchanged', () => {
    const bad = (name: string) => path.join(SAMPLES, 'bad', name);

    it('身份证号存成数字.xlsx: rows 2,3,4, column 身份证号, stored as numbers', () => {
      const before = contentDigest(db);
      const result = runDbd(['import', bad('身份证号存成数字.xlsx'), '--db', db, '--json'], { env });
      expect(result.status).toBe(3);
      const doc = JSON.parse(result.stdout) as ImportDoc;
      const errors = doc.files[0].sheets[0].errors;
      expect(errors.map((e) => [e.row, e.column])).toEqual([
        [2, '身份证号'],
        [3, '身份证号'],
        [4, '身份证号'],
      ]);
      expect(errors[0].value).toBe('3.20106198703024E+17');
      expect(errors[0].reason).toContain('文本');
      expect(contentDigest(db)).toBe(before);
    });

    it('旧格式.xls: old binary format, save as .xlsx', () => {
      const before = contentDigest(db);
      const result = runDbd(['import', bad('旧格式.xls'), '--db', db], { env });
      expect(result.status).toBe(3);
      expect(result.stderr).toContain('旧格式.xls');
      expect(result.stderr).toContain('.xlsx');
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(contentDigest(db)).toBe(before);
    });

    it('旧格式.xls with --json: still one import document on stdout, the reason on the file and on stderr', () => {
      const before = contentDigest(db);
      const result = runDbd(['import', bad('旧格式.xls'), '--db', db, '--json'], { env });
      expect(result.status).toBe(3);
      const doc = JSON.parse(result.stdout) as ImportDoc & { error: string; files: Array<{ error?: string }> };
      expect(doc.written).toBe(false);
      expect(doc.files).toHaveLength(1);
      expect(doc.files[0]).toMatchObject({ file: '旧格式.xls', sheets: [] });
      expect(doc.files[0].error).toContain('.xlsx');
      expect(doc.error).toBe(doc.files[0].error);
      expect(result.stderr).toContain('旧格式.xls');
      expect(contentDigest(db)).toBe(before);
    });

    it('缺少姓名列.csv: required column 姓名 missing', () => {
      const before = contentDigest(db);
      const result = runDbd(['import', bad('缺少姓名列.csv'), '--db', db, '--json'], { env });
      expect(result.status).toBe(3);
      const errors = (JSON.parse(result.stdout) as ImportDoc).files[0].sheets[0].errors;
      expect(errors).toHaveLength(1);
      expect(errors[0].column).toBe('姓名');
      expect(errors[0].reason).toContain('姓名');
      expect(contentDigest(db)).toBe(before);
    });

    it('报到人不在名册.csv: row 3, column 身份证号, the name belongs to another ID', () => {
      const before = contentDigest(db);
      const result = runDbd(['import', bad('报到人不在名册.csv'), '--db', db, '--json'], { env });
      expect(result.status).toBe(3);
      const errors = (JSON.parse(result.stdout) as ImportDoc).files[0].sheets[0].errors;
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ row: 3, column: '身份证号', value: '330108197411091985' });
      expect(errors[0].reason).toContain('蔡昊');
      expect(contentDigest(db)).toBe(before);
    });

    it('the messages are in English with --lang en', () => {
      const result = runDbd(['import', bad('报到人不在名册.csv'), '--db', db, '--lang', 'en'], { env });
      expect(result.status).toBe(3);
      expect(result.stderr).toContain('row 3, column "身份证号", value "330108197411091985"');
      expect(result.stderr).toContain('not in the roster');
      expect(result.stderr).toContain('nothing was written');
    });
  });
});
