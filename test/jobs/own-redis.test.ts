/**
 * Redis without setup: with REDIS_URL unset and nothing answering on the
 * local address, the service starts its own redis-server in the data folder;
 * an explicit REDIS_URL always wins.
 */
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveRedis } from "../../src/jobs/own-redis.ts";
import { AppError } from "../../src/lib/errors.ts";
import { freePort } from "../helpers/process.ts";
import { TEST_REDIS_ADDRESS, TEST_REDIS_URL } from "../helpers/redis.ts";

let dataDir: string;
let nobody: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "ijc-redis-"));
  // A local address where nothing listens.
  nobody = `127.0.0.1:${await freePort()}`;
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe("the Redis the service uses", () => {
  it("is REDIS_URL when set", async () => {
    const target = await resolveRedis({ url: TEST_REDIS_URL, localAddress: nobody, dataDir });
    expect(target).toMatchObject({ url: TEST_REDIS_URL, source: "configured" });
  });

  it("is the local one when it answers", async () => {
    const target = await resolveRedis({ localAddress: TEST_REDIS_ADDRESS, dataDir });
    expect(target).toMatchObject({ url: `redis://${TEST_REDIS_ADDRESS}`, source: "local" });
  });

  it("else its own redis-server on a socket in the data folder, shared with the next process, gone when stopped", async () => {
    const own = await resolveRedis({ localAddress: nobody, dataDir });
    try {
      expect(own.source).toBe("own");
      expect(own.url).toBe(join(dataDir, "redis", "redis.sock"));
      const client = new Redis(own.url);
      await client.set("k", "v");
      expect(await client.get("k")).toBe("v");
      client.disconnect();
      // Another local command (npm run chat) finds it in the data folder and does not own it.
      const beside = await resolveRedis({ localAddress: nobody, dataDir });
      expect(beside).toMatchObject({ url: own.url, source: "data folder" });
      await beside.stop();
      const still = new Redis(own.url);
      expect(await still.ping()).toBe("PONG");
      still.disconnect();
    } finally {
      await own.stop();
    }
    // Its append-only file is in the data folder; the socket no longer answers.
    expect(existsSync(join(dataDir, "redis"))).toBe(true);
    const after = await resolveRedis({
      localAddress: nobody,
      dataDir: await mkdtemp(join(tmpdir(), "ijc-r2-")),
    }).then(async (t) => {
      await t.stop();
      return t.source;
    });
    expect(after).toBe("own");
  });

  it("says how to install Redis when there is no redis-server", async () => {
    const path = process.env.PATH;
    process.env.PATH = "/nonexistent";
    try {
      await expect(resolveRedis({ localAddress: nobody, dataDir })).rejects.toThrow(
        /apt install redis-server.*brew install redis/,
      );
      await expect(resolveRedis({ localAddress: nobody, dataDir })).rejects.toBeInstanceOf(
        AppError,
      );
    } finally {
      process.env.PATH = path;
    }
  });
});
