// dbd checkin / org-checkin / activity: recording one check-in, pairing or activity (SPEC §5).
import type { Command } from 'commander';
import { normaliseText } from '../domain/text.js';
import { MAX_ACTIVITY_HOURS, parseHours } from '../domain/activity.js';
import { usageError } from '../errors.js';
import { t } from '../i18n/index.js';
import { declare, lazy, parseDateValue, parseNameValue } from './declare.js';

/** Hours or points: a decimal number ≥ 0 (not 0x10 or 1e9), at most `max` when given. */
export function parseAmount(option: string, max?: number) {
  return (value: string): number => {
    const trimmed = normaliseText(value);
    if (!/^(\d+(\.\d*)?|\.\d+)$/.test(trimmed)) throw usageError(t('record.badAmount', { option, value }));
    const number = Number(trimmed);
    if (max !== undefined && number > max) throw usageError(t('record.amountTooLarge', { option, value, max }));
    return number;
  };
}

/** --hours: a decimal number as parseAmount takes it, or hours as a register writes them
 * (90分钟, 1小时30分, 1个半小时: parseHours, as the import reads them); at most `max`. */
export function parseHoursValue(option: string, max: number) {
  const amount = parseAmount(option, max);
  return (value: string): number => {
    const hours = parseHours(normaliseText(value));
    if (hours === undefined) return amount(value);
    if (hours > max) throw usageError(t('record.amountTooLarge', { option, value, max }));
    return hours;
  };
}

export function registerRecording(program: Command): void {
  declare(program, 'checkin', 'checkin', [
    'dbd checkin 330106199402258655 --community 杏花村 --date 2026-03-06',
    'dbd checkin 13704999622 --community 白沙社区 --post 网格协管员',
    'dbd checkin 胡宏欣 --community 滨江社区 --town 白沙街道',
    'dbd checkin --void 330106199402258655 --reason 登记错误',
  ])
    .argument('<member>', t('help.checkinMember'))
    .option('--community <name>', t('help.checkinCommunity'), parseNameValue('--community'))
    .option('--town <name>', t('help.recordTown'), parseNameValue('--town'))
    .option('--date <date>', t('help.checkinDate'), parseDateValue('--date'))
    .option('--post <text>', t('help.checkinPost'))
    .option('--void', t('help.checkinVoid'))
    .option('--reason <text>', t('help.checkinReason'))
    .option('--full-id', t('common.optFullId'))
    .option('--json', t('common.optJson'))
    .action(lazy(() => import('../commands/checkin.js')));

  declare(program, 'org-checkin', 'orgCheckin', [
    'dbd org-checkin 内科一支部 --community 白沙社区 --date 2026-03-10',
    'dbd org-checkin 中共樟溪区税务局机关支部委员会 --town 柳林镇',
  ])
    .argument('<org>', t('help.orgCheckinOrg'))
    .option('--community <name>', t('help.orgCheckinCommunity'), parseNameValue('--community'))
    .option('--town <name>', t('help.orgCheckinTown'), parseNameValue('--town'))
    .option('--date <date>', t('help.orgCheckinDate'), parseDateValue('--date'))
    .option('--json', t('common.optJson'))
    .action(lazy(() => import('../commands/orgCheckin.js')));

  declare(program, 'activity', 'activity', [
    'dbd activity 330106199402258655 --community 杏花村 --date 2026-04-12 --category 环境整治 --hours 2',
    'dbd activity 胡宏欣 --community 白沙社区 --date 2026-05-01 --category 关爱帮扶 --hours 1.5 --points 3 --note 走访独居老人',
  ])
    .argument('<member>', t('help.activityMember'))
    .requiredOption('--community <name>', t('help.activityCommunity'), parseNameValue('--community'))
    .option('--town <name>', t('help.recordTown'), parseNameValue('--town'))
    .requiredOption('--date <date>', t('help.activityDate'), parseDateValue('--date'))
    .requiredOption('--category <text>', t('help.activityCategory'))
    .option('--hours <h>', t('help.activityHours'), parseHoursValue('--hours', MAX_ACTIVITY_HOURS))
    .option('--points <p>', t('help.activityPoints'), parseAmount('--points'))
    .option('--note <text>', t('help.activityNote'))
    .option('--full-id', t('common.optFullId'))
    .option('--json', t('common.optJson'))
    .action(lazy(() => import('../commands/activity.js')));
}
