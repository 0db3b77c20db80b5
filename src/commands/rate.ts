// dbd rate: options → the rate report → terminal table, JSON, and optionally a spreadsheet.
import { type CommonOptions, makeContext, noteUnusedEncoding, withDatabase } from '../cli/context.js';
import { DEFAULT_THRESHOLD, type Threshold } from '../domain/rates.js';
import { t } from '../i18n/index.js';
import { writeJson } from '../render/json.js';
import { renderTerminal } from '../render/terminal.js';
import { belowOnly, buildRateReport, rateDocument, rateMeta, rateSummary, rateTable, type RateBy } from '../report/rate.js';

export interface RateCommandOptions extends CommonOptions {
  below?: Threshold;
  by?: RateBy;
  asOf?: string;
  minActivities?: number;
  out?: string;
  encoding?: 'utf8' | 'gbk';
}

export const DEFAULT_MIN_ACTIVITIES = 2;

/** Local time as a clerk reads it: 2026-11-21 14:05:09. */
function localTimestamp(date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

export async function run(options: RateCommandOptions): Promise<void> {
  const ctx = makeContext(options);
  // A wrong extension or a path that cannot be written is a usage error, found before any work is done. The spreadsheet writer
  // (and exceljs with it) is loaded only when there is a file to write.
  const files = options.out !== undefined ? await import('../render/xlsx.js') : undefined;
  const format = options.out !== undefined && files ? files.checkTableOutput(options.out, t('rate.badOutExtension', { path: options.out }), { database: ctx.dbPath }) : undefined;
  noteUnusedEncoding(ctx, options.encoding, format);
  const filtered = options.below !== undefined;
  const full = await withDatabase(
    ctx,
    (handle) =>
      buildRateReport(handle.db, {
        asOf: options.asOf ?? ctx.today,
        threshold: options.below ?? DEFAULT_THRESHOLD,
        by: options.by ?? 'org',
        // The shortfall column is shown on the terminal and in --out files; JSON carries it only
        // when --min-activities asks. Counting every member's activities when nothing shows
        // them is most of the query time of a large city.
        minActivities: options.minActivities ?? (ctx.json && !options.out ? 0 : DEFAULT_MIN_ACTIVITIES),
      }),
    { mustExist: true, reporting: true },
  );
  const report = filtered ? belowOnly(full) : full;
  const table = rateTable(report, { belowOnly: filtered });

  if (options.out && files) {
    const encoding = options.encoding === 'gbk' ? 'gbk' : 'utf8';
    await files.writeTableFile(options.out, [table], rateMeta(report, localTimestamp(), { belowOnly: filtered }), { encoding });
  }

  if (ctx.json) {
    writeJson(ctx.io.out, rateDocument(report, { includeShortfall: options.minActivities !== undefined }));
    if (options.out) ctx.io.err(t('rate.written', { path: options.out }));
    return;
  }
  ctx.io.out(renderTerminal(table, { color: ctx.color }));
  for (const line of rateSummary(report)) ctx.io.out(line);
  if (options.out) ctx.io.out(t('rate.written', { path: options.out }));
}
