// dbd backup FILE: a consistent copy of the database while others may be writing.
import path from 'node:path';
import { makeContext, withDatabase, type CommonOptions } from '../cli/context.js';
import { backupDatabase, backupTarget } from '../db/backup.js';
import { t } from '../i18n/index.js';
import { toJson } from '../render/json.js';

export interface BackupOptions extends CommonOptions { force?: boolean }

export async function run(file: string, options: BackupOptions): Promise<void> {
  const ctx = makeContext(options);
  const target = backupTarget(file, ctx.dbPath, new Date());
  const result = await withDatabase(ctx, (handle) => backupDatabase(handle, target, { force: options.force }), { mustExist: true });
  if (ctx.json) {
    ctx.io.out(toJson({ database: path.resolve(ctx.dbPath), file: path.resolve(result.file), bytes: result.bytes, integrity: 'ok', ...result.counts }));
    return;
  }
  ctx.io.out(
    t('safety.backupDone', {
      file: path.resolve(result.file),
      size: formatBytes(result.bytes),
      members: result.counts.members ?? 0,
      checkins: result.counts.checkins ?? 0,
      activities: result.counts.activities ?? 0,
    }),
  );
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}
