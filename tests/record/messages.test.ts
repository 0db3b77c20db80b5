// The record and rate catalogues, and the help keys of these commands, in both languages.
import { describe, expect, it } from 'vitest';
import * as help from '../../src/i18n/messages/help.js';
import * as rate from '../../src/i18n/messages/rate.js';
import * as record from '../../src/i18n/messages/record.js';

describe('record and rate messages', () => {
  it.each([
    ['record', record],
    ['rate', rate],
  ])('%s has the same keys in zh and en, none empty', (_name, area) => {
    expect(Object.keys(area.en).sort()).toEqual(Object.keys(area.zh).sort());
    for (const [key, text] of [...Object.entries(area.zh), ...Object.entries(area.en)]) expect(text.trim(), key).not.toBe('');
  });

  it('uses the same placeholders in both languages', () => {
    for (const area of [record, rate]) {
      for (const key of Object.keys(area.zh)) {
        const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
        expect(names(area.en[key]), key).toEqual(names(area.zh[key]));
      }
    }
  });

  it('has help for every option of checkin, org-checkin, activity and rate', () => {
    const keys = ['checkin', 'checkinMember', 'checkinCommunity', 'recordTown', 'checkinDate', 'checkinPost', 'checkinVoid', 'checkinReason', 'orgCheckin', 'orgCheckinOrg', 'orgCheckinCommunity', 'orgCheckinTown', 'orgCheckinDate', 'activity', 'activityMember', 'activityCommunity', 'activityDate', 'activityCategory', 'activityHours', 'activityPoints', 'activityNote', 'rate', 'rateBelow', 'rateBy', 'rateAsOf', 'rateMinActivities', 'rateOut', 'rateEncoding'];
    for (const key of keys) {
      expect(help.zh[key], key).toBeTruthy();
      expect(help.en[key], key).toBeTruthy();
    }
  });
});
