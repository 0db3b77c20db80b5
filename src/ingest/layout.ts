// Finding the header in a real sheet: title rows, 填报 lines, two- and three-level merged
// headers, column-code rows (甲 乙 1 2 3), 合计 rows and notes — what is header, what is
// data and what is skipped (and why).
import { headerKey, lineKey, normaliseText, traditionalTable } from '../domain/text.js';
import { cellText, isBlankRow, type SheetRow } from './cells.js';
import { detectKind, fieldFor, IGNORED_HEADERS, isKnownHeader, type Kind } from './fields.js';

export type SkipReason = 'title' | 'filing' | 'total' | 'notes' | 'codes' | 'section' | 'repeated-header' | 'empty-template' | 'no-checkin';

export interface SheetLayout {
  kind: Kind | undefined;
  /** Row numbers (as the sheet shows them) that form the header. */
  headerRows: number[];
  /** One label per column: the lowest non-empty header cell of that column. */
  headers: string[];
  /** The index in the scanned rows of the last header row. */
  headerIndex: number;
}

/** How many non-blank rows at the top are searched for the header. */
export const HEADER_SEARCH_ROWS = 30;

// Matched against lineKey() (colons kept as ':'). A bare 联系人, 负责人 or 经办人 is also a common
// column header: below the header it marks a signature line, in the header search only a
// keyword with a colon does (isLineMarker).
const FILING = /^(填报单位|填报日期|填报时间|填报人|填表单位|填表日期|填表时间|制表单位|制表日期|制表时间|报送单位|报送日期|统计时间|统计日期|截止日期|截至日期|审核日期|单位(\(盖章\))?:)/;
const NOTES = /^(注:|注\d|注意事项|说明:|填表说明|填报说明|备注:|审核人|审核:|负责人|单位负责人|联系人|经办人|填表人|制表|签字|签名|盖章|领导签字)/;
/** A cell that is a signature line's label by itself (its value in the next cell): never data.
 * Each begins as a NOTES or FILING word does (LINE_LEADS gates the rule, per row). */
const SIGNATURE_LABEL = /^(填表人|填报人|制表人|审核人|审批人|负责人|单位负责人|经办人|联系人|联系电话|填表日期|填报日期|制表日期|审核日期|报送日期|签字|签名|盖章|单位\(盖章\)):?$/;
/** Headings of a notes box, notes even without a colon. */
const NOTES_HEADING = /^(注\d|注意事项|填表说明|填报说明)/;
// 累计 only as the whole value: 累计服务时长 is a column's text, not a total.
const TOTAL = /^(合计|小计|总计|共计|总数|本页合计|本页小计|本页总计|以上合计|全部合计|累计:?$)/;
/** Punctuation of a sentence (a note), never of a heading or a name. */
const SENTENCE = /[:;。，,；！？!?]/;
// The first value of a template's example row.
const EXAMPLE_ROW = /^(示例|样例|范例|例|举例|填写示例|填表示例|填报示例|填写样例)[:：]?$/;
// A heading over a group of members: numbered (二、 甲、 (二) 第二) or naming a Party organisation.
const NUMBERED_HEADING = /^(([一二三四五六七八九十]+|[甲乙丙丁戊己庚辛壬癸]|\d{1,2})[、.](?!\d)|\(([一二三四五六七八九十]+|\d{1,2})\)|第[一二三四五六七八九十\d]+(党?支部|党小组|组|部分|片|批))/;
const ORG_HEADING = /(党委|党总支|总支|党支部|支部|党组|委员会|党小组)$/;
// Also in brackets: (1) (2) (3); full-width ones are half-width by now. Circled ① ② ③ and
// bracketed ⑴ ⑵ ⑶ too, and the 栏次 label some forms put in front of the codes.
const CODE = /^(\(([甲乙丙丁戊己庚辛壬癸]|\d{1,3}|[A-Z])\)|[甲乙丙丁戊己庚辛壬癸]|\d{1,3}|[A-Z]|[\u2460-\u2487]|栏次|栏号)$/;

/**
 * The characters a key matching these patterns can start with (the first character of each
 * alternative; a superset is harmless). Data values start with other characters almost always,
 * so most rows need no keys at all (a million-row import would otherwise spend seconds here).
 * null: a pattern this cannot read, always check.
 */
