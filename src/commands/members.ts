// dbd members: list and search members as of a date; --not-reported shows who still has to report.
import { makeContext, withDatabase, type CommonOptions } from '../cli/context.js';
import { resolveCommunityOption, resolveOrgOption, resolveTownFilter } from '../cli/resolve.js';
import { listMembers } from '../db/queries/listing.js';
import { OrgTree } from '../db/queries/orgTree.js';
import { maskIdNumber } from '../domain/idNumber.js';
import { t } from '../i18n/index.js';
import { toJson } from '../render/json.js';
import { renderTerminal } from '../render/terminal.js';
import type { Table } from '../render/table.js';

export interface MembersOptions extends CommonOptions {
  org?: string;
  town?: string;
  community?: string;
  notReported?: boolean;
  search?: string;
  asOf?: string;
  all?: boolean;
  limit?: number;
  fullId?: boolean;
}

export async function run(options: MembersOptions): Promise<void> {
  const ctx = makeContext(options);
  const asOf = options.asOf ?? ctx.today; // read by parseDateValue
  const { members, total, departed } = await withDatabase(
    ctx,
    async ({ db }) => {
      const tree = await OrgTree.load(db);
      const org = options.org ? resolveOrgOption(tree, options.org) : undefined;
      const town = options.town ? await resolveTownFilter(db, options.town) : undefined;
      // A community is looked up in a real town only: none is in 未知.
      const communityId = options.community ? (await resolveCommunityOption(db, options.community, town?.id === null ? undefined : town?.name)).id : undefined;
      const filter = {
        asOf,
        orgIds: org ? tree.subtree(org.id) : undefined,
        townId: town?.id,
        communityId,
        notReported: options.notReported,
        search: options.search,
        includeDeparted: options.all,
        limit: options.limit,
      };
      const listed = await listMembers(db, filter);
      // Nobody found: say whether members who have left match (a search for one who left, without --all).
      const departed = listed.total === 0 && !options.all ? (await listMembers(db, { ...filter, includeDeparted: true, limit: 1 })).total : 0;
      return { ...listed, departed };
    },
    { mustExist: true, reporting: true },
  );
  const id = (value: string | null) => (value && !options.fullId ? maskIdNumber(value) : value);
  if (ctx.json) {
    ctx.io.out(
      toJson({
        asOf,
        notReported: Boolean(options.notReported),
        // Every member that matches; `shown` are listed (fewer with --limit).
        count: total,
        shown: members.length,
        members: members.map((m) => ({
          idNumber: id(m.idNumber),
          name: m.name,
          phone: m.phone,
          org: m.org,
          unit: m.unit,
          category: m.category,
          status: m.status,
          statusKind: m.statusKind,
          departedOn: m.departedOn,
          residenceCommunity: m.residenceCommunity,
          residenceTown: m.residenceTown,
          currentCommunity: m.currentCommunity,
          currentTown: m.currentTown,
          firstCheckin: m.firstCheckin,
          currentCheckin: m.currentCheckin,
        })),
      }),
    );
    return;
  }
  const table: Table = {
    name: t('listing.membersTitle'),
    title:
      (options.notReported
        ? t('listing.notReportedTitle', { asOf, count: total })
        : options.asOf
          ? t('listing.membersCountAsOf', { asOf, count: total })
          : t('listing.membersCount', { count: total })) + (members.length < total ? t('listing.firstShown', { shown: members.length }) : ''),
    columns: [
      { key: 'name', header: t('listing.colName'), kind: 'text' },
      { key: 'idNumber', header: t('listing.colIdNumber'), kind: 'id' },
      { key: 'phone', header: t('listing.colPhone'), kind: 'text' },
      { key: 'org', header: t('listing.colOrg'), kind: 'text' },
      { key: 'status', header: t('listing.colStatus'), kind: 'text' },
      { key: 'residence', header: t('listing.colResidence'), kind: 'text' },
      { key: 'current', header: t('listing.colCurrent'), kind: 'text' },
      { key: 'checkin', header: t('listing.colCheckinDate'), kind: 'date' },
    ],
    rows: members.map((m) => ({
      name: m.name,
      idNumber: id(m.idNumber),
      phone: m.phone,
      org: m.org,
      // A member who left after the as-of date was on the roster then: the date says so.
      status: m.departedOn ? t('listing.statusUntil', { status: m.status ?? '', date: m.departedOn }) : m.status ?? t('listing.statusActive'),
      residence: [m.residenceTown, m.residenceCommunity].filter(Boolean).join(' '),
      current: [m.currentTown, m.currentCommunity].filter(Boolean).join(' '),
      checkin: m.currentCheckin,
    })),
  };
  ctx.io.out(renderTerminal(table, { color: ctx.color }));
  if (departed > 0) ctx.io.err(t('listing.departedMatch', { count: departed }));
}
