// Shared pieces of command declarations: common options, help with examples, lazy actions.
import { Command, Option } from 'commander';
import { MAX_YEAR, MIN_YEAR, parseDate } from '../domain/dates.js';
import { normaliseText } from '../domain/text.js';
import { usageError } from '../errors.js';
import { t } from '../i18n/index.js';
import type { CommonOptions } from './context.js';

/** Options every command takes. */
export function withCommonOptions(command: Command): Command {
  return command
    .option('--db <path>', t('common.optDb'))
    .option('--today <date>', t('common.optToday'))
    .addOption(new Option('--lang <lang>', t('common.optLang')).choices(['zh', 'en']))
    .option('--no-color', t('common.optNoColor'))
    .option('--debug', t('common.optDebug'));
}

/** A command with its description and examples shown under --help. */
export function declare(program: Command, name: string, helpKey: string, examples: string[]): Command {
  const command = program.command(name).description(t(`help.${helpKey}`));
  command.addHelpText('after', `\n${t('common.examples')}\n${examples.map((line) => `  ${line}`).join('\n')}\n`);
  return withCommonOptions(command);
}

/** --limit N: decimal digits making a whole number from 1 to 2^53 − 1; anything else is a usage
 * error (exit 2). Number() alone would take 0x10 and 1e2, and a number past 2^53 is no SQLite integer. */
export function parseLimitOption(value: string): number {
  const number = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(number) || number < 1) throw usageError(t('safety.badLimit', { value }));
  return number;
}

/** --encoding of a written CSV: utf8 (also utf-8) or gbk, in any case; anything else is exit 2
 * with the choices. */
export function outputEncodingOption(description: string): Option {
  return new Option('--encoding <encoding>', description).argParser((value: string): 'utf8' | 'gbk' => {
    const key = value.trim().toLowerCase().replace('-', '');
    if (key === 'utf8' || key === 'gbk') return key;
    throw usageError(t('common.badEncoding', { value }));
  });
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

type Loader = () => Promise<{ run: (...args: never[]) => Promise<void> }>;

/** The action: load the command module on demand and run it with (args..., options). */
export function lazy(load: Loader) {
  return async (...args: unknown[]) => {
    const command = args[args.length - 1] as Command;
    const options = command.optsWithGlobals() as CommonOptions;
    const module = await load();
    await (module.run as (...a: unknown[]) => Promise<void>)(...args.slice(0, -2), options);
  };
}

/** A date option: the forms a clerk types and imports accept (2026-03-05, 2026/3/5, 2026.3.5,
 * 2026年3月5日, 20260305), as YYYY-MM-DD; anything else is a usage error naming the option. An
 * Excel serial number (46086), which a sheet's date cell may hold, is not a date anyone types:
 * taken for one, a slip such as 12345 would be a check-in in 1933. */
export function parseDateValue(option: string) {
  return (value: string): string => {
    const text = normaliseText(value);
    const parsed = /^\d{1,7}(\.\d*)?$/.test(text) ? undefined : parseDate(text);
    // A well-formed date outside MIN_YEAR..MAX_YEAR is a slip of the year, not of the form: say so.
    if (parsed && !parsed.ok && parsed.reason === 'out-of-range') throw usageError(t('common.dateOutOfRange', { option, value, min: MIN_YEAR, max: MAX_YEAR }));
    if (!parsed?.ok) throw usageError(t('common.badDate', { option, value }));
    return parsed.date;
  };
}

/** Characters a name or search option may have: more than any name has (SQLite's LIKE refuses
 * patterns of some tens of thousands). */
export const NAME_VALUE_MAX = 200;

/** A name or search option: an empty value (a script's unset variable) is a usage error, not
 * a filter left out, which would list everyone; so is one longer than any name. */
export function parseNameValue(option: string) {
  return (value: string): string => {
    const text = normaliseText(value);
    if (text === '') throw usageError(t('common.emptyValue', { option }));
    if (Array.from(text).length > NAME_VALUE_MAX) throw usageError(t('common.valueTooLong', { option, max: NAME_VALUE_MAX }));
    return value;
  };
}
