// Shared pieces of command declarations: common options, help with examples, lazy actions.
import { Command, Option } from 'commander';
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
