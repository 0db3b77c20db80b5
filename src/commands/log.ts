// dbd log: the audit trail — who changed the database, when, with which command, how much.
import { makeContext, withDatabase, type CommonOptions } from '../cli/context.js';
import { readAudit, type AuditEntry, type AuditSummary } from '../db/audit.js';
import { t } from '../i18n/index.js';
import { toJson } from '../render/json.js';
import { renderTerminal } from '../render/terminal.js';

export interface LogOptions extends CommonOptions { limit?: number }

export const DEFAULT_LOG_LIMIT = 20;

export async function run(options: LogOptions): Promise<void> {
  const ctx = makeContext(options);
  const limit = options.limit ?? DEFAULT_LOG_LIMIT;
  const entries = await withDatabase(ctx, ({ db }) => readAudit(db, limit), { mustExist: true, reporting: true });
  if (ctx.json) {
    ctx.io.out(toJson({ count: entries.length, entries: entries.map(({ summary, ...entry }) => ({ ...entry, ...summary })) }));
    return;
  }
  ctx.io.out(
    renderTerminal(
      {
        name: t('safety.logTitle'),
        title: t('safety.logCount', { count: entries.length }),
        columns: [
          { key: 'at', header: t('safety.colAt'), kind: 'text' },
          { key: 'user', header: t('safety.colUser'), kind: 'text' },
          { key: 'command', header: t('safety.colCommand'), kind: 'text' },
          { key: 'changes', header: t('safety.colChanges'), kind: 'text' },
        ],
        rows: entries.map((entry: AuditEntry) => ({ at: localTime(entry.at), user: entry.user, command: entry.command, changes: describe(entry.summary) })),
      },
      { color: ctx.color },
    ),
  );
}

/** An ISO timestamp as the local wall-clock time a clerk reads: 2026-11-21 14:02:11. */
export function localTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

export function describe(summary: AuditSummary): string {
  const parts: string[] = [];
  const added = Object.entries(summary.added).filter(([, n]) => (n ?? 0) > 0);
  if (added.length) parts.push(t('safety.added', { list: added.map(([table, n]) => `${t(`safety.table_${table}`)} ${n}`).join(t('common.listSeparator')) }));
  if (summary.changes > 0) parts.push(t('safety.rowsChanged', { count: summary.changes }));
  if (summary.migrations?.length) parts.push(t('safety.migrated', { list: summary.migrations.join(t('common.listSeparator')) }));
  if (summary.restoredFrom) parts.push(t('safety.restoredFrom', { file: summary.restoredFrom }));
  if (summary.keptAs) parts.push(t('safety.keptAs', { file: summary.keptAs }));
  if (summary.note) parts.push(summary.note);
  return parts.join(t('common.groupSeparator'));
}
