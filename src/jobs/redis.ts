import { Redis } from "ioredis";
import { AppError } from "../lib/errors.ts";
import { redactUrl } from "../lib/logger.ts";

/**
 * A connection usable by BullMQ queues and workers: `maxRetriesPerRequest:
 * null` is required by workers' blocking commands.
 */
export function createRedis(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true });
}

export function redisUnavailableMessage(url: string): string {
  return (
    `Redis is not reachable at ${redactUrl(url)}. ` +
    `Start one with "redis-server --daemonize yes" (or "docker compose up -d redis"), ` +
    `or set REDIS_URL to a running Redis.`
  );
}

/** Fails fast, with a message saying how to start Redis, when none answers. */
export async function assertRedisReachable(url: string, timeoutMs = 3000): Promise<void> {
  const probe = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  probe.on("error", () => {
    // Reported through the rejected connect below.
  });
  try {
    await probe.connect();
    await probe.ping();
  } catch (error) {
    throw new AppError("redis_unavailable", redisUnavailableMessage(url), {
      cause: (error as Error).message,
    });
  } finally {
    probe.disconnect();
  }
}
