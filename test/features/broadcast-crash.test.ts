/**
 * A worker process killed with SIGKILL in the middle of a 10,000-recipient
 * broadcast, while it is both writing recipients and sending: after a
 * restart every recipient has exactly one message, nobody is missing.
 */
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consoleInboxKey } from "../../src/channels/console/adapter.ts";
import { type Database, openDatabase } from "../../src/db/client.ts";
import { applyMigrations } from "../../src/db/migrate.ts";
import { broadcastTotals } from "../../src/features/broadcasts/data.ts";
import { createBroadcast } from "../../src/features/broadcasts/mutations.ts";
import { createBody } from "../../src/features/broadcasts/schema.ts";
import { Queues } from "../../src/jobs/queues.ts";
import { createRedis } from "../../src/jobs/redis.ts";
import { systemClock } from "../../src/lib/clock.ts";
import { createTestDatabase } from "../helpers/db.ts";
import { waitFor } from "../helpers/fake-channel.ts";
import { runEntry, type Spawned } from "../helpers/process.ts";
import { TEST_REDIS_URL, testPrefix } from "../helpers/redis.ts";
import { insertSeekersSql } from "../helpers/seekers.ts";
import { STAFF } from "../helpers/vacancies.ts";

const RECIPIENTS = 10_000;

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
    BROADCAST_CHUNK: "250",
    RELAY_INTERVAL_MS: "1000",
    QUIET_HOURS: "00:00-00:00",
  });
  children.push(child);
  return child;
};

/** How many messages each recipient's console inbox holds. */
async function inboxLengths(): Promise<number[]> {
  const pipeline = redis.pipeline();
  for (let i = 0; i < RECIPIENTS; i++) pipeline.llen(consoleInboxKey(keys.prefix, `b${i}`));
  const results = (await pipeline.exec()) ?? [];
  return results.map(([, n]) => Number(n));
}

beforeAll(async () => {
  server = await createTestDatabase();
  db = await openDatabase({ databaseUrl: server.url, dataDir: "unused" });
  await applyMigrations(db);
  await db.prisma.$executeRawUnsafe(insertSeekersSql(RECIPIENTS, "b"));
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

describe("a worker killed in the middle of a broadcast", () => {
  it("leaves every recipient with exactly one message after a restart", async () => {
    const deps = { prisma: db.prisma, queues, clock: systemClock, log: pino({ level: "silent" }) };
    const created = await createBroadcast(
      deps,
      createBody.parse({ message: { id: "Bursa kerja inklusif, Sabtu 09.00." } }),
      STAFF,
      new Date(),
    );
    if (!created.ok) throw new Error(created.message);
    const id = created.broadcast.id;
    const rows = () => db.prisma.outbox.count({ where: { subject: `broadcast:${id}` } });
    const sent = () =>
      db.prisma.outbox.count({ where: { subject: `broadcast:${id}`, status: "sent" } });

    const first = worker();
    // Killed while it is still writing recipients and already sending to the first ones.
    await waitFor(
      async () => (await rows()) >= 2000 && (await sent()) >= 200,
      90_000,
      "the fan-out and the sending to be under way",
    );
    first.child.kill("SIGKILL");
    await first.exited;
    expect(await rows()).toBeLessThan(RECIPIENTS);
    expect(await sent()).toBeLessThan(RECIPIENTS);

    worker();
    await waitFor(
      async () =>
        (await db.prisma.broadcast.findUniqueOrThrow({ where: { id } })).status === "done",
      180_000,
      "the restarted worker to finish the broadcast",
    );
    const lengths = await inboxLengths();
    expect(lengths.filter((n) => n === 0).length, "recipients without the message").toBe(0);
    expect(lengths.filter((n) => n > 1).length, "recipients with it twice").toBe(0);
    expect(await broadcastTotals(db.prisma, id)).toEqual({
      recipients: RECIPIENTS,
      queued: 0,
      sent: RECIPIENTS,
      failed: 0,
      skipped: 0,
      skippedBy: {},
    });
  }, 300_000);
});
