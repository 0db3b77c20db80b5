// dbd import: every file and sheet of one command in one transaction, in an order that lets
// references resolve (communities and organisations before members, members before
// check-ins). Any invalid row → nothing is written, every problem listed; --skip-invalid
// writes the valid rows (each row in a savepoint, so a failed row leaves no trace).
import { basename } from 'node:path';
import { Catalog } from '../db/catalog.js';
import type { DbHandle } from '../db/open.js';
import {
  ActivityWriter,
  CheckinWriter,
  CommunityWriter,
  MemberWriter,
  OrgCheckinWriter,
  OrgWriter,
  UnitWriter,
  type Outcome,
  type RowProblem,
  type WriteContext,
  type WriteResult,
} from '../db/writers.js';
import { dataError, DbdError, ExitCode } from '../errors.js';
import { t } from '../i18n/index.js';
import { nowTimestamp } from '../clock.js';
import { getLang } from '../i18n/index.js';
import { isBlankRow, type SheetRow } from './cells.js';
import { RowClassifier, type RowOutcome, type SheetPlan } from './classify.js';
import { detectKind, FIELD_ALIASES, KIND_ORDER, mapColumns, REQUIRED_FIELDS, type Kind } from './fields.js';
import { findLayout, HEADER_SEARCH_ROWS, type SheetLayout, type SkipReason } from './layout.js';
import { collectGarbage, ROWS_PER_COLLECTION } from './heap.js';

/** Rows read before they are written, on the importing thread (the worker sends its own batches). */
const ROWS_PER_CHUNK = 2_000;
import { ParseWorker, useParseWorker, type ParseWorkerJob } from './parseInWorker.js';
import type { AnyRecord, MemberKey, MemberRecord, OrgRecord, Problem } from './records.js';
import { openSource, type OpenedFile, type SheetSource } from './sources.js';

export interface ImportOptions {
  kind?: Kind;
  sheet?: string;
  encoding?: string;
  dryRun?: boolean;
  skipInvalid?: boolean;
  strict?: boolean;
  fullRoster?: boolean;
  today: string;
  onProgress?: (progress: ImportProgress) => void;
}

export interface ImportProgress { file: string; sheet: string; rows: number }

export interface SheetSummary {
  file: string;
  sheet: string;
  kind: Kind;
  read: number;
  added: number;
  updated: number;
  unchanged: number;
  skipped: number;
  departed: number;
  errors: Problem[];
  warnings: Problem[];
  skippedRows: Array<{ row: number; reason: SkipReason }>;
  headerRows: number[];
  /** A member roster's check-in columns (报到社区, 报到时间…), which a member import leaves out. */
  ignoredCheckinColumns: string[];
}

export interface SkippedSheet { file: string; sheet: string; headers: string[] }

export interface ImportResult {
  files: Array<{ file: string; sheets: SheetSummary[]; skippedSheets: SkippedSheet[] }>;
  created: { towns: number; communities: number; units: number; orgs: number };
  /** The communities (town and name) and organisations created alongside, in order. */
  createdNames: { communities: string[]; orgs: string[] };
  departed: number;
  dryRun: boolean;
  written: boolean;
  /** Whether the import goes through (is written, or would be without --dry-run): a dry run
   * reports and exits as the real run would. */
  accepted: boolean;
  errorCount: number;
}

interface PlannedSheet {
  fileIndex: number;
  order: number;
  /** Read in this worker thread (a large workbook: its worker read the header search's rows too)… */
  worker: ParseWorker | undefined;
  /** …or in a worker started when the sheet's turn comes (a large text file), else in this
   * thread from `iterator`. */
  workerJob: ParseWorkerJob | undefined;
  source: SheetSource;
  /** The sheet's position among its file's sheets. */
  sheetIndex: number;
  layout: SheetLayout & { kind: Kind };
  iterator: AsyncIterator<SheetRow>;
  buffered: SheetRow[];
  summary: SheetSummary;
}

