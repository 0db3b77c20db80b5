import type { Command } from 'commander';
import { declare, lazy, parseDateValue, parseLimitOption, parseNameValue } from './declare.js';
import { t } from '../i18n/index.js';

export function registerListings(program: Command): void {
  declare(program, 'members', 'members', [
    'dbd members --org 内科一支部',
    'dbd members --not-reported --town 白沙街道',
    'dbd members --as-of 2026-06-30 --town 未知',
    'dbd members --search 王伟 --json',
  ])
    .option('--org <name>', t('help.listOrg'), parseNameValue('--org'))
    .option('--town <name>', t('help.membersTown'), parseNameValue('--town'))
    .option('--community <name>', t('help.listCommunity'), parseNameValue('--community'))
    .option('--not-reported', t('help.listNotReported'))
    .option('--search <text>', t('help.listSearch'), parseNameValue('--search'))
    .option('--as-of <date>', t('help.listAsOf'), parseDateValue('--as-of'))
    .option('--all', t('help.listAll'))
    .option('--limit <n>', t('help.listLimit'), parseLimitOption)
    .option('--full-id', t('common.optFullId'))
    .option('--json', t('common.optJson'))
    .action(lazy(() => import('../commands/members.js')));

  declare(program, 'orgs', 'orgs', ['dbd orgs', 'dbd orgs --search 财政局', 'dbd orgs --org 人民医院党委', 'dbd orgs --not-reported --town 白沙街道', 'dbd orgs --json'])
    .option('--org <name>', t('help.listOrg'), parseNameValue('--org'))
    .option('--town <name>', t('help.orgsTown'), parseNameValue('--town'))
    .option('--not-reported', t('help.orgsNotReported'))
    .option('--as-of <date>', t('help.orgsAsOf'), parseDateValue('--as-of'))
    .option('--search <text>', t('help.listSearchOrgs'), parseNameValue('--search'))
    .option('--unit <name>', t('help.listUnit'), parseNameValue('--unit'))
    .option('--json', t('common.optJson'))
    .action(lazy(() => import('../commands/orgs.js')));

  declare(program, 'communities', 'communities', ['dbd communities', 'dbd communities --town 青山街道', 'dbd communities --org 内科一支部 --not-reported', 'dbd communities --json'])
    .option('--town <name>', t('help.listTown'), parseNameValue('--town'))
    .option('--org <name>', t('help.communitiesOrg'), parseNameValue('--org'))
    .option('--not-reported', t('help.communitiesNotReported'))
    .option('--search <text>', t('help.listSearchCommunities'), parseNameValue('--search'))
    .option('--json', t('common.optJson'))
    .action(lazy(() => import('../commands/communities.js')));
}
