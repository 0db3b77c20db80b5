// What one row of a sheet is, once its header is known: not counted (blank, or a header row),
// skipped (title, 填报 line, 合计, notes, column codes…) or data, read into a record with its
// problems. Pure and stateful per sheet (the rows right under the header may be column codes),
// so that it runs the same in the importing process and in a parse worker (parseWorker.ts).
import { cleanValue, normaliseText } from '../domain/text.js';
import { cellText, isBlankRow, type SheetRow } from './cells.js';
import { mapColumns, type Kind } from './fields.js';
import { skipReason, titleOrFilingReason, type SheetLayout, type SkipReason } from './layout.js';
import { parseRecord, type AnyRecord, type MemberKey, type Problem } from './records.js';

export type RowOutcome =
  | { row: number; skip: SkipReason }
  | { row: number; record: AnyRecord | undefined; problems: Problem[]; memberKey?: MemberKey };

export interface SheetPlan {
  kind: Kind;
  layout: SheetLayout;
  /** field → column index (mapColumns of the layout's headers). */
  columns: Map<string, number>;
  strict: boolean;
  /** Check-ins read from a member roster (--kind checkins): a member who has not checked in
   * (报到社区 and 报到时间 both empty) is skipped, not an error. */
  fromRoster?: boolean;
}

export class RowClassifier {
  private readonly headerRows: Set<number>;
  private readonly lastHeaderRow: number;
  private readonly headerNames: Set<string>;
  /** The header and columns in force: a block below may repeat the header in another order. */
  private layout: SheetLayout;
  private columns: Map<string, number>;
  private dataColumns: number[];
  private firstAfterHeader = true;

  constructor(private readonly plan: SheetPlan) {
    const { layout } = plan;
    this.headerRows = new Set(layout.headerRows);
    this.lastHeaderRow = layout.headerRows[layout.headerRows.length - 1];
    this.headerNames = new Set(layout.headers.filter((header) => header !== ''));
    this.layout = layout;
    this.columns = plan.columns;
    this.dataColumns = [...plan.columns.values()];
  }

  /** undefined for a row that is not counted at all (blank, or part of the header). */
  classify(row: SheetRow): RowOutcome | undefined {
    if (isBlankRow(row.cells) || this.headerRows.has(row.rowNumber)) return undefined;
    if (row.rowNumber < this.lastHeaderRow) return { row: row.rowNumber, skip: titleOrFilingReason(row) };
    const { kind, strict } = this.plan;
    if (this.takeMovedHeader(row)) return { row: row.rowNumber, skip: 'repeated-header' };
    const { layout, columns } = this;
    const reason = skipReason(row, layout, this.dataColumns, this.firstAfterHeader, kind);
    // Codes may take more than one row (A B C, then 1 2 3): the next row may be codes too.
    this.firstAfterHeader = reason === 'codes';
    if (reason) return { row: row.rowNumber, skip: reason };
    if (this.plan.fromRoster && isBlankCell(row, columns.get('community')) && isBlankCell(row, columns.get('date'))) return { row: row.rowNumber, skip: 'no-checkin' };
    const parsed = parseRecord(kind, { rowNumber: row.rowNumber, cells: row.cells, shownDecimals: row.shownDecimals, columns, headers: layout.headers, strict });
    return { row: row.rowNumber, record: parsed.record, problems: parsed.problems, ...(parsed.memberKey ? { memberKey: parsed.memberKey } : {}) };
  }

  /**
   * A row that is the header again with its columns in another order (two registers pasted one
   * under the other): the rows below it are read by it. The same header names, each once, giving
   * every field the header in force gives. (The same order is a repeated header: skipReason.)
   */
  private takeMovedHeader(row: SheetRow): boolean {
    // Cheap first: nearly every row's first value is no header name.
    const first = row.cells.find((cell) => cell !== null && cell !== '');
    if (first === undefined || !this.headerNames.has(normaliseText(cellText(first)))) return false;
    const values = row.cells.map((cell) => normaliseText(cellText(cell)));
    const named = values.filter((value) => value !== '');
    if (named.length < 2 || new Set(named).size !== named.length || !named.every((value) => this.headerNames.has(value))) return false;
    if (values.every((value, column) => value === '' || value === this.layout.headers[column])) return false;
    const columns = mapColumns(this.plan.kind, values);
    if ([...this.columns.keys()].some((field) => !columns.has(field))) return false;
    this.layout = { ...this.layout, headers: values };
    this.columns = columns;
    this.dataColumns = [...columns.values()];
    this.firstAfterHeader = true;
    return true;
  }
}

function isBlankCell(row: SheetRow, column: number | undefined): boolean {
  return column === undefined || cleanValue(cellText(row.cells[column])) === '';
}
