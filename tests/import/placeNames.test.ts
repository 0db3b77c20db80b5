// Places as registers write them: a pairing cell listing several communities, a community
// written together with its town, and the summary naming what an import created.
import { describe, expect, it } from 'vitest';
import { idCheckDigit } from '../../src/domain/idNumber.js';
import { runDbd } from '../helpers/cli.js';
import { count, rows } from '../helpers/db.js';
import { fixtureBaseDb as baseDb, IMPORT_ENV as env, importJson, writeCsv } from '../helpers/importDoc.js';

const id = (first17: string) => first17 + idCheckDigit(first17);
const A = id('33011019800101001');
const B = id('33011019800101002');
const C = id('33011019800101003');
const D = id('33011019800101004');

function pairings(db: string): Array<{ org: string; community: string }> {
  return rows(db, "select o.short_name as org, c.name as community from pairings p join orgs o on o.id = p.org_id join communities c on c.id = p.community_id where p.source = 'checkin' order by o.short_name, c.name");
}

function checkedIn(db: string): Array<{ id_number: string; community: string; town: string }> {
  return rows(db, 'select m.id_number, c.name as community, t.name as town from members m join communities c on c.id = m.current_community_id join towns t on t.id = c.town_id order by m.id_number');
}

function rosterDb(): string {
  const db = baseDb();
  const roster = writeCsv('名册.csv', ['姓名,身份证号,所在党组织', `甲一,${A},审计一支部`, `乙二,${B},审计一支部`, `丙三,${C},审计二支部`, `丁四,${D},审计二支部`]);
  expect(importJson(db, [roster]).status).toBe(0);
  return db;
}

describe('a pairing cell that lists several communities', () => {
  it('is a pairing with each of them, as an organisation roster’s 结对社区 is, not one new community', () => {
    const db = baseDb();
    const communities = count(db, 'communities');
    const file = writeCsv('结对共建.csv', [
      '党组织名称,结对社区,所属街道,报到时间',
      '审计一支部,东湖社区、书院社区,东湖街道,2026-03-12',
      '审计二支部,"东湖社区\n湖滨社区",东湖街道,2026-03-12',
      '二中党支部,"西山村,枫林村",西山镇,2026-03-12',
    ]);
    const { status, doc } = importJson(db, [file]);
    expect(status).toBe(0);
    expect(doc.files[0].sheets[0]).toMatchObject({ kind: 'org-checkins', added: 3, errors: [] });
    expect(count(db, 'communities')).toBe(communities);
    expect(pairings(db)).toEqual([
      { org: '二中党支部', community: '枫林村委会' },
      { org: '二中党支部', community: '西山村' },
      { org: '审计一支部', community: '东湖社区' },
      { org: '审计一支部', community: '书院社区' },
      { org: '审计二支部', community: '东湖社区' },
      { org: '审计二支部', community: '湖滨社区居委会' },
    ]);
    // Imported again: nothing changes.
    const again = importJson(db, [file]);
    expect(again.doc.files[0].sheets[0]).toMatchObject({ added: 0, updated: 0, unchanged: 3 });
  });

  it('is refused whole when one of its communities is unknown and no town is given', () => {
    const db = baseDb();
    const file = writeCsv('结对共建.csv', ['党组织名称,结对社区,报到时间', '审计一支部,东湖社区、无此社区,2026-03-12']);
    const { status, doc } = importJson(db, [file]);
    expect(status).toBe(3);
    expect(doc.files[0].sheets[0].errors[0]).toMatchObject({ row: 2, column: '结对社区', value: '无此社区' });
    expect(pairings(db)).toEqual([]);
  });
});

describe('a community written together with its town', () => {
  it('is the known community of that town, before it, in brackets after it, or in a column of its own', () => {
    const db = rosterDb();
    const communities = count(db, 'communities');
    const file = writeCsv('报到登记.csv', [
      '姓名,身份证号,报到社区,所属街道,报到时间',
      `甲一,${A},东湖街道东湖社区,东湖街道,2026-03-05`,
      `乙二,${B},书院社区（东湖街道）,东湖街道,2026-03-05`,
      `丙三,${C},东湖街道-湖滨社区居委会,,2026-03-05`,
      `丁四,${D},西山镇 枫林村,西山镇,2026-03-05`,
    ]);
    const { status, doc } = importJson(db, [file]);
    expect(status).toBe(0);
    expect(doc.files[0].sheets[0]).toMatchObject({ kind: 'checkins', added: 4, errors: [] });
    expect(count(db, 'communities')).toBe(communities);
    expect(checkedIn(db)).toEqual([
      { id_number: A, community: '东湖社区', town: '东湖街道' },
      { id_number: B, community: '书院社区', town: '东湖街道' },
      { id_number: C, community: '湖滨社区居委会', town: '东湖街道' },
      { id_number: D, community: '枫林村委会', town: '西山镇' },
    ]);
  });

  it('a new one is named without the town; one named after its town keeps its name; the summary names both', () => {
    const db = rosterDb();
    const file = writeCsv('报到登记.csv', [
      '姓名,身份证号,报到社区,所属街道,报到时间',
      `甲一,${A},东湖街道新城社区,东湖街道,2026-03-05`,
      `乙二,${B},新城社区,东湖街道,2026-03-06`,
      `丙三,${C},西山镇社区,西山镇,2026-03-05`,
    ]);
    const result = runDbd(['import', file, '--db', db], { env });
    expect(result.status).toBe(0);
    expect(rows(db, "select c.name from communities c join towns t on t.id = c.town_id where c.name like '%新城%' or c.name like '西山镇%' order by c.name")).toEqual([
      { name: '新城社区' },
      { name: '西山镇社区' },
    ]);
    expect(result.stdout).toContain('随之新建：镇街 0 个，社区 2 个');
    expect(result.stdout).toContain('新建的社区：东湖街道 新城社区、西山镇 西山镇社区');
  });
});

describe('a communities list', () => {
  it('names each community as it is, even when its name begins with its town’s', () => {
    const db = baseDb();
    const file = writeCsv('社区名单.csv', ['街道,社区', '西山镇,西山镇中心村', '东湖街道,东湖街道东湖社区']);
    const { status, doc } = importJson(db, [file]);
    expect(status).toBe(0);
    expect(doc.files[0].sheets[0]).toMatchObject({ kind: 'communities', added: 2, updated: 0 });
    expect(rows(db, "select name from communities where name like '西山镇%' or name like '东湖街道%' order by name")).toEqual([{ name: '东湖街道东湖社区' }, { name: '西山镇中心村' }]);
  });
});

describe('the summary of what an import created alongside', () => {
  it('names at most ten of each kind, in English too, and not the sheet’s own kind', () => {
    const db = baseDb();
    const lines = ['姓名,身份证号,所在党组织,单位名称'];
    for (let i = 1; i <= 12; i++) lines.push(`党员${i},${id(`33011019800201${String(i).padStart(3, '0')}`)},新支部${i},新单位`);
    const result = runDbd(['import', writeCsv('名册.csv', lines), '--db', db, '--lang', 'en'], { env });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`new organisations: ${Array.from({ length: 10 }, (_, i) => `新支部${i + 1}`).join(', ')}, and 2 more`);
    expect(result.stdout).not.toContain('new communities');
    const communities = runDbd(['import', writeCsv('社区.csv', ['街道,社区', '东湖街道,新河社区']), '--db', db], { env });
    expect(communities.stdout).not.toContain('新建的社区');
  });
});
