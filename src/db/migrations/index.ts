// Every migration, in order. Names sort; a migration is never edited once released.
import type { Migration } from 'kysely';
import * as m0001 from './0001_initial.js';
import * as m0002 from './0002_report_indexes.js';
import * as m0003 from './0003_member_places.js';

export const migrations: Record<string, Migration> = {
  '0001_initial': m0001,
  '0002_report_indexes': m0002,
  '0003_member_places': m0003,
};
