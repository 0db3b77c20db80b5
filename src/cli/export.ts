import type { Command } from 'commander';
import { Option } from 'commander';
import { declare, lazy, outputEncodingOption } from './declare.js';
import { parseBelowOption, parseMinActivities } from './rate.js';
import { t } from '../i18n/index.js';

export function registerExport(program: Command): void {
  const exportCommand = declare(program, 'export', 'export', ['dbd export monthly --month 2026-11', 'dbd export monthly --month last --dir 月报']);
  declare(exportCommand, 'monthly', 'exportMonthly', [
    'dbd export monthly',
    'dbd export monthly --month 2026-11 --dir 导出',
    'dbd export monthly --month last --json',
    'dbd export monthly --month 2026-11 --format csv --encoding gbk',
    'dbd export monthly --month 2026-11 --below 0.85 --full-id',
  ])
    .option('--month <month>', t('export.optMonth'))
    .option('--dir <dir>', t('export.optDir'), 'exports')
    .addOption(new Option('--format <format>', t('export.optFormat')).choices(['xlsx', 'csv']).default('xlsx'))
    .option('--below <t>', t('export.optBelow'), parseBelowOption)
    .option('--min-activities <n>', t('export.optMinActivities'), parseMinActivities)
    .option('--full-id', t('common.optFullId'))
    .addOption(outputEncodingOption(t('export.optEncoding')))
    .option('--json', t('common.optJson'))
    .action(lazy(() => import('../commands/export.js')));
}
