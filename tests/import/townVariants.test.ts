// A town written the way offices write it (青山街道办事处, 柳林镇人民政府, or without its kind) is
// the town already known, not a new one beside it; a town of another kind (青山镇 beside
// 青山街道) stays its own.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { copyDatabase } from '../helpers/backend.js';
import { rows } from '../helpers/db.js';
import { runDbd, sampleDatabase, tempDir } from '../helpers/cli.js';

const ENV = { DBD_TODAY: '2026-11-21' };
let base: string;
beforeAll(() => {
  base = sampleDatabase();
});

function importCsv(lines: string[]) {
  const dir = tempDir();
  const db = path.join(dir, 'dbd.sqlite');
  copyDatabase(base, db);
  const file = path.join(dir, '报到.csv');
  fs.writeFileSync(file, '\ufeff' + lines.join('\r\n') + '\r\n');
  return { db, result: runDbd(['import', file, '--db', db], { env: ENV }) };
}

const towns = (db: string) => rows<{ name: string }>(db, 'select name from towns order by name').map((t) => t.name);

describe('town name variants in an import', () => {
  it('青山街道办事处, 青山街道办, 柳林镇人民政府 and 青山 are the towns already known', () => {
    const before = towns(base);
    const { db, result } = importCsv([
      '姓名,身份证号,报到社区,所属街道,报到时间',
      // Members of the samples (their own check-ins already given: these add history or nothing).
      ...rows<{ name: string; id_number: string }>(base, 'select name, id_number from members where id_number is not null order by id limit 4').map(
        (m, i) => `${m.name},${m.id_number},${['新华社区', '新华社区', '桃源村', '新华社区'][i]},${['青山街道办事处', '青山街道办', '柳林镇人民政府', '青山'][i]},2026-01-0${i + 1}`,
      ),
    ]);
    expect(result.stderr).not.toContain('新建');
    expect(result.status).toBe(0);
    expect(towns(db)).toEqual(before);
  });

  it('a town of another kind with the same stem is a town of its own', () => {
    const { db, result } = importCsv(['街道,社区', '青山镇,青山村']);
    expect(result.status).toBe(0);
    expect(towns(db)).toContain('青山镇');
    expect(towns(db)).toContain('青山街道');
  });
});
