// The list of problems printed after an import holds every one of them, however many: a sheet of
// 80,000 rows with two mistakes each gave 160,000 and used to end in an internal error (the
// call stack overflowed) instead of the list and exit 3.
import { describe, expect, it } from 'vitest';
import type { ImportResult, SheetSummary } from '../../src/ingest/importFiles.js';
import { problemLines } from '../../src/report/importReport.js';

describe('problemLines', () => {
  it('lists 300,000 errors and 200,000 warnings of one sheet', () => {
    const problem = (row: number) => ({ row, column: '身份证号', value: `x${row}`, reason: '格式不对' });
    const sheet = {
      file: '报到.csv',
      sheet: '报到',
      errors: Array.from({ length: 300_000 }, (_, i) => problem(i + 2)),
      warnings: Array.from({ length: 200_000 }, (_, i) => ({ ...problem(i + 2), warning: true })),
    } as unknown as SheetSummary;
    const result = { files: [{ file: '报到.csv', sheets: [sheet], skippedSheets: [] }] } as unknown as ImportResult;
    const { errors, warnings } = problemLines(result);
    expect(errors).toHaveLength(300_000);
    expect(warnings).toHaveLength(200_000);
    expect(errors[299_999]).toContain('300001');
  });
});
