// Outside programs the clerk tests use (Debian packages): found on PATH, or a failure that says
// what to install. A test is skipped only when asked for explicitly with an environment variable.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../helpers/cli.js';

/** Where tests leave files for people to look at (git-ignored). */
export const TEST_OUTPUT = path.join(ROOT, 'test-output');

export function findProgram(names: string[]): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    for (const name of names) {
      const candidate = path.join(dir, name);
      try {
        fs.accessSync(candidate, fs.constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

/** The program's path, or an Error naming the Debian package and the variable that skips. */
export function requireProgram(names: string[], packages: string, skipVariable: string): string {
  const found = findProgram(names);
  if (found) return found;
  throw new Error(
    `${names[0]} is not installed: this test needs it. Install it with\n  apt-get update && apt-get install -y ${packages}\n` +
      `or set ${skipVariable}=1 to skip this test on purpose.`,
  );
}

export const skipBrowser = process.env.DBD_SKIP_BROWSER === '1';
export const skipLibreOffice = process.env.DBD_SKIP_LIBREOFFICE === '1';

/** Debian's Chromium, headless, with the flags that keep it from reaching the network. */
export const CHROMIUM_PACKAGES = 'chromium fonts-noto-cjk poppler-utils';

export function chromium(args: string[], options: { timeoutMs?: number } = {}): SpawnSyncReturns<string> {
  const binary = requireProgram(['chromium', 'chromium-browser'], CHROMIUM_PACKAGES, 'DBD_SKIP_BROWSER');
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'dbd-chromium-'));
  try {
    const result = spawnSync(
      binary,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-extensions',
        '--hide-scrollbars',
        '--force-device-scale-factor=1',
        `--user-data-dir=${profile}`,
        ...args,
      ],
      { encoding: 'utf8', timeout: options.timeoutMs ?? 90_000, maxBuffer: 64 * 1024 * 1024 },
    );
    if (result.error) throw result.error;
    return result;
  } finally {
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

/** A poppler-utils program (pdfinfo, pdftotext): its stdout, or an Error. */
export function poppler(program: 'pdfinfo' | 'pdftotext', args: string[], skipVariable: string): string {
  const binary = requireProgram([program], 'poppler-utils', skipVariable);
  const result = spawnSync(binary, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`${program} ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

/** Page count and each page's size in points, from pdfinfo. */
export function pdfPages(file: string, skipVariable: string): Array<{ width: number; height: number }> {
  const info = poppler('pdfinfo', ['-f', '1', '-l', '9999', file], skipVariable);
  return [...info.matchAll(/^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts/gm)].map((m) => ({ width: Number(m[1]), height: Number(m[2]) }));
}

/** A4 in points, either way round, within a point. */
export function isA4(page: { width: number; height: number }): boolean {
  const [short, long] = [Math.min(page.width, page.height), Math.max(page.width, page.height)];
  return Math.abs(short - 595.3) < 1.5 && Math.abs(long - 841.9) < 1.5;
}
