// dbd org-checkin ORG --community C | --town T [--date D]: an organisation's report or pairing.
import { makeContext, withDatabase, type CommonOptions } from '../cli/context.js';
import { nowTimestamp } from '../clock.js';
import { recordOrgCheckin, type OrgCheckinResult } from '../db/recording.js';
import { usageError } from '../errors.js';
import { t } from '../i18n/index.js';
import { toJson } from '../render/json.js';

export interface OrgCheckinOptions extends CommonOptions {
  community?: string;
  town?: string;
  date?: string;
}

export async function run(orgName: string, options: OrgCheckinOptions): Promise<void> {
  const ctx = makeContext(options);
  if (!options.community && !options.town) throw usageError(t('record.orgNeedsPlace'));
  const result = await withDatabase(
    ctx,
    (handle) =>
      recordOrgCheckin(handle, { org: orgName, community: options.community, town: options.town, date: options.date ?? ctx.today }, { today: ctx.today, now: nowTimestamp() }),
    { mustExist: true },
  );
  if (ctx.json) {
    ctx.io.out(
      toJson({ outcome: result.outcome, org: result.org.name, unit: result.org.unit, town: result.town, community: result.community, date: result.date }),
    );
    return;
  }
  ctx.io.out(message(result));
}

function message(r: OrgCheckinResult): string {
  const org = r.org.shortName ? t('common.withNote', { text: r.org.name, note: r.org.shortName }) : r.org.name;
  const place = r.community ? t('record.place', { town: r.town, community: r.community }) : r.town;
  if (r.outcome === 'unchanged') return r.date === null ? t('record.orgUnchangedUndated', { org, place }) : t('record.orgUnchanged', { org, place, date: r.date });
  if (r.outcome === 'updated') return t('record.orgUpdated', { org, place, date: r.date ?? '' });
  return r.community ? t('record.orgPairAdded', { org, place, date: r.date ?? '' }) : t('record.orgTownAdded', { org, town: r.town, date: r.date ?? '' });
}
