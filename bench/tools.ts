// The outside tools the benchmark compares with or measures through: the sqlite3 command-line
// shell (the reference for CSV import speed) and GNU time (peak memory). Installed from
// Debian's packages when absent and the benchmark runs as root; otherwise the benchmark says
// what is missing and carries on without that comparison.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';

function onPath(command: string): string | undefined {
  const found = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  const where = found.stdout.trim();
  return found.status === 0 && where ? where : undefined;
}

let aptUpdated = false;

function aptInstall(pkg: string, log: (line: string) => void): boolean {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0 || !onPath('apt-get')) {
    log(`  ${pkg} is not installed and cannot be installed here (needs root and apt-get): apt-get install -y ${pkg}`);
    return false;
  }
  try {
    log(`  installing ${pkg} from Debian's packages (apt-get install -y ${pkg})…`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    if (!aptUpdated) {
      execFileSync('apt-get', ['update'], { stdio: 'ignore', env });
      aptUpdated = true;
    }
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', pkg], { stdio: 'ignore', env });
    return true;
  } catch (error) {
    log(`  could not install ${pkg}: ${(error as Error).message.split('\n')[0]}`);
    return false;
  }
}

export interface Tools {
  sqlite3: string | undefined;
  sqlite3Version: string | undefined;
  gnuTime: boolean;
}

export function ensureTools(install: boolean, log: (line: string) => void): Tools {
  let sqlite3 = onPath('sqlite3');
  if (!sqlite3 && install && aptInstall('sqlite3', log)) sqlite3 = onPath('sqlite3');
  if (!fs.existsSync('/usr/bin/time') && install) aptInstall('time', log);
  const sqlite3Version = sqlite3 ? spawnSync(sqlite3, ['--version'], { encoding: 'utf8' }).stdout.trim().split(' ')[0] : undefined;
  return { sqlite3, sqlite3Version, gnuTime: fs.existsSync('/usr/bin/time') };
}
