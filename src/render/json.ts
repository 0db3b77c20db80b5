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

/** JSON.stringify(value, null, 2) for a value nested `depth` levels deep, in pieces: arrays and
 * plain objects that hold long arrays are opened up, anything else is stringified whole and
 * re-indented. */
function* pieces(value: unknown, depth: number): Generator<string> {
  const inner = INDENT.repeat(depth + 1);
  if (!holdsLongArray(value)) {
    const text = JSON.stringify(value, null, 2);
    // Strings in JSON text never hold a raw line break: every one is between tokens.
    yield depth === 0 ? text : text.replaceAll('\n', `\n${INDENT.repeat(depth)}`);
    return;
  }
  if (Array.isArray(value)) {
    yield '[';
    for (let i = 0; i < value.length; i++) {
      yield `${i > 0 ? ',' : ''}\n${inner}`;
      if (omitted(value[i])) yield 'null';
      else yield* pieces(value[i], depth + 1);
    }
    yield `\n${INDENT.repeat(depth)}]`;
    return;
  }
  // A plain object that holds a long array (so it has a key that is not omitted).
  const object = value as Record<string, unknown>;
  yield '{';
  let first = true;
  for (const key of Object.keys(object)) {
    if (omitted(object[key])) continue;
    yield `${first ? '' : ','}\n${inner}${JSON.stringify(key)}: `;
    yield* pieces(object[key], depth + 1);
    first = false;
  }
  yield `\n${INDENT.repeat(depth)}}`;
}

/** Text of one piece of output, kept under this many characters where a line allows. */
const PIECE = 64 * 1024;

/**
 * Write the same text as toJson(value) through `out` in pieces of whole lines, so that a document
 * of a hundred thousand rows is never held as one string (nor as one buffer on its way out).
 */
export function writeJson(out: (text: string) => void, value: unknown): void {
  let buffer = '';
  for (const piece of pieces(value, 0)) {
    buffer += piece;
    if (buffer.length >= PIECE) {
      const end = buffer.lastIndexOf('\n');
      if (end >= 0) {
        out(buffer.slice(0, end + 1));
        buffer = buffer.slice(end + 1);
      }
    }
  }
  out(`${buffer}\n`);
}
