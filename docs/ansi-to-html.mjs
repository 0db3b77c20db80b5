// Terminal text with ANSI colours (from `tmux capture-pane -e -p`) → a small HTML page that looks
// like a terminal, for a screenshot. Wide (CJK) characters get exactly two cells, so columns line
// up whatever font the browser picks. Usage:
//   node docs/ansi-to-html.mjs CAPTURE.ansi PAGE.html "window title"
// prints the window size (WIDTHxHEIGHT, pixels) that shows the whole capture.
import fs from 'node:fs';
import stringWidth from 'string-width';

const [input, output, title = ''] = process.argv.slice(2);
if (!input || !output) {
  process.stderr.write('usage: node docs/ansi-to-html.mjs CAPTURE.ansi PAGE.html [title]\n');
  process.exit(2);
}

// A dark terminal palette (VS Code's), normal and bright.
const PALETTE = ['#000000', '#cd3131', '#0dbc79', '#e5e510', '#2472c8', '#bc3fbc', '#11a8cd', '#e5e5e5'];
const BRIGHT = ['#666666', '#f14c4c', '#23d18b', '#f5f543', '#3b8eea', '#d670d6', '#29b8db', '#ffffff'];
const FOREGROUND = '#d4d4d4';
const BACKGROUND = '#1e1e1e';
const FONT_SIZE = 14;
const LINE_HEIGHT = 19;
const CELL = 8.5; // width of one column at FONT_SIZE in the monospace font, a little generous

const escape = (text) => text.replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch]);

/** Apply one SGR sequence's parameters to the current style. */
function applySgr(style, params) {
  const codes = params === '' ? [0] : params.split(';').map(Number);
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i];
    if (code === 0) Object.assign(style, { bold: false, color: null });
    else if (code === 1) style.bold = true;
    else if (code === 22) style.bold = false;
    else if (code >= 30 && code <= 37) style.color = PALETTE[code - 30];
    else if (code >= 90 && code <= 97) style.color = BRIGHT[code - 90];
    else if (code === 39) style.color = null;
    else if (code === 38 && codes[i + 1] === 5) {
      const n = codes[i + 2];
      style.color = n < 8 ? PALETTE[n] : n < 16 ? BRIGHT[n - 8] : null;
      i += 2;
    }
  }
}

const lines = fs.readFileSync(input, 'utf8').replace(/\r/g, '').split('\n');
while (lines.length && lines[lines.length - 1].replace(/\u001b\[[0-9;]*m/g, '').trim() === '') lines.pop();

let columns = 0;
// tmux writes a colour when it changes, not again at each line: the style runs on across lines.
const style = { bold: false, color: null };
const html = lines.map((line) => {
  let out = '';
  let width = 0;
  for (const part of line.split(/(\u001b\[[0-9;]*m)/)) {
    const sgr = /^\u001b\[([0-9;]*)m$/.exec(part);
    if (sgr) {
      applySgr(style, sgr[1]);
      continue;
    }
    if (part === '') continue;
    const css = [style.color ? `color:${style.color}` : '', style.bold ? 'font-weight:bold' : ''].filter(Boolean).join(';');
    let text = '';
    for (const ch of part) {
      const w = stringWidth(ch);
      width += w;
      text += w === 2 ? `<span class="w"><span>${escape(ch)}</span></span>` : escape(ch);
    }
    out += css ? `<span style="${css}">${text}</span>` : text;
  }
  columns = Math.max(columns, width);
  return out;
});

const page = `<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>
body{margin:0;background:#101010;padding:14px}
.window{display:inline-block;background:${BACKGROUND};border-radius:8px;box-shadow:0 2px 10px #000;overflow:hidden}
.bar{height:26px;background:#2d2d2d;color:#aaa;font:12px/26px "DejaVu Sans",sans-serif;text-align:center;position:relative}
.bar i{position:absolute;top:8px;width:11px;height:11px;border-radius:50%}
pre{margin:0;padding:10px 14px;color:${FOREGROUND};font:${FONT_SIZE}px/${LINE_HEIGHT}px "DejaVu Sans Mono","Liberation Mono",monospace;white-space:pre}
/* Two cells of the terminal font (ch is measured in .w's own, inherited font), the glyph from a CJK font */
.w{display:inline-block;width:2ch;height:${LINE_HEIGHT}px;text-align:center;overflow:hidden;vertical-align:top}
.w>span{font-family:"Noto Sans Mono CJK SC","Noto Sans CJK SC","WenQuanYi Micro Hei Mono","WenQuanYi Micro Hei",monospace}
</style></head><body><div class="window"><div class="bar"><i style="left:10px;background:#ff5f56"></i><i style="left:27px;background:#ffbd2e"></i><i style="left:44px;background:#27c93f"></i>${escape(title)}</div><pre>${html.join('\n')}</pre></div></body></html>
`;
fs.writeFileSync(output, page);
process.stdout.write(`${Math.ceil(columns * CELL + 28 + 28 + 4)}x${lines.length * LINE_HEIGHT + 20 + 26 + 28 + 4}\n`);
