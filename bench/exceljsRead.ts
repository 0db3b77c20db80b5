// The comparison for the .xlsx import: exceljs's streaming reader reading every row of a
// workbook and doing nothing else. Prints the number of rows read.
//   node dist/bench/exceljsRead.js FILE.xlsx
import ExcelJS from 'exceljs';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: node dist/bench/exceljsRead.js FILE.xlsx\n');
  process.exit(2);
}
let rows = 0;
const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, { sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', worksheets: 'emit', entries: 'emit' });
for await (const worksheet of reader) {
  for await (const row of worksheet) {
    if (row) rows++;
  }
}
process.stdout.write(`${rows}\n`);
