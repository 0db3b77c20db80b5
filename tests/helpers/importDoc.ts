// The JSON document of dbd import (SPEC §8), as the tests read it.
export interface SheetDoc {
  sheet: string;
  kind: string;
  read: number;
  added: number;
  updated: number;
  unchanged: number;
  skipped: number;
  departed: number;
  errors: Array<{ row: number; column: string; value: string; reason: string }>;
  warnings: Array<{ row: number; column: string; value: string; reason: string }>;
  skippedRows: Array<{ row: number; reason: string }>;
  headerRows: number[];
}
export interface ImportDoc { written: boolean; files: Array<{ file: string; sheets: SheetDoc[]; skippedSheets: Array<{ sheet: string; headers: string[] }> }> }
