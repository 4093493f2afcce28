import { Queue, Worker } from "bullmq";
import pg from "pg";
import pino from "pino";
import { ConsoleAdapter } from "../src/channels/console/adapter.ts";
import type { OutboundMessage } from "../src/channels/types.ts";
import { step } from "../src/engine/engine.ts";
import { applyToPerson, newPerson } from "../src/engine/person.ts";
import type { ConversationState, PersonView } from "../src/engine/types.ts";
import { Queues } from "../src/jobs/queues.ts";
import { createRedis } from "../src/jobs/redis.ts";
import { startWorkers } from "../src/jobs/workers/index.ts";
import { systemClock } from "../src/lib/clock.ts";
import { receive } from "../src/runner/receive.ts";
import { REGISTRATION_SCRIPT } from "../test/fixtures/registration.ts";
import { benchDatabase, REDIS_URL } from "./setup.ts";

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 40);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);

/** Replies per message of the script, from the pure engine: how many sends end each turn. */
function expectedReplies(): number[] {
  let state: ConversationState | null = null;
  const person: PersonView = newPerson();
  return REGISTRATION_SCRIPT.map((text, i) => {
    const result = step(
      state,
      { text },
      { now: new Date(Date.UTC(2026, 10, 30, 1, 0, i)), person: structuredClone(person) },
    );
    for (const e of result.effects) applyToPerson(person, e);
    state = result.state;
    return result.effects.filter((e) => e.type === "reply").length;
  });
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function rawBullmqRate(prefix: string, jobs: number): Promise<number> {
  const connection = createRedis(REDIS_URL);
  const queue = new Queue("bench-noop", { connection, prefix });
  let done = 0;
  let finish: () => void = () => {};
  const finished = new Promise<void>((r) => {
    finish = r;
  });
  const worker = new Worker("bench-noop", async () => {}, {
    connection,
    prefix,
    concurrency: CONCURRENCY,
  });
  worker.on("completed", () => {
    done += 1;
    if (done === jobs) finish();
  });
  await worker.waitUntilReady();
  const started = performance.now();
  for (let i = 0; i < jobs; i += 1000) {
    await queue.addBulk(
      Array.from({ length: Math.min(1000, jobs - i) }, (_, j) => ({
        name: "noop",
        data: { i: i + j },
      })),
    );
  }
  await finished;
  const rate = jobs / ((performance.now() - started) / 1000);
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  connection.disconnect();
  return rate;
}

/** Every statement sent to PostgreSQL (BEGIN and COMMIT included): one round trip each. */
let roundTrips = 0;
const clientQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  roundTrips += 1;
  return (clientQuery as (...a: unknown[]) => unknown).apply(this, args);
} as typeof clientQuery;

