/**
 * Per-person order and once-only processing with two real worker processes
 * sharing one PostgreSQL and Redis (DESIGN.md points 3–4).
 */
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "../../src/db/client.ts";
import { Queues } from "../../src/jobs/queues.ts";
import { createRedis } from "../../src/jobs/redis.ts";
import { systemClock } from "../../src/lib/clock.ts";
import type { RunnerDeps } from "../../src/runner/deps.ts";
import { receive } from "../../src/runner/receive.ts";
import { createTestDatabase } from "../helpers/db.ts";
import { expectedReplyCounts } from "../helpers/expected-replies.ts";
import { waitFor } from "../helpers/fake-channel.ts";
import { runEntry, type Spawned } from "../helpers/process.ts";
import { TEST_REDIS_URL, testPrefix } from "../helpers/redis.ts";

let server: Awaited<ReturnType<typeof createTestDatabase>>;
let db: Database;
let deps: RunnerDeps<Queues>;
const redisKeys = testPrefix();
const redis = createRedis(TEST_REDIS_URL);
const workers: Spawned[] = [];

beforeAll(async () => {
  server = await createTestDatabase();
  for (let i = 0; i < 2; i++) {
    workers.push(
      runEntry("src/main.ts", ["--roles", "worker"], {
        DATABASE_URL: server.url,
        QUEUE_PREFIX: redisKeys.prefix,
        LOG_FORMAT: "json",
        INBOUND_CONCURRENCY: "8",
      }),
    );
  }
  await waitFor(
    () => workers.every((w) => w.output().includes('"msg":"started"')),
    60_000,
    "workers",
  );
  db = await openDatabase({ databaseUrl: server.url, dataDir: "unused" });
  deps = {
    prisma: db.prisma,
    sql: db.sql,
    queues: new Queues(redis, redisKeys.prefix),
    clock: systemClock,
    log: pino({ level: "silent" }),
    serviceName: "PKI",
  };
});

afterAll(async () => {
  for (const w of workers) w.child.kill("SIGTERM");
  await Promise.all(workers.map((w) => w.exited));
  await deps.queues.close();
  redis.disconnect();
  await db.close();
  await server.drop();
  await redisKeys.cleanup();
});

describe("per-person order across two worker processes", () => {
  it("handles 50 concurrent messages from one person in order, each once", async () => {
    const texts = [
      "halo",
      ...Array.from({ length: 49 }, (_, i) => ["menu", "ulangi", "bantuan", "7", "xyz"][i % 5]!),
    ];
    const stored = await Promise.all(
      texts.map((text, i) =>
        receive(deps, {
          channel: "console",
          externalUserId: "concurrent",
          externalMessageId: `c-${i}`,
          text,
          receivedAt: new Date(),
        }),
      ),
    );
    expect(new Set(stored.map((s) => s.personId)).size).toBe(1);
    const personId = stored[0]!.personId;

    await waitFor(
      async () =>
        (await db.prisma.inboundMessage.count({ where: { personId, status: "processed" } })) === 50,
      60_000,
      "all 50 processed",
    );
    const inbound = await db.prisma.inboundMessage.findMany({
      where: { personId },
      orderBy: { seq: "asc" },
    });
    const replies = await db.prisma.outbox.findMany({
      where: { personId },
      orderBy: { seq: "asc" },
    });

    // Replies were written in the order the messages were stored: processing followed `seq`.
    const replyOrder = replies.map((r) => r.inboundId).filter((id, i, all) => id !== all[i - 1]);
    expect(replyOrder).toEqual(inbound.map((m) => m.id));
    for (let i = 1; i < inbound.length; i++) {
      expect(inbound[i]!.processedAt!.getTime()).toBeGreaterThanOrEqual(
        inbound[i - 1]!.processedAt!.getTime(),
      );
    }
    // Each message was handled once: it got exactly the replies the pure engine gives it
    // when the same messages are run one after another (a message handled twice doubles).
    const perMessage = inbound.map((m) => replies.filter((r) => r.inboundId === m.id).length);
    const inSeqOrder = inbound.map((m) => texts[Number(m.externalMessageId.slice("c-".length))]!);
    expect(perMessage).toEqual(expectedReplyCounts(inSeqOrder));

    // A repeated delivery of a processed message is recognised and ignored.
    const again = await receive(deps, {
      channel: "console",
      externalUserId: "concurrent",
      externalMessageId: "c-7",
      text: "ulangi",
      receivedAt: new Date(),
    });
    expect(again.duplicate).toBe(true);
    const version = (await db.prisma.conversation.findUniqueOrThrow({ where: { personId } }))
      .version;
    await new Promise((r) => setTimeout(r, 500));
    expect((await db.prisma.conversation.findUniqueOrThrow({ where: { personId } })).version).toBe(
      version,
    );
    expect(await db.prisma.inboundMessage.count({ where: { personId } })).toBe(50);
    expect(await db.prisma.outbox.count({ where: { personId } })).toBe(replies.length);
  });
});
