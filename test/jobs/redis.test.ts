import { describe, expect, it } from "vitest";
import { assertRedisReachable } from "../../src/jobs/redis.ts";
import { TEST_REDIS_URL } from "../helpers/redis.ts";

describe("assertRedisReachable", () => {
  it("passes when Redis answers", async () => {
    await expect(assertRedisReachable(TEST_REDIS_URL)).resolves.toBeUndefined();
  });

  it("fails fast with how to start Redis, without the password", async () => {
    const started = Date.now();
    await expect(assertRedisReachable("redis://:secret@127.0.0.1:1", 1000)).rejects.toThrow(
      /^Redis is not reachable at redis:\/\/:\*\*\*@127\.0\.0\.1:1.*redis-server/,
    );
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
