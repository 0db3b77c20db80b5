// Indexes that let the rate table and the weekly report read a narrow index instead of the
// whole members table (issue #6: a million members). Frozen once released, like 0001.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // By organisation: the roster rule (status, departure) and the first check-in beside org_id,
  // so the per-organisation counts are one pass in org_id order with no sort. It keeps its name:
  // a bulk load of members defers members_org by name, and look-ups by org_id still use it.
  await db.schema.dropIndex('members_org').execute();
  await db.schema.createIndex('members_org').on('members').columns(['org_id', 'status_kind', 'departed_on', 'first_checkin_on']).execute();

  // By place: members in order of the community of their current check-in, and those who have
  // none in order of their residence community (their current_* columns are null, so they come
  // first). Counts by community, and so by town, need no sort; the other columns make it cover
  // the weekly report's member figures.
  await db.schema
    .createIndex('members_place')
    .on('members')
    .columns(['current_community_id', 'current_checkin_on', 'residence_community_id', 'status_kind', 'departed_on', 'first_checkin_on', 'org_id'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('downgrades are not supported');
}
