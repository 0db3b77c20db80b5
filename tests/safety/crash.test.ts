// Crash safety: a large import killed with SIGKILL at many moments leaves a sound database that
// holds all of the file or none of it (never a part), and the next command works on it.
//
// The moments are placed by watching the import: dbd keeps a writer note beside the database
// while its write transaction is open (db/writerNote.ts), so the test knows when writing begins
// and ends and spreads its kills before, across and after it, whatever the machine's speed.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { syntheticId, syntheticName } from '../../fixtures/hostile/generate.js';
import { writerNotePath } from '../../src/db/writerNote.js';
import { onPostgres } from '../helpers/backend.js';
import { tempDir } from '../helpers/cli.js';
import { copyOfSamples, prepareSamples, runDbdAsync, startDbd } from './helpers.js';

beforeAll(async () => {
  if (!onPostgres) await prepareSamples();
}, 120_000);

const MEMBERS = 10_000;
/** Kills run two at a time (each is timed by its own run's events, so they do not skew each other). */
const PARALLEL = 2;
const BEFORE_WRITING = 4;
const WHILE_WRITING = 16;
const AFTER_WRITING = 4;

interface State { integrity: string; members: number; audit: number; orgs: number }

function inspect(db: string): State {
  // Read-write, as the next dbd command would open it (a killed writer leaves a WAL to recover).
  const native = new Database(db);
  try {
    const one = (sql: string) => Number((native.prepare(sql).get() as { n: number }).n);
    return {
      integrity: (native.pragma('integrity_check') as Array<{ integrity_check: string }>).map((r) => r.integrity_check).join(';'),
      members: one('select count(*) as n from members'),
      audit: one('select count(*) as n from audit'),
      orgs: one('select count(*) as n from orgs'),
    };
  } finally {
    native.close();
  }
}

/** When to kill: ms after the start, after the write transaction opened, or after it ended. */
type Moment = { from: 'start' | 'writing' | 'written'; ms: number };

interface Watched { killedAt: Moment | null; phases: { writing?: number; written?: number; exit: number }; signal: string | null; status: number | null; stderr: string; notePid?: number }

/** Run the import, watching the writer note; kill it at `moment` (null: let it finish). */
async function watchImport(db: string, roster: string, moment: Moment | null): Promise<Watched> {
  const note = writerNotePath(db);
  const started = Date.now();
  const phases: Watched['phases'] = { exit: 0 };
  const { child, done } = startDbd(['import', roster, '--db', db]);
  let killed = false;
  const poll = setInterval(() => {
    const now = Date.now() - started;
    const noted = fs.existsSync(note);
    if (noted && phases.writing === undefined) phases.writing = now;
    if (!noted && phases.writing !== undefined && phases.written === undefined) phases.written = now;
    if (!moment || killed) return;
    const origin = moment.from === 'start' ? 0 : moment.from === 'writing' ? phases.writing : phases.written;
    if (origin !== undefined && now >= origin + moment.ms) {
      killed = true;
      child.kill('SIGKILL');
    }
  }, 2);
  const result = await done;
  clearInterval(poll);
  phases.exit = Date.now() - started;
  const left = fs.existsSync(note) ? (JSON.parse(fs.readFileSync(note, 'utf8')) as { pid: number }) : undefined;
  return { killedAt: killed ? moment : null, phases, signal: result.signal, status: result.status, stderr: result.stderr, notePid: left && left.pid === child.pid ? left.pid : undefined };
}

let roster: string;
let base: string;
let before: State;
let reference: Watched['phases'];

beforeAll(async () => {
  const dir = tempDir('dbd-crash-');
  roster = path.join(dir, 'roster.csv');
  const lines = ['身份证号,姓名,所在党组织,工作单位,联系电话'];
  for (let i = 0; i < MEMBERS; i++) lines.push([syntheticId(100_000 + i), syntheticName(i), `测试第${i % 40}支部`, `测试单位${i % 8}`, `139${String(i).padStart(8, '0')}`].join(','));
  fs.writeFileSync(roster, `${lines.join('\r\n')}\r\n`);
  base = copyOfSamples(dir);
  before = inspect(base);

  // The reference run: when writing begins and ends here, and what "all of it" is.
  const db = path.join(dir, 'reference.sqlite');
  fs.copyFileSync(base, db);
  const run = await watchImport(db, roster, null);
  expect(run.status, run.stderr).toBe(0);
  expect(run.phases.writing).toBeDefined();
  expect(run.phases.written).toBeDefined();
  reference = run.phases;
  const after = inspect(db);
  expect(after).toEqual({ integrity: 'ok', members: before.members + MEMBERS, audit: before.audit + 1, orgs: before.orgs + 40 });
}, 120_000);

