// dbd checkin MEMBER --community C [--town T] [--date D] [--post P] | --void MEMBER --reason R.
import { makeContext, withDatabase, type CommonOptions } from '../cli/context.js';
import { nowTimestamp } from '../clock.js';
import { recordCheckin, voidCheckin, type CheckinInfo, type CheckinResult, type MemberInfo, type VoidResult } from '../db/recording.js';
import { maskIdNumber } from '../domain/idNumber.js';
import { usageError } from '../errors.js';
import { t } from '../i18n/index.js';
import { toJson } from '../render/json.js';

export interface CheckinOptions extends CommonOptions {
  community?: string;
  town?: string;
  date?: string;
  post?: string;
  void?: boolean;
  reason?: string;
  fullId?: boolean;
}

/** The member as shown in messages and JSON: the ID number masked unless --full-id. */
export function memberJson(member: MemberInfo, fullId: boolean) {
  return {
    name: member.name,
    idNumber: member.idNumber && !fullId ? maskIdNumber(member.idNumber) : member.idNumber,
    phone: member.phone,
    org: member.org,
    unit: member.unit,
  };
}

export function memberLabel(member: MemberInfo, fullId: boolean): string {
  const shown = memberJson(member, fullId);
  return t('record.memberLabel', { name: member.name, key: shown.idNumber ?? shown.phone ?? '', org: member.orgShortName ?? member.org });
}

function checkinJson(checkin: CheckinInfo | null) {
  if (!checkin) return null;
  return {
    town: checkin.town,
    community: checkin.community,
    date: checkin.date,
    post: checkin.post,
    ...(checkin.voidedAt ? { voidedAt: checkin.voidedAt, voidReason: checkin.voidReason } : {}),
  };
}

export const placeOf = (c: { town: string; community: string }): string => t('record.place', { town: c.town, community: c.community });

export async function run(memberText: string, options: CheckinOptions): Promise<void> {
  const ctx = makeContext(options);
  const fullId = Boolean(options.fullId);
  if (options.void) {
    if (options.community || options.town || options.date || options.post) throw usageError(t('record.voidNeedsNoPlace'));
    if (options.reason === undefined) throw usageError(t('record.reasonRequired'));
    const result = await withDatabase(ctx, (handle) => voidCheckin(handle, { member: memberText, reason: options.reason! }, { today: ctx.today, now: nowTimestamp() }), {
      mustExist: true,
    });
    printVoid(ctx, result, fullId);
    return;
  }
  if (options.reason !== undefined) throw usageError(t('record.reasonWithoutVoid'));
  if (!options.community) throw usageError(t('record.checkinNeedsCommunity'));
  const result = await withDatabase(
    ctx,
    (handle) =>
      recordCheckin(
        handle,
        { member: memberText, community: options.community!, town: options.town, date: options.date ?? ctx.today, post: options.post },
        { today: ctx.today, now: nowTimestamp() },
      ),
    { mustExist: true },
  );
  for (const warning of result.warnings) ctx.io.err(warning);
  if (ctx.json) {
    ctx.io.out(
      toJson({
        outcome: result.outcome,
        effect: result.effect,
        member: memberJson(result.member, fullId),
        checkin: checkinJson(result.checkin),
        previous: checkinJson(result.previous),
        current: checkinJson(result.current),
      }),
    );
    return;
  }
  ctx.io.out(checkinMessage(result, fullId));
}

function checkinMessage(r: CheckinResult, fullId: boolean): string {
  const member = memberLabel(r.member, fullId);
  const place = placeOf(r.checkin);
  const post = r.checkin.post ? t('record.withPost', { post: r.checkin.post }) : '';
  const current = r.current ? { current: placeOf(r.current), currentDate: r.current.date } : { current: '', currentDate: '' };
  if (r.outcome === 'updated') return t('record.checkinPostUpdated', { member, place, date: r.checkin.date, post: r.checkin.post ?? '' });
  if (r.effect === 'same') return t('record.checkinSame', { member, place, date: r.checkin.date });
  const lines: string[] = [];
  if (r.outcome === 'reinstated') lines.push(t('record.checkinReinstated', { member, place, date: r.checkin.date }));
  if (r.outcome === 'unchanged') {
    lines.push(t('record.checkinKnownHistory', { member, place, date: r.checkin.date, ...current }));
  } else if (r.effect === 'history') {
    lines.push(t('record.checkinHistory', { member, place, date: r.checkin.date, ...current }));
  } else if (r.effect === 'moved' && r.previous) {
    lines.push(t('record.checkinMoved', { member, place, date: r.checkin.date, post, from: placeOf(r.previous), fromDate: r.previous.date }));
  } else if (r.outcome === 'added') {
    lines.push(t('record.checkinFirst', { member, place, date: r.checkin.date, post }));
  } else if (r.current) {
    lines.push(t('record.currentNow', { place: placeOf(r.current), date: r.current.date }));
  }
  return lines.join('\n');
}

function printVoid(ctx: ReturnType<typeof makeContext>, r: VoidResult, fullId: boolean): void {
  if (ctx.json) {
    ctx.io.out(toJson({ outcome: 'voided', member: memberJson(r.member, fullId), voided: checkinJson(r.voided), current: checkinJson(r.current) }));
    return;
  }
  const lines = [
    t('record.voided', { member: memberLabel(r.member, fullId), place: placeOf(r.voided), date: r.voided.date, reason: r.voided.voidReason ?? '' }),
    r.current ? t('record.currentNow', { place: placeOf(r.current), date: r.current.date }) : t('record.noCurrent', { name: r.member.name }),
  ];
  ctx.io.out(lines.join('\n'));
}
