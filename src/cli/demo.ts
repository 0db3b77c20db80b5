import type { Command } from 'commander';
import { declare, lazy } from './declare.js';
import { t } from '../i18n/index.js';

export function registerDemo(program: Command): void {
  declare(program, 'demo', 'demo', ['dbd demo', 'dbd demo --db 演示.sqlite --dir 演示导出'])
    .option('--dir <dir>', t('help.demoDir'), 'exports')
    .action(lazy(() => import('../commands/demo.js')));
}
