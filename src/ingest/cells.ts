// Cells as the readers give them, and their plain text for header finding and messages.
import type { Cell, FormulaCell, ErrorCell, SheetRow } from './xlsxReader.js';

// A text file's rows are the same, with text cells only.
export type { Cell, SheetRow };

export function isFormula(cell: Cell): cell is FormulaCell {
  return typeof cell === 'object' && cell !== null && !(cell instanceof Date) && 'formula' in cell;
}

export function isErrorCell(cell: Cell): cell is ErrorCell {
  return typeof cell === 'object' && cell !== null && !(cell instanceof Date) && 'error' in cell;
}

export function cellText(cell: Cell | undefined): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'string') return cell;
  if (typeof cell === 'number') return Number.isInteger(cell) ? String(cell) : String(cell);
  if (typeof cell === 'boolean') return cell ? 'TRUE' : 'FALSE';
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? '' : cell.toISOString().slice(0, 10);
  if (isFormula(cell)) return cellText(cell.result as Cell);
  if (isErrorCell(cell)) return cell.error;
  return '';
}

export function isBlankRow(cells: Cell[]): boolean {
  for (const cell of cells) {
    if (cell === null || cell === undefined) continue;
    if (typeof cell === 'string') {
      if (cell.trim() !== '' && cell.replace(/[\s\u3000\u00a0]/g, '') !== '') return false;
      continue;
    }
    return false;
  }
  return true;
}
