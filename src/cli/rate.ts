// dbd rate: the check-in rate table (SPEC §6, §7).
import { Option, type Command } from 'commander';
import { parseThreshold, type Threshold } from '../domain/rates.js';
import { usageError } from '../errors.js';
import { t } from '../i18n/index.js';
import { RATE_GROUPINGS } from '../report/rate.js';
import { declare, lazy, outputEncodingOption, parseDateValue } from './declare.js';

/** --below T: a number in (0, 1] (0.9, .9, 90%), exactly; anything else is a usage error. */
export function parseBelowOption(value: string): Threshold {
  const threshold = parseThreshold(value);
  if (!threshold) throw usageError(t('rate.badThreshold', { value }));
  return threshold;
}

export function parseMinActivities(value: string): number {
  const trimmed = value.trim();
  if (!/^\d+$/.test(trimmed) || !Number.isSafeInteger(Number(trimmed))) throw usageError(t('rate.badMinActivities', { value }));
  return Number(trimmed);
}

export function registerRate(program: Command): void {
  declare(program, 'rate', 'rate', [
    'dbd rate',
    'dbd rate --below 0.9',
    'dbd rate --by town --as-of 2026-06-30',
    'dbd rate --out 报到率.xlsx',
    'dbd rate --below 0.9 --out 低于90%组织.csv --json',
  ])
    .option('--below <t>', t('help.rateBelow'), parseBelowOption)
    .addOption(new Option('--by <grouping>', t('help.rateBy')).choices([...RATE_GROUPINGS]).default('org'))
    .option('--as-of <date>', t('help.rateAsOf'), parseDateValue('--as-of'))
    .option('--min-activities <n>', t('help.rateMinActivities'), parseMinActivities)
    .option('--out <file>', t('help.rateOut'))
    .addOption(outputEncodingOption(t('help.rateEncoding')))
    .option('--json', t('common.optJson'))
    .action(lazy(() => import('../commands/rate.js')));
}
