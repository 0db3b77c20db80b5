// Statements compiled once by kysely and run many times with named parameters: the hot path of
// imports. Each driver (open.ts for SQLite, postgres.ts for PostgreSQL) runs the compiled SQL.
import type { Compilable, CompiledQuery } from 'kysely';

export type Awaitable<T> = T | Promise<T>;

/**
 * A compiled statement. SQLite answers at once (plain values); PostgreSQL answers with promises:
 * callers always `await` the result, so one writer serves both.
 */
export interface PreparedStatement<P extends string> {
  run(values: Record<P, unknown>): Awaitable<{ changes: number }>;
  get<R>(values: Record<P, unknown>): Awaitable<R | undefined>;
  all<R>(values: Record<P, unknown>): Awaitable<R[]>;
}

/** An INSERT compiled once: the new row's id, or undefined when a conflict clause skipped it. */
export interface PreparedInsert<P extends string> {
  insert(values: Record<P, unknown>): Awaitable<number | undefined>;
}

const PARAM_MARK = '\u0001dbd-param:';

/** A placeholder for a named parameter in a query given to DbHandle.prepare(). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a placeholder stands for any column type
export function param<T = any>(name: string): T {
  return `${PARAM_MARK}${name}` as unknown as T;
}

/**
 * Compile a query with param() placeholders: its SQL, and a function that fills one argument
 * array (reused from call to call: hot paths run these millions of times) from named values.
 */
export function compileWithParameters<P extends string>(
  query: Compilable,
  names: readonly P[],
  convert: (value: unknown) => unknown,
): { compiled: CompiledQuery; bind: (values: Record<P, unknown>) => unknown[] } {
  const compiled = query.compile();
  const order = compiled.parameters.map((value) => {
    if (typeof value === 'string' && value.startsWith(PARAM_MARK)) return value.slice(PARAM_MARK.length) as P;
    return { constant: value };
  });
  for (const name of names) {
    if (!order.includes(name)) throw new Error(`prepared statement lacks parameter ${name}`);
  }
  const args: unknown[] = new Array(order.length);
  const bind = (values: Record<P, unknown>) => {
    for (let i = 0; i < order.length; i++) {
      const entry = order[i];
      args[i] = typeof entry === 'object' ? convert(entry.constant) : convert(values[entry]);
    }
    return args;
  };
  return { compiled, bind };
}
