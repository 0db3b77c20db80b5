// The one error type that crosses module boundaries: it carries the exit code of SPEC §9
// and a message already in the user's language. Anything else reaching main() is exit 1.

export const ExitCode = {
  ok: 0,
  internal: 1,
  usage: 2,
  invalidData: 3,
  database: 4,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export class DbdError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCodeValue,
    /** Extra lines printed after the message (e.g. the list of invalid rows). */
    readonly details: string[] = [],
  ) {
    super(message);
    this.name = 'DbdError';
  }
}

export const usageError = (message: string) => new DbdError(message, ExitCode.usage);
export const dataError = (message: string, details: string[] = []) => new DbdError(message, ExitCode.invalidData, details);
export const databaseError = (message: string) => new DbdError(message, ExitCode.database);
