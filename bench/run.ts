// npm run bench: how fast dbd is on a city of a million members, measured against the best
// tools on the same machine in the same run (SPEC §10, issue 6). Generates the data once
// (cached in bench/data/), runs each step as a child process (wall time, CPU time, peak
// memory), prints a table with each target met or missed, and writes bench/RESULTS.md.
//
//   npm run bench                                   # 1,000,000 members
//   node dist/bench/run.js --members 20000 --data /tmp/b --results /tmp/b/RESULTS.md --no-install
import { positiveInteger } from '../fixtures/args.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import pg from 'pg';
import { cachedCity, CITY_TODAY, generateCity, type CityManifest } from '../fixtures/generate.js';
import { median, measure, type Measured } from './measure.js';
import { renderResults, renderTerminal, type BenchReport, type StepRow, type TargetRow } from './report.js';
import { ensureTools } from './tools.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = path.join(ROOT, 'bin', 'dbd.js');
const EXCELJS_READ = path.join(ROOT, 'dist', 'bench', 'exceljsRead.js');

interface Options {
  members: number;
  seed: number;
  data: string;
  results: string;
  install: boolean;
  runs: number;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { members: 1_000_000, seed: 1, data: path.join(ROOT, 'bench', 'data'), results: path.join(ROOT, 'bench', 'RESULTS.md'), install: true, runs: 3 };
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i + 1];
    const number = () => positiveInteger(argv[i], argv[++i]);
    switch (argv[i]) {
      case '--members': options.members = number(); break;
      case '--seed': options.seed = number(); break;
      case '--runs': options.runs = number(); break;
      case '--data': options.data = path.resolve(value ?? ''); i++; break;
      case '--results': options.results = path.resolve(value ?? ''); i++; break;
      case '--no-install': options.install = false; break;
      default: throw new Error(`unknown option ${argv[i]} (--members N --seed N --runs N --data DIR --results FILE --no-install)`);
    }
  }
  return options;
}

const log = (line: string) => process.stderr.write(`${line}\n`);

/** The import document's added count over all sheets, after checking nothing went wrong. */
function importedRows(step: string, run: Measured, expected: number): number {
  if (run.status !== 0) throw new Error(`${step}: dbd exited ${run.status}\n${run.stderr.slice(0, 2000)}`);
  const doc = JSON.parse(run.stdout) as { files: Array<{ sheets: Array<{ added: number; errors: unknown[] }> }> };
  const sheets = doc.files.flatMap((file) => file.sheets);
  const added = sheets.reduce((sum, sheet) => sum + sheet.added, 0);
  const errors = sheets.reduce((sum, sheet) => sum + sheet.errors.length, 0);
  if (errors > 0 || added !== expected) throw new Error(`${step}: expected ${expected} rows added and no errors, got ${added} added and ${errors} errors`);
  return added;
}

