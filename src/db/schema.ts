// The database, as kysely types: these interfaces document the schema (see migrations/).
// Dates are ISO strings 'YYYY-MM-DD' so that the same queries run on SQLite and PostgreSQL.
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

export interface TownTable {
  id: Generated<number>;
  name: string;
  code: string | null;
}

export interface CommunityTable {
  id: Generated<number>;
  town_id: number;
  name: string;
  /** Canonical name used for matching (XX社区居委会 → XX社区). Unique within a town. */
  base_name: string;
  code: string | null;
}

export interface UnitTable {
  id: Generated<number>;
  name: string;
  category: string | null;
  town_id: number | null;
}

export interface OrgTable {
  id: Generated<number>;
  name: string;
  short_name: string | null;
  unit_id: number;
  parent_id: number | null;
  /** 党委 / 党总支 / 党支部 (free text as given). */
  category: string | null;
  town_id: number | null;
  code: string | null;
  secretary: string | null;
  phone: string | null;
}

/** 'active' must report; 'exempt' stays on the roster, not expected; 'departed' off the roster. */
export type StatusKind = 'active' | 'exempt' | 'departed';

export interface MemberTable {
  id: Generated<number>;
  id_number: string | null;
  phone: string | null;
  name: string;
  gender: string | null;
  ethnicity: string | null;
  birth_date: string | null;
  org_id: number;
  job_title: string | null;
  category: string | null;
  residence_community_id: number | null;
  status: string | null;
  status_kind: StatusKind;
  departed_on: string | null;
  joined_on: string | null;
  // Per-member facts kept in step with check-ins by every write, so that rate and weekly
  // queries need not scan the check-in history (see db/memberFacts.ts).
  first_checkin_on: string | null;
  current_checkin_on: string | null;
  current_community_id: number | null;
  // Facts for the reports by town and unit (migration 0003), kept by every write that changes
  // them: the unit of the member's organisation (orgs.unit_id), and the town of the current
  // check-in's community, else of the residence community (null: neither).
  unit_id: number | null;
  place_town_id: number | null;
  created_at: string;
  updated_at: string;
}

export interface CheckinTable {
  id: Generated<number>;
  member_id: number;
  community_id: number;
  date: string;
  post: string | null;
  voided_at: string | null;
  void_reason: string | null;
  created_at: string;
}

/** An organisation's report to a town or pairing with a community (组织报到 / 结对共建). */
export interface PairingTable {
  id: Generated<number>;
  org_id: number;
  community_id: number | null;
  town_id: number | null;
  /** null: counts from the start (a roster's 结对社区 without 结对时间). */
  date: string | null;
  /** 'roster' (from an organisation roster) or 'checkin' (an organisation check-in). */
  source: 'roster' | 'checkin';
  created_at: string;
}

export interface ActivityTable {
  id: Generated<number>;
  member_id: number;
  community_id: number;
  date: string;
  category: string;
  hours: number | null;
  points: number | null;
  note: string | null;
  created_at: string;
}

export interface WeeklyReportTable {
  id: Generated<number>;
  week: string;
  /** '' for the all-towns report, else the town name. */
  town: string;
  saved_at: string;
  /** 1 for the version in force; earlier versions are kept with 0. */
  current: number;
  data: string;
}

export interface AuditTable {
  id: Generated<number>;
  at: string;
  os_user: string;
  command: string;
  summary: string;
}

export interface Database {
  towns: TownTable;
  communities: CommunityTable;
  units: UnitTable;
  orgs: OrgTable;
  members: MemberTable;
  checkins: CheckinTable;
  pairings: PairingTable;
  activities: ActivityTable;
  weekly_reports: WeeklyReportTable;
  audit: AuditTable;
}

export type Town = Selectable<TownTable>;
export type Community = Selectable<CommunityTable>;
export type Unit = Selectable<UnitTable>;
export type Org = Selectable<OrgTable>;
export type Member = Selectable<MemberTable>;
export type NewMember = Insertable<MemberTable>;
export type MemberUpdate = Updateable<MemberTable>;
export type Checkin = Selectable<CheckinTable>;
export type Pairing = Selectable<PairingTable>;
export type Activity = Selectable<ActivityTable>;