async function main() {
  const log = pino(
    { level: process.env.BENCH_LOG_LEVEL ?? "silent" },
    pino.destination(process.env.BENCH_LOG_FILE ?? 2),
  );
  const bench = await benchDatabase(log, Math.min(CONCURRENCY + 4, 20));
  const { db, prefix } = bench;
  const redis = createRedis(REDIS_URL);
  const queues = new Queues(redis, prefix);
  const deps = {
    prisma: db.prisma,
    sql: db.sql,
    queues,
    clock: systemClock,
    log,
    serviceName: "PKI Bench",
  };

  // The console channel, observed: each delivery to a user wakes whoever waits for it.
  const delivered = new Map<string, number>();
  const waiters = new Map<string, { count: number; resolve: () => void }>();
  class ObservedConsole extends ConsoleAdapter {
    override async send(to: string, message: OutboundMessage) {
      const result = await super.send(to, message);
      const n = (delivered.get(to) ?? 0) + 1;
      delivered.set(to, n);
      const w = waiters.get(to);
      if (w && n >= w.count) {
        waiters.delete(to);
        w.resolve();
      }
      return result;
    }
  }
  const workers = await startWorkers({
    deps,
    connection: redis,
    prefix,
    inboundConcurrency: CONCURRENCY,
    channels: [{ adapter: new ObservedConsole(redis, prefix), concurrency: CONCURRENCY }],
    relayIntervalMs: 0,
  });

  const replies = expectedReplies();
  const latencies: number[] = [];
  let peakRss = 0;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 50);

  let messages = 0;
  const tripsBefore = roundTrips;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  for (let round = 0; round < ROUNDS; round++) {
    await Promise.all(
      Array.from({ length: PEOPLE }, async (_, p) => {
        const user = `bench-${round}-${p}`;
        let expected = 0;
        for (const [i, text] of REGISTRATION_SCRIPT.entries()) {
          expected += replies[i]!;
          const t0 = performance.now();
          const done = new Promise<void>((resolve) =>
            waiters.set(user, { count: expected, resolve }),
          );
          await receive(deps, {
            channel: "console",
            externalUserId: user,
            externalMessageId: `${user}-${i}`,
            text,
            receivedAt: new Date(),
          });
          await done;
          latencies.push(performance.now() - t0);
          messages += 1;
        }
      }),
    );
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const trips = roundTrips - tripsBefore;
  clearInterval(sampler);
  const profiles = await db.prisma.seekerProfile.count();
  const engineRate = messages / seconds;

  await workers.close(5000);
  const rawRate = await rawBullmqRate(prefix, 20_000);

  latencies.sort((a, b) => a - b);
  // Where the time goes: stored → processed (inbound queue + transaction), processed → last reply sent.
  const stages = await db.prisma.$queryRaw<{ processing: number; sending: number }[]>`
    SELECT EXTRACT(EPOCH FROM (i."processedAt" - i."receivedAt")) * 1000 AS processing,
           EXTRACT(EPOCH FROM (MAX(o."sentAt") - i."processedAt")) * 1000 AS sending
    FROM "InboundMessage" i JOIN "Outbox" o ON o."inboundId" = i.id
    GROUP BY i.id, i."processedAt", i."receivedAt"`;
  const processing = stages.map((r) => Number(r.processing)).sort((a, b) => a - b);
  const sending = stages.map((r) => Number(r.sending)).sort((a, b) => a - b);
  const sent = await db.prisma.outbox.count({ where: { status: "sent" } });
  console.log(
    `bench:engine  ${PEOPLE} people × ${ROUNDS} rounds × ${REGISTRATION_SCRIPT.length} messages (full registration), concurrency ${CONCURRENCY}`,
  );
  console.log(
    `  messages processed        ${messages} (profiles saved: ${profiles}, replies sent: ${sent})`,
  );
  console.log(`  engine path               ${engineRate.toFixed(0)} messages/s`);
  console.log(
    `  raw BullMQ no-op jobs     ${rawRate.toFixed(0)} jobs/s (same Redis, concurrency ${CONCURRENCY})`,
  );
  console.log(`  ratio raw/engine          ${(rawRate / engineRate).toFixed(1)}×`);
  console.log(
    `  turn latency (receive → last reply delivered)  p50 ${percentile(latencies, 50).toFixed(1)} ms  p99 ${percentile(latencies, 99).toFixed(1)} ms  max ${latencies.at(-1)!.toFixed(1)} ms`,
  );
  console.log(
    `    of which received → processed  p50 ${percentile(processing, 50).toFixed(1)} ms  p99 ${percentile(processing, 99).toFixed(1)} ms`,
  );
  console.log(
    `    of which processed → replies sent  p50 ${percentile(sending, 50).toFixed(1)} ms  p99 ${percentile(sending, 99).toFixed(1)} ms`,
  );
  console.log(
    `  database round trips      ${(trips / messages).toFixed(2)} per message (${trips} statements)`,
  );
  console.log(
    `  CPU of this process       ${((cpu.user + cpu.system) / 1000 / messages).toFixed(2)} ms per message (user ${(cpu.user / 1000 / messages).toFixed(2)}, system ${(cpu.system / 1000 / messages).toFixed(2)}; includes the simulated people)`,
  );
  console.log(`  peak RSS                  ${(peakRss / 1024 / 1024).toFixed(0)} MiB`);

  await queues.close();
  redis.disconnect();
  await bench.cleanup();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
