// dbd orgs: the organisation tree as stored.
import { makeContext, withDatabase, type CommonOptions } from '../cli/context.js';
import { resolveOrgOption, resolveTownOption } from '../cli/resolve.js';
import { listOrgs } from '../db/queries/listing.js';
import { OrgTree } from '../db/queries/orgTree.js';
import { t } from '../i18n/index.js';
import { toJson } from '../render/json.js';
import { renderTerminal } from '../render/terminal.js';

export interface OrgsOptions extends CommonOptions { search?: string; unit?: string; org?: string; town?: string; notReported?: boolean; asOf?: string }

export async function run(options: OrgsOptions): Promise<void> {
  const ctx = makeContext(options);
  const asOf = options.asOf ?? ctx.today; // read by parseDateValue
  const orgs = await withDatabase(
    ctx,
    async ({ db }) => {
      const tree = options.org ? await OrgTree.load(db) : undefined;
      return listOrgs(db, {
        search: options.search,
        unit: options.unit,
        orgIds: tree && options.org ? tree.subtree(resolveOrgOption(tree, options.org).id) : undefined,
        townId: options.town ? (await resolveTownOption(db, options.town)).id : undefined,
        notReported: options.notReported,
        asOf,
      });
    },
    { mustExist: true, reporting: true },
  );
  if (ctx.json) {
    ctx.io.out(toJson({ asOf, notReported: Boolean(options.notReported), count: orgs.length, orgs: orgs.map(({ id: _id, ...org }) => org) }));
    return;
  }
  ctx.io.out(
    renderTerminal(
      {
        name: t('listing.orgsTitle'),
        title: options.notReported ? t('listing.orgsNotReportedTitle', { asOf, count: orgs.length }) : t('listing.orgsCount', { count: orgs.length }),
        columns: [
          { key: 'name', header: t('listing.colOrg'), kind: 'text' },
          { key: 'shortName', header: t('listing.colShortName'), kind: 'text' },
          { key: 'category', header: t('listing.colCategory'), kind: 'text' },
          { key: 'parent', header: t('listing.colParent'), kind: 'text' },
          { key: 'unit', header: t('listing.colUnit'), kind: 'text' },
          { key: 'town', header: t('listing.colTown'), kind: 'text' },
          { key: 'ownMembers', header: t('listing.colOwnMembers'), kind: 'int' },
          { key: 'paired', header: t('listing.colPaired'), kind: 'text' },
        ],
        rows: orgs.map(({ pairedCommunities, ...o }) => ({ ...o, paired: pairedCommunities.join(t('common.listSeparator')) })),
      },
      { color: ctx.color },
    ),
  );
}