function leadsOf(patterns: RegExp[]): Uint8Array | null {
  const leads = new Set<string>();
  for (const pattern of patterns) {
    const source = pattern.source;
    if (!source.startsWith('^(')) return null;
    for (const alternative of source.slice(2).split('|')) {
      const first = alternative[0];
      if (first === undefined || '\\[(.^$*+?{|)'.includes(first)) return null;
      leads.add(first);
    }
  }
  // By UTF-16 code unit: the leads, their traditional forms (lineKey simplifies), and what
  // lineKey drops or rewrites at the start (markers, brackets), which the slow way handles.
  const units = new Uint8Array(0x10000);
  for (const lead of leads) units[lead.charCodeAt(0)] = 1;
  for (const [traditional, simplified] of traditionalTable()) if (leads.has(simplified)) units[traditional.charCodeAt(0)] = 1;
  for (const mark of '*※【〔〖[{') units[mark.charCodeAt(0)] = 1;
  return units;
}

const LINE_LEADS = leadsOf([NOTES, FILING]);
// Subtotals are looked for in a row's first two values only: 本科 or 全勤 further along is data.
const TOTAL_LEADS = leadsOf([TOTAL]);
const EXAMPLE_LEADS = leadsOf([EXAMPLE_ROW]);

/** Whether lineKey(value) might match the patterns of `leads` (value is normalised, non-empty). */
function mayMatch(leads: Uint8Array | null, value: string): boolean {
  return leads === null || leads[value.charCodeAt(0)] === 1;
}

function texts(row: SheetRow): string[] {
  return row.cells.map((cell) => normaliseText(cellText(cell)));
}

function distinctNonEmpty(values: string[]): string[] {
  return [...new Set(values.filter((value) => value !== ''))];
}

function matchesOf(values: string[], kind: Kind | undefined): number {
  const seen = new Set<string>();
  for (const value of values) {
    if (!value) continue;
    if (kind) {
      const field = fieldFor(kind, value);
      if (field) seen.add(field);
    } else if (isKnownHeader(value)) seen.add(headerKey(value));
  }
  return seen.size;
}

/** Whether a row holds a filing or notes keyword anywhere (a row above the header, or below it). */
function isFilingOrNotes(values: string[]): boolean {
  return distinctNonEmpty(values).some((value) => {
    const key = lineKey(value);
    return FILING.test(key) || NOTES.test(key);
  });
}

/**
 * A cell that makes its row a 填报 line or a note rather than a header: a keyword with a colon
 * (填报单位：…, 联系人：…) or a notes heading. A header row may well hold 联系人 or 经办人.
 */
function isLineMarker(value: string): boolean {
  const key = lineKey(value);
  return (FILING.test(key) || NOTES.test(key)) && (key.includes(':') || NOTES_HEADING.test(key));
}

/** A signature line's reason: a 填报 line, unless it names a person who signs (notes). */
function signatureReason(values: string[]): SkipReason {
  return isFilingOrNotes(values) && !values.some((value) => NOTES.test(lineKey(value))) ? 'filing' : 'notes';
}

function isFilingOrNotesLine(values: string[]): boolean {
  return distinctNonEmpty(values).some(isLineMarker);
}

/**
 * A "label：value" cell of a signature or 填报 line (填表人：张三, 联系电话：, 审核日期：2026年10月8日):
 * a short label in Chinese, then a colon. Data cells do not start so (a time's colon follows
 * digits).
 */
function isLabelled(value: string): boolean {
  if (value.charCodeAt(0) < 0x3400) return false;
  const colon = value.search(/[:：]/);
  return colon > 0 && colon <= 8;
}

/**
 * Find the header among the first rows. Each candidate bottom row is scored together with
 * up to two rows above it (the lowest non-empty cell of each column is its label), so a
 * two- or three-level header scores as a whole even where merged cells were not filled.
 */
