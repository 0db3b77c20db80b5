// dbd weekly-report: the town weekly report of one week; --save keeps it, --history lists
// the saved weeks, --compare sets it beside the previous saved week.
import type { Kysely } from 'kysely';
import { type CommandContext, type CommonOptions, makeContext, noteUnusedEncoding, withDatabase } from '../cli/context.js';
import { resolveTownFilter } from '../cli/resolve.js';
import { findSavedWeek, listSavedWeeks, previousSavedWeek, saveWeeklyReport } from '../db/queries/weekly.js';
import type { DbHandle } from '../db/open.js';
import type { Database } from '../db/schema.js';
import { dataError, usageError } from '../errors.js';
import { t } from '../i18n/index.js';
import { toJson, writeJson } from '../render/json.js';
import type { CsvEncoding } from '../render/csv.js';
import type { Table } from '../render/table.js';
import { withFileBatch } from '../render/atomic.js';
import { renderTerminal } from '../render/terminal.js';
import type { TableFileFormat } from '../render/xlsx.js';
import {
  historyEntries,
  localTimestamp,
  onlyTown,
  readWeeklyJson,
  readWeeklyReport,
  reportFromDocument,
  scopeLabel,
  selectWeek,
  weeklyCompareTable,
  weeklyDocument,
  weeklyFileTables,
  weeklyHistoryTable,
  weeklyMeta,
  weeklyTerminalTables,
  writeWeeklyDocument,
  type WeeklyReport,
} from '../report/weekly.js';

export interface WeeklyOptions extends CommonOptions {
  town?: string | true;
  week?: string;
  date?: string;
  save?: boolean;
  force?: boolean;
  out?: string;
  encoding?: CsvEncoding;
  history?: boolean;
  compare?: boolean;
}

/** Which towns the report covers: `key` names the scope of a saved report ('' = all towns). */
interface Scope { grouped: boolean; townId?: number | null; key: string }

async function resolveScope(db: Kysely<Database>, town: string | true | undefined): Promise<Scope> {
  if (town === undefined) return { grouped: false, key: '' };
  if (town === true) return { grouped: true, key: '' };
  const found = await resolveTownFilter(db, town);
  return { grouped: true, townId: found.id, key: found.name };
}

/** The spreadsheet writer, loaded (with exceljs) only when there is a file to write. */
const tableFiles = () => import('../render/xlsx.js');

async function outputFormat(out: string | undefined): Promise<TableFileFormat | undefined> {
  return out === undefined ? undefined : (await tableFiles()).checkTableOutput(out);
}

export async function run(options: WeeklyOptions): Promise<void> {
  const ctx = makeContext(options);
  if (options.history) return runHistory(ctx, options);
  const span = selectWeek({ week: options.week, date: options.date, today: ctx.today });
  if (options.force && !options.save) throw usageError(t('weekly.forceWithoutSave'));
  // A week not yet begun has nothing to save, and a saved empty copy would later need --force.
  if (options.save && span.start > ctx.today) {
    throw usageError(t('weekly.saveNotBegun', { week: span.week, start: span.start, end: span.end, today: ctx.today }));
  }
  const format = await outputFormat(options.out);
  noteUnusedEncoding(ctx, options.encoding, format);

  if (ctx.json && !options.out && !options.save && !options.compare) {
    // The JSON alone: read and encoded town by town (readWeeklyJson), written once complete.
    const pieces = await withDatabase(ctx, async (handle) => readWeeklyJson(handle, span, (await resolveScope(handle.db, options.town)).townId), { mustExist: true, reporting: true });
    if (span.end >= ctx.today) ctx.io.err(t('weekly.weekNotOver', { week: span.week, end: span.end }));
    for (const piece of pieces) ctx.io.out(piece);
    return;
  }

  const { report, scope, previous, compareTable, version } = await withFileBatch((batch) =>
    withDatabase(
      ctx,
      async (handle) => {
        const scope = await resolveScope(handle.db, options.town);
        const report = await readWeeklyReport(handle, span, scope.townId);
        const previous = options.compare ? await previousFor(handle.db, report.week, scope) : undefined;
        const compareTable = previous ? weeklyCompareTable(report, previous) : undefined;
        // The file is written (under its temporary name) before the week is saved: a file that
        // cannot be written, or not in the encoding asked for, saves nothing.
        if (options.out && format) {
          const tables: Table[] = compareTable ? [compareTable] : weeklyFileTables(report, scope.grouped, format);
          const scopeText = scope.key !== '' ? scopeLabel(scope.key) : t(scope.grouped ? 'weekly.metaScopeGrouped' : 'weekly.metaScopeUnits');
          await (await tableFiles()).writeTableFile(options.out, tables, weeklyMeta(report, scopeText, localTimestamp()), { encoding: options.encoding, batch });
        }
        const version = options.save ? await save(handle, report, scope.key, options.force === true) : undefined;
        return { report, scope, previous, compareTable, version };
      },
      { mustExist: true, reporting: true },
    ),
  );

  if (report.end >= ctx.today) ctx.io.err(t('weekly.weekNotOver', { week: report.week, end: report.end }));
  if (version !== undefined) ctx.io.err(t('weekly.saved', { week: report.week, scope: scopeLabel(scope.key), version }));
  if (options.compare && !previous) ctx.io.err(t('weekly.noPrevious', { week: report.week, scope: scopeLabel(scope.key) }));

  if (ctx.json) {
    if (previous) writeJson(ctx.io.out, { ...weeklyDocument(report), previous: { ...weeklyDocument(previous), savedAt: previous.savedAt } });
    else writeWeeklyDocument(ctx.io.out, report);
  } else {
    const tables = compareTable ? [compareTable] : weeklyTerminalTables(report, scope.grouped);
    // A table at a time (a blank line between): a hundred thousand rows are never one string.
    tables.forEach((table, i) => ctx.io.out((i > 0 ? '\n' : '') + renderTerminal(table, { color: ctx.color })));
  }
  if (options.out) ctx.io.err(t('weekly.written', { path: options.out }));
}

