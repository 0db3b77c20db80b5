// One data row → one typed record of its kind, or the problems that stop it. Values are
// normalised here (trimmed, half-width, placeholders emptied, dates and ID numbers read), so
// everything downstream sees clean values.
import { MAX_ACTIVITY_HOURS, parseHours } from '../domain/activity.js';
import { checkIdNumber, compactIdText } from '../domain/idNumber.js';
import { parseDate, shownText } from '../domain/dates.js';
import { cleanValue, normaliseText, personName, splitCommunityNames, toSimplified } from '../domain/text.js';
import type { StatusKind } from '../db/schema.js';
import { t } from '../i18n/index.js';
import { cellText, isErrorCell, isFormula, type Cell } from './cells.js';
import type { Kind } from './fields.js';

export interface Problem {
  row: number;
  column: string;
  value: string;
  reason: string;
  warning?: boolean;
}

export interface PersonRef {
  idNumber: string | null;
  phone: string | null;
  name: string | null;
  /** A masked ID number given instead (110105********123X): never a key, but its visible
   * characters may tell apart members who share the phone. */
  maskedId: string | null;
}

export interface MemberRecord extends PersonRef {
  name: string;
  gender: string | null;
  ethnicity: string | null;
  birthDate: string | null;
  unit: string | null;
  jobTitle: string | null;
  org: string;
  category: string | null;
  residenceCommunity: string | null;
  residenceTown: string | null;
  status: string | null;
  statusKind: StatusKind | null;
  changeDate: string | null;
  joinedOn: string | null;
}

export interface CheckinRecord extends PersonRef { community: string; town: string | null; date: string; post: string | null }
export interface ActivityRecord extends PersonRef {
  date: string;
  community: string;
  town: string | null;
  category: string;
  hours: number | null;
  points: number | null;
  note: string | null;
}
export interface OrgRecord {
  org: string;
  shortName: string | null;
  category: string | null;
  parent: string | null;
  unit: string;
  town: string | null;
  pairedCommunities: string[];
  pairedDate: string | null;
  secretary: string | null;
  phone: string | null;
  code: string | null;
}
/** unit: the organisation's unit when the sheet names it (tells apart organisations sharing a short name). */
/** communities: those the cell lists (新华社区、文昌社区 is two pairings); none when only a town is given. */
export interface OrgCheckinRecord { org: string; unit: string | null; communities: string[]; town: string | null; date: string | null }
export interface CommunityRecord { town: string; community: string; code: string | null }
export interface UnitRecord { unit: string; category: string | null; town: string | null }

export type AnyRecord = MemberRecord | CheckinRecord | ActivityRecord | OrgRecord | OrgCheckinRecord | CommunityRecord | UnitRecord;

export const EXEMPT_STATUSES = ['免报到', '长期病休', '病休', '外派', '援派', '驻外'];
export const DEPARTED_STATUSES = ['调出', '退休', '离退休', '死亡'];
export const ACTIVE_STATUSES = ['在职'];

export function statusKindOf(written: string): StatusKind | undefined {
  const status = toSimplified(written); // 在職, 調出 as a traditional-character sheet writes them
  if (status === '' || ACTIVE_STATUSES.includes(status)) return 'active';
  if (EXEMPT_STATUSES.includes(status)) return 'exempt';
  if (DEPARTED_STATUSES.includes(status)) return 'departed';
  return undefined;
}

/** Longest accepted text per field, in characters: a value longer than any real one is a
 * damaged or hostile file, not a name (an error naming the row and column, never stored). */
export const MAX_TEXT_CHARS: Record<string, number> = {
  name: 100,
  shortName: 100,
  org: 200,
  parent: 200,
  unit: 200,
  town: 200,
  community: 200,
  residenceCommunity: 200,
  residenceTown: 200,
  pairedCommunity: 2000,
  note: 2000,
};
export const DEFAULT_MAX_TEXT_CHARS = 500;

export interface RowInput {
  rowNumber: number;
  cells: Cell[];
  /** column index → the decimals its number's format shows, where fixed (SheetRow). */
  shownDecimals?: ReadonlyMap<number, number>;
  /** field → column index */
  columns: Map<string, number>;
  /** column index → header text as the sheet shows it */
  headers: string[];
  strict: boolean;
}

/** Reads fields of one row, collecting problems with the column header and the raw value. */
class RowReader {
  readonly problems: Problem[] = [];
  constructor(private readonly input: RowInput) {}

