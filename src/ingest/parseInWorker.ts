// The importing thread's side of a parse worker (parseWorker.ts): a large file is read, decoded
// and validated on a second thread while this one writes to the database. The worker reads the
// file once: the top of each sheet for the header search here, then, when the sheet's turn
// comes, the sheet classified from its start (the rows it sent for the header search kept, not
// read again). So a workbook's shared strings and merged ranges are read once, in the worker,
// and never held by this thread. Small files stay in-process (a worker costs some tens of
// milliseconds to start).
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { DbdError, type ExitCodeValue } from '../errors.js';
import type { Lang } from '../i18n/index.js';
import type { SheetRow } from './cells.js';
import type { RowOutcome, SheetPlan } from './classify.js';

export interface ParseWorkerJob {
  file: string;
  /** An .xlsx workbook (its worker holds the shared strings), else a text file. */
  workbook: boolean;
  /** A text file's descriptor, opened by the importing thread (see OpenedFile.fd). */
  fd?: number;
  encoding?: string;
  lang: Lang;
}

/** A sheet plan as it crosses to the worker (its column map as pairs). */
export type PortablePlan = Omit<SheetPlan, 'columns'> & { columns: Array<[string, number]> };

/** What this thread asks of the worker, one at a time ('ack' frees a slot of classified rows).
 * A sheet is named by its position among the file's sheets (as openSource lists them), which
 * holds even where a damaged workbook names two sheets alike. */
export type WorkerCommand =
  | { type: 'next'; sheet: number }
  | { type: 'close'; sheet: number }
  | { type: 'classify'; sheet: number; plan: PortablePlan }
  | { type: 'ack' };

export type WorkerMessage =
  | { type: 'head'; rows: SheetRow[] }
  | { type: 'end' }
  | { type: 'rows'; items: RowOutcome[]; rows: number }
  | { type: 'done' }
  | { type: 'error'; message: string; exitCode: ExitCodeValue | undefined; details: string[] };

/** Files from this size on are parsed in a worker. */
export const WORKER_MIN_BYTES = 4 * 1024 * 1024;

const WORKER_FILE = new URL('./parseWorker.js', import.meta.url);

/**
 * Whether to parse this file in a worker: large files, text or workbook. DBD_PARSE_WORKER=
 * always|never overrides the rule. Never when running from TypeScript sources (tests), where no
 * compiled worker exists.
 */
export function useParseWorker(file: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const setting = env.DBD_PARSE_WORKER;
  if (setting === 'never') return false;
  if (WORKER_FILE.protocol !== 'file:' || !fs.existsSync(fileURLToPath(WORKER_FILE))) return false;
  if (setting === 'always') return true;
  try {
    return fs.statSync(file).size >= WORKER_MIN_BYTES;
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
function workerLimits(job: ParseWorkerJob): { maxYoungGenerationSizeMb: number; maxOldGenerationSizeMb: number } {
  return { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: job.workbook ? 512 : 64 };
}

/** One file's worker. Requests are made one at a time: a sheet's top, then its classified rows. */
export class ParseWorker {
  private readonly worker: Worker;
  private readonly inbox: WorkerMessage[] = [];
  private failure: Error | undefined;
  private exited = false;
  private wake: (() => void) | undefined;

  constructor(job: ParseWorkerJob) {
    this.worker = new Worker(WORKER_FILE, { workerData: job, resourceLimits: workerLimits(job) });
    this.worker.on('message', (message: WorkerMessage) => {
      this.inbox.push(message);
      this.notify();
    });
    this.worker.on('error', (error) => {
      this.failure = error;
      this.notify();
    });
    this.worker.on('exit', () => {
      this.exited = true;
      this.notify();
    });
  }

  /**
   * The sheet's rows from its start, as the worker reads them, for the header search. The
   * worker keeps what it sends, for classify(); return() before the end lets the sheet go.
   */
  rows(sheet: number): AsyncIterator<SheetRow> {
    const pending: SheetRow[] = [];
    let ended = false;
    return {
      next: async (): Promise<IteratorResult<SheetRow>> => {
        while (pending.length === 0 && !ended) {
          this.send({ type: 'next', sheet });
          const message = await this.receive();
          if (message.type === 'end') ended = true;
          else if (message.type === 'head') for (const row of message.rows) pending.push(row);
          else throw new Error(`the parse worker answered ${message.type} to a request for rows`);
        }
        return pending.length > 0 ? { done: false, value: pending.shift()! } : { done: true, value: undefined };
      },
      return: async (): Promise<IteratorResult<SheetRow>> => {
        if (!ended) this.send({ type: 'close', sheet });
        ended = true;
        pending.length = 0;
        return { done: true, value: undefined };
      },
    };
  }

  /** The sheet's rows classified by the plan, from its start, in batches; `rows` counts the sheet rows read. */
  async *classify(sheet: number, plan: SheetPlan): AsyncGenerator<{ items: RowOutcome[]; rows: number }> {
    this.send({ type: 'classify', sheet, plan: { ...plan, columns: [...plan.columns] } });
    for (;;) {
      const message = await this.receive();
      if (message.type === 'done') return;
      if (message.type !== 'rows') throw new Error(`the parse worker answered ${message.type} while classifying`);
      this.send({ type: 'ack' }); // the worker reads on while these rows are written
      yield message;
    }
  }

  async terminate(): Promise<void> {
    await this.worker.terminate();
  }

  private send(command: WorkerCommand): void {
    this.worker.postMessage(command);
  }

  private async receive(): Promise<WorkerMessage> {
    while (this.inbox.length === 0) {
      if (this.failure) throw this.failure;
      if (this.exited) throw new Error('the parse worker stopped unexpectedly');
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
    const message = this.inbox.shift()!;
    if (message.type === 'error') {
      throw message.exitCode === undefined ? new Error(message.message) : new DbdError(message.message, message.exitCode, message.details);
    }
    return message;
  }

  private notify(): void {
    const resume = this.wake;
    this.wake = undefined;
    resume?.();
  }
}
