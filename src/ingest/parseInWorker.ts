// The importing thread's side of a parse worker (parseWorker.ts): large files are read,
// decoded and validated on a second thread while this one writes to the database. Small
// files stay in-process (a worker costs some tens of milliseconds to start).
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { DbdError, type ExitCodeValue } from '../errors.js';
import type { Lang } from '../i18n/index.js';
import type { RowOutcome, SheetPlan } from './classify.js';

export interface ParseJob {
  file: string;
  encoding?: string;
  sheet: string;
  plan: Omit<SheetPlan, 'columns'> & { columns: Array<[string, number]> };
  lang: Lang;
}

export type WorkerMessage =
  | { type: 'rows'; items: RowOutcome[]; rows: number }
  | { type: 'done' }
  | { type: 'error'; message: string; exitCode: ExitCodeValue | undefined; details: string[] };

/** Files from this size on are parsed in a worker. */
export const WORKER_MIN_BYTES = 4 * 1024 * 1024;

const WORKER_FILE = new URL('./parseWorker.js', import.meta.url);

/**
 * Whether to parse this file in a worker: large text files. DBD_PARSE_WORKER=always|never
 * overrides the rule. Never when running from TypeScript sources (tests), where no compiled
 * worker exists.
 */
export function useParseWorker(file: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const setting = env.DBD_PARSE_WORKER;
  if (setting === 'never') return false;
  if (WORKER_FILE.protocol !== 'file:' || !fs.existsSync(fileURLToPath(WORKER_FILE))) return false;
  if (setting === 'always') return true;
  try {
    // Workbooks stay here: the header search has read their shared strings already, and
    // measured on a 200,000-row xlsx a worker was no faster and used 50 MB more.
    return fs.statSync(file).size >= WORKER_MIN_BYTES && !isWorkbook(file);
  } catch {
    return false;
  }
}

/**
 * Heap limits of a worker. Its live data is a few batches of rows (and a workbook's shared
 * strings, which it holds whole); without limits V8 lets garbage grow the heap by a hundred
 * MB before collecting, which the import's memory budget (SPEC §10) cannot afford.
 * Measured on a million-row CSV: the same speed with a 64 MB old generation as with 256.
 */
function workerLimits(file: string): { maxYoungGenerationSizeMb: number; maxOldGenerationSizeMb: number } {
  return { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: isWorkbook(file) ? 512 : 64 };
}

function isWorkbook(file: string): boolean {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const head = Buffer.alloc(2);
      fs.readSync(fd, head, 0, 2, 0);
      return head[0] === 0x50 && head[1] === 0x4b; // "PK": a zip, as every .xlsx is
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return false;
  }
}

/** The classified rows of one sheet, in batches, from a worker; `rows` counts the sheet rows read. */
export async function* parseInWorker(job: ParseJob): AsyncGenerator<{ items: RowOutcome[]; rows: number }> {
  const worker = new Worker(WORKER_FILE, { workerData: job, resourceLimits: workerLimits(job.file) });
  const queue: WorkerMessage[] = [];
  let failure: Error | undefined;
  let exited = false;
  let wake: (() => void) | undefined;
  const notify = () => {
    const resume = wake;
    wake = undefined;
    resume?.();
  };
  worker.on('message', (message: WorkerMessage) => {
    queue.push(message);
    notify();
  });
  worker.on('error', (error) => {
    failure = error;
    notify();
  });
  worker.on('exit', () => {
    exited = true;
    notify();
  });
  try {
    for (;;) {
      while (queue.length === 0) {
        if (failure) throw failure;
        if (exited) throw new Error('the parse worker stopped unexpectedly');
        await new Promise<void>((resolve) => (wake = resolve));
      }
      const message = queue.shift()!;
      if (message.type === 'done') return;
      if (message.type === 'error') {
        throw message.exitCode === undefined ? new Error(message.message) : new DbdError(message.message, message.exitCode, message.details);
      }
      worker.postMessage('ack'); // the worker reads on while these rows are written
      yield message;
    }
  } finally {
    await worker.terminate();
  }
}
