// Small purpose-built databases for the weekly-report rules: CSV files written here, brought in
// through the real import, plus voids made the way the recording commands make them (the
// check-in marked voided, the member's facts recomputed).
import type { WeeklyRow } from '../../src/db/queries/weekly.js';
import fs from 'node:fs';
import path from 'node:path';
import { dbTarget } from '../helpers/backend.js';
import { openDatabase } from '../../src/db/open.js';
import { MemberFacts } from '../../src/db/memberFacts.js';
import { idCheckDigit } from '../../src/domain/idNumber.js';
import { importFiles } from '../../src/ingest/importFiles.js';
import { tempDir } from '../helpers/cli.js';

/** A valid 18-digit ID number for member number n. */
export function idFor(n: number): string {
  const first17 = `11010119800101${String(n).padStart(3, '0')}`;
  return first17 + idCheckDigit(first17);
}

/** Write the files (name → CSV text), import them in one command, return the database path. */
export async function importCity(files: Record<string, string>, today = '2026-11-21'): Promise<string> {
  const dir = tempDir('dbd-weekly-');
  const paths = Object.entries(files).map(([name, text]) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text.trim() + '\n', 'utf8');
    return file;
  });
  const db = path.join(dir, 'city.sqlite');
  const handle = await openDatabase(dbTarget(db));
  try {
    const result = await importFiles(handle, paths, { today });
    const errors = result.files.flatMap((f) => f.sheets.flatMap((s) => s.errors));
    if (!result.written || errors.length) throw new Error(`import failed: ${JSON.stringify(errors)}`);
  } finally {
    await handle.close();
  }
  return db;
}

/** Void a member's check-in of a date, as `dbd checkin --void` does. */
export async function voidCheckin(db: string, idNumber: string, date: string): Promise<void> {
  const handle = await openDatabase(dbTarget(db));
  try {
    await handle.writeTransaction(async () => {
      const member = await handle.db.selectFrom('members').select('id').where('id_number', '=', idNumber).executeTakeFirstOrThrow();
      const changed = await handle.db
        .updateTable('checkins')
        .set({ voided_at: '2026-11-21T00:00:00Z', void_reason: 'test' })
        .where('member_id', '=', member.id)
        .where('date', '=', date)
        .executeTakeFirst();
      if (Number(changed.numUpdatedRows) !== 1) throw new Error(`no check-in of ${idNumber} on ${date}`);
      await new MemberFacts(handle).refresh(member.id);
    });
  } finally {
    await handle.close();
  }
}

/** A weekly row, figures in the column order of the report. */
export function weeklyRow(town: string, unit: string, expected: number, reported: number, newThisWeek: number, activities: number, hours: number, pairedCommunities: number): WeeklyRow {
  return { town, unit, expected, reported, newThisWeek, activities, hours, pairedCommunities };
}
