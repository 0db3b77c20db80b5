// dbd demo: the main job on the bundled sample data, from a fresh clone with no set-up.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fs from 'node:fs';
import { makeContext, withDatabase, type CommonOptions } from '../cli/context.js';
import { importFiles } from '../ingest/importFiles.js';
import { importSummaryTable } from '../report/importReport.js';
import { renderTerminal } from '../render/terminal.js';
import { t } from '../i18n/index.js';
import { dataError } from '../errors.js';

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
  const ctx = makeContext({ ...options, today: options.today ?? process.env.DBD_TODAY ?? DEMO_TODAY });
  const fixtures = demoFixtureDir();
  ctx.io.out(t('report.demoStart', { db: path.resolve(ctx.dbPath), today: ctx.today }));
  const result = await withDatabase(ctx, (handle) =>
    importFiles(handle, DEMO_FILES.map((file) => path.join(fixtures, file)), { today: ctx.today }),
  );
  ctx.io.out(renderTerminal(importSummaryTable(result), { color: ctx.color }));
  if (!result.written) throw dataError(t('ingest.nothingWritten', { count: result.errorCount }));
  ctx.io.out(t('report.demoDbAt', { db: path.resolve(ctx.dbPath) }));
}
