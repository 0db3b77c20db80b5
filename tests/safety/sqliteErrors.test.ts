// SQLite's errors as the operator reads them (SPEC §9: a database problem is exit 4): an
// extended code (SQLITE_READONLY_DIRECTORY…) is its family's, never an internal error.
import { describe, expect, it } from 'vitest';
import { translateSqliteError } from '../../src/db/open.js';
import { DbdError, ExitCode } from '../../src/errors.js';

const sqliteError = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('translateSqliteError', () => {
  it.each(['SQLITE_READONLY', 'SQLITE_READONLY_DIRECTORY', 'SQLITE_READONLY_CANTINIT'])('%s: exit 4 with the advice on -wal and -shm', (code) => {
    const error = translateSqliteError(sqliteError(code, 'attempt to write a readonly database'), '/data/dbd.sqlite');
    expect(error).toBeInstanceOf(DbdError);
    expect((error as DbdError).exitCode).toBe(ExitCode.database);
    expect(error.message).toContain('/data/dbd.sqlite');
    expect((error as DbdError).details.join('\n')).toContain('-shm');
  });

  it.each(['SQLITE_IOERR_WRITE', 'SQLITE_FULL', 'SQLITE_CANTOPEN_ISDIR', 'SQLITE_PERM'])('%s: exit 4 naming the database', (code) => {
    const error = translateSqliteError(sqliteError(code, 'disk I/O error'), '/data/dbd.sqlite');
    expect((error as DbdError).exitCode).toBe(ExitCode.database);
    expect(error.message).toContain('/data/dbd.sqlite');
  });

  it('an error that is not a database problem passes through as it is', () => {
    const error = new Error('something else');
    expect(translateSqliteError(error, '/data/dbd.sqlite')).toBe(error);
  });
});
