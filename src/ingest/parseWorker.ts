// A parse worker (a second thread): reads one sheet of a file and classifies its rows
// (classify.ts: skipped, or read into a record with its problems), handing them to the
// importing thread in batches while that thread writes the previous ones to the database.
// At most a few batches are in flight, so memory stays bounded whatever the file size.
import { parentPort, workerData } from 'node:worker_threads';
import { DbdError } from '../errors.js';
import { setLang } from '../i18n/index.js';
import { RowClassifier, type RowOutcome } from './classify.js';
import type { ParseJob, WorkerMessage } from './parseInWorker.js';
import { openSource } from './sources.js';

const BATCH_ROWS = 1000;
const MAX_IN_FLIGHT = 4;

const port = parentPort!;
let inFlight = 0;
let resume: (() => void) | undefined;
port.on('message', (message) => {
  if (message === 'ack') {
    inFlight--;
    resume?.();
  }
});

function send(message: WorkerMessage): void {
  port.postMessage(message);
}

async function sendRows(items: RowOutcome[], rows: number): Promise<void> {
  inFlight++;
  send({ type: 'rows', items, rows });
  while (inFlight >= MAX_IN_FLIGHT) await new Promise<void>((resolve) => (resume = resolve));
}

async function run(job: ParseJob): Promise<void> {
  setLang(job.lang);
  const opened = await openSource(job.file, { encoding: job.encoding });
  try {
    const source = opened.sheets.find((sheet) => sheet.name === job.sheet);
    if (!source) throw new Error(`sheet ${job.sheet} is no longer in ${job.file}`);
    const classifier = new RowClassifier({ ...job.plan, columns: new Map(job.plan.columns) });
    let batch: RowOutcome[] = [];
    let rows = 0;
    for await (const sheetRows of source.batches()) {
      for (const row of sheetRows) {
        const outcome = classifier.classify(row);
        if (outcome) batch.push(outcome);
        if (++rows === BATCH_ROWS) {
          await sendRows(batch, rows);
          batch = [];
          rows = 0;
        }
      }
    }
    if (rows > 0) await sendRows(batch, rows);
    send({ type: 'done' });
  } finally {
    await opened.close();
  }
}

run(workerData as ParseJob).catch((error: unknown) => {
  const e = error instanceof Error ? error : new Error(String(error));
  send({ type: 'error', message: e.message, exitCode: e instanceof DbdError ? e.exitCode : undefined, details: e instanceof DbdError ? e.details : [] });
});
