// Personal data: the database, its WAL and SHM, backups and the writer note are the owner's only;
// ID numbers are masked in every listing and export unless --full-id; no exported cell can act
// as a formula, whatever names and titles an imported file carries.
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/open.js';
import { writerNotePath } from '../../src/db/writerNote.js';
import { writeTableFile } from '../../src/render/xlsx.js';
import { syntheticId } from '../../fixtures/hostile/generate.js';
import { runDbd, runJson, tempDir } from '../helpers/cli.js';
import { copyOfSamples, prepareSamples } from './helpers.js';

beforeAll(prepareSamples, 120_000);

const FULL_ID = /(?<![0-9A-Za-z*])\d{17}[\dXx](?![0-9A-Za-z])/;
const FORMULA_START = /^[=+\-@\t\r]/;
const mode = (file: string) => fs.statSync(file).mode & 0o777;

describe('files are created readable by their owner only (0600), whatever the umask', () => {
  const saved = process.umask();
  afterEach(() => void process.umask(saved));

  it('the database, its WAL and SHM, and the writer note', async () => {
    process.umask(0o000);
    const db = path.join(tempDir(), 'private.sqlite');
    const handle = await openDatabase(db);
    try {
      let noteMode = 0;
      let note: { pid: number } | undefined;
      await handle.writeTransaction(async () => {
        await handle.db.insertInto('towns').values({ name: '白沙街道' }).execute();
        noteMode = mode(writerNotePath(db));
        note = JSON.parse(fs.readFileSync(writerNotePath(db), 'utf8'));
      });
      expect(mode(db)).toBe(0o600);
      expect(mode(`${db}-wal`)).toBe(0o600);
      expect(mode(`${db}-shm`)).toBe(0o600);
      expect(noteMode).toBe(0o600);
      expect(note?.pid).toBe(process.pid);
      expect(fs.existsSync(writerNotePath(db)), 'the note is removed when the transaction ends').toBe(false);
    } finally {
      await handle.close();
    }
  });

  it('an empty database file made beforehand (touch) is made private when dbd first writes it', async () => {
    const db = path.join(tempDir(), 'touched.sqlite');
    fs.writeFileSync(db, '', { mode: 0o644 });
    fs.chmodSync(db, 0o644);
    const handle = await openDatabase(db);
    await handle.close();
    expect(mode(db)).toBe(0o600);
  });

  it('backups (and the copy kept by a restore) — see backupRestore.test.ts; here a backup of a fresh database', async () => {
    process.umask(0o000);
    const dir = tempDir();
    const handle = await openDatabase(path.join(dir, 'a.sqlite'));
    try {
      await handle.backup(path.join(dir, 'b.sqlite'));
    } finally {
      await handle.close();
    }
    expect(mode(path.join(dir, 'b.sqlite'))).toBe(0o600);
  });
});

