// Every example command in README.md runs as written against the sample data: in a folder
// holding the six sample files and a database built from them, in the README's order.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyDatabase, onPostgres } from '../helpers/backend.js';
import { DEMO_FIXTURES, ROOT, runDbd, sampleDatabase, SAMPLE_ORDER, tempDir } from '../helpers/cli.js';

interface Example { line: number; args: string[]; env: Record<string, string> }

/** Split a shell line the way the README writes them: words, no quoting needed. */
function examples(): Example[] {
  const text = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8').split('\n');
  const found: Example[] = [];
  text.forEach((raw, index) => {
    const match = /^ {4}(?:\$ )?((?:[A-Z_]+=\S+ )*)dbd (.*)$/.exec(raw);
    if (!match) return;
    const command = match[2].replace(/\s+#.*$/, '').trim();
    const env = Object.fromEntries(
      match[1]
        .trim()
        .split(/\s+/)
        .filter(Boolean)
        .map((pair) => pair.split('=') as [string, string]),
    );
    found.push({ line: index + 1, args: command.split(/\s+/), env });
  });
  return found;
}

describe('README examples', () => {
  const list = examples();

  it('there are examples to run', () => {
    expect(list.length).toBeGreaterThan(30);
  });

  it('each runs and exits 0 against the sample data', () => {
    const dir = tempDir('dbd-readme-');
    for (const file of SAMPLE_ORDER) fs.copyFileSync(path.join(DEMO_FIXTURES, file), path.join(dir, file));
    copyDatabase(sampleDatabase(tempDir()), path.join(dir, 'dbd.sqlite'));
    const failures: string[] = [];
    // On PostgreSQL the examples' default database (dbd.sqlite) stands for a database on the
    // server; backup and restore are of SQLite files only.
    const backendEnv: Record<string, string> = onPostgres ? { DBD_DB: path.join(dir, 'dbd.sqlite') } : {};
    for (const example of list) {
      if (onPostgres && ['backup', 'restore'].includes(example.args[0])) continue;
      const result = runDbd(example.args, { cwd: dir, env: { DBD_TODAY: '2026-11-21', ...backendEnv, ...example.env } });
      if (result.status !== 0) failures.push(`README.md:${example.line} dbd ${example.args.join(' ')} → exit ${result.status}: ${result.stderr.slice(0, 300)}`);
    }
    expect(failures).toEqual([]);
  }, 300_000);
});
