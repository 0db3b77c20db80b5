// The --json renderer: one document, two-space indent, trailing newline.
export function toJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}

const INDENT = '  ';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return (proto === Object.prototype || proto === null) && typeof (value as { toJSON?: unknown }).toJSON !== 'function';
}

/** What JSON.stringify leaves out of an object (and writes as null in an array). */
function omitted(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

/** Arrays this long are written an element at a time; anything smaller in one piece. */
const LONG = 256;

/** Whether a value holds a long array: then it is opened up rather than stringified whole. */
function holdsLongArray(value: unknown): boolean {
  if (Array.isArray(value)) return value.length >= LONG || value.some(holdsLongArray);
  return isPlainObject(value) && Object.values(value).some(holdsLongArray);
}

/** Text of one piece of output, kept under about this many characters where a line allows. */
const PIECE = 64 * 1024;

/** Collects the text and hands it to `out` in pieces of whole lines. */
class Pieces {
  private buffer = '';
  constructor(private readonly out: (text: string) => void) {}
  add(text: string): void {
    this.buffer += text;
  }
  /** At the end of a line (the next text starts a new one): hand over what is collected, when
   * it is long enough. Cutting here rather than at the buffer's last line break spares a search
   * and a copy of every piece. */
  lineEnd(): void {
    if (this.buffer.length >= PIECE) {
      this.out(`${this.buffer}\n`);
      this.buffer = '';
    } else this.buffer += '\n';
  }
  /** Whole texts that may hold line breaks of their own: cut at the last one when long. */
  addLines(text: string): void {
    this.buffer += text;
    if (this.buffer.length >= PIECE) {
      const end = this.buffer.lastIndexOf('\n');
      if (end >= 0) {
        this.out(this.buffer.slice(0, end + 1));
        this.buffer = this.buffer.slice(end + 1);
      }
    }
  }
  end(): void {
    this.out(`${this.buffer}\n`);
  }
}

/** `"key": ` as JSON writes it, by key: a hundred thousand rows have the same few keys. */
const keyTexts = new Map<string, string>();
function keyText(key: string): string {
  let text = keyTexts.get(key);
  if (text === undefined) {
    text = `${JSON.stringify(key)}: `;
    if (keyTexts.size < 1024) keyTexts.set(key, text);
  }
  return text;
}

/** JSON text of a string; the short ones remembered (a report's town and unit names repeat). */
const stringTexts = new Map<string, string>();
function stringText(value: string): string {
  if (value.length > 64) return JSON.stringify(value);
  let text = stringTexts.get(value);
  if (text === undefined) {
    text = JSON.stringify(value);
    if (stringTexts.size < 20_000) stringTexts.set(value, text);
  }
  return text;
}

/** JSON text of a value that JSON.stringify writes without nesting (undefined: not such a value,
 * or one it leaves out). */
function scalarText(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return stringText(value);
    case 'number':
      // The same shortest round-trip text as JSON.stringify; NaN and the infinities are null.
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      return value === null ? 'null' : undefined;
    default:
      return undefined;
  }
}

/**
 * JSON.stringify(value, null, 2) of a plain object whose values are all scalars (or left out),
 * nested `depth` levels deep, written directly (the rows of a long report); false when the
 * object is not such an object, and nothing was written.
 */
function writeFlatObject(pieces: Pieces, value: unknown, depth: number): boolean {
  if (!isPlainObject(value)) return false;
  let text = '';
  const inner = INDENT.repeat(depth + 1);
  for (const key in value) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
    const item = value[key];
    const scalar = scalarText(item);
    if (scalar === undefined) {
      if (omitted(item)) continue;
      return false; // a nested value: the general way
    }
    text += `${text === '' ? '{' : ','}\n${inner}${keyText(key)}${scalar}`;
  }
  pieces.add(text === '' ? '{}' : `${text}\n${INDENT.repeat(depth)}}`);
  return true;
}

/** JSON.stringify(value, null, 2) for a value nested `depth` levels deep: arrays and plain
 * objects that hold long arrays are opened up, anything else is stringified whole and
 * re-indented. */
function write(pieces: Pieces, value: unknown, depth: number): void {
  const inner = INDENT.repeat(depth + 1);
  if (!holdsLongArray(value)) {
    const text = JSON.stringify(value, null, 2);
    // Strings in JSON text never hold a raw line break: every one is between tokens.
    pieces.addLines(depth === 0 ? text : text.replaceAll('\n', `\n${INDENT.repeat(depth)}`));
    return;
  }
  if (Array.isArray(value)) {
    pieces.add('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) pieces.add(',');
      pieces.lineEnd();
      pieces.add(inner);
      const item = value[i];
      if (omitted(item)) pieces.add('null');
      else if (!writeFlatObject(pieces, item, depth + 1)) write(pieces, item, depth + 1);
    }
    pieces.lineEnd();
    pieces.add(`${INDENT.repeat(depth)}]`);
    return;
  }
  // A plain object that holds a long array (so it has a key that is not omitted).
  const object = value as Record<string, unknown>;
  pieces.add('{');
  let first = true;
  for (const key of Object.keys(object)) {
    if (omitted(object[key])) continue;
    if (!first) pieces.add(',');
    pieces.lineEnd();
    pieces.add(`${inner}${keyText(key)}`);
    write(pieces, object[key], depth + 1);
    first = false;
  }
  pieces.lineEnd();
  pieces.add(`${INDENT.repeat(depth)}}`);
}

/**
 * Write the same text as toJson(value) through `out` in pieces of whole lines, so that a document
 * of a hundred thousand rows is never held as one string (nor as one buffer on its way out).
 */
export function writeJson(out: (text: string) => void, value: unknown): void {
  const pieces = new Pieces(out);
  write(pieces, value, 0);
  pieces.end();
}
