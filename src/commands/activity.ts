// dbd activity MEMBER --community C [--town T] --date D --category K [--hours H] [--points P] [--note N].
import { makeContext, withDatabase, type CommonOptions } from '../cli/context.js';
import { nowTimestamp } from '../clock.js';
import { recordActivity, type ActivityResult } from '../db/recording.js';
import { t } from '../i18n/index.js';
import { cleanNumber } from '../render/table.js';
import { toJson } from '../render/json.js';
import { memberJson, memberLabel, placeOf } from './checkin.js';

export interface ActivityOptions extends CommonOptions {
  community: string;
  town?: string;
  date: string;
  category: string;
  hours?: number;
  points?: number;
  note?: string;
  fullId?: boolean;
}

export async function run(memberText: string, options: ActivityOptions): Promise<void> {
  const ctx = makeContext(options);
  const result = await withDatabase(
    ctx,
    (handle) =>
      recordActivity(
        handle,
        {
          member: memberText,
          community: options.community,
          town: options.town,
          date: options.date,
          category: options.category,
          hours: options.hours,
          points: options.points,
          note: options.note,
        },
        { today: ctx.today, now: nowTimestamp() },
      ),
    { mustExist: true },
  );
  for (const warning of result.warnings) ctx.io.err(warning);
  if (ctx.json) {
    ctx.io.out(toJson({ outcome: result.outcome, member: memberJson(result.member, Boolean(options.fullId)), activity: result.activity }));
    return;
  }
  ctx.io.out(message(result, Boolean(options.fullId)));
}

function message(r: ActivityResult, fullId: boolean): string {
  const a = r.activity;
  const details = [
    t('record.detailCategory', { category: a.category }),
    a.hours !== null ? t('record.detailHours', { hours: cleanNumber(a.hours) }) : '',
    a.points !== null ? t('record.detailPoints', { points: cleanNumber(a.points) }) : '',
    a.note ? t('record.detailNote', { note: a.note }) : '',
  ]
    .filter(Boolean)
    .join(t('record.detailSep'));
  const key = r.outcome === 'added' ? 'record.activityAdded' : r.outcome === 'updated' ? 'record.activityUpdated' : 'record.activityUnchanged';
  return t(key, { member: memberLabel(r.member, fullId), place: placeOf(a), date: a.date, details });
}