  has(field: string): boolean {
    return this.input.columns.has(field);
  }

  private cell(field: string): { cell: Cell; column: string } | undefined {
    const index = this.input.columns.get(field);
    if (index === undefined) return undefined;
    return { cell: this.input.cells[index] ?? null, column: this.input.headers[index] ?? field };
  }

  problem(field: string, value: string, reason: string, warning = false): void {
    const index = this.input.columns.get(field);
    const column = index === undefined ? field : this.input.headers[index] ?? field;
    this.problems.push({ row: this.input.rowNumber, column, value, reason, ...(warning ? { warning } : {}) });
  }

  /** The cell's value, refusing formulas and error values (what they show is not data). */
  private raw(field: string): Cell | undefined {
    const found = this.cell(field);
    if (!found) return undefined;
    const { cell } = found;
    if (isFormula(cell)) {
      // A shared formula's text is written in its first cell only: the others show their result.
      const shown = cell.formula ? `=${cell.formula}` : cell.result === null ? '=' : cellText(cell.result);
      this.problem(field, shown, t('ingest.formulaCell'));
      return undefined;
    }
    if (isErrorCell(cell)) {
      this.problem(field, cell.error, t('ingest.errorCell'));
      return undefined;
    }
    return cell;
  }

  text(field: string): string | null {
    const cell = this.raw(field);
    if (cell === undefined || cell === null) return null;
    const cleaned = cleanValue(valueText(cell));
    if (cleaned === '') return null;
    const max = MAX_TEXT_CHARS[field] ?? DEFAULT_MAX_TEXT_CHARS;
    // Counted in characters only when the UTF-16 length could exceed the limit (hot path).
    const length = cleaned.length > max ? Array.from(cleaned).length : cleaned.length;
    if (length > max) {
      this.problem(field, `${Array.from(cleaned).slice(0, 20).join('')}…`, t('safety.valueTooLong', { length, max }));
      return null;
    }
    return cleaned;
  }

  /** The communities a cell lists (splitCommunityNames), split on the text as the cell holds it:
   * text() would have made a line break between two names a space. */
  communities(field: string): string[] {
    // text() first, for its problems (formula, error, too long) and placeholders.
    if (this.text(field) === null) return [];
    return splitCommunityNames(valueText(this.cell(field)!.cell));
  }

  required(field: string): string {
    const value = this.text(field);
    if (value === null && !this.problems.some((p) => p.row === this.input.rowNumber && p.column === this.header(field))) {
      this.problem(field, '', t('ingest.requiredEmpty'));
    }
    return value ?? '';
  }

  header(field: string): string {
    const index = this.input.columns.get(field);
    return index === undefined ? field : this.input.headers[index] ?? field;
  }

  date(field: string, options: { required?: boolean; monthOnly?: boolean } = {}): string | null {
    const cell = this.raw(field);
    if (cell === undefined || cell === null || (typeof cell === 'string' && cleanValue(cell) === '')) {
      if (options.required && cell !== undefined) this.problem(field, '', t('ingest.requiredEmpty'));
      return null;
    }
    const shownDecimals = typeof cell === 'number' ? this.input.shownDecimals?.get(this.input.columns.get(field)!) : undefined;
    const parsed = parseDate(typeof cell === 'string' ? normaliseText(cell) : cell, { allowMonthOnly: options.monthOnly, shownDecimals });
    // Values as the cell shows them: 1985.10 in a 0.00 cell, not 1985.1.
    if (parsed.ok) {
      if (parsed.ambiguousMonth) this.problem(field, shownText(cell as number, shownDecimals), t('ingest.date.ambiguousMonth', { year: parsed.date.slice(0, 4) }), true);
      return parsed.date;
    }
    const shown = cell instanceof Date ? cellText(cell) : typeof cell === 'number' ? shownText(cell, shownDecimals) : String(cell);
    this.problem(field, shown, t(`ingest.date.${parsed.reason}`));
    return null;
  }

  /** Hours of service: a number cell, a duration in a time format (1:30), or text in the forms
   * parseHours reads (90分钟, 1个半小时…). */
  hours(field: string): number | null {
    const cell = this.raw(field);
    if (cell === undefined || cell === null) return null;
    if (typeof cell === 'number') return this.numberCell(field, cell);
    if (cell instanceof Date) {
      const duration = excelDuration(cell);
      if (duration !== undefined) return duration;
    }
    const text = cleanValue(cellText(cell));
    if (text === '') return null;
    const hours = parseHours(text);
    if (hours === undefined) this.problem(field, text, t('ingest.badNumber'));
    return hours ?? null;
  }

