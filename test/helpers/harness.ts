import pino from "pino";
import type { FanOutSettings } from "../../src/features/broadcasts/fanout.ts";
import type { PushSettings } from "../../src/features/vacancies/push.ts";
import type { Channel } from "../../src/generated/prisma/client.ts";
import { Queues } from "../../src/jobs/queues.ts";
import { createRedis } from "../../src/jobs/redis.ts";
import {
  DEFAULT_PUSH_SETTINGS,
  type SendChannel,
  startWorkers,
  type WorkerSet,
} from "../../src/jobs/workers/index.ts";
import type { StaffNotice } from "../../src/jobs/workers/notify.ts";
import { systemClock } from "../../src/lib/clock.ts";
import { writeOutbox } from "../../src/outbox/outbox.ts";
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
  const deps: RunnerDeps<Queues> = {
    prisma: database.db.prisma,
    sql: database.db.sql,
    queues,
    clock: systemClock,
    log: pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" }),
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
    async startWorkers(
      opts: {
        relayIntervalMs?: number;
        inboundConcurrency?: number;
        channels?: SendChannel[];
        staffNotice?: StaffNotice;
        broadcast?: FanOutSettings;
        /** Default: no quiet hours, so what a test sends does not depend on the hour it runs. */
        vacancyPush?: PushSettings;
      } = {},
    ) {
      const set = await startWorkers({
        deps,
        connection: redis,
        prefix,
        inboundConcurrency: opts.inboundConcurrency ?? 4,
        channels: opts.channels ?? [{ adapter: channel }],
        relayIntervalMs: opts.relayIntervalMs ?? 0,
        ...(opts.staffNotice ? { staffNotice: opts.staffNotice } : {}),
        ...(opts.broadcast ? { broadcast: opts.broadcast } : {}),
        vacancyPush: opts.vacancyPush ?? { ...DEFAULT_PUSH_SETTINGS, quiet: { start: 0, end: 0 } },
      });
      started.push(set);
      return set;
    },
    /**
     * Sends lines as `user` on the console channel, one at a time, each after the replies
     * to the one before were sent; returns the texts sent in reply to each line (all must have been sent).
     */
    chat(user: string, ...lines: string[]): Promise<string[][]> {
      return this.chatOn("console", user, lines);
    },
    /**
     * `chat` on any channel, as its adapter would hand messages in: `messageId` makes the
     * channel's message id (default `<user>-<n>`), `phone` is the number the channel gave.
     * Replies on channels other than the console need a send worker for them (startWorkers).
     */
    async chatOn(
      channelName: Channel,
      user: string,
      lines: string[],
      opts: { messageId?: (n: number) => string; phone?: string } = {},
    ): Promise<string[][]> {
      const answers: string[][] = [];
      for (const text of lines) {
        counter += 1;
        const before = channel.sent.length;
        const stored = await receive(deps, {
          channel: channelName,
          externalUserId: user,
          externalMessageId: opts.messageId?.(counter) ?? `${user}-${counter}`,
          text,
          receivedAt: new Date(),
          ...(opts.phone ? { phone: opts.phone } : {}),
        });
        await waitFor(
          async () => {
            // In this order: replies are visible once the message shows as processed.
            const inbound = await database.db.prisma.inboundMessage.findUnique({
              where: { id: stored.inboundId },
            });
            if (inbound !== null && inbound.status !== "processed") return false;
            const pending = await database.db.prisma.outbox.count({
              where: { inboundId: stored.inboundId, status: "pending" },
            });
            return pending === 0;
          },
          15_000,
          `replies to "${text}"`,
        );
        const rows = await database.db.prisma.outbox.findMany({
          where: { inboundId: stored.inboundId },
          orderBy: { seq: "asc" },
        });
        if (rows.some((r) => r.status !== "sent")) {
          const states = rows.map((r) => `${r.status} ${r.reason ?? ""}`).join("; ");
          throw new Error(`a reply to "${text}" was not sent: ${states}`);
        }
        // After a data deletion the rows go with the address: read what the channel got.
        const texts = rows.map((r) => (r.payload as { text: string }).text);
        answers.push(
          texts.length > 0 ? texts : channel.sent.slice(before).map((m) => m.message.text),
        );
      }
      return answers;
    },
    /** A person with an address on a channel, as their first message would create. */
    account(user: string, channelName: Channel = "console") {
      return database.db.prisma.channelAccount.create({
        data: { channel: channelName, externalId: user, person: { create: {} } },
      });
    },
    /**
     * Commits outbox rows to that address, without queueing them: what a process
     * leaves when it dies right after its transaction. Returns their refs.
     */
    commitMessages(
      account: { id: string; personId: string; channel: Channel },
      messages: { text: string; kind?: "reply" | "proactive" }[],
    ) {
      return database.db.prisma.$transaction((tx) =>
        writeOutbox(
          tx,
          messages.map((m) => ({
            personId: account.personId,
            channelAccountId: account.id,
            channel: account.channel,
            kind: m.kind ?? "reply",
            payload: { text: m.text },
          })),
        ),
      );
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
