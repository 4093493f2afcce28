/**
 * What a crash test needs: its own database with `seekers` registered
 * seekers (console addresses `<prefix>0` …), a Redis prefix, and worker
 * processes (`src/main.ts --roles worker`) that can be killed; all removed
 * afterwards.
 */
import { type Database, openDatabase } from "../../src/db/client.ts";
import { applyMigrations } from "../../src/db/migrate.ts";
import { Queues } from "../../src/jobs/queues.ts";
import { createRedis } from "../../src/jobs/redis.ts";
import { createTestDatabase } from "./db.ts";
import { runEntry, type Spawned } from "./process.ts";
import { TEST_REDIS_URL, testPrefix } from "./redis.ts";
import { insertSeekersSql } from "./seekers.ts";

export interface CrashRig {
  db: Database;
  redis: ReturnType<typeof createRedis>;
  queues: Queues;
  prefix: string;
  /** Starts a worker process with these settings on top of the rig's own. */
  worker(env?: Record<string, string>): Spawned;
  close(): Promise<void>;
}

export async function crashRig(seekers: number, addressPrefix: string): Promise<CrashRig> {
  const server = await createTestDatabase();
  const db = await openDatabase({ databaseUrl: server.url, dataDir: "unused" });
  await applyMigrations(db);
  await db.prisma.$executeRawUnsafe(insertSeekersSql(seekers, addressPrefix));
  const keys = testPrefix();
  const redis = createRedis(TEST_REDIS_URL);
  const queues = new Queues(redis, keys.prefix);
  const children: Spawned[] = [];
  return {
    db,
    redis,
    queues,
    prefix: keys.prefix,
    worker(env = {}) {
      const child = runEntry("src/main.ts", ["--roles", "worker"], {
        DATABASE_URL: server.url,
        QUEUE_PREFIX: keys.prefix,
        LOG_FORMAT: "json",
        LOG_LEVEL: "warn",
        RELAY_INTERVAL_MS: "1000",
        QUIET_HOURS: "00:00-00:00",
        ...env,
      });
      children.push(child);
      return child;
    },
    async close() {
      for (const c of children) if (c.child.exitCode === null) c.child.kill("SIGKILL");
      await Promise.all(children.map((c) => c.exited));
      await queues.close();
      redis.disconnect();
      await db.close();
      await server.drop();
      await keys.cleanup();
    },
  };
}
