// Keeping a long import's memory bounded. V8 lets the garbage of millions of short-lived rows
// pile up in the old generation (100 MB and more) before it collects; an import asks for a
// full collection every so many rows instead (some milliseconds each), so that memory stays
// within the budget of SPEC §10 whatever the file size. Without the collector exposed
// (an embedding that forbids it), this does nothing.
import v8 from 'node:v8';
import vm from 'node:vm';

let collector: (() => void) | null | undefined;

export function collectGarbage(): void {
  if (collector === undefined) {
    try {
      v8.setFlagsFromString('--expose-gc');
      collector = vm.runInNewContext('gc') as () => void;
    } catch {
      collector = null;
    }
  }
  collector?.();
}

/** Rows between two collections. */
export const ROWS_PER_COLLECTION = 20_000;
