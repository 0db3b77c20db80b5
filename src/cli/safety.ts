import type { Command } from 'commander';
import { lazy, parseLimitOption, withCommonOptions } from './declare.js';
import { t } from '../i18n/index.js';

/** Like declare(), with the description from the safety catalogue. */
function command(program: Command, name: string, helpKey: string, examples: string[]): Command {
  const declared = program.command(name).description(t(`safety.${helpKey}`));
  declared.addHelpText('after', `\n${t('common.examples')}\n${examples.map((line) => `  ${line}`).join('\n')}\n`);
  return withCommonOptions(declared);
}

export function registerSafety(program: Command): void {
  command(program, 'backup', 'helpBackup', ['dbd backup 备份/dbd-2026-11-21.sqlite', 'dbd backup 备份/', 'dbd backup 备份/每日.sqlite --force'])
    .argument('<file>', t('safety.helpBackupFile'))
    .option('--force', t('safety.helpBackupForce'))
    .option('--json', t('common.optJson'))
    .action(lazy(() => import('../commands/backup.js')));

  command(program, 'restore', 'helpRestore', ['dbd restore 备份/dbd-2026-11-21.sqlite', 'dbd restore 备份/dbd-2026-11-21.sqlite --force'])
    .argument('<file>', t('safety.helpRestoreFile'))
    .option('--force', t('safety.helpRestoreForce'))
    .option('--json', t('common.optJson'))
    .action(lazy(() => import('../commands/restore.js')));

  command(program, 'log', 'helpLog', ['dbd log', 'dbd log --limit 100', 'dbd log --json'])
    .option('--limit <n>', t('safety.helpLogLimit'), parseLimitOption)
    .option('--json', t('common.optJson'))
    .action(lazy(() => import('../commands/log.js')));
}
