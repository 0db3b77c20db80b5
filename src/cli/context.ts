// What every command receives: its options resolved into a context (database path, today,
// colour, output streams). Commands take this and their own typed options, and return.
import { today as resolveToday } from '../clock.js';
import { openDatabase, resolveDbPath, type DbHandle, type OpenOptions } from '../db/open.js';
import { t } from '../i18n/index.js';
import { shouldUseColor } from '../render/terminal.js';

export interface CommonOptions {
  db?: string;
  today?: string;
  lang?: string;
  debug?: boolean;
  color?: boolean;
  json?: boolean;
}

export interface Output {
  /** Text (a line break added when it lacks one), or UTF-8 bytes as they are. */
  out(text: string | Uint8Array): void;
  err(text: string): void;
  /** Whether stderr is a terminal (progress bars only there). */
  errIsTty: boolean;
}

export interface CommandContext {
  dbPath: string;
  today: string;
  color: boolean;
  json: boolean;
  io: Output;
  open(options?: OpenOptions): Promise<DbHandle>;
}

export const processOutput: Output = {
  out: (text) => process.stdout.write(typeof text !== 'string' || text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  errIsTty: Boolean(process.stderr.isTTY),
};

export function makeContext(options: CommonOptions, io: Output = processOutput): CommandContext {
  const dbPath = resolveDbPath(options.db);
  return {
    dbPath,
    today: resolveToday(options.today),
    color: shouldUseColor(process.stdout, process.env, options.color === false ? false : undefined),
    json: options.json ?? false,
    io,
    open: (openOptions) => openDatabase(dbPath, openOptions),
  };
}

/** Open, run, always close. */
export async function withDatabase<T>(ctx: CommandContext, fn: (handle: DbHandle) => Promise<T>, options?: OpenOptions): Promise<T> {
  const handle = await ctx.open(options);
  try {
    return await fn(handle);
  } catch (error) {
    // Reads run outside writeTransaction: a page found corrupt half-way through a report is the
    // database's problem (exit 4), as it is for a write.
    throw handle.translateError(error);
  } finally {
    await handle.close();
  }
}

/** --encoding applies to CSV files written: where none is (the terminal, an .xlsx), it is said
 * on stderr rather than silently doing nothing. */
export function noteUnusedEncoding(ctx: CommandContext, encoding: string | undefined, format: string | undefined): void {
  if (encoding !== undefined && format !== 'csv') ctx.io.err(t('render.encodingUnused'));
}
