import { afterAll, describe, expect, it } from "vitest";
import { RateLimiter } from "../../src/channels/rate-limit.ts";
import { createRedis } from "../../src/jobs/redis.ts";
import { TEST_REDIS_URL, testPrefix } from "../helpers/redis.ts";
import { busiestWindow, JITTER_MS } from "../helpers/windows.ts";

const redis = createRedis(TEST_REDIS_URL);
const keys = testPrefix();
afterAll(async () => {
  redis.disconnect();
  await keys.cleanup();
});

describe("RateLimiter (Redis sliding window)", () => {
  it("lets at most max through in any window, under 120 concurrent callers", async () => {
    const limiter = new RateLimiter(redis, keys.prefix);
    const times: number[] = [];
    await Promise.all(
      Array.from({ length: 120 }, async () => {
        expect(await limiter.acquire([{ key: "all", max: 50, windowMs: 1000 }], "pause")).toBe(
          true,
        );
        times.push(Date.now());
      }),
    );
    // Measured here, after the answer came back: allow for event-loop lag.
    expect(busiestWindow(times, 1000 - JITTER_MS)).toBeLessThanOrEqual(50);
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThanOrEqual(1000);
  });

  it("pauses everyone when asked", async () => {
    const limiter = new RateLimiter(redis, keys.prefix);
    await limiter.pause("pause-2", 300);
    const started = Date.now();
    await limiter.acquire([{ key: "x", max: 100, windowMs: 1000 }], "pause-2");
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it("gives up after the longest wait", async () => {
    const limiter = new RateLimiter(redis, keys.prefix);
    await limiter.acquire([{ key: "one", max: 1, windowMs: 5000 }], "p");
    expect(await limiter.acquire([{ key: "one", max: 1, windowMs: 5000 }], "p", 200)).toBe(false);
  });
});