class Rollback extends Error {}

/** A file that cannot be imported at all (empty, not a workbook, no importable sheet, no such
 * sheet): the data error, with the file it concerns (for the JSON document). */
export class FileImportError extends DbdError {
  constructor(
    readonly file: string,
    cause: DbdError,
  ) {
    super(cause.message, cause.exitCode, cause.details);
  }
}

const fileError = (file: string, message: string) => new FileImportError(file, dataError(message));

export async function importFiles(handle: DbHandle, paths: string[], options: ImportOptions): Promise<ImportResult> {
  const opened: OpenedFile[] = [];
  const workers: ParseWorker[] = [];
  try {
    for (const path of paths) {
      try {
        opened.push(await openSource(path, { encoding: options.encoding }));
      } catch (error) {
        throw error instanceof DbdError && error.exitCode === ExitCode.invalidData ? new FileImportError(basename(path), error) : error;
      }
    }
    const result: ImportResult = {
      files: opened.map((file) => ({ file: file.file, sheets: [], skippedSheets: [] })),
      created: { towns: 0, communities: 0, units: 0, orgs: 0 },
      createdNames: { communities: [], orgs: [] },
      departed: 0,
      dryRun: options.dryRun ?? false,
      written: false,
      accepted: false,
      errorCount: 0,
    };
    const planned = await planSheets(opened, paths, options, result, workers);
    planned.sort((a, b) => KIND_ORDER[a.layout.kind] - KIND_ORDER[b.layout.kind] || a.order - b.order);

    try {
      await handle.writeTransaction(async () => {
        await runPlan(handle, planned, options, result, workers);
        result.errorCount = planned.reduce((sum, sheet) => sum + sheet.summary.errors.length, 0);
        // A valid row that changes nothing (a re-import) is imported all the same, as it is without
        // --skip-invalid: only when no row at all is valid does --skip-invalid fail.
        const valid = planned.reduce((sum, s) => sum + s.summary.added + s.summary.updated + s.summary.unchanged, 0) + result.departed;
        result.accepted = result.errorCount === 0 || (options.skipInvalid === true && valid > 0);
        if (options.dryRun || !result.accepted) throw new Rollback();
        result.written = true;
      });
    } catch (error) {
      if (!(error instanceof Rollback)) throw error;
    }
    return result;
  } finally {
    // The workers first: they may be reading a descriptor the files' close() lets go.
    for (const worker of workers) await worker.terminate();
    for (const file of opened) await file.close().catch(() => undefined);
  }
}

