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

/**
 * Undefined when a PING works at `url` within `timeoutMs`, else the error: the
 * connection's first (a refused connection comes as an error event, and
 * connect() then only says "Connection is closed.").
 */
export async function redisProblem(url: string, timeoutMs: number): Promise<unknown> {
  const probe = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  let cause: unknown;
  probe.on("error", (error) => {
    cause ??= error;
  });
  try {
    await probe.connect();
    await probe.ping();
    return undefined;
  } catch (error) {
    return cause ?? error;
  } finally {
    probe.disconnect();
  }
}

/** Fails fast, with a message saying how to start Redis, when none answers. */
export async function assertRedisReachable(url: string, timeoutMs = 3000): Promise<void> {
  const problem = await redisProblem(url, timeoutMs);
  if (problem !== undefined)
    throw new AppError("redis_unavailable", redisUnavailableMessage(url), {
      cause: (problem as Error).message,
    });
}
