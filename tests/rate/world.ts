// Small temporary databases built through the real import and recording code, for the rule
// tests of tests/rate and tests/record: a few CSV files imported with importFiles, then
// check-ins, voids and activities written with db/recording.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dbTarget } from '../helpers/backend.js';
import { openDatabase, type DbHandle } from '../../src/db/open.js';
import { idCheckDigit } from '../../src/domain/idNumber.js';
import type { Kind } from '../../src/ingest/fields.js';
import { importFiles } from '../../src/ingest/importFiles.js';

/** A valid 18-character ID number, distinct for each n < 100000 (the year of birth carries n / 1000). */
export function idFor(n: number): string {
  const first17 = `110105${1900 + Math.floor(n / 1000)}0101${String(n % 1000).padStart(3, '0')}`;
  return first17 + idCheckDigit(first17);
}

export interface MemberRow {
  id: string;
  name: string;
  org: string;
  status?: string;
  changeDate?: string;
  community?: string;
  town?: string;
  category?: string;
  phone?: string;
}

export interface World {
  handle: DbHandle;
  dir: string;
  today: string;
  import(kind: Kind, header: string[], rows: Array<Array<string | number | undefined>>): Promise<void>;
  members(rows: MemberRow[]): Promise<void>;
  checkins(rows: Array<{ id: string; community: string; town?: string; date: string }>): Promise<void>;
  activities(rows: Array<{ id: string; community: string; date: string; category: string; hours?: number }>): Promise<void>;
  close(): Promise<void>;
}

function csvField(value: string | number | undefined): string {
  const text = value === undefined ? '' : String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * A database with towns 青山街道 (青山社区, 花园社区) and 白沙街道 (白沙社区, 青山社区 — the
 * same name in two towns), and the organisations of unit 甲单位: 甲党委 over 甲总支 (no members
 * of its own) over 一支部 and 二支部, plus 乙支部 of unit 乙单位.
 */
export async function makeWorld(today = '2026-11-21'): Promise<World> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dbd-world-'));
  const handle = await openDatabase(dbTarget(path.join(dir, 'world.sqlite')));
  let fileNo = 0;
  const world: World = {
    handle,
    dir,
    today,
    async import(kind, header, rows) {
      const file = path.join(dir, `${++fileNo}-${kind}.csv`);
      fs.writeFileSync(file, [header, ...rows].map((r) => r.map(csvField).join(',')).join('\n') + '\n');
      const result = await importFiles(handle, [file], { kind, today });
      if (!result.written || result.errorCount > 0) {
        throw new Error(`import of ${kind} failed: ${JSON.stringify(result.files.map((f) => f.sheets.map((s) => s.errors)))}`);
      }
    },
    async members(rows) {
      await world.import(
        'members',
        ['身份证号', '姓名', '联系电话', '所在党组织', '人员状态', '变动日期', '居住地社区', '所属街道', '管理类别'],
        rows.map((m) => [m.id, m.name, m.phone, m.org, m.status, m.changeDate, m.community, m.community ? m.town : undefined, m.category]),
      );
    },
    async checkins(rows) {
      await world.import('checkins', ['身份证号', '报到社区', '所属街道', '报到时间'], rows.map((c) => [c.id, c.community, c.town ?? '青山街道', c.date]));
    },
    async activities(rows) {
      await world.import(
        'activities',
        ['身份证号', '社区', '街道', '活动日期', '服务类别', '服务时长'],
        rows.map((a) => [a.id, a.community, '青山街道', a.date, a.category, a.hours]),
      );
    },
    async close() {
      await handle.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  await world.import('communities', ['街道', '社区'], [
    ['青山街道', '青山社区'],
    ['青山街道', '花园社区'],
    ['白沙街道', '白沙社区'],
    ['白沙街道', '青山社区居委会'],
  ]);
  await world.import('orgs', ['党组织名称', '简称', '上级党组织', '单位名称'], [
    ['甲单位党委', '甲党委', '', '甲单位'],
    ['甲单位总支部', '甲总支', '甲党委', '甲单位'],
    ['甲单位第一支部', '一支部', '甲总支', '甲单位'],
    ['甲单位第二支部', '二支部', '甲总支', '甲单位'],
    ['乙单位支部', '乙支部', '', '乙单位'],
  ]);
  return world;
}

/** n members of one organisation with IDs from idFor(start) on. */
export function membersOf(org: string, n: number, start: number, extra: Partial<MemberRow> = {}): MemberRow[] {
  return Array.from({ length: n }, (_, i) => ({ id: idFor(start + i), name: `成员${start + i}`, org, ...extra }));
}