/** Read the top of every sheet, find its header and kind; report sheets that cannot be imported. */
async function planSheets(opened: OpenedFile[], paths: string[], options: ImportOptions, result: ImportResult, workers: ParseWorker[]): Promise<PlannedSheet[]> {
  const planned: PlannedSheet[] = [];
  let order = 0;
  for (const [fileIndex, file] of opened.entries()) {
    // A large file is read in a worker. A workbook's worker starts now and reads the header
    // search's rows too, so that its shared strings and merged ranges are read once. A text
    // file's top costs nothing to read twice: its worker starts when its turn comes, so that no
    // worker waits beside another, holding memory (a register and an activity list together).
    const workerJob = useParseWorker(paths[fileIndex]) ? { file: paths[fileIndex], workbook: file.workbook, fd: file.fd, encoding: options.encoding, lang: getLang() } : undefined;
    const worker = workerJob && file.workbook ? new ParseWorker(workerJob) : undefined;
    if (worker) workers.push(worker);
    const sheets = options.sheet ? file.sheets.filter((sheet) => sheet.name === options.sheet) : file.sheets;
    if (options.sheet && sheets.length === 0) {
      throw fileError(file.file, t('ingest.noSuchSheet', { file: file.file, sheet: options.sheet, sheets: file.sheets.map((s) => s.name).join(t('common.listSeparator')) }));
    }
    let importable = 0;
    let nonEmpty = 0;
    for (const source of sheets) {
      const sheetIndex = file.sheets.indexOf(source);
      const iterator = worker ? worker.rows(sheetIndex) : source.rows()[Symbol.asyncIterator]();
      const buffered: SheetRow[] = [];
      let nonBlank = 0;
      while (nonBlank < HEADER_SEARCH_ROWS) {
        const next = await iterator.next();
        if (next.done) break;
        buffered.push(next.value);
        if (!isBlankRow(next.value.cells)) nonBlank++;
      }
      const rows = buffered.filter((row) => !isBlankRow(row.cells));
      if (rows.length === 0) {
        await iterator.return?.();
        continue;
      }
      nonEmpty++;
      const layout = findLayout(rows, options.kind);
      if (!layout || !layout.kind) {
        await iterator.return?.();
        const headers = (layout?.headers ?? rows[0].cells.map(String)).filter(Boolean).slice(0, 12);
        if (options.sheet) throw fileError(file.file, t('ingest.unknownKindNamed', { file: file.file, sheet: source.name, headers: headers.join(t('common.listSeparator')) }));
        result.files[fileIndex].skippedSheets.push({ file: file.file, sheet: source.name, headers });
        continue;
      }
      importable++;
      const summary: SheetSummary = {
        file: file.file,
        sheet: source.name,
        kind: layout.kind,
        read: 0,
        added: 0,
        updated: 0,
        unchanged: 0,
        skipped: 0,
        departed: 0,
        errors: [],
        warnings: [],
        skippedRows: [],
        headerRows: layout.headerRows,
        ignoredCheckinColumns: layout.kind === 'members' ? ignoredCheckinColumns(layout.headers) : [],
      };
      result.files[fileIndex].sheets.push(summary);
      // A worker classifies the sheet from its start (a workbook's kept the rows it sent).
      planned.push({ fileIndex, order: order++, worker, workerJob: worker ? undefined : workerJob, source, sheetIndex, layout: layout as SheetLayout & { kind: Kind }, iterator, buffered: workerJob ? [] : buffered, summary });
      if (workerJob && !worker) await iterator.return?.();
    }
    if (importable === 0) {
      const seen = result.files[fileIndex].skippedSheets.map((s) => `[${s.sheet}] ${s.headers.join(t('common.listSeparator'))}`).join(t('common.groupSeparator'));
      throw fileError(file.file, nonEmpty === 0 ? t('ingest.noData', { file: file.file }) : t('ingest.noImportableSheet', { file: file.file, seen }));
    }
    // A workbook's worker opened it itself: this thread's opening is not read. (A text file's
    // stays open: its worker reads it through this thread's descriptor.)
    if (workerJob && file.workbook) await file.close();
  }
  return planned;
}

/** The field of a record of this kind whose date should not be after today, and what to say. */
/** Check-ins, pairings and activities dated before this are said (not refused): most likely a slip of the year. */
const EARLIEST_EXPECTED_EVENT = '2000-01-01';

function datedField(kind: Kind): { field: string; message: string } | undefined {
  switch (kind) {
    case 'checkins':
    case 'org-checkins':
    case 'activities':
      return { field: 'date', message: 'ingest.dateAfterToday' };
    case 'members':
      return { field: 'joinedOn', message: 'ingest.joinedAfterToday' };
    default:
      return undefined;
  }
}

