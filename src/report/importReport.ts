// The import result as the JSON document of SPEC §8, a summary table and a problem list.
import { t } from '../i18n/index.js';
import { FileImportError, type ImportResult, type SheetSummary } from '../ingest/importFiles.js';
import type { DbdError } from '../errors.js';
import type { Problem } from '../ingest/records.js';
import type { Table } from '../render/table.js';

export function importDocument(result: ImportResult) {
  return {
    dryRun: result.dryRun,
    written: result.written,
    files: result.files.map((file) => ({
      file: file.file,
      sheets: file.sheets.map((sheet) => ({
        sheet: sheet.sheet,
        kind: sheet.kind,
        read: sheet.read,
        added: sheet.added,
        updated: sheet.updated,
        unchanged: sheet.unchanged,
        skipped: sheet.skipped,
        departed: sheet.departed,
        errors: sheet.errors.map(problemJson),
        warnings: [...checkinColumnsWarning(sheet), ...sheet.warnings.map(problemJson)],
        skippedRows: sheet.skippedRows,
        headerRows: sheet.headerRows,
      })),
      skippedSheets: file.skippedSheets.map((s) => ({ sheet: s.sheet, headers: s.headers })),
    })),
    created: result.created,
    departed: result.departed,
  };
}

/** The JSON document of an import that stopped on invalid data before any row could be
 * judged (a file that is not a workbook, empty, or with no importable sheet; a file that
 * cannot be decoded): the same shape, nothing written, the reason under `error` (and on the
 * file it concerns, when known). */
export function failedImportDocument(error: DbdError, dryRun: boolean) {
  return {
    dryRun,
    written: false,
    files: error instanceof FileImportError ? [{ file: error.file, sheets: [], skippedSheets: [], error: error.message }] : [],
    created: { towns: 0, communities: 0, units: 0, orgs: 0 },
    departed: 0,
    error: error.message,
  };
}

/** A member roster's check-in columns, left out: a warning on the sheet's (last) header row. */
function checkinColumnsWarning(sheet: SheetSummary) {
  if (sheet.ignoredCheckinColumns.length === 0) return [];
  const columns = sheet.ignoredCheckinColumns.join(t('common.listSeparator'));
  return [{ row: sheet.headerRows[sheet.headerRows.length - 1], column: columns, value: '', reason: checkinColumnsMessage(sheet) }];
}

export function checkinColumnsMessage(sheet: SheetSummary): string {
  return t('ingest.checkinColumnsIgnored', { file: sheet.file, sheet: sheet.sheet, columns: sheet.ignoredCheckinColumns.join(t('common.listSeparator')) });
}

function problemJson(problem: Problem) {
  return { row: problem.row, column: problem.column, value: problem.value, reason: problem.reason };
}

const kindLabel = (kind: string) => t(`ingest.kindLabel_${kind}`);

export function importSummaryTable(result: ImportResult): Table {
  const sheets: SheetSummary[] = result.files.flatMap((file) => file.sheets);
  const hasDeparted = sheets.some((s) => s.departed > 0);
  return {
    name: t('ingest.summaryTitle'),
    title: t('ingest.summaryTitle'),
    columns: [
      { key: 'file', header: t('ingest.colFile'), kind: 'text' },
      { key: 'sheet', header: t('ingest.colSheet'), kind: 'text' },
      { key: 'kind', header: t('ingest.colKind'), kind: 'text' },
      { key: 'read', header: t('ingest.colRead'), kind: 'int' },
      { key: 'added', header: t('ingest.colAdded'), kind: 'int' },
      { key: 'updated', header: t('ingest.colUpdated'), kind: 'int' },
      { key: 'unchanged', header: t('ingest.colUnchanged'), kind: 'int' },
      { key: 'skipped', header: t('ingest.colSkipped'), kind: 'int' },
      ...(hasDeparted ? [{ key: 'departed', header: t('ingest.colDeparted'), kind: 'int' as const }] : []),
      { key: 'errors', header: t('ingest.colErrors'), kind: 'int' },
    ],
    rows: sheets.map((s) => ({
      file: s.file,
      sheet: s.sheet,
      kind: kindLabel(s.kind),
      read: s.read,
      added: s.added,
      updated: s.updated,
      unchanged: s.unchanged,
      skipped: s.skipped,
      departed: s.departed,
      errors: s.errors.length,
    })),
    highlight: (row) => Number(row.errors) > 0,
  };
}

export function problemLines(result: ImportResult): { errors: string[]; warnings: string[] } {
  const errors: string[] = [];
  const warnings: string[] = [];
  for (const file of result.files) {
    for (const sheet of file.sheets) {
      const line = (p: Problem) =>
        t(p.value === '' ? 'ingest.problemLineNoValue' : 'ingest.problemLine', { file: sheet.file, sheet: sheet.sheet, row: p.row, column: p.column, value: p.value, reason: p.reason });
      // One by one: spread into push(), a sheet's hundreds of thousands of problems overflow the stack.
      for (const problem of sheet.errors) errors.push(line(problem));
      for (const problem of sheet.warnings) warnings.push(line(problem));
    }
  }
  return { errors, warnings };
}

export function importProblemsTable(result: ImportResult): Table {
  return problemsTable(
    result.files.flatMap((file) =>
      file.sheets.flatMap((sheet) => [
        ...sheet.errors.map((p) => ({ level: t('ingest.levelError'), file: sheet.file, sheet: sheet.sheet, row: p.row, column: p.column, value: p.value, reason: p.reason })),
        ...[...checkinColumnsWarning(sheet), ...sheet.warnings].map((p) => ({ level: t('ingest.levelWarning'), file: sheet.file, sheet: sheet.sheet, row: p.row, column: p.column, value: p.value, reason: p.reason })),
      ]),
    ),
  );
}

/** The problem list of an import refused as a whole (an .xls, an empty or damaged file): one row
 * naming the file and why, so that the list on disk is this run's, not an earlier one's. */
export function failedImportProblemsTable(error: DbdError): Table {
  const file = error instanceof FileImportError ? error.file : '';
  return problemsTable([{ level: t('ingest.levelError'), file, sheet: '', row: null, column: '', value: '', reason: error.message }]);
}

function problemsTable(rows: Table['rows']): Table {
  return {
    name: t('ingest.errorsSheet'),
    title: t('ingest.errorsTitle'),
    columns: [
      { key: 'level', header: t('ingest.colLevel'), kind: 'text' },
      { key: 'file', header: t('ingest.colFile'), kind: 'text' },
      { key: 'sheet', header: t('ingest.colSheet'), kind: 'text' },
      { key: 'row', header: t('ingest.colRow'), kind: 'int' },
      { key: 'column', header: t('ingest.colColumn'), kind: 'text' },
      { key: 'value', header: t('ingest.colValue'), kind: 'text' },
      { key: 'reason', header: t('ingest.colReason'), kind: 'text' },
    ],
    rows,
    highlight: (row) => row.level === t('ingest.levelError'),
  };
}
