import pino from "pino";
import { Queues } from "../../src/jobs/queues.ts";
import { createRedis } from "../../src/jobs/redis.ts";
import { startWorkers, type WorkerSet } from "../../src/jobs/workers/index.ts";
import { systemClock } from "../../src/lib/clock.ts";
import type { RunnerDeps } from "../../src/runner/deps.ts";
import { receive } from "../../src/runner/receive.ts";
import { openTestDatabase } from "./db.ts";
import { FakeChannel, waitFor } from "./fake-channel.ts";
import { TEST_REDIS_URL, testPrefix } from "./redis.ts";

export type Harness = Awaited<ReturnType<typeof createHarness>>;

/**
 * Real PostgreSQL (or the embedded store) and real Redis under a random
 * prefix, with a fake channel at the network boundary.
 */
export async function createHarness(kind: "postgres" | "embedded" = "postgres") {
  const database = await openTestDatabase(kind);
  const { prefix, cleanup } = testPrefix();
  const redis = createRedis(TEST_REDIS_URL);
  const queues = new Queues(redis, prefix);
  const channel = new FakeChannel("console");
  const deps: RunnerDeps = {
    prisma: database.db.prisma,
    queues,
    clock: systemClock,
    log: pino({ level: "silent" }),
    serviceName: "PKI Kota Uji",
  };
  const started: WorkerSet[] = [];
  let counter = 0;
  return {
    db: database.db,
    prisma: database.db.prisma,
    redis,
    queues,
    prefix,
    deps,
    channel,
    async startWorkers(opts: { relayIntervalMs?: number; inboundConcurrency?: number } = {}) {
      const set = await startWorkers({
        deps,
        connection: redis,
        prefix,
        inboundConcurrency: opts.inboundConcurrency ?? 4,
        channels: [{ adapter: channel }],
        relayIntervalMs: opts.relayIntervalMs ?? 0,
      });
      started.push(set);
      return set;
    },
    /**
     * Sends lines as `user` on the console channel, one at a time, each after the replies
     * to the one before were sent; returns the texts sent in reply to each line.
     */
    async chat(user: string, ...lines: string[]): Promise<string[][]> {
      const answers: string[][] = [];
      for (const text of lines) {
        counter += 1;
        const before = channel.sent.length;
        const stored = await receive(deps, {
          channel: "console",
          externalUserId: user,
          externalMessageId: `${user}-${counter}`,
          text,
          receivedAt: new Date(),
        });
        await waitFor(
          async () => {
            const [inbound, pending] = await Promise.all([
              database.db.prisma.inboundMessage.findUnique({ where: { id: stored.inboundId } }),
              database.db.prisma.outbox.count({
                where: { inboundId: stored.inboundId, status: "pending" },
              }),
            ]);
            return (inbound === null || inbound.status === "processed") && pending === 0;
          },
          15_000,
          `replies to "${text}"`,
        );
        answers.push(channel.sent.slice(before).map((s) => s.message.text));
      }
      return answers;
    },
    async close() {
      await Promise.all(started.map((s) => s.close(2000)));
      await queues.close();
      redis.disconnect();
      await cleanup();
      await database.cleanup();
    },
  };
}
