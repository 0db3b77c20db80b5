// Per-member facts derived from the check-in history and stored on the member row: the date
// of the first valid check-in, the current (latest valid) check-in, and the town that places
// the member (of the current check-in's community, else of the residence community). Every
// write of a check-in keeps them in step inside the same transaction, so rate and weekly
// reports read one row per member instead of scanning the history.
import type { Expression, ExpressionBuilder, Kysely } from 'kysely';
import { param, type DbHandle } from './open.js';
import type { Database } from './schema.js';

/**
 * members.place_town_id for a member whose current community is `current` (null: none): its
 * town, else the town of the residence community (by default the row's, as stored before the
 * statement: a statement that changes the residence gives the new one), else null.
 */
export function placeTown(
  eb: ExpressionBuilder<Database, 'members'>,
  current: Expression<number | null>,
  residence: Expression<number | null> = eb.ref('members.residence_community_id'),
) {
  return eb.selectFrom('communities').select('communities.town_id').where('communities.id', '=', eb.fn.coalesce(current, residence));
}

export class MemberFacts {
  private readonly select;
  private readonly update;
  private readonly first;
  private readonly latest;

  private readonly db: Kysely<Database>;

  constructor(handle: DbHandle) {
    const { db } = handle;
    this.db = db;
    this.select = handle.prepare(
      db.selectFrom('members').select(['first_checkin_on', 'current_checkin_on', 'current_community_id']).where('id', '=', param('id')),
      ['id'],
    );
    this.update = handle.prepare(
      db
        .updateTable('members')
        .set((eb) => ({
          first_checkin_on: param('first'),
          current_checkin_on: param('current'),
          current_community_id: param('community'),
          place_town_id: placeTown(eb, eb.val<number | null>(param('community'))),
        }))
        .where('id', '=', param('id')),
      ['id', 'first', 'current', 'community'],
    );
    this.first = handle.prepare(
      db.selectFrom('checkins').select((eb) => eb.fn.min('date').as('date')).where('member_id', '=', param('id')).where('voided_at', 'is', null),
      ['id'],
    );
    this.latest = handle.prepare(
      db
        .selectFrom('checkins')
        .select(['date', 'community_id'])
        .where('member_id', '=', param('id'))
        .where('voided_at', 'is', null)
        .orderBy('date', 'desc')
        .orderBy('id', 'desc')
        .limit(1),
      ['id'],
    );
  }

  /** A valid check-in was added: the earliest moves back, the current moves to the latest date. */
  async checkinAdded(memberId: number, communityId: number, date: string): Promise<void> {
    const facts = await this.select.get<{ first_checkin_on: string | null; current_checkin_on: string | null; current_community_id: number | null }>({ id: memberId });
    if (!facts) return;
    const first = facts.first_checkin_on === null || date < facts.first_checkin_on ? date : facts.first_checkin_on;
    // Same date as the current one: the later record (this one) becomes current, as in refresh().
    const moves = facts.current_checkin_on === null || date >= facts.current_checkin_on;
    const current = moves ? date : facts.current_checkin_on;
    const community = moves ? communityId : facts.current_community_id;
    if (first !== facts.first_checkin_on || current !== facts.current_checkin_on || community !== facts.current_community_id) {
      await this.update.run({ id: memberId, first, current, community });
    }
  }

  /** Recompute from the history, for many members in one statement (after a chunk of check-ins). */
  async refreshAll(memberIds: number[]): Promise<void> {
    if (memberIds.length === 0) return;
    const valid = (eb: ExpressionBuilder<Database, 'members'>) =>
      eb.selectFrom('checkins').whereRef('checkins.member_id', '=', 'members.id').where('checkins.voided_at', 'is', null);
    const latest = (eb: ExpressionBuilder<Database, 'members'>) => valid(eb).orderBy('checkins.date', 'desc').orderBy('checkins.id', 'desc').limit(1);
    await this.db
      .updateTable('members')
      .set((eb) => ({
        first_checkin_on: valid(eb).select((inner) => inner.fn.min<string>('checkins.date').as('date')),
        current_checkin_on: latest(eb).select('checkins.date'),
        current_community_id: latest(eb).select('checkins.community_id'),
        place_town_id: placeTown(eb, latest(eb).select('checkins.community_id').$asScalar()),
      }))
      .where('members.id', 'in', memberIds)
      .execute();
  }

  /** Recompute from the history (after a void). */
  async refresh(memberId: number): Promise<void> {
    const first = (await this.first.get<{ date: string | null }>({ id: memberId }))?.date ?? null;
    const latest = await this.latest.get<{ date: string; community_id: number }>({ id: memberId });
    await this.update.run({ id: memberId, first, current: latest?.date ?? null, community: latest?.community_id ?? null });
  }
}
