// dbd copy --to TARGET | --from SOURCE: a whole database between SQLite and PostgreSQL.
import type { Command } from 'commander';
import { t } from '../i18n/index.js';
import { lazy, withCommonOptions } from './declare.js';

const EXAMPLES = [
  'dbd copy --db 白沙街道.sqlite --to postgres://dbd@192.168.1.10/city',
  'dbd copy --from 备份/dbd-2026-11-21.sqlite --db postgres://dbd@192.168.1.10/city',
  'dbd copy --db postgres://dbd@192.168.1.10/city --to 备份/city-2026-11-21.sqlite',
  'dbd copy --to postgres://dbd@192.168.1.10/city --json',
];

export function registerCopy(program: Command): void {
  const command = program.command('copy').description(t('safety.helpCopy'));
  command.addHelpText('after', `\n${t('common.examples')}\n${EXAMPLES.map((line) => `  ${line}`).join('\n')}\n`);
  withCommonOptions(command)
    .option('--to <target>', t('safety.helpCopyTo'))
    .option('--from <source>', t('safety.helpCopyFrom'))
    .option('--json', t('common.optJson'))
    .action(lazy(() => import('../commands/copy.js')));
}
