// A check-in register imported again: after one of its check-ins was voided, and as it was.
import { describe, expect, it } from 'vitest';
import { idCheckDigit } from '../../src/domain/idNumber.js';
import { runDbd } from '../helpers/cli.js';
import { rows } from '../helpers/db.js';
import { fixtureBaseDb as baseDb, IMPORT_ENV as env, importJson, writeCsv } from '../helpers/importDoc.js';

const id = (first17: string) => first17 + idCheckDigit(first17);
const A = id('33011019800101001');

function rosterDb(): string {
  const db = baseDb();
  const roster = writeCsv('名册.csv', ['姓名,身份证号,所在党组织', `甲一,${A},审计一支部`]);
  expect(importJson(db, [roster]).status).toBe(0);
  return db;
}

describe('a register imported again after one of its check-ins was voided', () => {
  it('leaves the check-in voided, with its reason', () => {
    const db = rosterDb();
    const file = writeCsv('报到登记.csv', ['姓名,身份证号,报到社区,所属街道,报到时间', `甲一,${A},东湖社区,东湖街道,2026-03-05`]);
    expect(importJson(db, [file]).status).toBe(0);
    expect(runDbd(['checkin', '--void', A, '--reason', '未实际报到', '--db', db], { env }).status).toBe(0);
    const again = importJson(db, [file]);
    expect(again.doc.files[0].sheets[0]).toMatchObject({ added: 0, unchanged: 1 });
    expect(rows(db, 'select void_reason from checkins')).toEqual([{ void_reason: '未实际报到' }]);
    expect(rows(db, 'select current_checkin_on from members where id_number = ?', A)).toEqual([{ current_checkin_on: null }]);
  });
});

describe('a file imported again', () => {
  it('says the database already holds it, instead of that it was written', () => {
    const db = rosterDb();
    const file = writeCsv('报到登记.csv', ['姓名,身份证号,报到社区,所属街道,报到时间', `甲一,${A},东湖社区,东湖街道,2026-03-05`]);
    const first = runDbd(['import', file, '--db', db], { env });
    expect(first.stdout).toContain('已写入数据库');
    const again = runDbd(['import', file, '--db', db], { env });
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('中已有这些数据，没有变化');
    expect(again.stdout).not.toContain('已写入数据库');
  });
});
