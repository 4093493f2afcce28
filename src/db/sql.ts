/**
 * Plain SQL for the hot paths (a message received, a turn processed, a reply
 * sent), beside Prisma. Prisma's client costs about a millisecond of CPU per
 * query; at hundreds of messages a second that, not PostgreSQL, was the
 * limit. Prisma stays the schema, the migrations and the API for the rest.
 *
 * Both stores speak the same SQL: PostgreSQL through the same `pg` pool that
 * Prisma's adapter uses, the embedded PGlite directly (it runs one statement
 * or one transaction at a time, Prisma's included).
 *
 * Timestamps go in as ISO strings cast with `::timestamptz AT TIME ZONE 'UTC'`
 * (Prisma's columns are `timestamp` without zone, in UTC) and are not read
 * back through here: `pg` would read them in the process's time zone.
 */
import type { PGlite, Transaction } from "@electric-sql/pglite";
import type pg from "pg";

export interface SqlRunner {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
}

export interface Sql extends SqlRunner {
  /** BEGIN, `fn`, COMMIT; ROLLBACK and rethrow when `fn` throws. */
  transaction<T>(fn: (q: SqlRunner) => Promise<T>): Promise<T>;
}

export function pgSql(pool: pg.Pool): Sql {
  return {
    async query<T>(text: string, params: unknown[] = []) {
      return (await pool.query(text, params)).rows as T[];
    },
    async transaction<T>(fn: (q: SqlRunner) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query("BEGIN");
        const runner: SqlRunner = {
          async query<R>(text: string, params: unknown[] = []) {
            return (await client.query(text, params)).rows as R[];
          },
        };
        const result = await fn(runner);
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch((e: Error) => {
          // The connection is unusable (server gone): the pool must not hand it out again.
          broken = e;
        });
        throw error;
      } finally {
        client.release(broken);
      }
    },
  };
}

export function pgliteSql(pglite: PGlite): Sql {
  const runner = (on: PGlite | Transaction): SqlRunner => ({
    async query<T>(text: string, params: unknown[] = []) {
      return (await on.query<T>(text, params)).rows;
    },
  });
  return {
    ...runner(pglite),
    transaction: (fn) => pglite.transaction((tx) => fn(runner(tx))),
  };
}
