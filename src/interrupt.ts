// What an interrupted command (Ctrl-C, kill, a closed terminal) cleans up before it exits: the
// hidden temporary files it was writing (exports, backups, restores hold personal data, and
// nothing else would ever remove them) and its note as the database's writer. The database
// itself needs nothing: SQLite rolls an unfinished transaction back when the file is next opened.
import fs from 'node:fs';

/** Exit codes of a process ended by these signals, as a shell reports them (128 + number). */
const SIGNALS = [
  ['SIGINT', 130],
  ['SIGTERM', 143],
  ['SIGHUP', 129],
] as const;

const cleanups = new Set<() => void>();
let installed = false;

function install(): void {
  if (installed) return;
  installed = true;
  for (const [signal, code] of SIGNALS) {
    process.once(signal, () => {
      for (const cleanup of cleanups) {
        try {
          cleanup();
        } catch {
          // best effort: the next one still runs
        }
      }
      process.exit(code);
    });
  }
}

/** Run `cleanup` (synchronous) should the command be interrupted; returns what cancels it. */
export function onInterrupt(cleanup: () => void): () => void {
  install();
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

/** Remove this file should the command be interrupted (a temporary file: once renamed into
 * place, nothing is left under its name to remove). */
export function removeOnInterrupt(file: string): void {
  onInterrupt(() => fs.rmSync(file, { force: true }));
}
