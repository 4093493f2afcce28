import type { Database } from "./client.ts";

/**
 * The queue prefix stored in the database at its first migration (see the
 * ServiceInstance model): the default QUEUE_PREFIX.
 */
export async function storedQueuePrefix(db: Database): Promise<string> {
  const [row] = await db.sql.query<{ queuePrefix: string }>(
    `SELECT "queuePrefix" FROM "ServiceInstance" WHERE id = 1`,
  );
  if (!row) throw new Error("the database has no ServiceInstance row: run npm run db:migrate");
  return row.queuePrefix;
}
