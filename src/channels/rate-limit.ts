import type { Redis } from "ioredis";

/**
 * Sliding-window limits shared by every process through Redis: "at most
 * `max` in any `windowMs`", exactly, unlike a fixed per-second counter that
 * lets twice the rate through across a second boundary.
 */
const ACQUIRE = `
local key, max, window, id = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3]
-- Redis's clock, not the caller's: a call that waited in a busy pipeline must not count as earlier.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local paused = tonumber(redis.call('PTTL', KEYS[2]))
if paused > 0 then return paused end
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
if redis.call('ZCARD', key) < max then
  redis.call('ZADD', key, now, id)
  redis.call('PEXPIRE', key, window)
  return 0
end
local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + window - now)
`;

export interface Limit {
  key: string;
  max: number;
  windowMs: number;
}

export class RateLimiter {
  private seq = 0;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  /**
   * Takes one slot under every limit, in order; waits (bounded by
   * `maxWaitMs`) while one is full or the channel asked everyone to pause.
   * Returns false if no slot came in time.
   */
  async acquire(limits: Limit[], pauseKey: string, maxWaitMs = 30_000): Promise<boolean> {
    const deadline = Date.now() + maxWaitMs;
    for (const limit of limits) {
      for (;;) {
        const wait = await this.tryOnce(limit, pauseKey);
        if (wait === 0) break;
        if (Date.now() + wait > deadline) return false;
        await new Promise((r) => setTimeout(r, wait));
      }
    }
    return true;
  }

  /**
   * Takes one slot under `limit` if there is one now. Answers 0 and the
   * slot's id, or how long until a slot frees (ms).
   */
  async take(limit: Limit, pauseKey: string): Promise<{ wait: number; id: string }> {
    const id = this.nextId();
    return { wait: await this.tryOnce(limit, pauseKey, id), id };
  }

  /** Gives back a slot taken by `take` that was not used. */
  async giveBack(limit: Limit, id: string): Promise<void> {
    await this.redis.zrem(`${this.prefix}:${limit.key}`, id);
  }

  /** Everyone stops sending on this channel for `ms` (Telegram's 429 retry_after). */
  async pause(pauseKey: string, ms: number): Promise<void> {
    await this.redis.set(`${this.prefix}:${pauseKey}`, "1", "PX", Math.max(1, Math.round(ms)));
  }

  private nextId() {
    this.seq += 1;
    return `${process.pid}-${this.seq}-${Math.random()}`;
  }

  private async tryOnce(limit: Limit, pauseKey: string, id = this.nextId()): Promise<number> {
    const result = await this.redis.eval(
      ACQUIRE,
      2,
      `${this.prefix}:${limit.key}`,
      `${this.prefix}:${pauseKey}`,
      limit.max,
      limit.windowMs,
      id,
    );
    return Number(result);
  }
}
