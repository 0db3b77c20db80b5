import type { Command } from 'commander';
import { declare, lazy, parseLimitOption } from './declare.js';
import { t } from '../i18n/index.js';

export function registerListings(program: Command): void {
  declare(program, 'members', 'members', [
    'dbd members --org 内科一支部',
    'dbd members --not-reported --town 白沙街道',
    'dbd members --as-of 2026-06-30 --town 未知',
    'dbd members --search 王伟 --json',
  ])
    .option('--org <name>', t('help.listOrg'))
    .option('--town <name>', t('help.membersTown'))
    .option('--community <name>', t('help.listCommunity'))
    .option('--not-reported', t('help.listNotReported'))
    .option('--search <text>', t('help.listSearch'))
    .option('--as-of <date>', t('help.listAsOf'))
    .option('--all', t('help.listAll'))
    .option('--limit <n>', t('help.listLimit'), parseLimitOption)
    .option('--full-id', t('common.optFullId'))
    .option('--json', t('common.optJson'))
    .action(lazy(() => import('../commands/members.js')));

  declare(program, 'orgs', 'orgs', ['dbd orgs', 'dbd orgs --search 财政局', 'dbd orgs --org 人民医院党委', 'dbd orgs --not-reported --town 白沙街道', 'dbd orgs --json'])
    .option('--org <name>', t('help.listOrg'))
    .option('--town <name>', t('help.orgsTown'))
    .option('--not-reported', t('help.orgsNotReported'))
    .option('--as-of <date>', t('help.orgsAsOf'))
    .option('--search <text>', t('help.listSearchOrgs'))
    .option('--unit <name>', t('help.listUnit'))
    .option('--json', t('common.optJson'))
    .action(lazy(() => import('../commands/orgs.js')));

  declare(program, 'communities', 'communities', ['dbd communities', 'dbd communities --town 青山街道', 'dbd communities --org 内科一支部 --not-reported', 'dbd communities --json'])
    .option('--town <name>', t('help.listTown'))
    .option('--org <name>', t('help.communitiesOrg'))
    .option('--not-reported', t('help.communitiesNotReported'))
    .option('--search <text>', t('help.listSearchCommunities'))
    .option('--json', t('common.optJson'))
    .action(lazy(() => import('../commands/communities.js')));
}
