import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { DEFAULT_TEST_REDIS_URL } from "./test-servers.ts";

/** The Redis of the tests: the global setup's choice (test/global-setup.ts). */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL || DEFAULT_TEST_REDIS_URL;

/** host:port of the test Redis, for a service's REDIS_LOCAL_ADDRESS. */
export const TEST_REDIS_ADDRESS = (() => {
  const url = new URL(TEST_REDIS_URL);
  return `${url.hostname}:${url.port || "6379"}`;
})();

/** A BullMQ prefix of this test's own, and a way to delete every key under it. */
export function testPrefix(): { prefix: string; cleanup(): Promise<void> } {
  const prefix = `test-${randomBytes(6).toString("hex")}`;
  return { prefix, cleanup: () => deletePrefix(prefix) };
}

/** Deletes every Redis key under a queue prefix. */
export async function deletePrefix(prefix: string): Promise<void> {
  const redis = new Redis(TEST_REDIS_URL);
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}
