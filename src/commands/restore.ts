// dbd restore FILE [--force]: replace the database by a checked backup, keeping the old one.
import path from 'node:path';
import { makeContext, type CommonOptions } from '../cli/context.js';
import { isPostgresUrl } from '../db/open.js';
import { restoreDatabase } from '../db/restore.js';
import { usageError } from '../errors.js';
import { t } from '../i18n/index.js';
import { toJson } from '../render/json.js';

export interface RestoreOptions extends CommonOptions { force?: boolean }

export async function run(file: string, options: RestoreOptions): Promise<void> {
  const ctx = makeContext(options);
  if (isPostgresUrl(ctx.dbPath)) throw usageError(t('db.pgRestore'));
  const result = await restoreDatabase(file, ctx.dbPath, { force: options.force });
  if (ctx.json) {
    ctx.io.out(
      toJson({
        database: path.resolve(result.database),
        restoredFrom: path.resolve(result.restoredFrom),
        keptAs: result.keptAs && path.resolve(result.keptAs),
        migrated: result.migrated,
        ...result.counts,
      }),
    );
    return;
  }
  ctx.io.out(
    t('safety.restoreDone', {
      db: path.resolve(result.database),
      file: path.resolve(result.restoredFrom),
      members: result.counts.members ?? 0,
      checkins: result.counts.checkins ?? 0,
      activities: result.counts.activities ?? 0,
    }),
  );
  if (result.migrated.length) ctx.io.out(t('safety.restoreMigrated', { migrations: result.migrated.join(t('common.listSeparator')) }));
  if (result.keptAs) ctx.io.out(t('safety.restoreKept', { file: path.resolve(result.keptAs) }));
}
