// Frozen: the first schema. Later changes are new migrations, never edits here.
import type { Kysely } from 'kysely';
import { idColumn, realColumn, textColumn } from './columns.js';

export async function up(db: Kysely<any>): Promise<void> {
  // SQLite's schema is exactly as first released; PostgreSQL gets the equivalent types.
  const text = textColumn(db);
  const real = realColumn(db);
  await db.schema
    .createTable('towns')
    .addColumn('id', idColumn(db), (c) => c.primaryKey())
    .addColumn('name', text, (c) => c.notNull().unique())
    .addColumn('code', text)
    .execute();

  await db.schema
    .createTable('communities')
    .addColumn('id', idColumn(db), (c) => c.primaryKey())
    .addColumn('town_id', 'integer', (c) => c.notNull().references('towns.id'))
    .addColumn('name', text, (c) => c.notNull())
    .addColumn('base_name', text, (c) => c.notNull())
    .addColumn('code', text)
    .addUniqueConstraint('communities_town_base_unique', ['town_id', 'base_name'])
    .execute();
  await db.schema.createIndex('communities_base_name').on('communities').column('base_name').execute();

  await db.schema
    .createTable('units')
    .addColumn('id', idColumn(db), (c) => c.primaryKey())
    .addColumn('name', text, (c) => c.notNull().unique())
    .addColumn('category', text)
    .addColumn('town_id', 'integer', (c) => c.references('towns.id'))
    .execute();

  await db.schema
    .createTable('orgs')
    .addColumn('id', idColumn(db), (c) => c.primaryKey())
    .addColumn('name', text, (c) => c.notNull().unique())
    .addColumn('short_name', text)
    .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
    .addColumn('parent_id', 'integer', (c) => c.references('orgs.id'))
    .addColumn('category', text)
    .addColumn('town_id', 'integer', (c) => c.references('towns.id'))
    .addColumn('code', text)
    .addColumn('secretary', text)
    .addColumn('phone', text)
    .execute();
  await db.schema.createIndex('orgs_short_name').on('orgs').column('short_name').execute();
  await db.schema.createIndex('orgs_parent').on('orgs').column('parent_id').execute();
  await db.schema.createIndex('orgs_unit').on('orgs').column('unit_id').execute();

  await db.schema
    .createTable('members')
    .addColumn('id', idColumn(db), (c) => c.primaryKey())
    .addColumn('id_number', text, (c) => c.unique())
    .addColumn('phone', text)
    .addColumn('name', text, (c) => c.notNull())
    .addColumn('gender', text)
    .addColumn('ethnicity', text)
    .addColumn('birth_date', text)
    .addColumn('org_id', 'integer', (c) => c.notNull().references('orgs.id'))
    .addColumn('job_title', text)
    .addColumn('category', text)
    .addColumn('residence_community_id', 'integer', (c) => c.references('communities.id'))
    .addColumn('status', text)
    .addColumn('status_kind', text, (c) => c.notNull().defaultTo('active'))
    .addColumn('departed_on', text)
    .addColumn('joined_on', text)
    .addColumn('first_checkin_on', text)
    .addColumn('current_checkin_on', text)
    .addColumn('current_community_id', 'integer', (c) => c.references('communities.id'))
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('updated_at', text, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('members_phone').on('members').column('phone').execute();
  await db.schema.createIndex('members_name').on('members').column('name').execute();
  await db.schema.createIndex('members_org').on('members').column('org_id').execute();

  await db.schema
    .createTable('checkins')
    .addColumn('id', idColumn(db), (c) => c.primaryKey())
    .addColumn('member_id', 'integer', (c) => c.notNull().references('members.id'))
    .addColumn('community_id', 'integer', (c) => c.notNull().references('communities.id'))
    .addColumn('date', text, (c) => c.notNull())
    .addColumn('post', text)
    .addColumn('voided_at', text)
    .addColumn('void_reason', text)
    .addColumn('created_at', text, (c) => c.notNull())
    .addUniqueConstraint('checkins_key', ['member_id', 'community_id', 'date'])
    .execute();
  await db.schema.createIndex('checkins_member_date').on('checkins').columns(['member_id', 'date']).execute();
  await db.schema.createIndex('checkins_community_date').on('checkins').columns(['community_id', 'date']).execute();

  await db.schema
    .createTable('pairings')
    .addColumn('id', idColumn(db), (c) => c.primaryKey())
    .addColumn('org_id', 'integer', (c) => c.notNull().references('orgs.id'))
    .addColumn('community_id', 'integer', (c) => c.references('communities.id'))
    .addColumn('town_id', 'integer', (c) => c.references('towns.id'))
    .addColumn('date', text)
    .addColumn('source', text, (c) => c.notNull())
    .addColumn('created_at', text, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('pairings_org').on('pairings').columns(['org_id', 'source']).execute();
  await db.schema.createIndex('pairings_community').on('pairings').column('community_id').execute();

  await db.schema
    .createTable('activities')
    .addColumn('id', idColumn(db), (c) => c.primaryKey())
    .addColumn('member_id', 'integer', (c) => c.notNull().references('members.id'))
    .addColumn('community_id', 'integer', (c) => c.notNull().references('communities.id'))
    .addColumn('date', text, (c) => c.notNull())
    .addColumn('category', text, (c) => c.notNull())
    .addColumn('hours', real)
    .addColumn('points', real)
    .addColumn('note', text)
    .addColumn('created_at', text, (c) => c.notNull())
    .addUniqueConstraint('activities_key', ['member_id', 'date', 'community_id', 'category'])
    .execute();
  await db.schema.createIndex('activities_date').on('activities').columns(['date', 'community_id']).execute();

  await db.schema
    .createTable('weekly_reports')
    .addColumn('id', idColumn(db), (c) => c.primaryKey())
    .addColumn('week', text, (c) => c.notNull())
    .addColumn('town', text, (c) => c.notNull())
    .addColumn('saved_at', text, (c) => c.notNull())
    .addColumn('current', 'integer', (c) => c.notNull())
    .addColumn('data', text, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('weekly_reports_week').on('weekly_reports').columns(['week', 'town']).execute();

  await db.schema
    .createTable('audit')
    .addColumn('id', idColumn(db), (c) => c.primaryKey())
    .addColumn('at', text, (c) => c.notNull())
    .addColumn('os_user', text, (c) => c.notNull())
    .addColumn('command', text, (c) => c.notNull())
    .addColumn('summary', text, (c) => c.notNull())
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('downgrades are not supported');
}