// SQLite's own recovery of a file (WAL, integrity_check); on a server a killed client's
// transaction is rolled back by the server.
describe.skipIf(onPostgres)('an import killed with SIGKILL', () => {
  it(`at ${BEFORE_WRITING + WHILE_WRITING + AFTER_WRITING} moments before, while and after it writes: all or nothing, never corrupt`, async () => {
    const writing = reference.written! - reference.writing!;
    const tail = Math.max(20, reference.exit - reference.written!);
    const moments: Moment[] = [
      ...Array.from({ length: BEFORE_WRITING }, (_, i) => ({ from: 'start' as const, ms: Math.round((reference.writing! * (i + 1)) / (BEFORE_WRITING + 1)) })),
      // Over three quarters of the reference window: a run may write faster than the reference did.
      ...Array.from({ length: WHILE_WRITING }, (_, i) => ({ from: 'writing' as const, ms: Math.round((writing * 0.75 * i) / WHILE_WRITING) })),
      // After it: the note goes just before COMMIT (db/writerNote.ts: it is removed while the lock
      // is held), so the first of these is aimed a step past that moment, not at it.
      ...Array.from({ length: AFTER_WRITING }, (_, i) => ({ from: 'written' as const, ms: Math.round((tail * (i + 1)) / (AFTER_WRITING + 1)) })),
    ];

    const seen: Array<{ moment: Moment; outcome: 'none' | 'all'; inTransaction: boolean }> = [];
    const attempt = async (moment: Moment, index: number) => {
      const dir = tempDir('dbd-crash-run-');
      const db = path.join(dir, 'dbd.sqlite');
      fs.copyFileSync(base, db);
      const run = await watchImport(db, roster, moment);
      if (run.killedAt === null) expect(run.status, run.stderr).toBe(0);
      const inTransaction = run.notePid !== undefined;
      const state = inspect(db);
      expect(state.integrity, JSON.stringify(moment)).toBe('ok');
      const outcome = state.members === before.members ? 'none' : 'all';
      if (outcome === 'none') expect(state).toEqual(before);
      else expect(state).toEqual({ integrity: 'ok', members: before.members + MEMBERS, audit: before.audit + 1, orgs: before.orgs + 40 });
      // Killed with its transaction open: nothing of it may remain.
      if (inTransaction) expect(outcome).toBe('none');
      seen.push({ moment, outcome, inTransaction });

      // The next command recovers the database and is not stopped by the dead writer's note.
      if (inTransaction && index % 3 === 0) {
        const again = await runDbdAsync(['import', roster, '--db', db, '--json'], { DBD_BUSY_TIMEOUT_MS: '2000' });
        expect(again.status, again.stderr).toBe(0);
        expect(inspect(db).members).toBe(before.members + MEMBERS);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    };
    for (let i = 0; i < moments.length; i += PARALLEL) {
      await Promise.all(moments.slice(i, i + PARALLEL).map((moment, j) => attempt(moment, i + j)));
    }

    const report = JSON.stringify(seen);
    // The kills did land where they were aimed: most of those aimed at the open transaction
    // found it open, and kills after it found the import complete.
    expect(seen.filter((s) => s.moment.from === 'writing' && s.inTransaction).length, report).toBeGreaterThanOrEqual(WHILE_WRITING / 2);
    expect(seen.filter((s) => s.moment.from === 'start' && s.outcome === 'none').length, report).toBeGreaterThanOrEqual(BEFORE_WRITING - 1);
    expect(seen.filter((s) => s.moment.from === 'written' && s.outcome === 'all').length, report).toBeGreaterThanOrEqual(AFTER_WRITING - 1);
  }, 240_000);
});
