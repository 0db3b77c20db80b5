// dbd demo: the main job on the bundled sample data, from a fresh clone with no set-up:
// import the samples, print the rate table and last week's town report, write the month's
// export bundle, and say where everything went.
import path from 'node:path';
import { describeDatabase, isPostgresUrl } from '../db/open.js';
import { fileURLToPath } from 'node:url';
import fs from 'node:fs';
import { makeContext, withDatabase, type CommonOptions } from '../cli/context.js';
import { DEFAULT_THRESHOLD, formatThresholdPercent } from '../domain/rates.js';
import { importFiles } from '../ingest/importFiles.js';
import { importSummaryTable } from '../report/importReport.js';
import { selectMonth, writeMonthlyBundle } from '../report/monthly.js';
import { buildRateReport, rateSummary, rateTable } from '../report/rate.js';
import { buildWeeklyReport, localTimestamp, selectWeek, weeklyTerminalTables } from '../report/weekly.js';
import { checkOutputDir } from '../render/outputPath.js';
import { renderTerminal } from '../render/terminal.js';
import { t } from '../i18n/index.js';
import { dataError } from '../errors.js';
import { DEFAULT_MIN_ACTIVITIES } from './rate.js';

/** The sample data describe November 2026: the demo looks at them from that date. */
export const DEMO_TODAY = '2026-11-21';

export interface DemoOptions extends CommonOptions { dir: string }

export function demoFixtureDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    const candidate = path.join(dir, 'fixtures', 'demo');
    if (fs.existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  throw new Error('fixtures/demo not found');
}

export const DEMO_FILES = ['社区名单.csv', '单位党组织名册.xlsx', '在职党员花名册.xlsx', '报到登记.csv', '志愿服务记录.xlsx', '结对共建.xlsx'];

export async function run(options: DemoOptions): Promise<void> {
  // An empty DBD_TODAY means "not set", as everywhere else (an empty --today is refused).
  const ctx = makeContext({ ...options, today: options.today ?? (process.env.DBD_TODAY || DEMO_TODAY) });
  const fixtures = demoFixtureDir();
  const db = isPostgresUrl(ctx.dbPath) ? describeDatabase(ctx.dbPath) : path.resolve(ctx.dbPath);
  checkOutputDir(options.dir);
  const dir = path.resolve(options.dir);
  const color = { color: ctx.color };
  const pct = formatThresholdPercent(DEFAULT_THRESHOLD);
  ctx.io.out(t('report.demoStart', { db, today: ctx.today }));

  const paths = await withDatabase(ctx, async (handle) => {
    const result = await importFiles(handle, DEMO_FILES.map((file) => path.join(fixtures, file)), { today: ctx.today });
    ctx.io.out(renderTerminal(importSummaryTable(result), color));
    if (!result.written) throw dataError(t('ingest.nothingWritten', { count: result.errorCount }));

    const rate = await buildRateReport(handle.db, { asOf: ctx.today, threshold: DEFAULT_THRESHOLD, by: 'org', minActivities: DEFAULT_MIN_ACTIVITIES });
    ctx.io.out(t('report.demoRateHeading', { asOf: ctx.today, pct }));
    ctx.io.out(renderTerminal(rateTable(rate), color));
    for (const line of rateSummary(rate)) ctx.io.out(line);

    const weekly = await buildWeeklyReport(handle.db, selectWeek({ today: ctx.today }));
    ctx.io.out(t('report.demoWeeklyHeading', { week: weekly.week, start: weekly.start, end: weekly.end }));
    ctx.io.out(weeklyTerminalTables(weekly, true).map((table) => renderTerminal(table, color)).join('\n'));

    const month = selectMonth(undefined, ctx.today);
    ctx.io.out(t('report.demoExportHeading', { month: month.month }));
    const bundle = { ...month, today: ctx.today, threshold: DEFAULT_THRESHOLD, minActivities: DEFAULT_MIN_ACTIVITIES, fullId: false, generatedAt: localTimestamp() };
    return writeMonthlyBundle(handle, bundle, dir, 'xlsx');
  });

  for (const file of paths) ctx.io.out(`  ${file}`);
  ctx.io.out('');
  ctx.io.out(t('report.demoWhere', { db, dir }));
  ctx.io.out(t('report.demoNext', { today: ctx.today }));
}
