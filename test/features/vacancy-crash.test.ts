/**
 * A worker process killed with SIGKILL in the middle of a vacancy's fan-out:
 * after a restart every matched seeker gets the push exactly once.
 */
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consoleInboxKey } from "../../src/channels/console/adapter.ts";
import { type Database, openDatabase } from "../../src/db/client.ts";
import { applyMigrations } from "../../src/db/migrate.ts";
import { Queues } from "../../src/jobs/queues.ts";
import { createRedis } from "../../src/jobs/redis.ts";
import { systemClock } from "../../src/lib/clock.ts";
import { createTestDatabase } from "../helpers/db.ts";
import { waitFor } from "../helpers/fake-channel.ts";
import { runEntry, type Spawned } from "../helpers/process.ts";
import { TEST_REDIS_URL, testPrefix } from "../helpers/redis.ts";
import { insertSeekersSql } from "../helpers/seekers.ts";
import { publishedVacancy } from "../helpers/vacancies.ts";

const SEEKERS = 1000;

let server: Awaited<ReturnType<typeof createTestDatabase>>;
let db: Database;
const keys = testPrefix();
const redis = createRedis(TEST_REDIS_URL);
const queues = new Queues(redis, keys.prefix);
const children: Spawned[] = [];

const worker = () => {
  const child = runEntry("src/main.ts", ["--roles", "worker"], {
    DATABASE_URL: server.url,
    QUEUE_PREFIX: keys.prefix,
    LOG_FORMAT: "json",
    LOG_LEVEL: "warn",
    VACANCY_PUSH_CHUNK: "20",
    RELAY_INTERVAL_MS: "1000",
    QUIET_HOURS: "00:00-00:00",
  });
  children.push(child);
  return child;
};

beforeAll(async () => {
  server = await createTestDatabase();
  db = await openDatabase({ databaseUrl: server.url, dataDir: "unused" });
  await applyMigrations(db);
  // Seekers in Makassar, each with a console address u0 … u999.
  await db.prisma.$executeRawUnsafe(insertSeekersSql(SEEKERS, "u"));
}, 60_000);

afterAll(async () => {
  for (const c of children) if (c.child.exitCode === null) c.child.kill("SIGKILL");
  await Promise.all(children.map((c) => c.exited));
  await queues.close();
  redis.disconnect();
  await db.close();
  await server.drop();
  await keys.cleanup();
});

describe("a worker killed in the middle of a fan-out", () => {
  it("leaves every matched seeker with exactly one push after a restart", async () => {
    // Sending waits until the fan-out is judged, so only the fan-out is interrupted.
    await queues.get("send-console").pause();
    const deps = { prisma: db.prisma, queues, clock: systemClock, log: pino({ level: "silent" }) };
    const { vacancy, matched } = await publishedVacancy(deps);
    expect(matched).toBe(SEEKERS);
    const rows = () => db.prisma.outbox.count({ where: { subject: `vacancy:${vacancy.id}` } });

    const first = worker();
    await waitFor(async () => (await rows()) >= 100, 60_000, "the fan-out to be under way");
    first.child.kill("SIGKILL");
    await first.exited;
    const atKill = await rows();
    expect(atKill).toBeLessThan(SEEKERS);

    worker();
    await waitFor(
      async () =>
        (await db.prisma.vacancy.findUniqueOrThrow({ where: { id: vacancy.id } })).pushedAt !==
        null,
      60_000,
      "the restarted worker to finish the fan-out",
    );
    expect(await rows()).toBe(SEEKERS);
    await queues.get("send-console").resume();
    const delivered = async () => {
      const lengths = await Promise.all(
        Array.from({ length: SEEKERS }, (_, i) =>
          redis.llen(consoleInboxKey(keys.prefix, `u${i}`)),
        ),
      );
      return lengths;
    };
    await waitFor(
      async () => (await delivered()).every((n) => n >= 1),
      90_000,
      "every seeker's push",
    );
    await new Promise((r) => setTimeout(r, 1000));
    const lengths = await delivered();
    expect(lengths.filter((n) => n !== 1)).toEqual([]);
    expect(await db.prisma.outbox.count({ where: { status: "sent" } })).toBe(SEEKERS);
    expect(await db.prisma.vacancyMatch.count({ where: { vacancyId: vacancy.id } })).toBe(SEEKERS);
  }, 240_000);
});
