/**
 * The message path under load, as `bench:engine` and `bench:peer` run it:
 * simulated people register on the console channel, each waiting for the
 * reply before answering, through the real receive → inbound queue → runner
 * → PostgreSQL → outbox → send queue → channel path.
 */
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { Queue, Worker } from "bullmq";
import pg from "pg";
import pino from "pino";
import { ConsoleAdapter, consoleInboxKey } from "../src/channels/console/adapter.ts";
import type { OutboundMessage } from "../src/domain/messages.ts";
import { Queues } from "../src/jobs/queues.ts";
import { createRedis } from "../src/jobs/redis.ts";
import { startWorkers } from "../src/jobs/workers/index.ts";
import { limitHeapGrowth, NODE_FLAGS } from "../src/lib/node-flags.ts";
import { receive } from "../src/runner/receive.ts";
import { REGISTRATION_SCRIPT } from "../test/fixtures/registration.ts";
import { expectedReplyCounts } from "../test/helpers/expected-replies.ts";
import { ROOT } from "../test/helpers/process.ts";
import { benchDatabase, benchDeps, REDIS_URL } from "./setup.ts";

export interface EngineBenchOptions {
  people: number;
  rounds: number;
  /** Inbound jobs held at once (the most people per batch) and console sends at once. */
  concurrency: number;
  /** A reply not delivered within this long counts as unanswered. Default 30 s. */
  replyTimeoutMs?: number;
  /** Each person's pause between a reply and their next answer. Default 0. */
  pauseMs?: number;
  /**
   * Worker processes (`src/main.ts --roles worker`) to run the queues in; 0 (default): the
   * workers run in this process. With processes, this process only receives (as the
   * gateway does) and watches the console inboxes.
   */
  workerProcesses?: number;
}

export interface EngineBenchResult {
  messages: number;
  unanswered: number;
  profiles: number;
  repliesSent: number;
  rate: number;
  rawRate: number;
  p50: number;
  p99: number;
  max: number;
  processingP50: number;
  processingP99: number;
  sendingP50: number;
  sendingP99: number;
  roundTripsPerMessage: number;
  cpuMsPerMessage: number;
  peakRssMiB: number;
  /** CPU of every PostgreSQL and Redis server process on the machine, per message (Linux). */
  postgresCpuMsPerMessage?: number;
  redisCpuMsPerMessage?: number;
  /** With worker processes: their CPU per message, and each one's peak RSS. */
  workerCpuMsPerMessage?: number;
  workerPeakRssMiB?: number[];
}

/** Every statement sent to PostgreSQL (BEGIN and COMMIT included): one round trip each. */
let roundTrips = 0;
const clientQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  roundTrips += 1;
  return (clientQuery as (...a: unknown[]) => unknown).apply(this, args);
} as typeof clientQuery;

export const percentile = (sorted: number[], p: number) =>
  sorted.length === 0
    ? Number.NaN
    : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/** BullMQ alone: no-op jobs through a worker at the same concurrency, on the same Redis. */
