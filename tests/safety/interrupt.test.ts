// An interrupted command removes the temporary files it was writing (they may hold personal
// data, and nothing else would remove them) and exits as a shell reports the signal.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../helpers/cli.js';

const INTERRUPT = pathToFileURL(path.join(ROOT, 'dist', 'src', 'interrupt.js')).href;

describe('an interrupted command', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ])('%s: its temporary files are removed, the files it did not register stay, exit %i', (signal, code) => {
    const dir = tempDir();
    const temp = path.join(dir, '.报到率.xlsx.123.abcd.tmp');
    const kept = path.join(dir, '报到率.xlsx');
    const script = `
      import fs from 'node:fs';
      const { removeOnInterrupt, onInterrupt } = await import(${JSON.stringify(INTERRUPT)});
      fs.writeFileSync(${JSON.stringify(temp)}, 'partial');
      fs.writeFileSync(${JSON.stringify(kept)}, 'whole');
      removeOnInterrupt(${JSON.stringify(temp)});
      const cancel = onInterrupt(() => fs.rmSync(${JSON.stringify(kept)}));
      cancel(); // a clean-up cancelled (its file was put in place) does not run
      process.kill(process.pid, ${JSON.stringify(signal)});
      setTimeout(() => process.exit(0), 5000);
    `;
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(code);
    expect(fs.readdirSync(dir)).toEqual(['报到率.xlsx']);
  });
});
