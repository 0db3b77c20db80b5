// dbd communities: towns and their communities, with residents and reported members.
import { makeContext, withDatabase, type CommonOptions } from '../cli/context.js';
import { resolveOrgOption, resolveTownOption } from '../cli/resolve.js';
import { OrgTree } from '../db/queries/orgTree.js';
import { listCommunities } from '../db/queries/listing.js';
import { t } from '../i18n/index.js';
import { toJson } from '../render/json.js';
import { renderTerminal } from '../render/terminal.js';

export interface CommunitiesOptions extends CommonOptions { town?: string; search?: string; org?: string; notReported?: boolean }

export async function run(options: CommunitiesOptions): Promise<void> {
  const ctx = makeContext(options);
  const rows = await withDatabase(
    ctx,
    async ({ db }) => {
      const tree = options.org ? await OrgTree.load(db) : undefined;
      return listCommunities(db, {
        townId: options.town ? (await resolveTownOption(db, options.town)).id : undefined,
        search: options.search,
        orgIds: tree && options.org ? tree.subtree(resolveOrgOption(tree, options.org).id) : undefined,
        notReported: options.notReported,
        asOf: ctx.today,
      });
    },
    { mustExist: true, reporting: true },
  );
  if (ctx.json) {
    ctx.io.out(toJson({ count: rows.length, communities: rows.map(({ id: _id, ...c }) => c) }));
    return;
  }
  ctx.io.out(
    renderTerminal(
      {
        name: t('listing.communitiesTitle'),
        title: t('listing.communitiesCount', { count: rows.length }),
        columns: [
          { key: 'town', header: t('listing.colTown'), kind: 'text' },
          { key: 'name', header: t('listing.colCommunity'), kind: 'text' },
          { key: 'code', header: t('listing.colCode'), kind: 'text' },
          { key: 'residents', header: t('listing.colResidents'), kind: 'int' },
          { key: 'reported', header: t('listing.colReportedHere'), kind: 'int' },
          { key: 'notReported', header: t('listing.colNotReportedResidents'), kind: 'int' },
        ],
        rows: rows.map((c) => ({ town: c.town, name: c.name, code: c.code, residents: c.residents, reported: c.reported, notReported: c.notReported })),
      },
      { color: ctx.color },
    ),
  );
}