export function findLayout(rows: SheetRow[], forcedKind?: Kind): SheetLayout | undefined {
  const candidates = rows.slice(0, HEADER_SEARCH_ROWS);
  const values = candidates.map(texts);
  let best: { score: number; index: number; start: number } | undefined;
  for (let index = 0; index < candidates.length; index++) {
    if (isFilingOrNotesLine(values[index]) || distinctNonEmpty(values[index]).length < 2) continue;
    for (let start = index; start >= Math.max(0, index - 2); start--) {
      if (start < index && (isFilingOrNotesLine(values[start]) || distinctNonEmpty(values[start]).length < 2)) break;
      const labels = combine(values.slice(start, index + 1));
      const score = matchesOf(labels, forcedKind);
      if (score >= 2 && (!best || score > best.score)) best = { score, index, start };
    }
  }
  if (!best) return undefined;
  // A group label that is itself a field (联系电话 over 手机 | 办公电话) scores as much alone as
  // with the labels under it, so the search stops a row short: the row below is the header's
  // too when it holds labels under the groups (and what merges carried down) that keep the
  // fields the header gives.
  let bottom = best.index;
  const below = values[bottom + 1];
  if (below) {
    const kind = forcedKind ?? detectKind(combine(values.slice(best.start, bottom + 1)));
    if (kind && isUnderGroups(values[bottom], below, kind) && matchesOf(combine(values.slice(best.start, bottom + 2)), forcedKind) >= best.score) bottom++;
  }
  // Group rows directly above (基本信息 | 工作情况 | …) belong to the header too.
  let start = best.start;
  while (start > 0 && start > bottom - 3) {
    const above = values[start - 1];
    const distinct = distinctNonEmpty(above);
    // A group label is short and holds no long number: a line such as 联系人 | 王五 | 联系电话 |
    // 0571-88889999 is a contact line, not part of the header.
    if (distinct.length < 2 || isFilingOrNotesLine(above) || distinct.some((value) => value.length > 20 || /\d{5}/.test(value))) break;
    start--;
  }
  const headers = combine(values.slice(start, bottom + 1));
  const kind = forcedKind ?? detectKind(headers);
  return {
    kind,
    headerRows: candidates.slice(start, bottom + 1).map((row) => row.rowNumber),
    headers,
    headerIndex: bottom,
  };
}

/**
 * Whether `below` is the second row of a two-level header under `above`: each of its values
 * repeats the one above (a merge carried down) or stands under a group label, one text over
 * several columns (a merge carried across, or a label followed by blanks where the merge was
 * not carried: a CSV saved from such a sheet). Under a label that names a field the labels
 * name that field or none, one of them that field (手机 and 办公电话 under 联系电话); under a
 * phone group any label is a phone (手机 | 单位), but one of them must say so (单位 | 住宅 alone
 * is not taken). A data row has values unlike the header's under single columns (a name under 姓名).
 */
function isUnderGroups(above: string[], below: string[], kind: Kind): boolean {
  const groupFields = new Set<string>();
  const labelFields = new Set<string>();
  let underGroup = 0;
  for (let column = 0; column < below.length; column++) {
    const value = below[column];
    if (value === '' || value === above[column]) continue;
    const group = groupOf(above, column);
    if (group === undefined) return false;
    const groupField = fieldFor(kind, group);
    if (groupField !== undefined) {
      const field = fieldFor(kind, value);
      // Under a phone group 单位 is the office phone (combine names it 联系电话单位).
      const phoneKind = groupField === 'phone' && PHONE_KIND_UNIT.test(value);
      if (field !== undefined && field !== groupField && !phoneKind) return false;
      groupFields.add(groupField);
      if (field !== undefined && !phoneKind) labelFields.add(field);
    }
    underGroup++;
  }
  // Labels under a phone group are kinds of phone, named or not (手机 | 办公电话, 单位 | 住宅).
  return underGroup > 0 && [...groupFields].every((field) => field === 'phone' || labelFields.has(field)) && !isFilingOrNotesLine(below);
}

/** The label spanning several columns of a header row that a column lies under: the same text
 * beside it, or blanks after it. */
function groupOf(row: string[], column: number): string | undefined {
  const label = row[column] ?? '';
  if (label === '') {
    const left = labelBefore(row, column);
    return left === undefined ? undefined : row[left];
  }
  const next = row[column + 1] ?? '';
  return row[column - 1] === label || next === label || next === '' ? label : undefined;
}

/**
 * The column of the label a blank header cell lies under, where a merge was not carried: the
 * nearest label to its left. None when that label was carried across by a merge (repeated): a
 * blank after it lies beyond the merge's end.
 */
