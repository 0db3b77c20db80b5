// Organisations named by a short name that several units share (SPEC §4); a repeated member
// across the sheets of one workbook.
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { idCheckDigit } from '../../src/domain/idNumber.js';
import { ROOT, runDbd, tempDir } from '../helpers/cli.js';
import { count, rows } from '../helpers/db.js';
import type { ImportDoc, SheetDoc } from '../helpers/importDoc.js';

const F = (name: string) => path.join(ROOT, 'fixtures', 'rosters', name);
const env = { DBD_TODAY: '2026-11-21' };

function importJson(db: string, files: string[], extra: string[] = []): { status: number; doc: ImportDoc; stderr: string } {
  const result = runDbd(['import', ...files, '--db', db, '--json', ...extra], { env });
  return { status: result.status, doc: JSON.parse(result.stdout) as ImportDoc, stderr: result.stderr };
}

function sheet(doc: ImportDoc, index = 0): SheetDoc {
  return doc.files[0].sheets[index];
}

function writeCsv(name: string, lines: string[]): string {
  const file = path.join(tempDir(), name);
  fs.writeFileSync(file, `\ufeff${lines.join('\r\n')}\r\n`);
  return file;
}

/** A database holding the fixture communities and organisations (审计一支部, 审计二支部, 二中党支部…). */
function baseDb(): string {
  const db = path.join(tempDir(), 'dbd.sqlite');
  expect(importJson(db, [F('社区名单.utf8.csv'), F('党组织.csv')]).status).toBe(0);
  return db;
}

/** A valid ID number from its first 17 digits. */
const id = (first17: string) => first17 + idCheckDigit(first17);

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
