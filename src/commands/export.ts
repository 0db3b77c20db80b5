// dbd export monthly: the month's bundle of spreadsheets with stable names, for cron.
import path from 'node:path';
import { type CommonOptions, makeContext, noteUnusedEncoding, withDatabase } from '../cli/context.js';
import { DEFAULT_THRESHOLD, thresholdValue, type Threshold } from '../domain/rates.js';
import { t } from '../i18n/index.js';
import type { CsvEncoding } from '../render/csv.js';
import { toJson } from '../render/json.js';
import { checkOutputDir } from '../render/outputPath.js';
import { ProgressLine, ProgressMeter, progressDetail } from '../render/progress.js';
import { monthAsOf, selectMonth, writeMonthlyBundle, type BundleFormat } from '../report/monthly.js';
import { localTimestamp } from '../report/weekly.js';
import { DEFAULT_MIN_ACTIVITIES } from './rate.js';

export interface ExportMonthlyOptions extends CommonOptions {
  month?: string;
  dir: string;
  format: BundleFormat;
  below?: Threshold;
  minActivities?: number;
  fullId?: boolean;
  encoding?: CsvEncoding;
}

export async function run(options: ExportMonthlyOptions): Promise<void> {
  const ctx = makeContext(options);
  const { month, start, end } = selectMonth(options.month, ctx.today);
  const threshold = options.below ?? DEFAULT_THRESHOLD;
  const bundle = {
    month,
    start,
    end,
    today: ctx.today,
    threshold,
    minActivities: options.minActivities ?? DEFAULT_MIN_ACTIVITIES,
    fullId: options.fullId === true,
    generatedAt: localTimestamp(),
  };
  const asOf = monthAsOf(bundle);
  noteUnusedEncoding(ctx, options.encoding, options.format);
  // Progress on a terminal only (not under --json, not into a pipe): the step, then each file.
  const progress = !ctx.json && ctx.io.errIsTty ? new ProgressLine(process.stderr) : undefined;
  progress?.update(t('render.progressBuilding', { month }), true);
  checkOutputDir(options.dir);
  const dir = path.resolve(options.dir);
  const meter = new ProgressMeter();
  const paths = await withDatabase(
    ctx,
    (handle) =>
      writeMonthlyBundle(
        handle,
        bundle,
        dir,
        options.format,
        options.encoding,
        progress && ((file, index, total) => progress.update(t('render.progressWriting', { index, total, file }) + progressDetail(meter.measure(index - 1, total)), true)),
      ),
    { mustExist: true, reporting: true },
  );
  progress?.done();

  if (asOf < end) ctx.io.err(t('export.partialMonth', { month, asOf }));
  if (ctx.json) {
    ctx.io.out(toJson({ month, dir, asOf, threshold: thresholdValue(threshold), files: paths }));
    return;
  }
  ctx.io.out(t('export.written', { month, count: paths.length, dir }));
  for (const file of paths) ctx.io.out(`  ${file}`);
}
