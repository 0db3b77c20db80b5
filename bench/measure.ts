// Running one benchmark step as a child process and measuring it: wall time (here), CPU time
// and peak resident memory of the child. Peak memory comes from GNU time (/usr/bin/time -v
// style %M) when it is installed, else from polling the child's VmHWM in /proc.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface Measured {
  status: number;
  stdout: string;
  stderr: string;
  wallMs: number;
  /** User + system CPU time of the child, when known. */
  cpuMs: number | undefined;
  peakRssKb: number | undefined;
}

export const GNU_TIME = '/usr/bin/time';

export function hasGnuTime(): boolean {
  return fs.existsSync(GNU_TIME);
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export async function measure(command: string, args: string[], options: RunOptions = {}): Promise<Measured> {
  const useTime = hasGnuTime();
  const timeFile = path.join(os.tmpdir(), `dbd-bench-time-${process.pid}-${Date.now()}`);
  const [file, argv] = useTime ? [GNU_TIME, ['-f', '%M %U %S', '-o', timeFile, command, ...args]] : [command, args];
  const started = process.hrtime.bigint();
  const child = spawn(file, argv, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  let polledKb: number | undefined;
  const poll = useTime
    ? undefined
    : setInterval(() => {
        const kb = vmHwmKb(child.pid);
        if (kb !== undefined) polledKb = Math.max(polledKb ?? 0, kb);
      }, 20);
  const status = await new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (poll) clearInterval(poll);
  let peakRssKb = polledKb;
  let cpuMs: number | undefined;
  if (useTime && fs.existsSync(timeFile)) {
    // The last line is ours (GNU time writes "Command exited with non-zero status" before it).
    const line = fs.readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '';
    fs.rmSync(timeFile, { force: true });
    const [kb, user, sys] = line.split(/\s+/).map(Number);
    if (Number.isFinite(kb)) peakRssKb = kb;
    if (Number.isFinite(user) && Number.isFinite(sys)) cpuMs = (user + sys) * 1000;
  }
  return { status, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8'), wallMs, cpuMs, peakRssKb };
}

function vmHwmKb(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const match = /VmHWM:\s+(\d+)\s+kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** The median of the runs by wall time (queries are run a few times on a warm cache). */
export function median(runs: Measured[]): Measured {
  const sorted = [...runs].sort((a, b) => a.wallMs - b.wallMs);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}
