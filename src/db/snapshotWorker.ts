// A snapshot helper (open.ts, readSnapshot): a worker thread with a read-only connection of its
// own, whose read transaction the handle that started it begins at the same state as its own.
// It runs queries that kysely compiled in the other thread and answers each with its numbers
// in one flat array (row after row), which passes between threads without copying. It loads
// better-sqlite3 and nothing else: the whole of open.ts (kysely, messages, migrations) would
// take some 150 ms to load, longer than the helper saves.
import BetterSqlite3 from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { flatNumbers } from './numbers.js';

/** The messages between a handle and its helper. */
export type SnapshotRequest =
  | { id: number; type: 'begin' | 'end' }
  | { id: number; type: 'numbers'; queries: Array<{ sql: string; parameters: readonly unknown[] }> };
export interface SnapshotReply { id: number; result?: Float64Array[]; error?: { message: string; code?: string } }
export interface SnapshotOptions { dbPath: string; timeoutMs: number; pragmas: string[] }

function serve(port: NonNullable<typeof parentPort>, options: SnapshotOptions): void {
  const native = new BetterSqlite3(options.dbPath, { readonly: true, fileMustExist: true, timeout: options.timeoutMs });
  for (const pragma of options.pragmas) native.pragma(pragma);

  /** A query's rows as numbers, row after row (null as NaN). */
  const numbers = (sql: string, parameters: readonly unknown[]): Float64Array => {
    const statement = native.prepare(sql).raw(true);
    return flatNumbers(statement.all(...parameters) as unknown[][], statement.columns().length);
  };

  let begun = false;
  port.on('message', (request: SnapshotRequest) => {
    try {
      switch (request.type) {
        case 'begin':
          try {
            // The first read fixes the snapshot (SQLite takes it then, not at BEGIN).
            native.exec('BEGIN');
            native.pragma('schema_version');
            begun = true;
          } finally {
            if (!begun && native.inTransaction) native.exec('ROLLBACK');
          }
          port.postMessage({ id: request.id } satisfies SnapshotReply);
          return;
        case 'numbers': {
          // Only in the transaction begun at the handle's state: never a state of its own.
          if (!begun) throw new Error('the snapshot helper has not begun');
          const result = request.queries.map((q) => numbers(q.sql, q.parameters));
          port.postMessage({ id: request.id, result } satisfies SnapshotReply, result.map((r) => r.buffer as ArrayBuffer));
          return;
        }
        case 'end':
          if (native.inTransaction) native.exec('COMMIT');
          native.close();
          port.close();
          return;
      }
    } catch (error) {
      const { message, code } = error as { message?: string; code?: string };
      port.postMessage({ id: request.id, error: { message: message ?? String(error), code } } satisfies SnapshotReply);
    }
  });
}

if (parentPort) serve(parentPort, workerData as SnapshotOptions);