function labelBefore(row: string[], column: number): number | undefined {
  for (let left = column - 1; left >= 0; left--) {
    if (row[left] === '') continue;
    return left > 0 && row[left - 1] === row[left] ? undefined : left;
  }
  return undefined;
}

function isPhoneHeader(header: string): boolean {
  return fieldFor('members', header) === 'phone';
}

/** Under a phone group (联系电话 over 手机 | 单位 | 住宅), 单位 is the office phone, not the work unit. */
const PHONE_KIND_UNIT = /^单位(电话)?$/;

/**
 * The group label of an upper header row that a column lies under where the merge was not
 * carried (a CSV saved from a merged header, or a sheet whose label was never merged): a blank
 * after a label whose own column has a label under it too (居住地 over 街道, blank over 社区).
 * A label with nothing under it is a column of its own, and a blank after a merge carried across
 * (the label repeated) lies beyond the merge.
 */
function spannedBy(upper: string[], bottom: string[], column: number): string | undefined {
  if (upper[column] || !bottom[column]) return undefined;
  const left = labelBefore(upper, column);
  return left !== undefined && bottom[left] && bottom[left] !== upper[left] ? upper[left] : undefined;
}

/**
 * One label per column of a header over several rows: the lowest one. A label found under more
 * than one group (居住地 | 报到地, each over 街道 | 社区) is named with its group, so that the
 * check-in's 社区 is not taken for the residence's: 居住社区, 报到社区, 报到街道.
 */
function combine(headerRows: string[][]): string[] {
  const width = Math.max(0, ...headerRows.map((row) => row.length));
  const bottom = headerRows[headerRows.length - 1] ?? [];
  const uppers = headerRows.slice(0, -1).reverse(); // the nearest group first
  const labels: string[] = [];
  const groups: string[] = [];
  for (let column = 0; column < width; column++) {
    let label = '';
    let group = '';
    for (const row of headerRows) {
      if (!row[column] || row[column] === label) continue;
      group = label;
      label = row[column];
    }
    labels.push(label);
    groups.push(group || uppers.map((upper) => spannedBy(upper, bottom, column)).find(Boolean) || '');
  }
  const seen = new Map<string, Set<string>>();
  labels.forEach((label, column) => label && seen.set(label, (seen.get(label) ?? new Set()).add(groups[column])));
  return labels.map((label, column) => {
    const group = groups[column];
    // 单位 under a phone group is a phone: named with its group, which names no field.
    if (label && group && isPhoneHeader(group) && PHONE_KIND_UNIT.test(label)) return group + label;
    const underGroups = seen.get(label);
    if (!label || !group || !underGroups || underGroups.size < 2) return label;
    const named = group.replace(/(地点|地|社区|\(社区\)|村\(社区\))$/, '') + label;
    return isKnownHeader(named) ? named : label;
  });
}

/**
 * Classify a row below the header: undefined for data, else why it is skipped.
 * `dataColumns` are the columns mapped to fields (a row with values only elsewhere, such as
 * a template's pre-numbered 序号, holds no data). `kind`: what the sheet holds (one long value
 * alone can be a row only of a kind whose rows need no more than one value).
 */
