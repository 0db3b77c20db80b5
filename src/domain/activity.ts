// Rules of a volunteer activity (SPEC §5) shared by dbd activity and the import.

/** The most hours one activity can have on its one date: more is refused by `dbd activity` and
 * warned about by an import (a slip: minutes, or a total). */
export const MAX_ACTIVITY_HOURS = 24;

const PLAIN_HOURS = /^\d+(?:\.\d+)?$/;
const NUMBER = String.raw`(\d+(?:\.\d+)?)`;
const HOUR_UNIT = String.raw`(?:个?小时|个?钟头|hours?|hrs?|h)`;
const MINUTE_UNIT = String.raw`(?:分钟|分|minutes?|mins?)`;
/** Minutes in hours, to two decimals (20分钟 → 0.33): finer is not what a register means. */
const fromMinutes = (minutes: number) => Math.round((minutes / 60) * 100) / 100;
// 2小时, 2个小时, 1.5h; 90分钟, 90分; 1小时30分(钟); 半小时; 1个半小时 (an hour and a half).
const WITH_UNITS: ReadonlyArray<{ re: RegExp; hours: (m: RegExpExecArray) => number }> = [
  { re: new RegExp(`^${NUMBER} ?${HOUR_UNIT}$`), hours: (m) => Number(m[1]) },
  { re: new RegExp(`^${NUMBER} ?${MINUTE_UNIT}$`), hours: (m) => fromMinutes(Number(m[1])) },
  { re: new RegExp(`^${NUMBER} ?${HOUR_UNIT} ?${NUMBER} ?${MINUTE_UNIT}$`), hours: (m) => fromMinutes(Number(m[1]) * 60 + Number(m[2])) },
  { re: /^半个?(?:小时|钟头)$/, hours: () => 0.5 },
  { re: /^(\d+) ?个?半(?:小时|钟头)$/, hours: (m) => Number(m[1]) + 0.5 },
  // 1:30 or 1:30:00, as a duration is shown in a time format ([h]:mm).
  { re: /^(\d+):([0-5]\d)(?::([0-5]\d))?$/, hours: (m) => fromMinutes(Number(m[1]) * 60 + Number(m[2]) + Number(m[3] ?? 0) / 60) },
];

/**
 * Hours of service as people write them (text already normalised: half-width, single spaces):
 * a number of hours with or without a unit, minutes, hours and minutes, 半小时, N个半小时, 1:30.
 * Undefined when it is none of these (两小时, -1, 1e3). 分 is minutes here (for points it is
 * points).
 */
export function parseHours(text: string): number | undefined {
  // Fast path: most cells hold a bare number.
  if (PLAIN_HOURS.test(text)) return Number(text);
  const lower = text.toLowerCase();
  for (const form of WITH_UNITS) {
    const m = form.re.exec(lower);
    if (m) return form.hours(m);
  }
  return undefined;
}
