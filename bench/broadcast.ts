/**
 * npm run bench:broadcast — how fast does a broadcast reach the queue, and
 * is it delivered at the channel's configured rate?
 *
 * 100,000 registered seekers (BENCH_RECIPIENTS) on Telegram. The Telegram
 * channel is the real adapter and grammY client talking HTTP to a local fake
 * Bot API server (test/helpers/fake-telegram.ts), limited by
 * TELEGRAM_RATE_PER_SECOND (BENCH_RATE, default 25).
 *
 * 1. Raw BullMQ: 100,000 jobs added with `addBulk` in chunks of 1,000.
 * 2. Fan-out: a broadcast to everyone, sending paused, from the API call until
 *    every recipient's outbox row is written and queued (chunks of
 *    BROADCAST_CHUNK, default 1,000).
 * 3. Delivery: sending resumed; messages counted as the fake Telegram
 *    receives them over 60 s (BENCH_DELIVERY_S) after a 5 s warm-up.
 * 4. The broadcast is cancelled; then every recipient must have received
 *    the message at most once, every row marked sent must have arrived, and
 *    every other row must be skipped as cancelled.
 */
import { Queue } from "bullmq";
import { Api } from "grammy";
import pino from "pino";
import { RateLimiter } from "../src/channels/rate-limit.ts";
import { TelegramAdapter } from "../src/channels/telegram/adapter.ts";
import { broadcastTotals } from "../src/features/broadcasts/data.ts";
import { cancelBroadcast, createBroadcast } from "../src/features/broadcasts/mutations.ts";
import { createBody } from "../src/features/broadcasts/schema.ts";
import { Queues } from "../src/jobs/queues.ts";
import { createRedis } from "../src/jobs/redis.ts";
import { startWorkers } from "../src/jobs/workers/index.ts";
import { startFakeTelegram } from "../test/helpers/fake-telegram.ts";
import { insertSeekersSql } from "../test/helpers/seekers.ts";
import { STAFF } from "../test/helpers/vacancies.ts";
import { benchDatabase, benchDeps, REDIS_URL } from "./setup.ts";

const RECIPIENTS = Number(process.env.BENCH_RECIPIENTS ?? 100_000);
const RATE = Number(process.env.BENCH_RATE ?? 25);
const DELIVERY_MS = Number(process.env.BENCH_DELIVERY_S ?? 60) * 1000;
const WARM_UP_MS = 5000;
const CHUNK = Number(process.env.BROADCAST_CHUNK ?? 1000);
const CHAT_BASE = 5_000_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const perSecond = (n: number, ms: number) => Math.round((n / ms) * 1000);

