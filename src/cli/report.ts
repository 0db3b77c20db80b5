// dbd report --html FILE: the page with charts for the leaders.
import type { Command } from 'commander';
import { t } from '../i18n/index.js';
import { declare, lazy, parseDateValue } from './declare.js';
import { parseBelowOption } from './rate.js';

export function registerReport(program: Command): void {
  declare(program, 'report', 'report', [
    'dbd report --html 报到情况.html',
    'dbd report --html 2026-11报到情况.html --month 2026-11',
    'dbd report --html 6月底报到情况.html --as-of 2026-06-30',
  ])
    .requiredOption('--html <file>', t('help.reportHtml'))
    .option('--month <month>', t('help.reportMonth'))
    .option('--as-of <date>', t('help.reportAsOf'), parseDateValue('--as-of'))
    .option('--below <t>', t('help.reportBelow'), parseBelowOption)
    .option('--json', t('common.optJson'))
    .action(lazy(() => import('../commands/report.js')));
}
