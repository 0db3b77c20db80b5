// Commander declarations only: each command's options, help and examples; the work is
// lazy-loaded from commands/<name>.ts so that `dbd --help` stays fast.
import { Command } from 'commander';
import { t } from './i18n/index.js';
import { withCommonOptions } from './cli/declare.js';
import { VERSION } from './version.js';
import { translateUsageError } from './cli/usageErrors.js';

import { registerImport } from './cli/import.js';
import { registerListings } from './cli/listings.js';
import { registerDemo } from './cli/demo.js';
import { registerRecording } from './cli/record.js';
import { registerRate } from './cli/rate.js';
import { registerWeekly } from './cli/weekly.js';
import { registerExport } from './cli/export.js';
import { registerSafety } from './cli/safety.js';
import { registerCopy } from './cli/copy.js';
import { registerHelp } from './cli/help.js';
import { registerReport } from './cli/report.js';

const REGISTRARS: Array<(program: Command) => void> = [
  registerImport,
  registerListings,
  registerRecording,
  registerRate,
  registerWeekly,
  registerExport,
  registerSafety,
  registerCopy,
  registerDemo,
  registerReport,
  // Last: it gives every command declared above the localised help.
  registerHelp,
];

export function buildProgram(): Command {
  const program = new Command('dbd')
    .description(t('help.program'))
    .version(VERSION, '-V, --version')
    .showHelpAfterError(t('common.helpHint'))
    .exitOverride();
  withCommonOptions(program);
  program.configureOutput({
    outputError: (text, write) => write(translateUsageError(text)),
  });
  for (const register of REGISTRARS) register(program);
  program.commands.forEach((command) => command.exitOverride());
  return program;
}

