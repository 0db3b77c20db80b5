// Table → text for stdout, aligned by display width (CJK characters are two columns wide).
import { Chalk } from 'chalk';
import { t } from '../i18n/index.js';
import { type Column, type Row, type Table, displayText, displayWidth, isNumericKind } from './table.js';

const GAP = '  ';

/** Colour only on a terminal, never when NO_COLOR is set (non-empty) or TERM is dumb, and never
 * with `--no-color` (flag false). A flag of true (commander's default for --no-color) does not
 * force colour onto a pipe. */
export function shouldUseColor(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv, flag?: boolean): boolean {
  if (flag === false) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}

/** Data must not move the cursor or recolour the terminal: line breaks and tabs become spaces,
 * other control characters (C0, DEL, C1 — ESC among them) become U+FFFD. Nothing is cut. */
function terminalText(text: string): string {
  return text.replace(/[\t\n\r]/g, ' ').replace(/[\u0000-\u001f\u007f-\u009f]/g, '\ufffd');
}

function pad(text: string, width: number, right: boolean): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return right ? fill + text : text + fill;
}

export function renderTerminal(table: Table, opts: { color: boolean }): string {
  const chalk = new Chalk({ level: opts.color ? 1 : 0 });
  const { columns } = table;
  const totals = table.totals ?? [];
  const cells = (row: Row): string[] => columns.map((c) => terminalText(displayText(c, row[c.key])));
  const headers = columns.map((c) => terminalText(c.header));
  const body = table.rows.map(cells);
  const foot = totals.map(cells);

  // A loop, not Math.max(...cells): a long table has more cells than a call takes arguments.
  const widths = columns.map((c: Column, i) => {
    let width = Math.max(c.minWidth ?? 0, displayWidth(headers[i]));
    for (const r of body) width = Math.max(width, displayWidth(r[i]));
    for (const r of foot) width = Math.max(width, displayWidth(r[i]));
    return width;
  });
  const right = columns.map((c) => isNumericKind(c.kind));
  // The last column is not padded on the right: no trailing blanks.
  const line = (texts: string[]): string =>
    texts
      .map((text, i) => (i === texts.length - 1 && !right[i] ? text : pad(text, widths[i], right[i])))
      .join(GAP);
  const rule = widths.map((w) => '-'.repeat(w)).join(GAP);

  const out: string[] = [];
  if (table.title !== '') out.push(opts.color ? chalk.bold(terminalText(table.title)) : terminalText(table.title));
  out.push(opts.color ? chalk.bold(line(headers)) : line(headers));
  out.push(rule);
  if (body.length === 0) out.push(t('render.noRows'));
  table.rows.forEach((row, i) => {
    const text = line(body[i]);
    out.push(table.highlight?.(row) ? chalk.red(text) : text);
  });
  if (foot.length > 0) {
    out.push(rule);
    totals.forEach((row, i) => {
      const text = chalk.bold(line(foot[i]));
      out.push(table.highlight?.(row) ? chalk.red(text) : text);
    });
  }
  return out.join('\n') + '\n';
}
