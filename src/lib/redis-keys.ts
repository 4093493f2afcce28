import type { Redis } from "ioredis";

/**
 * Where small shared counters live (sign-in limits, staff chat state): the
 * Redis connection and key prefix the queues use. jobs/queues.ts's Queues has both.
 */
export interface RedisKeys {
  readonly connection: Redis;
  readonly prefix: string;
}
