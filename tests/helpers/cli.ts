// Running the real bin/dbd on temporary files, for end-to-end tests.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { dbTarget, onPostgres } from './backend.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = path.join(ROOT, 'bin', 'dbd.js');
/** The shared sample files (SPEC acceptance data), beside the project. */
export const SAMPLES = path.resolve(ROOT, '..', 'shared', 'samples');
/** The same six files, bundled for the demo. */
export const DEMO_FIXTURES = path.join(ROOT, 'fixtures', 'demo');
export const SAMPLE_ORDER = ['社区名单.csv', '单位党组织名册.xlsx', '在职党员花名册.xlsx', '报到登记.csv', '志愿服务记录.xlsx', '结对共建.xlsx'];

export interface RunResult { status: number; stdout: string; stderr: string }

/** --db values (and DBD_DB) as the backend under test needs them: see helpers/backend.ts. */
export function onBackend(args: string[], env: Record<string, string> | undefined, cwd: string) {
  if (!onPostgres) return { args, env };
  const target = (value: string) => (/^postgres(ql)?:\/\//i.test(value) ? value : dbTarget(path.resolve(cwd, value)));
  const mapped = args.map((arg, i) => (args[i - 1] === '--db' ? target(arg) : arg.startsWith('--db=') ? `--db=${target(arg.slice(5))}` : arg));
  const dbEnv = env?.DBD_DB ? { DBD_DB: target(env.DBD_DB) } : {};
  return { args: mapped, env: { ...env, ...dbEnv } };
}

export function runDbd(args: string[], options: { env?: Record<string, string>; cwd?: string; input?: string; asGiven?: boolean } = {}): RunResult {
  const cwd = options.cwd ?? ROOT;
  // asGiven: the test names its backends itself (files and URLs), whatever the suite runs on.
  const backend = options.asGiven ? { args, env: options.env } : onBackend(args, options.env, cwd);
  const result = spawnSync(process.execPath, [BIN, ...backend.args], {
    cwd,
    env: { ...process.env, LANG: '', LC_ALL: '', LC_MESSAGES: '', NO_COLOR: '1', DBD_TODAY: '', ...backend.env },
    input: options.input,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

export function runJson<T = any>(args: string[], options: Parameters<typeof runDbd>[1] = {}): T {
  const result = runDbd([...args, '--json'], options);
  if (result.status !== 0) throw new Error(`dbd ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

export function tempDir(prefix = 'dbd-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A database with the six sample files imported in the README's order (one command each). */
export function sampleDatabase(dir = tempDir(), today = '2026-11-21', options: { asGiven?: boolean } = {}): string {
  const db = path.join(dir, 'samples.sqlite');
  for (const file of SAMPLE_ORDER) {
    const result = runDbd(['import', path.join(DEMO_FIXTURES, file), '--db', db], { env: { DBD_TODAY: today }, asGiven: options.asGiven });
    if (result.status !== 0) throw new Error(`import ${file} failed: ${result.stderr}`);
  }
  return db;
}
