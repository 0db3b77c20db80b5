// Option values that name things (--org, --town, --community): resolved or a usage error
// (exit 2) that suggests the closest known names. (Dates: parseDateValue in declare.ts.)
import type { Kysely } from 'kysely';
import { communityBaseName, findTownByName, suggestClosest } from '../domain/text.js';
import type { Database } from '../db/schema.js';
import type { OrgNode, OrgTree } from '../db/queries/orgTree.js';
import { UNKNOWN_TOWN } from '../db/queries/weekly.js';
import { usageError } from '../errors.js';
import { t } from '../i18n/index.js';
import { en as weeklyEn } from '../i18n/messages/weekly.js';

function hint(names: string[]): string {
  return names.length ? t('listing.didYouMean', { names: names.join(t('common.listSeparator')) }) : '';
}

export function resolveOrgOption(tree: OrgTree, name: string): OrgNode {
  const found = tree.find(name);
  if (found) return found;
  const names = [...tree.byId.values()].flatMap((o) => (o.shortName ? [o.name, o.shortName] : [o.name]));
  throw usageError(t('listing.unknownOrg', { name }) + hint(suggestClosest(name, names)));
}

export async function resolveTownOption(db: Kysely<Database>, name: string): Promise<{ id: number; name: string }> {
  const towns = await db.selectFrom('towns').select(['id', 'name']).execute();
  // As imports match a town: 青山街道办事处 or 青山 for 青山街道 (when only one answers).
  const found = findTownByName(towns, name);
  if (found) return found;
  throw usageError(t('listing.unknownTown', { name }) + hint(suggestClosest(name, towns.map((town) => town.name))));
}

/** Whether a --town value names the members whose town is unknown: 未知, as the reports show
 * them, or its English name (any case). */
export function isUnknownTown(name: string): boolean {
  const clean = name.trim();
  return clean === UNKNOWN_TOWN || clean.toLowerCase() === weeklyEn.unknownTown.toLowerCase();
}

/** A --town value that filters members: a town, or (id null) the members whose town is unknown. */
export async function resolveTownFilter(db: Kysely<Database>, name: string): Promise<{ id: number | null; name: string }> {
  if (isUnknownTown(name)) return { id: null, name: UNKNOWN_TOWN };
  return resolveTownOption(db, name);
}

export async function resolveCommunityOption(db: Kysely<Database>, name: string, town?: string): Promise<{ id: number; name: string; townId: number }> {
  let query = db.selectFrom('communities').innerJoin('towns', 'towns.id', 'communities.town_id').select(['communities.id', 'communities.name', 'communities.town_id as townId', 'towns.name as town']);
  if (town) query = query.where('towns.name', '=', town.trim());
  const all = await query.execute();
  const base = communityBaseName(name);
  const matches = all.filter((c) => communityBaseName(c.name) === base);
  if (matches.length === 1) return matches[0];
  if (matches.length > 1) throw usageError(t('listing.ambiguousCommunity', { name, candidates: matches.map((c) => `${c.town} ${c.name}`).join(t('common.listSeparator')) }));
  throw usageError(t('listing.unknownCommunity', { name }) + hint(suggestClosest(name, all.map((c) => c.name))));
}
