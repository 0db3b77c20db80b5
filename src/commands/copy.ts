// dbd copy --to TARGET | --from SOURCE: thin adapter over db/copy.
import { makeContext, type CommonOptions } from '../cli/context.js';
import { copyDatabase, tableLabel } from '../db/copy.js';
import { isPostgresUrl } from '../db/open.js';
import { usageError } from '../errors.js';
import { t } from '../i18n/index.js';
import { toJson } from '../render/json.js';
import { checkOutputFile } from '../render/outputPath.js';
import { ProgressLine, ProgressMeter, progressDetail } from '../render/progress.js';

export interface CopyCommandOptions extends CommonOptions {
  to?: string;
  from?: string;
}

export async function run(options: CopyCommandOptions): Promise<void> {
  const ctx = makeContext(options);
  if (Boolean(options.to) === Boolean(options.from)) throw usageError(t('safety.copyOneOf'));
  // --to: the current database is the source; --from: it is the target.
  const [source, target] = options.to ? [ctx.dbPath, options.to] : [options.from as string, ctx.dbPath];
  // A target file that cannot be written (a folder, under a file) is wrong usage, found before any work.
  if (!isPostgresUrl(target)) checkOutputFile(target);
  const progress = !ctx.json && ctx.io.errIsTty ? new ProgressLine(process.stderr) : undefined;
  const meter = new ProgressMeter();
  const result = await copyDatabase(source, target, {
    onProgress: progress
      ? (p) => progress.update(t('safety.copyProgress', { table: tableLabel(p.table), rows: p.rows.toLocaleString('en-US') }) + progressDetail(meter.measure(p.copied, p.total), 'rows'))
      : undefined,
  });
  progress?.done();
  if (ctx.json) {
    ctx.io.out(toJson({ from: result.from, to: result.to, tables: result.counts, total: result.total }));
    return;
  }
  ctx.io.out(
    t('safety.copyDone', {
      from: result.from,
      to: result.to,
      members: result.counts.members,
      checkins: result.counts.checkins,
      activities: result.counts.activities,
      total: result.total,
    }),
  );
}
