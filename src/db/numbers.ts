// Queries that select numbers only, answered as flat arrays of numbers (row after row, null as
// NaN) instead of an object per row: a report's hundred thousand figures are read into arrays
// at a fraction of the cost, and pass between threads without copying (db/snapshotWorker.ts).
import type { Compilable, Kysely } from 'kysely';

export interface NumberReader {
  /** Run these queries one after the other; each one's rows as numbers, row after row. */
  numbers(queries: readonly Compilable[]): Promise<Float64Array[]>;
}

/** Rows as numbers in one array (null as NaN); `width` values a row. */
export function flatNumbers(rows: ReadonlyArray<ArrayLike<unknown>>, width: number): Float64Array {
  const out = new Float64Array(rows.length * width);
  let at = 0;
  for (const row of rows) for (let i = 0; i < width; i++) out[at++] = row[i] === null ? Number.NaN : Number(row[i]);
  return out;
}

/** Through kysely, whatever the driver (an object per row, then flattened in select order). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any database: the queries are compiled already
export function numbersThrough(db: Kysely<any>): NumberReader {
  return {
    async numbers(queries) {
      const out: Float64Array[] = [];
      for (const query of queries) {
        const compiled = query.compile();
        const { rows } = await db.executeQuery<Record<string, unknown>>(compiled);
        const values = rows.map((row) => Object.values(row));
        out.push(flatNumbers(values, values[0]?.length ?? 0));
      }
      return out;
    },
  };
}