export async function rawBullmqRate(prefix: string, jobs: number, concurrency: number) {
  const connection = createRedis(REDIS_URL);
  const queue = new Queue("bench-noop", { connection, prefix });
  let done = 0;
  let finish: () => void = () => {};
  const finished = new Promise<void>((r) => {
    finish = r;
  });
  const worker = new Worker("bench-noop", async () => {}, { connection, prefix, concurrency });
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

export async function runEngineBench(opts: EngineBenchOptions): Promise<EngineBenchResult> {
  const { people, rounds, concurrency } = opts;
  const replyTimeoutMs = opts.replyTimeoutMs ?? 30_000;
  // The service's own settings when the workers run in this process (main.ts does the same;
  // package.json's bench script gives this process the service's NODE_FLAGS and runs it from
  // a bundle, as npm start runs the service).
  limitHeapGrowth();
  const log = pino(
    { level: process.env.BENCH_LOG_LEVEL ?? "silent" },
    pino.destination(process.env.BENCH_LOG_FILE ?? 2),
  );
  const bench = await benchDatabase(log, 10);
  const { db, prefix } = bench;
  const redis = createRedis(REDIS_URL);
  const queues = new Queues(redis, prefix);
  const deps = benchDeps(db, queues, log);

  // The console channel, observed: each delivery to a user wakes whoever waits for it.
  const delivered = new Map<string, number>();
  const waiters = new Map<string, { count: number; resolve: () => void }>();
  const note = (to: string) => {
    const n = (delivered.get(to) ?? 0) + 1;
    delivered.set(to, n);
    const w = waiters.get(to);
    if (w && n >= w.count) {
      waiters.delete(to);
      w.resolve();
    }
  };
  class ObservedConsole extends ConsoleAdapter {
    override async send(to: string, message: OutboundMessage) {
      const result = await super.send(to, message);
      note(to);
      return result;
    }
  }
  const users = Array.from({ length: rounds }, (_, r) =>
    Array.from({ length: people }, (_, p) => `bench-${r}-${p}`),
  ).flat();
  const workers =
    (opts.workerProcesses ?? 0) > 0
      ? await workerProcesses(opts.workerProcesses!, bench.url, prefix, concurrency, users, note)
      : await startWorkers({
          deps,
          connection: redis,
          prefix,
          inboundConcurrency: concurrency,
          channels: [{ adapter: new ObservedConsole(redis, prefix), concurrency }],
          relayIntervalMs: 0,
        });
  const workerCpuBefore = "cpuTicks" in workers ? workers.cpuTicks() : 0;

  const replies = expectedReplyCounts(REGISTRATION_SCRIPT, new Date(Date.UTC(2026, 10, 30, 1)));
  const latencies: number[] = [];
  /** Latencies by the message's place in the script, for BENCH_BY_STEP=1. */
  const bySteps: number[][] = REGISTRATION_SCRIPT.map(() => []);
  let peakRss = 0;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 50);

  let messages = 0;
  let unanswered = 0;
  const tripsBefore = roundTrips;
  const serversBefore = serverCpuMs();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  for (let round = 0; round < rounds; round++) {
    await Promise.all(
      Array.from({ length: people }, async (_, p) => {
        const user = `bench-${round}-${p}`;
        let expected = 0;
        for (const [i, text] of REGISTRATION_SCRIPT.entries()) {
          if (opts.pauseMs) await new Promise((r) => setTimeout(r, opts.pauseMs));
          expected += replies[i]!;
          const t0 = performance.now();
          let timer: NodeJS.Timeout | undefined;
          const answered = new Promise<boolean>((resolve) => {
            waiters.set(user, { count: expected, resolve: () => resolve(true) });
            timer = setTimeout(() => resolve(false), replyTimeoutMs);
          });
          await receive(deps, {
            channel: "console",
            externalUserId: user,
            externalMessageId: `${user}-${i}`,
            text,
            receivedAt: new Date(),
          });
          const ok = await answered;
          clearTimeout(timer);
          messages += 1;
          if (ok) {
            latencies.push(performance.now() - t0);
            bySteps[i]!.push(performance.now() - t0);
          } else unanswered += 1;
        }
      }),
    );
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const serversAfter = serverCpuMs();
  const trips = roundTrips - tripsBefore;
  clearInterval(sampler);
  const profiles = await db.prisma.seekerProfile.count();
  const processes =
    "cpuTicks" in workers
      ? {
          workerCpuMsPerMessage: ((workers.cpuTicks() - workerCpuBefore) * 10) / messages,
          workerPeakRssMiB: workers.peakRssMiB(),
        }
      : {};

  await workers.close(5000);
  const rawRate = await rawBullmqRate(prefix, 20_000, concurrency);

  latencies.sort((a, b) => a - b);
  if (process.env.BENCH_BY_STEP) {
    for (const [i, xs] of bySteps.entries()) {
      xs.sort((a, b) => a - b);
      console.error(
        `  step ${i} ${JSON.stringify(REGISTRATION_SCRIPT[i])}: p50 ${percentile(xs, 50).toFixed(0)} ms, p99 ${percentile(xs, 99).toFixed(0)} ms`,
      );
    }
  }
  // Where the time goes: stored → processed (inbound queue + transaction), processed → last reply sent.
  const stages = await db.prisma.$queryRaw<{ processing: number; sending: number }[]>`
    SELECT EXTRACT(EPOCH FROM (i."processedAt" - i."receivedAt")) * 1000 AS processing,
           EXTRACT(EPOCH FROM (MAX(o."sentAt") - i."processedAt")) * 1000 AS sending
    FROM "InboundMessage" i JOIN "Outbox" o ON o."inboundId" = i.id
    GROUP BY i.id, i."processedAt", i."receivedAt"`;
  const processing = stages.map((r) => Number(r.processing)).sort((a, b) => a - b);
  const sending = stages.map((r) => Number(r.sending)).sort((a, b) => a - b);
  const repliesSent = await db.prisma.outbox.count({ where: { status: "sent" } });

  await queues.close();
  redis.disconnect();
  await bench.cleanup();
  return {
    messages,
    unanswered,
    profiles,
    repliesSent,
    rate: (messages - unanswered) / seconds,
    rawRate,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? Number.NaN,
    processingP50: percentile(processing, 50),
    processingP99: percentile(processing, 99),
    sendingP50: percentile(sending, 50),
    sendingP99: percentile(sending, 99),
    roundTripsPerMessage: trips / messages,
    cpuMsPerMessage: (cpu.user + cpu.system) / 1000 / messages,
    ...(serversBefore && serversAfter
      ? {
          postgresCpuMsPerMessage: (serversAfter.postgres - serversBefore.postgres) / messages,
          redisCpuMsPerMessage: (serversAfter.redis - serversBefore.redis) / messages,
        }
      : {}),
    peakRssMiB: peakRss / 1024 / 1024,
    ...processes,
  };
}

/**
 * Worker processes as `npm start -- --roles worker` runs them (the compiled build with
 * BENCH_COMPILED=1), and a watcher that takes every console delivery off the inboxes.
 */
async function workerProcesses(
  count: number,
  databaseUrl: string,
  prefix: string,
  concurrency: number,
  users: string[],
  delivered: (user: string) => void,
) {
  const compiled = process.env.BENCH_COMPILED === "1";
  const children = Array.from({ length: count }, () =>
    spawn(
      process.execPath,
      compiled
        ? [...NODE_FLAGS, "dist/src/main.js", "--roles", "worker"]
        : [...NODE_FLAGS, "scripts/start.mjs", "--roles", "worker"],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          DATABASE_URL: databaseUrl,
          REDIS_URL,
          QUEUE_PREFIX: prefix,
          INBOUND_CONCURRENCY: String(concurrency),
          LOG_FORMAT: "json",
          LOG_LEVEL: "info",
          QUIET_HOURS: "00:00-00:00",
        },
        stdio: ["ignore", "pipe", "inherit"],
      },
    ),
  );
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve, reject) => {
          let out = "";
          const onData = (d: Buffer) => {
            out += d.toString();
            if (out.includes('"msg":"started"')) {
              child.stdout!.off("data", onData);
              child.stdout!.resume();
              resolve();
            }
          };
          child.stdout!.on("data", onData);
          child.once("exit", (code) => reject(new Error(`worker exited with ${code}`)));
        }),
    ),
  );
  // One connection blocks on every inbox at once and hands each delivery to its waiter.
  const watcher = createRedis(REDIS_URL);
  const keys = users.map((u) => consoleInboxKey(prefix, u));
  const byKey = new Map(users.map((u) => [consoleInboxKey(prefix, u), u]));
  let watching = true;
  const watching$ = (async () => {
    while (watching) {
      const got = await watcher.blpop(...keys, 1).catch(() => null);
      if (got) delivered(byKey.get(got[0])!);
    }
  })();
  const stat = (pid: number, file: "stat" | "status") => {
    try {
      return readFileSync(`/proc/${pid}/${file}`, "utf8");
    } catch {
      return "";
    }
  };
  return {
    /** CPU of the worker processes so far, in clock ticks (1/100 s). */
    cpuTicks: () =>
      children.reduce((sum, c) => {
        const fields = stat(c.pid!, "stat").split(") ")[1]?.split(" ") ?? [];
        return sum + Number(fields[11] ?? 0) + Number(fields[12] ?? 0);
      }, 0),
    peakRssMiB: () =>
      children.map((c) => Number(/VmHWM:\s+(\d+)/.exec(stat(c.pid!, "status"))?.[1] ?? 0) / 1024),
    async close() {
      watching = false;
      await watching$;
      watcher.disconnect();
      await Promise.all(
        children.map(
          (c) =>
            new Promise<void>((resolve) => {
              c.once("exit", () => resolve());
              c.kill("SIGTERM");
            }),
        ),
      );
    },
  };
}

export { REGISTRATION_SCRIPT };

/**
 * CPU time (ms) used so far by the machine's PostgreSQL and Redis server
 * processes, from /proc (Linux; undefined elsewhere). Exited PostgreSQL
 * backends are in the postmaster's children's time, so both are summed.
 * Everything else on the machine using the same servers is counted too: read
 * it on a quiet machine.
 */
function serverCpuMs(): { postgres: number; redis: number } | undefined {
  let pids: string[];
  try {
    pids = readdirSync("/proc").filter((p) => /^\d+$/.test(p));
  } catch {
    return undefined;
  }
  const total = { postgres: 0, redis: 0 };
  for (const pid of pids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
      continue; // gone meanwhile
    }
    const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
    const server =
      name === "postgres" ? "postgres" : name.startsWith("redis-server") ? "redis" : null;
    if (!server) continue;
    // After "(name) ": state is field 3; utime, stime, cutime, cstime are fields 14-17.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i] ?? 0), 0);
    total[server] += ticks * 10; // USER_HZ is 100 on Linux
  }
  return total;
}
