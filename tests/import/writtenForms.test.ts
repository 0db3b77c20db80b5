// Values as clerks write them, through a whole import: communities listed on several lines of a
// 结对社区 cell (Alt+Enter) or with /, ID numbers with dashes, service hours in minutes (SPEC §4).
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/cli.js';
import { rows } from '../helpers/db.js';
import { fixtureBaseDb, importJson, writeCsv } from '../helpers/importDoc.js';

async function orgRoster(): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('党组织');
  sheet.addRow(['单位名称', '党组织名称', '简称', '党组织类别', '上级党组织', '驻地街道', '结对社区']);
  sheet.addRow(['樟溪区审计局', '中共樟溪区审计局机关第一支部委员会', '审计一支部', '党支部', '审计局党委', '东湖街道', '东湖社区\n书院社区']);
  sheet.addRow(['樟溪区第二中学', '中共樟溪区第二中学支部委员会', '二中党支部', '党支部', '', '西山镇', '西山村／枫林村委会']);
  sheet.getCell('G2').alignment = { wrapText: true };
  const file = path.join(tempDir(), '党组织结对.xlsx');
  await workbook.xlsx.writeFile(file);
  return file;
}

describe('values written as clerks write them', async () => {
  const db = fixtureBaseDb();
  const roster = await orgRoster();
  const members = writeCsv('党员.csv', ['姓名,身份证号,所在党组织', '张晓,110101-19900307-0011,审计一支部']);
  const activities = writeCsv('志愿服务.csv', [
    '身份证号,活动日期,社区,服务类别,服务时长(小时)',
    '110101－19900307－0011,2026-04-05,东湖社区,助老,90分钟',
    '110101—19900307—0011,2026-04-06,东湖社区,助老,1小时30分',
    '110101 19900307 0011,2026-04-07,东湖社区,助老,1个半小时',
    '110101199003070011,2026-04-08,东湖社区,助老,半小时',
  ]);
  const result = importJson(db, [roster, members, activities]);

  it('imports every file without an error or a warning', () => {
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    for (const sheet of result.doc.files.flatMap((f) => f.sheets)) {
      expect(sheet.errors, sheet.sheet).toEqual([]);
      expect(sheet.warnings, sheet.sheet).toEqual([]);
    }
  });

  it('pairs an organisation with each community of a multi-line or slash-separated cell', () => {
    const pairs = rows<{ org: string; community: string }>(
      db,
      `select o.short_name as org, c.name as community from pairings p join orgs o on o.id = p.org_id
       join communities c on c.id = p.community_id where o.short_name in ('审计一支部', '二中党支部') order by o.short_name, c.name`,
    );
    expect(pairs.map((p) => `${p.org}:${p.community}`).sort()).toEqual(['二中党支部:枫林村委会', '二中党支部:西山村', '审计一支部:书院社区', '审计一支部:东湖社区'].sort());
  });

  it('keys the member and the activities by the ID without its dashes, hours from minutes', () => {
    expect(rows(db, `select id_number from members where name = '张晓'`)).toEqual([{ id_number: '110101199003070011' }]);
    const hours = rows<{ date: string; hours: number }>(db, `select a.date, a.hours from activities a join members m on m.id = a.member_id where m.name = '张晓' order by a.date`);
    expect(hours).toEqual([
      { date: '2026-04-05', hours: 1.5 },
      { date: '2026-04-06', hours: 1.5 },
      { date: '2026-04-07', hours: 1.5 },
      { date: '2026-04-08', hours: 0.5 },
    ]);
  });
});
