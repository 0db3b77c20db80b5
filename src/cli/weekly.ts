import type { Command } from 'commander';
import { declare, lazy, outputEncodingOption, parseDateValue } from './declare.js';
import { t } from '../i18n/index.js';

export function registerWeekly(program: Command): void {
  declare(program, 'weekly-report', 'weeklyReport', [
    'dbd weekly-report --town',
    'dbd weekly-report --town 白沙街道 --week 2026-W46',
    'dbd weekly-report --town --date 2026-11-12 --out 周报.xlsx',
    'dbd weekly-report --town --save',
    'dbd weekly-report --history',
    'dbd weekly-report --town --compare',
    'dbd weekly-report --week 2026-W46 --json',
  ])
    .option('--town [name]', t('weekly.optTown'))
    .option('--week <week>', t('weekly.optWeek'))
    .option('--date <date>', t('weekly.optDate'), parseDateValue('--date'))
    .option('--save', t('weekly.optSave'))
    .option('--force', t('weekly.optForce'))
    .option('--out <file>', t('weekly.optOut'))
    .addOption(outputEncodingOption(t('weekly.optEncoding')))
    .option('--history', t('weekly.optHistory'))
    .option('--compare', t('weekly.optCompare'))
    .option('--json', t('common.optJson'))
    .action(lazy(() => import('../commands/weeklyReport.js')));
}
