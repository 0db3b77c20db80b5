// A date after today in a register (a check-in, an activity, a pairing) or a roster's 入党时间 is
// most likely a slip, and so is a register date before 2000: the import says so, row and column
// named, and still imports it.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { copyDatabase } from '../helpers/backend.js';
import { rows } from '../helpers/db.js';
import { runDbd, runJson, sampleDatabase, tempDir } from '../helpers/cli.js';

const ENV = { DBD_TODAY: '2026-11-21' };
let base: string;
beforeAll(() => {
  base = sampleDatabase();
});

describe('dates after today', () => {
  it('are warnings naming the row and column; the rows are imported', () => {
    const dir = tempDir();
    const db = path.join(dir, 'dbd.sqlite');
    copyDatabase(base, db);
    const [m1, m2] = rows<{ name: string; id_number: string }>(base, 'select name, id_number from members where id_number is not null and departed_on is null order by id limit 2');
    const file = path.join(dir, '报到.csv');
    fs.writeFileSync(file, `\ufeff姓名,身份证号,报到社区,所属街道,报到时间\r\n${m1.name},${m1.id_number},新华社区,青山街道,2026-12-01\r\n${m2.name},${m2.id_number},新华社区,青山街道,2026-11-21\r\n`);
    const doc = runJson(['import', file, '--json', '--db', db], { env: ENV });
    const sheet = doc.files[0].sheets[0];
    expect(sheet.errors).toEqual([]);
    expect(sheet.warnings).toEqual([expect.objectContaining({ row: 2, column: '报到时间', value: '2026-12-01' })]);
    expect(sheet.warnings[0].reason).toContain('晚于今天');
    expect(rows(db, "select count(*) as n from checkins where date = '2026-12-01'")).toEqual([{ n: 1 }]);
    // In the summary on the terminal too.
    const again = runDbd(['import', file, '--db', db], { env: ENV });
    expect(again.status).toBe(0);
    expect(again.stderr + again.stdout).toContain('2026-12-01');
  });
});

describe('dates long ago', () => {
  it('a check-in before 2000 is a warning naming the row (a slip of the year); the row is imported', () => {
    const dir = tempDir();
    const db = path.join(dir, 'dbd.sqlite');
    copyDatabase(base, db);
    const [m1, m2] = rows<{ name: string; id_number: string }>(base, 'select name, id_number from members where id_number is not null and departed_on is null order by id limit 2');
    const file = path.join(dir, '报到.csv');
    fs.writeFileSync(file, `\ufeff姓名,身份证号,报到社区,所属街道,报到时间\r\n${m1.name},${m1.id_number},新华社区,青山街道,1926-11-12\r\n${m2.name},${m2.id_number},新华社区,青山街道,2000-01-01\r\n`);
    const sheet = runJson(['import', file, '--json', '--db', db], { env: ENV }).files[0].sheets[0];
    expect(sheet.errors).toEqual([]);
    expect(sheet.warnings).toEqual([expect.objectContaining({ row: 2, column: '报到时间', value: '1926-11-12' })]);
    expect(sheet.warnings[0].reason).toContain('早于 2000 年');
    expect(rows(db, "select count(*) as n from checkins where date = '1926-11-12'")).toEqual([{ n: 1 }]);
  });
});
