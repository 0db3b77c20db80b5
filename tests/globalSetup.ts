// End-to-end tests run the built bin/dbd: build once before the suite. tsc emits JavaScript
// even when it reports type errors; those are CI's type-check step's business, not this one's.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export function setup(): void {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const result = spawnSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) process.stderr.write(`build reported problems (tests go on with what was emitted):\n${result.stdout}${result.stderr}`);
}

/** After the suite: drop the scratch databases a PostgreSQL run made (see helpers/backend.ts). */
export async function teardown(): Promise<void> {
  const { dropScratchDatabases } = await import('./helpers/backend.js');
  dropScratchDatabases();
}
