// Per-member facts for the weekly report and the rate table by town (issue #6): each member's
// unit (of their organisation) and the town that places them (of their current check-in's
// community, else of their residence community), kept by the writers like the check-in facts
// of 0001, with an index in (town, unit) order that covers the reports' member figures; and
// the week's activities read from their date index alone. Frozen once released, like 0001 and
// 0002.
//
// SQLite runs a migration's statements one by one (no transactional DDL): each step here can
// be run again after an interrupted upgrade (of a million members: some seconds).
import { sql, SqliteAdapter, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  // members_town serves what members_place did (rate --by town, the weekly report) without a
  // sort: one index fewer for every member written.
  await db.schema.dropIndex('members_place').ifExists().execute();

  // No foreign keys: derived facts, like current_community_id's town, checked by their writers
  // (a key would cost a look-up per member inserted).
  const members = (await db.introspection.getTables()).find((table) => table.name === 'members');
  for (const column of ['unit_id', 'place_town_id']) {
    if (!members?.columns.some((c) => c.name === column)) await db.schema.alterTable('members').addColumn(column, 'integer').execute();
  }

  // Backfilled in one statement (SQLite and PostgreSQL alike).
  await db
    .updateTable('members')
    .set((eb) => ({
      unit_id: eb.selectFrom('orgs').select('orgs.unit_id').whereRef('orgs.id', '=', 'members.org_id'),
      place_town_id: eb
        .selectFrom('communities')
        .select('communities.town_id')
        .where('communities.id', '=', eb.fn.coalesce('members.current_community_id', 'members.residence_community_id')),
    }))
    .execute();

  // The index builds sort on disk, not in memory (as a bulk load's do: see open.ts), and the
  // setting the command opened with is put back after.
  const tempStore = sqlite ? Number((await sql<{ temp_store: number }>`pragma temp_store`.execute(db)).rows[0]?.temp_store ?? 0) : 0;
  if (sqlite) await sql`pragma temp_store = FILE`.execute(db);
  try {
    // By (town, unit): the weekly report's groups in index order, and the rate table's towns as
    // a prefix of it. The other columns are the ones the member figures read (roster rule,
    // first and current check-in), so the index covers them: one pass, no sort, no look-up.
    // The residence last: with it the index also covers the general rule (communityOn), which
    // the rate table by town with an activity minimum applies to every member.
    await db.schema
      .createIndex('members_town')
      .ifNotExists()
      .on('members')
      .columns(['place_town_id', 'unit_id', 'current_checkin_on', 'status_kind', 'departed_on', 'first_checkin_on', 'current_community_id', 'residence_community_id'])
      .execute();

    // A week's activities with their member and hours in the index itself: the weekly report
    // reads the week's range without a look-up into the activities table per activity. It
    // keeps its name: bulk loads of activities defer activities_date by name. (Dropped first
    // whatever its columns: a run interrupted after the drop finds none.)
    await db.schema.dropIndex('activities_date').ifExists().execute();
    await db.schema.createIndex('activities_date').on('activities').columns(['date', 'community_id', 'member_id', 'hours']).execute();

    // The members whose check-in facts are in a state no writer leaves (a first check-in or a
    // current community but no current check-in date): always empty in practice, and so free
    // to keep, it lets the reports count them exactly by the general rule without reading
    // everyone. The condition is written as the reports' queries write it (SQLite uses a
    // partial index only when the query states its condition).
    await db.schema
      .createIndex('members_undated')
      .ifNotExists()
      .on('members')
      .column('id')
      .where(sql.ref('current_checkin_on'), 'is', null)
      .where((eb) => eb.or([eb(sql.ref('current_community_id'), 'is not', null), eb(sql.ref('first_checkin_on'), 'is not', null)]))
      .execute();
  } finally {
    if (sqlite && tempStore === 2) await sql`pragma temp_store = MEMORY`.execute(db);
    else if (sqlite && tempStore === 0) await sql`pragma temp_store = DEFAULT`.execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('downgrades are not supported');
}