/** The previous saved week of the same scope; for one town, an all-towns report also serves. */
async function previousFor(db: Kysely<Database>, week: string, scope: Scope): Promise<(WeeklyReport & { savedAt: string }) | undefined> {
  const scopes = scope.key === '' ? [''] : [scope.key, ''];
  const saved = await previousSavedWeek(db, week, scopes);
  if (!saved) return undefined;
  const report = reportFromDocument(saved.data);
  return { ...(saved.town === '' && scope.key !== '' ? onlyTown(report, scope.key) : report), savedAt: saved.savedAt };
}

/** Store the report; a week already saved for this scope is refused without --force (exit 3:
 * nothing was written, the stored report stands). Returns the version number. */
async function save(handle: DbHandle, report: WeeklyReport, scope: string, force: boolean): Promise<number> {
  return handle.writeTransaction(async () => {
    const existing = await findSavedWeek(handle.db, report.week, scope);
    if (existing && !force) throw dataError(t('weekly.alreadySaved', { week: report.week, scope: scopeLabel(scope), savedAt: existing.savedAt }));
    await saveWeeklyReport(handle.db, { week: report.week, town: scope, savedAt: localTimestamp(), data: JSON.stringify(weeklyDocument(report)) });
    return (await listSavedWeeks(handle.db, [scope])).filter((s) => s.week === report.week).length;
  });
}

async function runHistory(ctx: CommandContext, options: WeeklyOptions): Promise<void> {
  for (const [given, option] of [
    [options.week, '--week'],
    [options.date, '--date'],
    [options.save, '--save'],
    [options.force, '--force'],
    [options.compare, '--compare'],
  ] as const) {
    if (given !== undefined) throw usageError(t('weekly.historyWithOthers', { option }));
  }
  const format = await outputFormat(options.out);
  noteUnusedEncoding(ctx, options.encoding, format);
  const entries = await withDatabase(
    ctx,
    async ({ db }) => {
      const scope = await resolveScope(db, options.town);
      return historyEntries(await listSavedWeeks(db, typeof options.town === 'string' ? [scope.key] : undefined));
    },
    { mustExist: true, reporting: true },
  );
  if (ctx.json) {
    ctx.io.out(toJson({ reports: entries }));
  } else {
    ctx.io.out(renderTerminal(weeklyHistoryTable(entries), { color: ctx.color }));
  }
  if (options.out && format) {
    const table = weeklyHistoryTable(entries);
    await (await tableFiles()).writeTableFile(options.out, [table], { title: table.title, entries: [[t('weekly.metaGeneratedAt'), localTimestamp()]] }, { encoding: options.encoding });
    ctx.io.err(t('weekly.written', { path: options.out }));
  }
}
