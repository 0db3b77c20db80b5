// The benchmark at a small scale, so that it keeps working (no timing assertions), and the
// generator and the parse worker it depends on.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { idCheckDigit } from '../../src/domain/idNumber.js';
import { buildCity, FILE_NAMES, generateCity, Members } from '../../fixtures/generate.js';
import { contentDigest } from '../helpers/db.js';
import { ROOT, runDbd, tempDir } from '../helpers/cli.js';

const RUN = path.join(ROOT, 'dist', 'bench', 'run.js');

function digestOf(dir: string): Record<string, string> {
  return Object.fromEntries(Object.values(FILE_NAMES).map((name) => [name, crypto.createHash('sha256').update(fs.readFileSync(path.join(dir, name))).digest('hex')]));
}

describe('fixtures/generate', () => {
  it('is deterministic: the same seed gives the same files, another seed other files', async () => {
    const [a, b, c] = [tempDir(), tempDir(), tempDir()];
    await generateCity(a, { members: 1500 });
    await generateCity(b, { members: 1500 });
    await generateCity(c, { members: 1500, seed: 2 });
    // The xlsx holds its creation time: compare the CSV files byte for byte.
    const csv = (d: Record<string, string>) => Object.fromEntries(Object.entries(d).filter(([name]) => name.endsWith('.csv')));
    expect(csv(digestOf(b))).toEqual(csv(digestOf(a)));
    expect(csv(digestOf(c))[FILE_NAMES.members]).not.toBe(csv(digestOf(a))[FILE_NAMES.members]);
  });

  it('gives members unique ID numbers with valid GB 11643 check digits, and the city its shape', () => {
    const city = buildCity({ members: 50_000 });
    expect(city.towns).toHaveLength(50);
    expect(city.communities).toHaveLength(500);
    expect(new Set(city.communities.map((c) => c.name)).size).toBe(500);
    expect(city.units).toHaveLength(100);
    expect(city.orgs).toHaveLength(500);
    expect(new Set(city.orgs.map((o) => o.shortName)).size).toBe(500);
    expect(city.orgs.reduce((sum, o) => sum + o.memberCount, 0)).toBe(50_000);
    const members = new Members(city);
    const ids = new Set<string>();
    for (let i = 0; i < 50_000; i++) {
      const id = members.at(i).idNumber;
      expect(id).toMatch(/^\d{17}[\dX]$/);
      expect(idCheckDigit(id.slice(0, 17))).toBe(id[17]);
      ids.add(id);
    }
    expect(ids.size).toBe(50_000);
  });
});

describe('parse worker', () => {
  it('imports a file exactly as the importing thread does', async () => {
    const dir = tempDir();
    await generateCity(dir, { members: 3000, xlsxRows: 1500 });
    const files = [FILE_NAMES.communities, FILE_NAMES.orgs, FILE_NAMES.members, FILE_NAMES.membersXlsx, FILE_NAMES.checkins, FILE_NAMES.activities];
    const digests = (['never', 'always'] as const).map((setting) => {
      const db = path.join(tempDir(), 'dbd.sqlite');
      // The roster twice (CSV, then the same members from the xlsx): the second is all unchanged.
      for (const group of [files.slice(0, 3), files.slice(3)]) {
        const result = runDbd(['import', ...group.map((f) => path.join(dir, f)), '--db', db], { env: { DBD_TODAY: '2026-11-21', DBD_PARSE_WORKER: setting } });
        expect(result.status, result.stderr).toBe(0);
      }
      return contentDigest(db, { ignore: ['timestamp'] }); // kysely_migration's timestamp differs by run
    });
    expect(digests[1]).toBe(digests[0]);
  });

  it('reports a bad row the same way from a worker', () => {
    const dir = tempDir();
    const file = path.join(dir, 'bad.csv');
    fs.writeFileSync(file, '街道,社区\n白沙街道,桃源社区\n,杏花社区\n');
    const outputs = (['never', 'always'] as const).map((setting) => {
      const result = runDbd(['import', file, '--db', path.join(tempDir(), 'dbd.sqlite'), '--json'], { env: { DBD_PARSE_WORKER: setting } });
      expect(result.status).toBe(3);
      return JSON.parse(result.stdout) as unknown;
    });
    expect(outputs[1]).toEqual(outputs[0]);
  });
});

describe('npm run bench, at 20,000 members', () => {
  it('runs every step and writes the results with a verdict for every target', () => {
    const data = tempDir('dbd-bench-');
    const results = path.join(data, 'RESULTS.md');
    fs.writeFileSync(results, '# Notes kept across runs\n\nhand-written\n');
    const run = spawnSync(process.execPath, [RUN, '--members', '20000', '--data', data, '--results', results, '--no-install', '--runs', '1'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, DBD_PARSE_WORKER: 'always' },
      timeout: 240_000,
    });
    expect(run.status, run.stderr).toBe(0);
    const text = fs.readFileSync(results, 'utf8');
    expect(text).toContain('hand-written');
    expect(text).toMatch(/20,000 members in 200 organisations of 40 units, 500 communities in 50 towns/);
    for (const step of ['dbd import members CSV (UTF-8)', 'dbd import members CSV (GBK)', 'dbd import members .xlsx', 'exceljs streaming reader', 'dbd import check-ins + activities', 'dbd rate --json', 'dbd rate --by town --json', 'dbd weekly-report --town --json', 'dbd export monthly', 'dbd weekly-report --town (table on the terminal)']) {
      expect(text).toContain(`| ${step}`);
    }
    const targets = text.slice(text.indexOf('### Targets'));
    const verdicts = targets.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| target')).map((line) => line.split('|').at(-2)!.trim());
    expect(verdicts).toHaveLength(11);
    // The PostgreSQL import is measured when the suite runs with a server, else said to be skipped.
    expect(text).toContain('| dbd import members CSV (UTF-8) into PostgreSQL');
    expect(targets).toMatch(process.env.DBD_TEST_PG ? /PostgreSQL ÷ SQLite \| \d+\.\d\d×/ : /PostgreSQL ÷ SQLite \| — /);
    for (const verdict of verdicts) expect(['meets', 'misses', '(for information)', 'not measured']).toContain(verdict);
    expect(run.stdout).toMatch(/verdict/);
  }, 300_000);
});
