// A parse worker (a second thread) for one file. It opens the file once and answers the
// importing thread's requests in order: the next rows of a sheet (for its header search), and,
// when the sheet's turn comes, the whole sheet classified (classify.ts: skipped, or read into a
// record with its problems), the rows already sent replayed and the rest read on. Classified rows
// go in batches while that thread writes the previous ones; at most a few batches are in
// flight, so memory stays bounded whatever the file size.
import { parentPort, workerData } from 'node:worker_threads';
import { DbdError } from '../errors.js';
import { setLang } from '../i18n/index.js';
import type { SheetRow } from './cells.js';
import { RowClassifier, type RowOutcome } from './classify.js';
import type { ParseWorkerJob, PortablePlan, WorkerCommand, WorkerMessage } from './parseInWorker.js';
import { openSource } from './sources.js';

const BATCH_ROWS = 1000;
const MAX_IN_FLIGHT = 4;

/** A sheet being read: its batches, and those already sent for the header search. */
interface OpenSheet {
  batches: AsyncIterator<SheetRow[]>;
  sent: SheetRow[][];
  finished: boolean;
}

const port = parentPort!;
const commands: WorkerCommand[] = [];
let commandArrived: (() => void) | undefined;
let inFlight = 0;
let slotFreed: (() => void) | undefined;

port.on('message', (command: WorkerCommand) => {
  if (command.type === 'ack') {
    inFlight--;
    slotFreed?.();
    return;
  }
  commands.push(command);
  commandArrived?.();
});

function send(message: WorkerMessage): void {
  port.postMessage(message);
}

async function nextCommand(): Promise<WorkerCommand> {
  while (commands.length === 0) await new Promise<void>((resolve) => (commandArrived = resolve));
  return commands.shift()!;
}

async function sendRows(items: RowOutcome[], rows: number): Promise<void> {
  inFlight++;
  send({ type: 'rows', items, rows });
  while (inFlight >= MAX_IN_FLIGHT) await new Promise<void>((resolve) => (slotFreed = resolve));
}

async function serve(job: ParseWorkerJob): Promise<void> {
  setLang(job.lang);
  const opened = await openSource(job.file, { encoding: job.encoding, fd: job.fd });
  const sheets = new Map<number, OpenSheet>();
  const sheetAt = (index: number): OpenSheet => {
    let sheet = sheets.get(index);
    if (!sheet) {
      const source = opened.sheets[index];
      if (!source) throw new Error(`sheet ${index + 1} is no longer in ${job.file}`);
      sheet = { batches: source.batches()[Symbol.asyncIterator](), sent: [], finished: false };
      sheets.set(index, sheet);
    }
    return sheet;
  };
  for (;;) {
    const command = await nextCommand();
    if (command.type === 'next') {
      const sheet = sheetAt(command.sheet);
      const next = sheet.finished ? { done: true as const, value: undefined } : await sheet.batches.next();
      if (next.done) {
        sheet.finished = true;
        send({ type: 'end' });
      } else {
        sheet.sent.push(next.value);
        send({ type: 'head', rows: next.value });
      }
    } else if (command.type === 'close') {
      const sheet = sheets.get(command.sheet);
      sheets.delete(command.sheet);
      if (sheet && !sheet.finished) await sheet.batches.return?.();
    } else if (command.type === 'classify') {
      await classify(sheetAt(command.sheet), command.plan);
      sheets.delete(command.sheet);
    }
  }
}

async function classify(sheet: OpenSheet, plan: PortablePlan): Promise<void> {
  const classifier = new RowClassifier({ ...plan, columns: new Map(plan.columns) });
  let batch: RowOutcome[] = [];
  let rows = 0;
  const take = async (sheetRows: SheetRow[]) => {
    for (const row of sheetRows) {
      const outcome = classifier.classify(row);
      if (outcome) batch.push(outcome);
      if (++rows === BATCH_ROWS) {
        await sendRows(batch, rows);
        batch = [];
        rows = 0;
      }
    }
  };
  // The rows the header search saw, then the rest of the sheet.
  for (const sent of sheet.sent.splice(0)) await take(sent);
  while (!sheet.finished) {
    const next = await sheet.batches.next();
    if (next.done) sheet.finished = true;
    else await take(next.value);
  }
  if (rows > 0) await sendRows(batch, rows);
  send({ type: 'done' });
}

serve(workerData as ParseWorkerJob).catch((error: unknown) => {
  const e = error instanceof Error ? error : new Error(String(error));
  send({ type: 'error', message: e.message, exitCode: e instanceof DbdError ? e.exitCode : undefined, details: e instanceof DbdError ? e.details : [] });
});