describe('ID numbers and formulas in listings and exports', () => {
  let db: string;
  let dir: string;
  const hostileNames = ['=HYPERLINK("http://example.invalid","点我")', '+1234567', '-2+3', '@SUM(1+1)'];

  beforeAll(() => {
    dir = tempDir('dbd-personal-');
    db = copyOfSamples(dir);
    // Members whose names, job title, organisation and unit start like formulas; none reports.
    const rows = hostileNames.map((name, i) => [syntheticId(700 + i), name, i === 0 ? '=2+3支部' : '中共樟溪区税务局机关支部委员会', i === 0 ? '@单位' : '樟溪区税务局', '=1+1']);
    const csv = ['身份证号,姓名,所在党组织,工作单位,职务', ...rows.map((row) => row.map((cell) => `"${cell.replace(/"/g, '""')}"`).join(','))].join('\r\n');
    fs.writeFileSync(path.join(dir, 'hostile-names.csv'), csv);
    const imported = runDbd(['import', path.join(dir, 'hostile-names.csv'), '--db', db]);
    if (imported.status !== 0) throw new Error(imported.stderr);
  });

  it('dbd members masks ID numbers, in the table and in JSON, unless --full-id', () => {
    for (const args of [['members', '--all'], ['members', '--not-reported'], ['members', '--all', '--json']]) {
      const result = runDbd([...args, '--db', db]);
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout).not.toMatch(FULL_ID);
      expect(result.stdout).toMatch(/\d{6}\*{8}\d{3}[\dX]/);
    }
    const full = runJson<{ members: Array<{ idNumber: string }> }>(['members', '--all', '--full-id', '--db', db]);
    expect(full.members.every((m) => m.idNumber === null || /^\d{17}[\dX]$/.test(m.idNumber))).toBe(true);
    expect(runDbd(['members', '--all', '--full-id', '--db', db]).stdout).toMatch(FULL_ID);
  });

  it('other listings and reports show no full ID number', () => {
    for (const args of [['orgs'], ['communities'], ['rate'], ['rate', '--json'], ['weekly-report', '--town'], ['log'], ['log', '--json']]) {
      const result = runDbd([...args, '--db', db]);
      expect(result.status, `${args.join(' ')}: ${result.stderr}`).toBe(0);
      expect(result.stdout, args.join(' ')).not.toMatch(FULL_ID);
    }
  });

  async function exportedFiles(): Promise<string[]> {
    const out = path.join(dir, 'exports');
    fs.rmSync(out, { recursive: true, force: true });
    const commands = [
      ['export', 'monthly', '--month', '2026-11', '--dir', path.join(out, 'xlsx')],
      ['export', 'monthly', '--month', '2026-11', '--dir', path.join(out, 'csv'), '--format', 'csv'],
      ['rate', '--out', path.join(out, 'rate.xlsx')],
      ['rate', '--out', path.join(out, 'rate.csv')],
      ['weekly-report', '--town', '--out', path.join(out, 'weekly.xlsx')],
      ['weekly-report', '--town', '--out', path.join(out, 'weekly.csv')],
    ];
    for (const args of commands) {
      const result = runDbd([...args, '--db', db]);
      expect(result.status, `${args.join(' ')}: ${result.stderr}`).toBe(0);
    }
    const files: string[] = [];
    const walk = (folder: string) => {
      for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
        const full = path.join(folder, entry.name);
        if (entry.isDirectory()) walk(full);
        else files.push(full);
      }
    };
    walk(out);
    return files;
  }

  /** Every cell of every exported file, as its text, with whether the spreadsheet holds a formula. */
  async function cellsOf(file: string): Promise<Array<{ text: string; formula: boolean }>> {
    if (file.endsWith('.csv')) {
      const text = fs.readFileSync(file, 'utf8').replace(/^\ufeff/, '');
      return (parse(text, { relax_column_count: true }) as string[][]).flat().map((cell) => ({ text: cell, formula: false }));
    }
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    const cells: Array<{ text: string; formula: boolean }> = [];
    workbook.eachSheet((sheet) =>
      sheet.eachRow((row) =>
        row.eachCell((cell) => {
          cells.push({ text: typeof cell.value === 'string' ? cell.value : String(cell.text ?? ''), formula: cell.type === ExcelJS.ValueType.Formula });
        }),
      ),
    );
    return cells;
  }

  it('every exported file (monthly bundle, rate, weekly; xlsx and csv) masks IDs and holds no formula', async () => {
    const files = await exportedFiles();
    expect(files.filter((f) => f.endsWith('.xlsx')).length).toBeGreaterThanOrEqual(7);
    expect(files.filter((f) => f.endsWith('.csv')).length).toBeGreaterThanOrEqual(3);
    const guarded = new Set<string>();
    for (const file of files) {
      for (const cell of await cellsOf(file)) {
        expect(cell.formula, `${path.basename(file)}: ${cell.text}`).toBe(false);
        expect(cell.text, `${path.basename(file)}: a cell begins like a formula`).not.toMatch(FORMULA_START);
        expect(cell.text, path.basename(file)).not.toMatch(FULL_ID);
        if (cell.text.startsWith("'")) guarded.add(cell.text.slice(1));
      }
    }
    // The hostile names did reach the exports (guarded), so the checks above saw them.
    expect([...guarded]).toEqual(expect.arrayContaining([hostileNames[0], '=2+3支部']));
  });

  it('the renderer guards = + - @ TAB CR and full-width forms at the start of any text cell', async () => {
    const out = tempDir();
    const nasty = ['=1+1', '+1', '-1', '@A1', '\tTAB', '\rCR', '＝1+1', 'safe'];
    const table = { name: '测试', title: '测试', columns: [{ key: 'v', header: '值', kind: 'text' as const }], rows: nasty.map((v) => ({ v })) };
    const meta = { title: '测试', entries: [] };
    await writeTableFile(path.join(out, 't.xlsx'), [table], meta);
    await writeTableFile(path.join(out, 't.csv'), [table], meta);
    for (const file of ['t.xlsx', 't.csv']) {
      // XML reads a bare CR back as LF: compare with line ends normalised.
      const texts = (await cellsOf(path.join(out, file))).map((c) => c.text.replace(/\r/g, '\n'));
      for (const value of nasty.slice(0, -1)) expect(texts, file).toContain(`'${value}`.replace(/\r/g, '\n'));
      expect(texts).toContain('safe');
    }
  });
});