async function runPlan(handle: DbHandle, planned: PlannedSheet[], options: ImportOptions, result: ImportResult, workers: ParseWorker[]): Promise<void> {
  const catalog = await Catalog.load(handle);
  const ctx: WriteContext = { handle, catalog, today: options.today, now: nowTimestamp() };
  const writers = {
    communities: new CommunityWriter(ctx),
    units: new UnitWriter(ctx),
    orgs: new OrgWriter(ctx),
    members: new MemberWriter(ctx),
    checkins: new CheckinWriter(ctx),
    orgCheckins: new OrgCheckinWriter(ctx),
    activities: new ActivityWriter(ctx),
  };
  // Organisation rows are written together once every organisation sheet has been read: a
  // parent may be listed below its children, or named by a short name given further down.
  const orgRows: Array<{ summary: SheetSummary; rowNumber: number; headerOf: (field: string) => string; record: OrgRecord }> = [];
  const orgSheetOf = new Map<number, SheetSummary>();
  let orgsFinished = false;
  let lastFile = -1;

  const finishOrgs = async () => {
    if (orgsFinished || orgRows.length === 0) return;
    orgsFinished = true;
    // Rows whose parent or paired community cannot be linked. With --skip-invalid they are left
    // out and the others written again without them (leaving a row out may leave another's
    // parent unknown: repeated until none fails), so that a row reported as not imported is not.
    const refused = new Map<number, RowProblem[]>();
    const attempt = async () => {
      const outcomes = new Map<number, Outcome>();
      for (const [index, row] of orgRows.entries()) {
        if (!refused.has(index)) outcomes.set(index, await writers.orgs.write(row.record, index));
      }
      return { outcomes, ...(await writers.orgs.finish((index, field) => orgRows[index].headerOf(field))) };
    };
    let linked: Awaited<ReturnType<typeof attempt>>;
    do {
      linked = options.skipInvalid ? await inSavepoint(handle, catalog, attempt, (r) => r.problems.size === 0) : await attempt();
      for (const [index, list] of linked.problems) refused.set(index, list);
    } while (options.skipInvalid && linked.problems.size > 0);
    for (const [index, outcome] of linked.outcomes) {
      if (refused.has(index)) continue; // an error, not also added or updated
      orgRows[index].summary[outcome === 'unchanged' && linked.updatedRows.has(index) ? 'updated' : outcome]++;
    }
    for (const [index, list] of [...refused].sort((a, b) => a[0] - b[0])) {
      const { summary, rowNumber } = orgRows[index];
      for (const problem of list) summary.errors.push({ row: rowNumber, ...problem });
    }
  };

  for (const sheet of planned) {
    if (sheet.layout.kind !== 'orgs') await finishOrgs();
    const { summary, layout } = sheet;
    const columns = mapColumns(layout.kind, layout.headers);
    const headerOf = (field: string) => {
      const index = columns.get(field);
      return index === undefined ? FIELD_ALIASES[layout.kind][field]?.[0] ?? field : layout.headers[index];
    };
    const missing = missingColumns(layout.kind, columns);
    if (missing.length) {
      for (const field of missing) {
        summary.errors.push({ row: layout.headerRows[layout.headerRows.length - 1], column: field, value: '', reason: t('ingest.missingColumn', { column: field }) });
      }
      await sheet.iterator.return?.();
      continue;
    }
    if (layout.kind === 'members') {
      if (sheet.fileIndex !== lastFile) {
        writers.members.startFile(summary.file);
        lastFile = sheet.fileIndex;
      }
      writers.members.startSheet(summary.sheet);
    }
    // A roster's headers read as check-ins (--kind checkins): its members without a check-in are skipped.
    const fromRoster = layout.kind === 'checkins' && detectKind(layout.headers) === 'members';
    const plan: SheetPlan = { kind: layout.kind, layout, columns, strict: options.strict ?? false, fromRoster };
    let count = 0;
    const datedAs = datedField(layout.kind);
    const dated = datedAs && columns.has(datedAs.field) ? { ...datedAs, header: headerOf(datedAs.field) } : undefined;

    // A roster row that is not imported (--skip-invalid) still names a member who is in the
    // file: --full-roster must not mark them departed.
    const present = async (key: MemberKey | undefined) => {
      if (options.fullRoster && layout.kind === 'members' && key) await writers.members.markPresent(key);
    };

    const apply = async (outcome: RowOutcome) => {
      summary.read++;
      if ('skip' in outcome) {
        summary.skipped++;
        summary.skippedRows.push({ row: outcome.row, reason: outcome.skip });
        return;
      }
      for (const problem of outcome.problems) (problem.warning ? summary.warnings : summary.errors).push(problem);
      if (!outcome.record) return present(outcome.memberKey);
      const record = outcome.record;
      const kind = layout.kind;
      if (kind === 'orgs') {
        orgRows.push({ summary, rowNumber: outcome.row, headerOf, record: record as OrgRecord });
        return;
      }
      const written = options.skipInvalid
        ? await writeInSavepoint(handle, catalog, () => writeRecord(kind, record, outcome.row))
        : await writeRecord(kind, record, outcome.row);
      if (Array.isArray(written)) {
        for (const problem of written) summary.errors.push({ row: outcome.row, ...problem });
        if (layout.kind === 'members') await present(record as MemberRecord);
        return;
      }
      summary[written]++;
      // A date after today is most likely a slip (2062 for 2026, 12 for 11): said, not refused
      // (a check-in or pairing may be entered ahead of time).
      const date = dated && (record as unknown as Record<string, unknown>)[dated.field];
      if (typeof date === 'string' && date > options.today) {
        summary.warnings.push({ row: outcome.row, column: dated!.header, value: date, reason: t(dated!.message, { today: options.today }), warning: true });
      } else if (typeof date === 'string' && kind !== 'members' && date < EARLIEST_EXPECTED_EVENT) {
        // The programme began in the 2010s: a check-in, pairing or activity of 1926 is a slip of the year.
        summary.warnings.push({ row: outcome.row, column: dated!.header, value: date, reason: t('ingest.dateLongAgo', { year: EARLIEST_EXPECTED_EVENT.slice(0, 4) }), warning: true });
      }
    };

    // Organisation rows are not among these: finishOrgs writes them, all together.
    const writeRecord = (kind: Exclude<Kind, 'orgs'>, record: AnyRecord, rowNumber: number): Promise<WriteResult> => {
      switch (kind) {
        case 'communities':
          return writers.communities.write(record as never);
        case 'units':
          return writers.units.write(record as never);
        case 'members':
          return writers.members.write(record as never, rowNumber, headerOf);
        case 'checkins':
          return writers.checkins.write(record as never, headerOf);
        case 'org-checkins':
          return writers.orgCheckins.write(record as never, headerOf);
        case 'activities':
          return writers.activities.write(record as never, headerOf);
      }
    };

    // Rows go to the writers in chunks: a roster writer on a server reads and inserts a chunk's
    // members together (each row still decided, and reported, on its own and in order).
    const chunkWriter = options.skipInvalid
      ? undefined
      : layout.kind === 'members'
        ? writers.members
        : layout.kind === 'checkins'
          ? writers.checkins
          : layout.kind === 'activities'
            ? writers.activities
            : undefined;
    const applyChunk = async (outcomes: RowOutcome[]) => {
      const records = outcomes.flatMap((outcome) => ('record' in outcome && outcome.record ? [outcome.record] : []));
      await chunkWriter?.prefetch(records as never);
      for (const outcome of outcomes) await apply(outcome);
      await chunkWriter?.flush();
    };

    const worker = sheet.worker ?? (sheet.workerJob ? new ParseWorker(sheet.workerJob) : undefined);
    if (worker && worker !== sheet.worker) workers.push(worker);
    if (worker) {
      for await (const batch of worker.classify(sheet.sheetIndex, plan)) {
        await applyChunk(batch.items);
        const before = count;
        count += batch.rows;
        if (Math.floor(count / 5000) > Math.floor(before / 5000)) options.onProgress?.({ file: summary.file, sheet: summary.sheet, rows: count });
        if (Math.floor(count / ROWS_PER_COLLECTION) > Math.floor(before / ROWS_PER_COLLECTION)) collectGarbage();
      }
      // Its last sheet read, the worker's memory (a workbook's shared strings) goes before the
      // indexes are built and the transaction committed.
      if (!planned.slice(planned.indexOf(sheet) + 1).some((later) => later.worker === worker)) await worker.terminate();
    } else {
      const classifier = new RowClassifier(plan);
      const waiting: RowOutcome[] = [];
      const handleRow = async (row: SheetRow) => {
        const outcome = classifier.classify(row);
        if (outcome) waiting.push(outcome);
        if (waiting.length >= ROWS_PER_CHUNK) await applyChunk(waiting.splice(0));
      };
      for (const row of sheet.buffered) await handleRow(row);
      sheet.buffered = [];
      for (;;) {
        const next = await sheet.iterator.next();
        if (next.done) break;
        await handleRow(next.value);
        if (++count % 5000 === 0) options.onProgress?.({ file: summary.file, sheet: summary.sheet, rows: count });
        if (count % ROWS_PER_COLLECTION === 0) collectGarbage();
      }
      await applyChunk(waiting);
    }
    if (layout.kind === 'members') {
      for (const orgId of writers.members.touchedOrgs) if (!orgSheetOf.has(orgId)) orgSheetOf.set(orgId, summary);
    }
  }
  await finishOrgs();
  if (options.fullRoster) {
    const departed = await writers.members.departAbsent();
    result.departed = departed.total;
    for (const [orgId, n] of departed.byOrg) {
      const summary = orgSheetOf.get(orgId);
      if (summary) summary.departed += n;
    }
  }
  result.created = { ...catalog.created };
  result.createdNames = { communities: [...catalog.createdNames.communities], orgs: [...catalog.createdNames.orgs] };
}

