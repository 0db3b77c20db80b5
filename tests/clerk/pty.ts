// Running the real bin/dbd on a pseudo-terminal, with util-linux `script` (Debian's bsdutils,
// an essential package, so it is on every Debian machine and in CI).
import { spawnSync } from 'node:child_process';
import { BIN, ROOT, onBackend } from '../helpers/cli.js';

/** Single-quoted for sh. */
export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Run dbd with stdout and stderr on a terminal; returns what the terminal received (both
 * streams, as the user sees them) and the exit code. */
export function runOnTerminal(args: string[], env: Record<string, string> = {}, cwd = ROOT): { status: number; screen: string } {
  const backend = onBackend(args, env, cwd);
  const command = [process.execPath, BIN, ...backend.args].map(shellQuote).join(' ');
  const result = spawnSync('script', ['-qec', command, '/dev/null'], {
    cwd,
    env: { ...process.env, LANG: '', LC_ALL: '', LC_MESSAGES: '', NO_COLOR: '', TERM: 'xterm-256color', DBD_TODAY: '', ...backend.env },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw new Error(`could not run script(1) from util-linux (Debian package bsdutils): ${result.error.message}`);
  return { status: result.status ?? -1, screen: result.stdout };
}