  private numberCell(field: string, cell: number): number | null {
    if (cell < 0 || !Number.isFinite(cell)) {
      this.problem(field, String(cell), t('ingest.badNumber'));
      return null;
    }
    return cell;
  }

  number(field: string): number | null {
    const cell = this.raw(field);
    if (cell === undefined || cell === null) return null;
    if (typeof cell === 'number') return this.numberCell(field, cell);
    const text = cleanValue(cellText(cell));
    if (text === '') return null;
    const match = /^(\d+(?:\.\d+)?)\s*(小时|个小时|h|H|分)?$/.exec(text);
    if (!match) {
      this.problem(field, text, t('ingest.badNumber'));
      return null;
    }
    return Number(match[1]);
  }

  phone(field = 'phone'): string | null {
    const cell = this.raw(field);
    if (cell === undefined || cell === null) return null;
    const text = typeof cell === 'number' ? cell.toFixed(0) : cleanValue(cellText(cell));
    if (text === '') return null;
    // Spaces and dashes between the groups, a text apostrophe in front (as for ID numbers), an
    // area code in brackets: (0571)87069837.
    const written = text.replace(/^'/, '');
    const compact = written.replace(/[\s\-()]/g, '');
    if (/^(\+?86)?1\d{10}$/.test(compact)) return compact.slice(-11);
    if (/^0\d{2,3}\d{7,8}$/.test(compact) || /^\d{7,8}$/.test(compact)) return written;
    this.problem(field, text, t('ingest.badPhone'));
    return null;
  }

  /** An ID number for a key: numbers stored as numbers and masked IDs are refused (masked: the
   * masked text, upper-case without spaces, for telling apart members who share a phone). */
  idNumber(field = 'idNumber', hasAlternative = false): { id: string | null; masked: string | null } {
    const found = this.cell(field);
    if (!found) return { id: null, masked: null };
    const cell = this.raw(field);
    if (cell === undefined || cell === null) return { id: null, masked: null };
    const raw: string | number = typeof cell === 'number' ? cell : cleanValue(cellText(cell));
    if (raw === '') return { id: null, masked: null };
    const checked = checkIdNumber(raw);
    const shown = typeof raw === 'number' ? excelShows(raw) : raw;
    if (checked.ok) {
      if (!checked.checkDigitValid) this.problem(field, shown, t('ingest.id.checkDigit'), !this.input.strict);
      return { id: checked.id, masked: null };
    }
    if (checked.reason === 'masked') {
      if (!hasAlternative) this.problem(field, shown, t('ingest.id.masked'));
      return { id: null, masked: compactIdText(String(raw)) };
    }
    this.problem(field, shown, t(`ingest.id.${checked.reason}`));
    return { id: null, masked: null };
  }
}

/** A cell's text before normalising (an integer number without a decimal point). */
function valueText(cell: Cell): string {
  if (typeof cell === 'number') return Number.isInteger(cell) ? cell.toFixed(0) : String(cell);
  return cellText(cell);
}

/** How Excel shows a large number in a General cell: 3.20106E+17. */
function excelShows(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return value.toFixed(0);
  return value.toExponential(14).replace(/\.?0+e/, 'e').replace('e+', 'E+').toUpperCase();
}

/** Who an invalid member row names, as far as its ID number or phone could be read. */
export interface MemberKey { idNumber: string | null; phone: string | null }

export interface Parsed<R> {
  record: R | undefined;
  problems: Problem[];
  /** An invalid member row's member, when known: --full-roster must not count them absent. */
  memberKey?: MemberKey;
}

function person(reader: RowReader, problemsIfNone: boolean): PersonRef {
  const phone = reader.has('phone') ? reader.phone() : null;
  const text = reader.has('name') ? reader.text('name') : null;
  const name = text === null ? null : personName(text);
  const { id, masked } = reader.idNumber('idNumber', phone !== null);
  if (problemsIfNone && !id && !phone && !name && !reader.problems.length) {
    reader.problem(reader.has('idNumber') ? 'idNumber' : reader.has('phone') ? 'phone' : 'name', '', t('ingest.noPersonKey'));
  }
  return { idNumber: id, phone, name, maskedId: masked };
}

export function parseRecord(kind: Kind, input: RowInput): Parsed<AnyRecord> {
  const reader = new RowReader(input);
  const record = PARSERS[kind](reader);
  const hasError = reader.problems.some((problem) => !problem.warning);
  if (!hasError) return { record, problems: reader.problems };
  const member = kind === 'members' ? (record as MemberRecord) : undefined;
  const memberKey = member && (member.idNumber || member.phone) ? { idNumber: member.idNumber, phone: member.phone } : undefined;
  return { record: undefined, problems: reader.problems, ...(memberKey ? { memberKey } : {}) };
}

const PARSERS: Record<Kind, (reader: RowReader) => AnyRecord> = {
  communities: (r) => ({ town: r.required('town'), community: r.required('community'), code: r.text('code') }),
  units: (r) => ({ unit: r.required('unit'), category: r.text('category'), town: r.text('town') }),
  orgs: (r) => ({
    org: r.required('org'),
    shortName: r.text('shortName'),
    category: r.text('category'),
    parent: r.text('parent'),
    unit: r.required('unit'),
    town: r.text('town'),
    pairedCommunities: r.communities('pairedCommunity'),
    pairedDate: r.date('pairedDate'),
    secretary: r.text('secretary'),
    phone: r.text('phone'),
    code: r.text('code'),
  }),
  members: (r) => {
    const phone = r.phone();
    const name = personName(r.required('name'));
    const { id, masked } = r.idNumber('idNumber', phone !== null);
    if (!id && !phone && !masked && !r.problems.length) r.problem(r.has('idNumber') ? 'idNumber' : 'phone', '', t('ingest.noMemberKey'));
    const statusText = r.text('status');
    let statusKind: StatusKind | null = null;
    if (statusText !== null) {
      const kind = statusKindOf(statusText);
      if (kind === undefined) {
        r.problem('status', statusText, t('ingest.badStatus', { accepted: [...ACTIVE_STATUSES, ...EXEMPT_STATUSES, ...DEPARTED_STATUSES].join(t('common.listSeparator')) }));
      } else statusKind = kind;
    }
    return {
      idNumber: id,
      phone,
      name,
      maskedId: masked,
      gender: r.text('gender'),
      ethnicity: r.text('ethnicity'),
      birthDate: r.date('birthDate', { monthOnly: true }),
      unit: r.text('unit'),
      jobTitle: r.text('jobTitle'),
      org: r.required('org'),
      category: r.text('category'),
      residenceCommunity: r.text('residenceCommunity'),
      residenceTown: r.text('residenceTown'),
      status: statusText,
      statusKind,
      changeDate: r.date('changeDate'),
      joinedOn: r.date('joinedOn', { monthOnly: true }),
    };
  },
  checkins: (r) => ({
    ...person(r, true),
    community: r.required('community'),
    town: r.text('town'),
    date: r.date('date', { required: true }) ?? '',
    post: r.text('post'),
  }),
  'org-checkins': (r) => {
    const record = { org: r.required('org'), unit: r.text('unit'), communities: r.communities('community'), town: r.text('town'), date: r.date('date') };
    if (record.communities.length === 0 && !record.town) r.problem(r.has('community') ? 'community' : 'town', '', t('ingest.noPairingTarget'));
    return record;
  },
  activities: (r) => {
    const hours = r.hours('hours');
    // One activity is on one date: more hours than a day has is most likely a slip (minutes, or
    // a total), said but not refused (a register may record a multi-day activity on its first day).
    if (hours !== null && hours > MAX_ACTIVITY_HOURS) r.problem('hours', String(hours), t('ingest.hoursOverDay', { max: MAX_ACTIVITY_HOURS }), true);
    return {
      ...person(r, true),
      date: r.date('date', { required: true }) ?? '',
      community: r.required('community'),
      town: r.text('town'),
      category: r.required('category'),
      hours,
      points: r.number('points'),
      note: r.text('note'),
    };
  },
};

/**
 * Hours of a cell in a time format ([h]:mm, h:mm): the reader gives it as a date counted from
 * Excel's day zero (1899-12-30, or 1904-01-01 in the 1904 system), a day for each 24 hours.
 * Undefined for a real date: one in the first two months after day zero is taken for a
 * duration (no activity is dated January 1900, and no duration runs to 1,400 hours).
 */
function excelDuration(cell: Date): number | undefined {
  const ms = cell.getTime();
  for (const zero of [Date.UTC(1899, 11, 30), Date.UTC(1904, 0, 1)]) {
    if (ms >= zero && ms < zero + 60 * 86_400_000) return Math.round(((ms - zero) / 3_600_000) * 100) / 100;
  }
  return undefined;
}
