// dbd report --html FILE [--month M] [--as-of D]: options → the report's figures → one HTML file.
import path from 'node:path';
import { makeContext, withDatabase, type CommonOptions } from '../cli/context.js';
import { DEFAULT_THRESHOLD, thresholdValue, type Threshold } from '../domain/rates.js';
import { usageError } from '../errors.js';
import { t } from '../i18n/index.js';
import { writeFileAtomic } from '../render/atomic.js';
import { toJson } from '../render/json.js';
import { checkOutputFile } from '../render/outputPath.js';
import { buildHtmlReport, htmlReportPage, selectPeriod } from '../report/html.js';
import { localTimestamp } from '../report/weekly.js';
import { DEFAULT_MIN_ACTIVITIES } from './rate.js';

export interface ReportCommandOptions extends CommonOptions {
  html: string;
  month?: string;
  asOf?: string;
  below?: Threshold;
}

export async function run(options: ReportCommandOptions): Promise<void> {
  const ctx = makeContext(options);
  if (!/\.html?$/i.test(options.html)) throw usageError(t('html.badExtension', { path: options.html }));
  checkOutputFile(options.html);
  const period = selectPeriod({ month: options.month, asOf: options.asOf, today: ctx.today });
  const threshold = options.below ?? DEFAULT_THRESHOLD;
  const data = await withDatabase(
    ctx,
    ({ db }) => buildHtmlReport(db, { ...period, today: ctx.today, threshold, minActivities: DEFAULT_MIN_ACTIVITIES }),
    { mustExist: true, reporting: true },
  );
  const file = path.resolve(options.html);
  await writeFileAtomic(file, Buffer.from(htmlReportPage(data, localTimestamp()), 'utf8'));

  if (ctx.json) ctx.io.out(toJson({ file, month: period.month, asOf: period.asOf, threshold: thresholdValue(threshold) }));
  else ctx.io.out(t('html.written', { path: file }));
}