async function main() {
  const log = pino({ level: "warn" });
  const bench = await benchDatabase(pino({ level: "error" }));
  const redis = createRedis(REDIS_URL);
  const queues = new Queues(redis, bench.prefix);
  const telegram = await startFakeTelegram();
  let workers: Awaited<ReturnType<typeof startWorkers>> | undefined;
  try {
    const { prisma } = bench.db;
    console.log(`seeding ${RECIPIENTS.toLocaleString("en")} seekers on Telegram…`);
    await prisma.$executeRawUnsafe(
      insertSeekersSql(RECIPIENTS, "", "7371", "telegram").replace(
        `'' || i`,
        `(${CHAT_BASE} + i)::text`,
      ),
    );
    await prisma.$executeRawUnsafe("ANALYZE");

    // 1. Raw BullMQ addBulk, same Redis, same job shape as a send job.
    const raw = new Queue("bench-raw", { connection: redis, prefix: bench.prefix });
    let started = performance.now();
    for (let i = 0; i < RECIPIENTS; i += 1000) {
      await raw.addBulk(
        Array.from({ length: Math.min(1000, RECIPIENTS - i) }, (_, j) => ({
          name: "send",
          data: { outboxId: crypto.randomUUID() },
          opts: { jobId: `raw-${i + j}`, priority: 10 },
        })),
      );
    }
    const rawMs = performance.now() - started;
    await raw.obliterate({ force: true });
    await raw.close();

    // 2. Fan-out into the outbox and the send queue, sending paused.
    const deps = benchDeps(bench.db, queues, log);
    const api = new Api(telegram.token, { apiRoot: telegram.apiRoot });
    const adapter = new TelegramAdapter(api, new RateLimiter(redis, bench.prefix), {
      perSecond: RATE,
      chatIntervalMs: 1000,
    });
    await queues.get("send-telegram").pause();
    workers = await startWorkers({
      deps,
      connection: redis,
      prefix: bench.prefix,
      inboundConcurrency: 1,
      channels: [{ adapter, concurrency: 10 }],
      relayIntervalMs: 0,
      broadcast: { chunk: CHUNK, quiet: { start: 0, end: 0 } },
    });
    started = performance.now();
    const created = await createBroadcast(
      deps,
      createBody.parse({ message: { id: "Bursa kerja inklusif Sabtu ini, pukul 09.00." } }),
      STAFF,
      new Date(),
    );
    if (!created.ok) throw new Error(created.message);
    const id = created.broadcast.id;
    for (;;) {
      const b = await prisma.broadcast.findUniqueOrThrow({ where: { id } });
      if (b.fannedOutAt) break;
      if (b.status === "failed") throw new Error(`fan-out failed: ${b.reason}`);
      await sleep(20);
    }
    const fanOutMs = performance.now() - started;
    const queued = await queues.get("send-telegram").getJobCounts("prioritized", "waiting");
    const inQueue = (queued.prioritized ?? 0) + (queued.waiting ?? 0);

    // 3. Delivery at the channel's rate.
    await queues.get("send-telegram").resume();
    const sendStart = Date.now();
    await sleep(WARM_UP_MS + DELIVERY_MS);
    const sends = telegram.calls.filter((c) => c.method.toLowerCase() === "sendmessage");
    const inWindow = sends.filter(
      (c) => c.at >= sendStart + WARM_UP_MS && c.at < sendStart + WARM_UP_MS + DELIVERY_MS,
    ).length;

    // 4. Cancel, let sends in flight finish, then check every recipient.
    await cancelBroadcast(deps, id, STAFF, new Date());
    await workers.close(30_000);
    workers = undefined;
    const totals = await broadcastTotals(prisma, id);
    const received = new Map<string, number>();
    for (const c of telegram.calls.filter((c) => c.method.toLowerCase() === "sendmessage")) {
      const chat = String(c.payload.chat_id);
      received.set(chat, (received.get(chat) ?? 0) + 1);
    }
    const twice = [...received.values()].filter((n) => n > 1).length;
    const sentRows = await prisma.outbox.findMany({
      where: { subject: `broadcast:${id}`, status: "sent" },
      select: { channelAccount: { select: { externalId: true } } },
    });
    const lost = sentRows.filter((r) => !received.has(r.channelAccount.externalId)).length;
    const unrecorded = received.size - sentRows.length;
    const unaccounted = totals.recipients - totals.sent - (totals.skippedBy.cancelled ?? 0);

    const configured = RATE / 1.1;
    const observed = inWindow / (DELIVERY_MS / 1000);
    console.log(`
recipients                         ${RECIPIENTS.toLocaleString("en")}
raw BullMQ addBulk                 ${perSecond(RECIPIENTS, rawMs).toLocaleString("en")} jobs/s (${Math.round(rawMs)} ms)
broadcast fan-out into the queue   ${perSecond(RECIPIENTS, fanOutMs).toLocaleString("en")} recipients/s (${Math.round(fanOutMs)} ms; ${inQueue.toLocaleString("en")} send jobs queued) — ${(rawMs / fanOutMs).toFixed(2)}× the raw rate
delivery over ${DELIVERY_MS / 1000} s                  ${observed.toFixed(2)} messages/s (${inWindow} messages)
configured channel rate            ${configured.toFixed(2)} messages/s (TELEGRAM_RATE_PER_SECOND=${RATE} per 1.1 s sliding window)
observed vs configured             ${((observed / configured - 1) * 100).toFixed(1)} %
after cancel                       sent ${totals.sent}, skipped as cancelled ${totals.skippedBy.cancelled ?? 0}, failed ${totals.failed}, queued ${totals.queued}
duplicates (a chat got it twice)   ${twice}
losses (marked sent, never arrived) ${lost}; arrived but not marked sent ${unrecorded}; rows in no final state ${unaccounted}`);
  } finally {
    if (workers) await workers.close(5000);
    await queues.close();
    redis.disconnect();
    await telegram.close();
    await bench.cleanup();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