function writeInSavepoint(handle: DbHandle, catalog: Catalog, write: () => Promise<WriteResult>): Promise<WriteResult> {
  return inSavepoint(handle, catalog, write, (result) => !Array.isArray(result));
}

/** fn in a savepoint, its writes and what it added to the catalog undone unless keep(result). */
async function inSavepoint<T>(handle: DbHandle, catalog: Catalog, fn: () => Promise<T>, keep: (result: T) => boolean): Promise<T> {
  catalog.beginRow();
  const result = await handle.savepoint(fn, keep);
  if (keep(result)) catalog.commitRow();
  else catalog.rollbackRow();
  return result;
}

/**
 * The headers of a member roster that a check-in import would read as a check-in (its community
 * and date, and the post beside them) and a member import does not: empty unless the roster has
 * both a check-in community and a check-in date, i.e. a check-in could be read from it.
 */
function ignoredCheckinColumns(headers: string[]): string[] {
  const checkin = mapColumns('checkins', headers);
  if (!checkin.has('community') || !checkin.has('date')) return [];
  const member = new Set(mapColumns('members', headers).values());
  const ignored = ['community', 'date', 'post'].flatMap((field) => {
    const index = checkin.get(field);
    return index === undefined || member.has(index) ? [] : [index];
  });
  return ignored.some((index) => index === checkin.get('community') || index === checkin.get('date')) ? ignored.sort((a, b) => a - b).map((index) => headers[index]) : [];
}

/** Canonical names (first alias) of required fields that have no column. */
function missingColumns(kind: Kind, columns: Map<string, number>): string[] {
  const aliases = FIELD_ALIASES[kind];
  const missing = REQUIRED_FIELDS[kind].filter((field) => !columns.has(field)).map((field) => aliases[field][0]);
  if (kind === 'members' && !columns.has('idNumber') && !columns.has('phone')) missing.unshift(aliases.idNumber[0]);
  if ((kind === 'checkins' || kind === 'activities') && !columns.has('idNumber') && !columns.has('phone') && !columns.has('name')) {
    missing.unshift(aliases.idNumber[0]);
  }
  if (kind === 'org-checkins' && !columns.has('community') && !columns.has('town')) missing.push(aliases.community[0]);
  if (kind === 'checkins' && !columns.has('date')) missing.push(aliases.date[0]);
  return missing;
}

export type { Outcome, RowProblem };
export { DbdError };
