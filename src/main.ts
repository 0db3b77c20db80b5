// The one place that turns errors into messages and exit codes (SPEC §9).
import { CommanderError } from 'commander';
import { DbdError, ExitCode } from './errors.js';
import { detectLang, setLang, t } from './i18n/index.js';
import { setInvocation } from './db/audit.js';

export async function main(argv: string[]): Promise<void> {
  // A reader that stops early (dbd rate | head) is not an error.
  // Output that cannot be written (a full disk under `>> export.log`) is said in a line, not a
  // stack: what the command wrote to the database stays written.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? ExitCode.ok);
    process.stderr.write(`${t('common.stdoutFailed', { message: error.message })}\n`);
    process.exit(ExitCode.internal);
  });
  // Bare `dbd` shows what there is, as `dbd help` does.
  if (argv.length === 2) argv = [...argv, 'help'];
  const args = argv.slice(2);
  setLang(detectLang(process.env, langFlag(args)));
  const debug = args.includes('--debug');
  setInvocation(args);
  try {
    const { buildProgram } = await import('./cli.js');
    await buildProgram().parseAsync(argv);
    process.exitCode = process.exitCode ?? ExitCode.ok;
  } catch (error) {
    process.exitCode = report(error, debug);
  }
}

function langFlag(args: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--lang') return args[i + 1];
    if (args[i].startsWith('--lang=')) return args[i].slice('--lang='.length);
  }
  return undefined;
}

function report(error: unknown, debug: boolean): number {
  if (error instanceof CommanderError) {
    // Commander has printed its own message already (help, version or a usage error).
    return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  }
  if (error instanceof DbdError) {
    process.stderr.write(`${error.message}\n`);
    for (const line of error.details) process.stderr.write(`${line}\n`);
    if (debug && error.stack) process.stderr.write(`${error.stack}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`${t('common.internalError', { message })}\n`);
  if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  return ExitCode.internal;
}