/** A new empty database on a PostgreSQL server; its URL. */
async function makePgDatabase(server: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    await client.query(`drop database if exists ${name}`);
    await client.query(`create database ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(server);
  url.pathname = `/${name}`;
  return url.toString();
}

async function dropPgDatabase(server: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    await client.query(`drop database if exists ${name} with (force)`);
  } finally {
    await client.end();
  }
}

function copyDatabase(from: string, to: string): void {
  for (const suffix of ['', '-wal', '-shm']) {
    fs.rmSync(to + suffix, { force: true });
    if (fs.existsSync(from + suffix)) fs.copyFileSync(from + suffix, to + suffix);
  }
}

function removeDatabase(file: string): void {
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const started = new Date();
  const loadBefore = os.loadavg();
  log(`dbd benchmark: ${options.members.toLocaleString('en')} members`);
  const tools = ensureTools(options.install, log);

  // The data: generated once, reused while the generator and the options are unchanged.
  const cityDir = path.join(options.data, `city-${options.members}`);
  const cityOptions = { members: options.members, seed: options.seed };
  let city: CityManifest | undefined = cachedCity(cityDir, cityOptions);
  let generatedSeconds: number | undefined;
  if (city) log(`data: ${cityDir} (cached)`);
  else {
    log(`data: generating ${cityDir} …`);
    const t0 = Date.now();
    city = await generateCity(cityDir, cityOptions, (line) => log(`  ${line}`));
    generatedSeconds = (Date.now() - t0) / 1000;
  }
  const { files, counts } = city;

  const work = path.join(options.data, `work-${options.members}`);
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  const env = { ...process.env, DBD_TODAY: CITY_TODAY, LANG: 'C', LC_ALL: '', NO_COLOR: '1', DBD_DB: '' };
  const dbd = (args: string[]) => measure(process.execPath, [BIN, ...args], { env, cwd: work });
  const steps: StepRow[] = [];
  const record = (row: StepRow) => {
    steps.push(row);
    const m = row.run;
    log(`  ${row.label}: ${m ? `${(m.wallMs / 1000).toFixed(2)} s, ${m.peakRssKb ? Math.round(m.peakRssKb / 1024) : '?'} MB` : `skipped (${row.note})`}`);
  };

  // The organisation and community rosters every database starts from.
  const base = path.join(work, 'base.sqlite');
  log('setting up: communities and organisations');
  const setup = await dbd(['import', files.communities, files.orgs, '--db', base, '--json']);
  record({ id: 'dbd-setup', label: 'dbd import: communities + organisations', rows: importedRows('setup', setup, counts.communities + counts.orgs), run: setup, dbd: true });

  // 1. The million-member CSV: dbd against the sqlite3 shell's raw import.
  const rawUtf8 = path.join(work, 'raw-utf8.sqlite');
  if (tools.sqlite3) {
    const raw = await measure(tools.sqlite3, [rawUtf8, `.import --csv "${files.members}" members`], { env, cwd: work });
    if (raw.status !== 0) throw new Error(`sqlite3 .import failed: ${raw.stderr}`);
    record({ id: 'sqlite3-csv', label: 'sqlite3 shell .import --csv (UTF-8), raw', rows: counts.members, run: raw, dbd: false });
    removeDatabase(rawUtf8);
  } else record({ id: 'sqlite3-csv', label: 'sqlite3 shell .import --csv (UTF-8), raw', rows: counts.members, dbd: false, note: 'sqlite3 not installed' });

  const full = path.join(work, 'city.sqlite');
  copyDatabase(base, full);
  const csv = await dbd(['import', files.members, '--db', full, '--json']);
  record({ id: 'dbd-csv', label: 'dbd import members CSV (UTF-8)', rows: importedRows('dbd import CSV', csv, counts.members), run: csv, dbd: true });

  // The same roster into PostgreSQL (issue 7), when a server is named: DBD_BENCH_PG (or the
  // test suite's DBD_TEST_PG), a URL whose role may create databases.
  const server = process.env.DBD_BENCH_PG || process.env.DBD_TEST_PG;
  if (server) {
    const database = `dbd_bench_${process.pid}`;
    const target = await makePgDatabase(server, database);
    try {
      const pgSetup = await dbd(['import', files.communities, files.orgs, '--db', target, '--json']);
      if (pgSetup.status !== 0) throw new Error(`PostgreSQL setup failed: ${pgSetup.stderr.slice(0, 2000)}`);
      const pgCsv = await dbd(['import', files.members, '--db', target, '--json']);
      record({ id: 'dbd-csv-pg', label: 'dbd import members CSV (UTF-8) into PostgreSQL', rows: importedRows('dbd import CSV into PostgreSQL', pgCsv, counts.members), run: pgCsv, dbd: true });
    } finally {
      await dropPgDatabase(server, database);
    }
  } else record({ id: 'dbd-csv-pg', label: 'dbd import members CSV (UTF-8) into PostgreSQL', rows: counts.members, dbd: true, note: 'no server: set DBD_BENCH_PG' });

  // 2. The same roster in GBK.
  if (tools.sqlite3) {
    const rawGbk = path.join(work, 'raw-gbk.sqlite');
    const raw = await measure(tools.sqlite3, [rawGbk, `.import --csv "${files.membersGbk}" members`], { env, cwd: work });
    if (raw.status !== 0) throw new Error(`sqlite3 .import failed: ${raw.stderr}`);
    record({ id: 'sqlite3-gbk', label: 'sqlite3 shell .import --csv (GBK bytes), raw', rows: counts.members, run: raw, dbd: false });
    removeDatabase(rawGbk);
  } else record({ id: 'sqlite3-gbk', label: 'sqlite3 shell .import --csv (GBK bytes), raw', rows: counts.members, dbd: false, note: 'sqlite3 not installed' });
  const gbkDb = path.join(work, 'gbk.sqlite');
  copyDatabase(base, gbkDb);
  const gbk = await dbd(['import', files.membersGbk, '--db', gbkDb, '--json']);
  record({ id: 'dbd-gbk', label: 'dbd import members CSV (GBK)', rows: importedRows('dbd import GBK', gbk, counts.members), run: gbk, dbd: true });
  removeDatabase(gbkDb);

  // 3. The .xlsx roster: dbd's whole import against exceljs's streaming reader only reading it.
  // Both take a few seconds and exceljs's own time varied by a quarter from run to run (its
  // garbage collection): each is run a few times, taking turns, and the medians compared; the
  // peak memory reported is the highest of the runs.
  const exceljsRuns: Measured[] = [];
  const xlsxRuns: Measured[] = [];
  const xlsxDb = path.join(work, 'xlsx.sqlite');
  for (let i = 0; i < options.runs; i++) {
    const exceljs = await measure(process.execPath, [EXCELJS_READ, files.membersXlsx], { env, cwd: work });
    if (exceljs.status !== 0) throw new Error(`exceljs read failed: ${exceljs.stderr}`);
    exceljsRuns.push(exceljs);
    copyDatabase(base, xlsxDb);
    const xlsx = await dbd(['import', files.membersXlsx, '--db', xlsxDb, '--json']);
    importedRows('dbd import xlsx', xlsx, counts.xlsxRows);
    xlsxRuns.push(xlsx);
    removeDatabase(xlsxDb);
  }
  const highestPeak = (runs: Measured[]): Measured => ({ ...median(runs), peakRssKb: Math.max(...runs.map((r) => r.peakRssKb ?? 0)) || undefined });
  const runsNote = `median of ${options.runs}`;
  record({ id: 'exceljs-read', label: 'exceljs streaming reader, reading only', rows: counts.xlsxRows, run: highestPeak(exceljsRuns), dbd: false, note: runsNote });
  record({ id: 'dbd-xlsx', label: 'dbd import members .xlsx', rows: counts.xlsxRows, run: highestPeak(xlsxRuns), dbd: true, note: runsNote });

  // The full city: check-ins and volunteer activities on top of the UTF-8 roster.
  const events = await dbd(['import', files.checkins, files.activities, '--db', full, '--json']);
  record({ id: 'dbd-events', label: 'dbd import check-ins + activities', rows: importedRows('dbd import events', events, counts.checkins + counts.activities), run: events, dbd: true });

  // 4. Reports on the full database, each run a few times (median). Query time is the wall
  // time less that of the same command on an empty database (start-up: loading, opening).
  const empty = path.join(work, 'empty.sqlite');
  const reportRuns = async (args: string[], db: string): Promise<Measured> => {
    const runs: Measured[] = [];
    for (let i = 0; i < options.runs; i++) {
      const run = await dbd([...args, '--db', db]);
      if (run.status !== 0) throw new Error(`dbd ${args.join(' ')} exited ${run.status}: ${run.stderr.slice(0, 2000)}`);
      runs.push(run);
    }
    return median(runs);
  };
  const anyRows = (run: Measured, args: string[]) => {
    const doc = JSON.parse(run.stdout) as { rows?: unknown[] };
    if (!Array.isArray(doc.rows) || doc.rows.length === 0) throw new Error(`dbd ${args.join(' ')}: no rows in ${run.stdout.slice(0, 200)}`);
  };
  const seed = path.join(work, 'one-community.csv');
  fs.writeFileSync(seed, '街道,社区\n某街道,某社区\n');
  const created = await dbd(['import', seed, '--db', empty]);
  if (created.status !== 0) throw new Error(`could not create ${empty}: ${created.stderr}`);
  // The query time is taken with --json (the figures, computed and written out); the table on
  // the terminal, as a clerk sees it, is timed once more for information.
  const queries: Array<{ id: string; label: string; args: string[]; json: boolean }> = [
    { id: 'rate', label: 'dbd rate', args: ['rate'], json: true },
    { id: 'rate-town', label: 'dbd rate --by town', args: ['rate', '--by', 'town'], json: true },
    { id: 'weekly', label: 'dbd weekly-report --town', args: ['weekly-report', '--town'], json: true },
    { id: 'monthly', label: 'dbd export monthly', args: ['export', 'monthly', '--month', CITY_TODAY.slice(0, 7), '--dir', path.join(work, 'exports')], json: false },
  ];
  for (const query of queries) {
    const args = query.json ? [...query.args, '--json'] : query.args;
    const startup = await reportRuns(args, empty);
    const run = await reportRuns(args, full);
    if (query.json) anyRows(run, args);
    record({ id: query.id, label: `${query.label}${query.json ? ' --json' : ''}`, rows: counts.members, run, startupMs: startup.wallMs, dbd: true });
  }
  for (const query of queries.filter((q) => q.json)) {
    const run = await dbd([...query.args, '--db', full]);
    if (run.status !== 0) throw new Error(`dbd ${query.args.join(' ')} exited ${run.status}: ${run.stderr.slice(0, 2000)}`);
    record({ id: `${query.id}-table`, label: `${query.label} (table on the terminal)`, rows: counts.members, run, dbd: true, note: 'for information' });
  }

  const report: BenchReport = {
    date: started,
    members: options.members,
    machine: {
      cpus: os.availableParallelism(),
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      memoryGb: os.totalmem() / 1024 ** 3,
      node: process.version,
      sqliteShell: tools.sqlite3Version,
      sqliteLibrary: new Database(':memory:').prepare('select sqlite_version()').pluck().get() as string,
      os: `${os.type()} ${os.release()}`,
      loadBefore,
      loadAfter: os.loadavg(),
      peakMemory: tools.gnuTime ? 'GNU time %M' : '/proc VmHWM polled every 20 ms',
    },
    city,
    generatedSeconds,
    totalSeconds: (Date.now() - started.getTime()) / 1000,
    steps,
    targets: targets(steps, counts),
  };
  process.stdout.write(renderTerminal(report));
  writeResults(options.results, renderResults(report));
  log(`\nwritten: ${options.results}`);
  removeDatabase(empty);
}

function targets(steps: StepRow[], counts: CityManifest['counts']): TargetRow[] {
  const n = (value: number) => (value >= 1_000_000 && value % 1_000_000 === 0 ? `${value / 1_000_000}M` : value >= 1000 && value % 1000 === 0 ? `${value / 1000}k` : String(value));
  const get = (id: string) => steps.find((step) => step.id === id);
  const wall = (id: string) => get(id)?.run?.wallMs;
  const ratio = (a: number | undefined, b: number | undefined) => (a !== undefined && b !== undefined ? a / b : undefined);
  const rows: TargetRow[] = [];
  const csvRatio = ratio(wall('dbd-csv'), wall('sqlite3-csv'));
  rows.push({ label: `${n(counts.members)}-member CSV import ÷ sqlite3 shell raw import`, measured: csvRatio, unit: '×', limit: 2.0 });
  rows.push({ label: `${n(counts.members)}-member CSV import: PostgreSQL ÷ SQLite`, measured: ratio(wall('dbd-csv-pg'), wall('dbd-csv')), unit: '×' });
  const gbkRatio = ratio(wall('dbd-gbk'), wall('dbd-csv'));
  rows.push({ label: 'GBK import ÷ UTF-8 import', measured: gbkRatio, unit: '×', limit: 1.2 });
  rows.push({ label: 'GBK import ÷ sqlite3 shell raw import of the GBK file', measured: ratio(wall('dbd-gbk'), wall('sqlite3-gbk')), unit: '×' });
  rows.push({ label: `${n(counts.xlsxRows)}-row xlsx import ÷ exceljs streaming read`, measured: ratio(wall('dbd-xlsx'), wall('exceljs-read')), unit: '×', limit: 1.0 });
  for (const id of ['rate', 'rate-town', 'weekly']) {
    const step = get(id);
    const query = step?.run && step.startupMs !== undefined ? (step.run.wallMs - step.startupMs) / 1000 : undefined;
    rows.push({ label: `${step?.label.replace(' --json', '') ?? id}: query time`, measured: query, unit: 's', limit: 0.5 });
  }
  rows.push({ label: 'dbd export monthly: wall time', measured: (wall('monthly') ?? NaN) / 1000, unit: 's', limit: 30 });
  // Peak memory: the highest of the import steps, and of the report steps.
  for (const [what, imports] of [['import', true], ['report', false]] as const) {
    const measured = steps.filter((step) => step.dbd && step.run?.peakRssKb !== undefined && step.id.startsWith('dbd-') === imports);
    const worst = measured.reduce<StepRow | undefined>((a, b) => (!a || b.run!.peakRssKb! > a.run!.peakRssKb! ? b : a), undefined);
    rows.push({ label: `peak memory, every dbd ${what} step (highest: ${worst?.label ?? '—'})`, measured: worst ? worst.run!.peakRssKb! / 1024 : undefined, unit: 'MB', limit: 250 });
  }
  return rows;
}

const BEGIN = '<!-- bench:begin (written by npm run bench; text outside these markers is kept) -->';
const END = '<!-- bench:end -->';

/** Replace the generated part of RESULTS.md, keeping the notes written around it. */
function writeResults(file: string, generated: string): void {
  const block = `${BEGIN}\n${generated.trim()}\n${END}`;
  let text = `# Benchmark results\n\n${block}\n`;
  if (fs.existsSync(file)) {
    const old = fs.readFileSync(file, 'utf8');
    const from = old.indexOf(BEGIN);
    const to = old.indexOf(END);
    text = from >= 0 && to > from ? old.slice(0, from) + block + old.slice(to + END.length) : `${old.trimEnd()}\n\n${block}\n`;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${(error as Error).message ?? error}\n`);
  process.exitCode = 1;
});