export function skipReason(row: SheetRow, layout: SheetLayout, dataColumns: number[], firstAfterHeader: boolean, kind?: Kind): SkipReason | undefined {
  const values = texts(row);
  // The checks in order; the set of distinct values is built only for the rare rows that
  // need it (this runs for every row of a million-row file).
  const firstTwo = firstValues(values, 2);
  // A template's filled-in example (示例 | 张三 | 33010219800101001X …): guidance, not a member.
  if (firstTwo.length > 0 && mayMatch(EXAMPLE_LEADS, firstTwo[0]) && EXAMPLE_ROW.test(firstTwo[0])) return 'notes';
  if (firstTwo.some((value) => mayMatch(TOTAL_LEADS, value) && TOTAL.test(lineKey(value)))) return 'total';
  // Before the notes and signature rules: a header may name 联系人 and 联系电话 columns.
  if (values.every((value, column) => value === '' || value === layout.headers[column]) && distinctNonEmpty(values).length >= 2) return 'repeated-header';
  if (values.some((value) => value !== '' && mayMatch(LINE_LEADS, value))) {
    const distinct = distinctNonEmpty(values);
    if (distinct.some((value) => NOTES.test(lineKey(value)))) {
      if (!dataColumns.some((column) => values[column] && !NOTES.test(lineKey(values[column])) && distinct.length > 2)) return 'notes';
    }
    if (distinct.some((value) => FILING.test(lineKey(value))) && distinct.length <= 3) return 'filing';
    // A signature line written in cells without colons: 填表人 | 张三 | 审核人 | 李四 | 填表日期 | …
    if (distinct.filter((value) => SIGNATURE_LABEL.test(lineKey(value))).length >= 2) return signatureReason(values);
  }
  if (firstAfterHeader) {
    const distinct = distinctNonEmpty(values);
    if (distinct.length >= 2 && distinct.every((value) => CODE.test(value))) return 'codes';
  }
  // A signature line: every value a "label：value" pair (填表人：张三 | 联系电话：… | 填表日期：…).
  if (values.every((value) => value === '' || isLabelled(value))) return signatureReason(values);
  const single = onlyValue(values);
  if (single !== undefined) {
    if (isSectionHeading(single, values, dataColumns) || isTypedHeading(single, values, dataColumns, kind)) return 'section';
    if (isNoteText(single, values, dataColumns, kind)) return 'notes';
  }
  if (!dataColumns.some((column) => values[column] !== undefined && values[column] !== '')) return 'empty-template';
  return undefined;
}

/**
 * Whether the one value of a row is a section heading carried across the table by a merge
 * (二、财政局机关第二支部 over A:G): it stands in two of the fields' columns, which a real row
 * never fills with one text (a name is no ID number). Two columns looked at, not all: only rows
 * with a single value get here. A sentence is a note (isNoteText).
 */
function isSectionHeading(single: string, values: string[], dataColumns: number[]): boolean {
  return dataColumns.length >= 2 && values[dataColumns[0]] === single && values[dataColumns[1]] === single && !SENTENCE.test(single);
}

/**
 * Whether the one value of a row is a section heading typed into one cell, not merged (二、财政局
 * 机关第二支部 in the 姓名 column), in a sheet whose rows need more than one value: a roster's
 * member needs an ID number or a phone, a register's row a date. A name alone stays a row (and an
 * error), so that a member whose other cells were left empty is not passed over.
 */
function isTypedHeading(single: string, values: string[], dataColumns: number[], kind: Kind | undefined): boolean {
  if (kind !== 'members' && kind !== 'checkins' && kind !== 'activities') return false;
  if (!dataColumns.some((column) => values[column] === single)) return false; // elsewhere: no field's value (empty-template)
  return !SENTENCE.test(single) && (NUMBERED_HEADING.test(single) || ORG_HEADING.test(single));
}

/**
 * Whether the one value of a row is a note: a sentence (punctuation), or long text that cannot
 * be a row of its own: spread over several cells (a merged box), outside the data columns, or
 * in a sheet whose rows need more than one value (a unit's name alone is a unit).
 */
function isNoteText(single: string, values: string[], dataColumns: number[], kind: Kind | undefined): boolean {
  if (SENTENCE.test(single)) return true;
  if (single.length < 15) return false;
  const columns = values.flatMap((value, column) => (value === single ? [column] : []));
  if (columns.length > 1 || !dataColumns.includes(columns[0])) return true;
  return kind !== 'units' && kind !== 'org-checkins';
}

/** The first `n` non-empty values of a row. */
function firstValues(values: string[], n: number): string[] {
  const found: string[] = [];
  for (let i = 0; i < values.length && found.length < n; i++) if (values[i] !== '') found.push(values[i]);
  return found;
}

/** The one distinct non-empty value of a row, or undefined when it has none or several. */
function onlyValue(values: string[]): string | undefined {
  let only: string | undefined;
  for (const value of values) {
    if (value === '' || value === only) continue;
    if (only !== undefined) return undefined;
    only = value;
  }
  return only;
}

export function titleOrFilingReason(row: SheetRow): SkipReason {
  const values = texts(row);
  return isFilingOrNotes(values) ? (distinctNonEmpty(values).some((value) => NOTES.test(lineKey(value))) ? 'notes' : 'filing') : 'title';
}

export { isBlankRow, IGNORED_HEADERS };
