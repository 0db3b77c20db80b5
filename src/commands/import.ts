// dbd import FILE...: thin adapter over ingest/importFiles.
import { withDatabase, makeContext, type CommonOptions } from '../cli/context.js';
import { dataError, DbdError, ExitCode } from '../errors.js';
import { t } from '../i18n/index.js';
import type { Kind } from '../ingest/fields.js';
import { importFiles, type ImportResult } from '../ingest/importFiles.js';
import { checkInputFile } from '../ingest/sources.js';
import { checkinColumnsMessage, failedImportDocument, failedImportProblemsTable, importDocument, importProblemsTable, importSummaryTable, problemLines } from '../report/importReport.js';
import { toJson } from '../render/json.js';
import { renderTerminal } from '../render/terminal.js';
import { ProgressLine, ProgressMeter, progressDetail } from '../render/progress.js';
import type { Table } from '../render/table.js';
import { VERSION } from '../version.js';
import { describeDatabase } from '../db/open.js';

export interface ImportCommandOptions extends CommonOptions {
  kind?: Kind;
  sheet?: string;
  encoding?: string;
  dryRun?: boolean;
  skipInvalid?: boolean;
  strict?: boolean;
  fullRoster?: boolean;
  errors?: string;
}

export async function run(files: string[], options: ImportCommandOptions): Promise<void> {
  const ctx = makeContext(options);
  // Wrong paths are found before the database is opened (and created). A problem list that
  // cannot be written must not follow a written import.
  for (const file of files) checkInputFile(file);
  if (options.errors !== undefined) (await import('../render/xlsx.js')).checkTableOutput(options.errors, undefined, { inputs: files, database: ctx.dbPath });
  const progress = !ctx.json && ctx.io.errIsTty ? new ProgressLine(process.stderr) : undefined;
  const meter = new ProgressMeter();
  const importing = withDatabase(ctx, (handle) =>
    importFiles(handle, files, {
      kind: options.kind,
      sheet: options.sheet,
      encoding: options.encoding,
      dryRun: options.dryRun,
      skipInvalid: options.skipInvalid,
      strict: options.strict,
      fullRoster: options.fullRoster,
      today: ctx.today,
      onProgress: progress
        ? (p) => progress.update(t('render.progressImport', { file: p.file, sheet: p.sheet, rows: p.rows }) + progressDetail(meter.measure(p.rows), 'rows'))
        : undefined,
    }),
  );
  // --json promises one document on stdout, also when a whole file is refused (the message
  // still goes to stderr, exit 3).
  const writeProblems = async (table: Table) => {
    if (!options.errors) return;
    // Loaded only when asked for.
    const { writeTableFile } = await import('../render/xlsx.js');
    await writeTableFile(options.errors, [table], { title: t('ingest.errorsTitle'), entries: [['dbd', VERSION], [t('ingest.colFile'), files.join(t('common.listSeparator'))]] });
  };
  const result = await importing.catch(async (error: unknown) => {
    progress?.done();
    if (error instanceof DbdError && error.exitCode === ExitCode.invalidData) {
      if (ctx.json) ctx.io.out(toJson(failedImportDocument(error, options.dryRun ?? false)));
      // The refusal stays what is reported (exit 3) should the list itself fail to be written.
      try {
        await writeProblems(failedImportProblemsTable(error));
        if (options.errors && !ctx.json) ctx.io.err(t('ingest.errorsWritten', { path: options.errors }));
      } catch (writeError) {
        ctx.io.err(writeError instanceof Error ? writeError.message : String(writeError));
      }
    }
    throw error;
  });
  progress?.done();

  await writeProblems(importProblemsTable(result));

  if (ctx.json) ctx.io.out(toJson(importDocument(result)));
  else printHuman(ctx, result, options);
  if (options.errors && !ctx.json) ctx.io.err(t('ingest.errorsWritten', { path: options.errors }));

  if (result.errorCount > 0 && !result.accepted) {
    throw dataError(options.skipInvalid ? t('ingest.nothingImported', { count: result.errorCount }) : t('ingest.nothingWritten', { count: result.errorCount }));
  }
}

/** New communities and organisations named in the summary, at most. */
const CREATED_NAMES_SHOWN = 10;

function printHuman(ctx: ReturnType<typeof makeContext>, result: ImportResult, options: ImportCommandOptions): void {
  ctx.io.out(renderTerminal(importSummaryTable(result), { color: ctx.color }));
  // What was created alongside and who was marked departed: said of a run that wrote (or, in
  // its own words, of a dry run), not of one refused for its errors.
  if (result.written || result.dryRun) {
    const created = result.created;
    if (created.towns + created.communities + created.units + created.orgs > 0) ctx.io.out(t('ingest.createdAlongside', created));
    // Named, so that a place or organisation written another way, which made a new one, is seen.
    for (const [kind, names] of [['communities', result.createdNames.communities], ['orgs', result.createdNames.orgs]] as const) {
      if (names.length === 0) continue;
      const shown = names.slice(0, CREATED_NAMES_SHOWN).join(t('common.listSeparator'));
      const more = names.length > CREATED_NAMES_SHOWN ? t('ingest.createdMore', { more: names.length - CREATED_NAMES_SHOWN }) : '';
      ctx.io.out(t(kind === 'communities' ? 'ingest.createdCommunities' : 'ingest.createdOrgs', { names: shown }) + more);
    }
    if (result.departed > 0) ctx.io.out(t(result.dryRun ? 'ingest.departedCountDryRun' : 'ingest.departedCount', { count: result.departed }));
  }
  for (const file of result.files) {
    for (const skipped of file.skippedSheets) ctx.io.err(t('ingest.skippedSheet', { file: skipped.file, sheet: skipped.sheet, headers: skipped.headers.join(t('common.listSeparator')) }));
    for (const sheet of file.sheets) {
      if (sheet.ignoredCheckinColumns.length > 0) ctx.io.err(checkinColumnsMessage(sheet));
      const notCheckedIn = sheet.skippedRows.filter((row) => row.reason === 'no-checkin').length;
      if (notCheckedIn > 0) ctx.io.err(t('ingest.rowsWithoutCheckin', { file: sheet.file, sheet: sheet.sheet, count: notCheckedIn }));
    }
  }
  const { errors, warnings } = problemLines(result);
  if (warnings.length) {
    ctx.io.err(t('ingest.warningsTitle'));
    for (const line of warnings) ctx.io.err(`  ${line}`);
  }
  if (errors.length) {
    ctx.io.err(t('ingest.problemsTitle'));
    for (const line of errors) ctx.io.err(`  ${line}`);
  }
  if (result.dryRun) {
    if (result.accepted && result.errorCount > 0 && options.skipInvalid) ctx.io.out(t('ingest.dryRunSkippedInvalid', { count: result.errorCount }));
    ctx.io.out(t('ingest.dryRunDone'));
  } else if (result.written) {
    if (result.errorCount > 0 && options.skipInvalid) ctx.io.out(t('ingest.skippedInvalid', { count: result.errorCount }));
    const changed =
      result.departed > 0 || Object.values(result.created).some((n) => n > 0) || result.files.some((file) => file.sheets.some((sheet) => sheet.added + sheet.updated > 0));
    ctx.io.out(t(changed ? 'ingest.written' : 'ingest.nothingChanged', { db: describeDatabase(ctx.dbPath) }));
  }
}

