/**
 * Queues belong to one database: with QUEUE_PREFIX unset, two services with
 * different databases on one Redis never take each other's jobs, and a chat
 * started beside a service shares that service's queues.
 */

import { execFileSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestPostgres } from "../helpers/db.ts";
import { waitFor } from "../helpers/fake-channel.ts";
import { freePort, runEntry, type Spawned } from "../helpers/process.ts";
import { deletePrefix, TEST_REDIS_URL } from "../helpers/redis.ts";

const databases: TestPostgres[] = [];
const services: Spawned[] = [];
const prefixes: string[] = [];

async function prefixOf(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ queuePrefix: string }>(
      `SELECT "queuePrefix" FROM "ServiceInstance"`,
    );
    return rows[0]!.queuePrefix;
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  for (let i = 0; i < 2; i++) databases.push(await createTestDatabase());
  for (const db of databases) {
    services.push(
      runEntry("src/main.ts", ["--roles", "worker"], {
        DATABASE_URL: db.url,
        REDIS_URL: TEST_REDIS_URL,
        LOG_FORMAT: "json",
      }),
    );
  }
  await Promise.all(
    services.map(
      (s) =>
        new Promise<void>((resolve, reject) => {
          const started = Date.now();
          const check = () => {
            if (s.output().includes('"msg":"started"')) return resolve();
            if (s.child.exitCode !== null || Date.now() - started > 90_000)
              return reject(new Error(`service did not start: ${s.output().slice(-500)}`));
            setTimeout(check, 50);
          };
          check();
        }),
    ),
  );
  for (const db of databases) prefixes.push(await prefixOf(db.url));
}, 120_000);

afterAll(async () => {
  for (const s of services) s.child.kill("SIGTERM");
  await Promise.all(services.map((s) => s.exited));
  for (const p of prefixes) await deletePrefix(p);
  for (const db of databases) await db.drop();
});

describe("queues belong to one database", () => {
  it("gives each database its own prefix, used by the service and a chat beside it", async () => {
    expect(prefixes[0]).toMatch(/^ijc-[0-9a-f]{10}$/);
    expect(prefixes[1]).toMatch(/^ijc-[0-9a-f]{10}$/);
    expect(prefixes[0]).not.toBe(prefixes[1]);
    for (const [i, s] of services.entries()) {
      expect(s.output()).toContain(`"queuePrefix":"${prefixes[i]}"`);
    }
  });

  it("answers each database's people, and no job crosses to the other", async () => {
    const chats = databases.map((db, i) =>
      runEntry(
        "src/cli/chat.ts",
        ["--user", `person-${i}`],
        {
          DATABASE_URL: db.url,
          REDIS_URL: TEST_REDIS_URL,
        },
        "halo\n",
      ),
    );
    const results = await Promise.all(chats.map((c) => c.exited));
    for (const [i, chat] of chats.entries()) {
      expect(results[i]!.code).toBe(0);
      expect(chat.stdout()).toContain("Ini layanan otomatis");
    }
    // Each person exists in their own database only, and every job landed under its prefix.
    for (const [i, db] of databases.entries()) {
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      const { rows } = await client.query<{ externalId: string }>(
        `SELECT "externalId" FROM "ChannelAccount" ORDER BY "externalId"`,
      );
      await client.end();
      expect(rows.map((r) => r.externalId)).toEqual([`person-${i}`]);
    }
    const redis = new Redis(TEST_REDIS_URL);
    try {
      for (const prefix of prefixes) {
        expect(await redis.keys(`${prefix}:inbound:*`)).not.toEqual([]);
      }
    } finally {
      redis.disconnect();
    }
  });
});

describe("Redis without setup", () => {
  it("starts its own redis-server when none answers, a chat beside it uses it, and it comes back if it dies", async () => {
    const database = await createTestDatabase();
    const dataDir = await mkdtemp(join(tmpdir(), "ijc-own-redis-"));
    const nobody = `127.0.0.1:${await freePort()}`;
    const env = { DATABASE_URL: database.url, DATA_DIR: dataDir, REDIS_LOCAL_ADDRESS: nobody };
    const service = runEntry("src/main.ts", ["--roles", "worker"], { ...env, LOG_FORMAT: "json" });
    try {
      await waitFor(() => service.output().includes('"msg":"started"'), 90_000, "the service");
      expect(service.output()).toContain("started own redis-server");
      const socket = join(dataDir, "redis", "redis.sock");
      const chat = runEntry("src/cli/chat.ts", ["--user", "own"], env, "halo\n");
      expect((await chat.exited).code).toBe(0);
      expect(chat.stdout()).toContain("Ini layanan otomatis");

      // Killed: the service starts it again.
      const pid = Number(execFileSync("pgrep", ["-f", socket], { encoding: "utf8" }).trim());
      process.kill(pid, "SIGKILL");
      await waitFor(
        () => service.output().includes("own redis-server stopped; starting it again"),
        30_000,
        "the restart",
      );
      await waitFor(
        async () => {
          const probe = new Redis(socket, { lazyConnect: true, retryStrategy: () => null });
          probe.on("error", () => undefined);
          const ok = await probe.connect().then(
            () => probe.ping().then((r) => r === "PONG"),
            () => false,
          );
          probe.disconnect();
          return ok;
        },
        30_000,
        "Redis back",
      );
    } finally {
      service.child.kill("SIGTERM");
      await service.exited;
      await rm(dataDir, { recursive: true, force: true });
      await database.drop();
    }
    expect(service.output()).toContain('"msg":"stopped"');
  }, 240_000);
});
