/** What every benchmark needs: a fresh migrated database and a Redis prefix, both removed afterwards. */
import { randomBytes } from "node:crypto";
import pg from "pg";
import type { Logger } from "pino";
import { type Database, openDatabase } from "../src/db/client.ts";
import { applyMigrations } from "../src/db/migrate.ts";
import type { Queues } from "../src/jobs/queues.ts";
import { createRedis } from "../src/jobs/redis.ts";
import { systemClock } from "../src/lib/clock.ts";
import type { RunnerDeps } from "../src/runner/deps.ts";

/** The middle value (the upper one of two); NaN for none. */
export const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor(sorted.length / 2)]! : Number.NaN;
};

export const ADMIN_URL =
  process.env.BENCH_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
export const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

export interface BenchDatabase {
  db: Database;
  /** Connection string of the benchmark's own database. */
  url: string;
  /** Random prefix for every Redis key of this run. */
  prefix: string;
  /** Drops the database and deletes the prefix's keys. */
  cleanup(): Promise<void>;
}

/** The runner's dependencies on a benchmark's database and queues. */
export function benchDeps(db: Database, queues: Queues, log: Logger): RunnerDeps<Queues> {
  return {
    prisma: db.prisma,
    sql: db.sql,
    queues,
    clock: systemClock,
    log,
    serviceName: "PKI Bench",
  };
}

export async function benchDatabase(log: Logger, poolSize?: number): Promise<BenchDatabase> {
  const dbName = `ijc_bench_${randomBytes(4).toString("hex")}`;
  const prefix = `bench-${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${dbName}"`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${dbName}`;
  const db = await openDatabase({
    databaseUrl: url.toString(),
    dataDir: "unused",
    log,
    ...(poolSize ? { poolSize } : {}),
  });
  await applyMigrations(db);
  return {
    db,
    url: url.toString(),
    prefix,
    async cleanup() {
      const cleaner = createRedis(REDIS_URL);
      let cursor = "0";
      do {
        const [next, keys] = await cleaner.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
        cursor = next;
        if (keys.length) await cleaner.del(...keys);
      } while (cursor !== "0");
      cleaner.disconnect();
      await db.close();
      await admin.query(`DROP DATABASE "${dbName}" WITH (FORCE)`);
      await admin.end();
    },
  };
}
