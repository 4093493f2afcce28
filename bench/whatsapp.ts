/**
 * npm run bench:whatsapp — does WhatsApp sending keep to its limits, and do
 * people who write still get answers quickly while an announcement goes out?
 *
 * BENCH_RECIPIENTS (default 300) registered seekers on WhatsApp get an
 * announcement. The channel is the real gateway, adapter and send worker
 * (concurrency 2, as in the service) over a fake socket standing in for
 * WhatsApp's servers (test/helpers/fake-whatsapp.ts), with the service's
 * default limits (BENCH_PER_MINUTE 12 messages a minute, of them
 * BENCH_PROACTIVE_PER_MINUTE 4 proactive) and jitter, 1,500–4,000 ms. Every BENCH_WRITE_EVERY_S
 * (default 20) a person writes "menu" while the announcement is going out;
 * the time until the first answer reaches the socket is measured. Runs for
 * BENCH_DURATION_S (default 180).
 *
 * Printed: messages a minute (overall and in the busiest 60 s) against the
 * limit, the measured pauses against the configured jitter, and the answer
 * times of the people who wrote.
 */
import { randomBytes } from "node:crypto";
import pino from "pino";
import { whatsappWiring } from "../src/boot.ts";
import { createWhatsApp } from "../src/channels/whatsapp/index.ts";
import { createBroadcast } from "../src/features/broadcasts/mutations.ts";
import { createBody } from "../src/features/broadcasts/schema.ts";
import { Queues } from "../src/jobs/queues.ts";
import { createRedis } from "../src/jobs/redis.ts";
import { startSendWorkers, startWorkers } from "../src/jobs/workers/index.ts";
import { fakeSockets } from "../test/helpers/fake-whatsapp.ts";
import { insertSeekersSql } from "../test/helpers/seekers.ts";
import { STAFF } from "../test/helpers/vacancies.ts";
import { benchDatabase, benchDeps, median, REDIS_URL } from "./setup.ts";

const RECIPIENTS = Number(process.env.BENCH_RECIPIENTS ?? 300);
const PER_MINUTE = Number(process.env.BENCH_PER_MINUTE ?? 12);
const PROACTIVE_PER_MINUTE = Number(process.env.BENCH_PROACTIVE_PER_MINUTE ?? 4);
const DURATION_MS = Number(process.env.BENCH_DURATION_S ?? 180) * 1000;
const WRITE_EVERY_MS = Number(process.env.BENCH_WRITE_EVERY_S ?? 20) * 1000;
const JITTER: [number, number] = [1500, 4000];
const BASE = 7_000_000_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main() {
  const log = pino({ level: "warn" });
  const bench = await benchDatabase(pino({ level: "error" }));
  const redis = createRedis(REDIS_URL);
  const queues = new Queues(redis, bench.prefix);
  const closers: (() => Promise<unknown>)[] = [];
  try {
    const { prisma } = bench.db;
    await prisma.$executeRawUnsafe(
      insertSeekersSql(RECIPIENTS, "", "7371", "whatsapp").replace(
        `'' || i`,
        `(${BASE} + i)::text || '@lid'`,
      ),
    );
    const deps = benchDeps(bench.db, queues, log);
    const workers = await startWorkers({
      deps,
      connection: redis,
      prefix: bench.prefix,
      inboundConcurrency: 4,
      channels: [],
      relayIntervalMs: 0,
      broadcast: { chunk: 1000, quiet: { start: 0, end: 0 } },
    });
    closers.push(() => workers.close(5000));
    const fake = fakeSockets();
    const whatsapp = createWhatsApp(
      {
        authKey: randomBytes(32),
        session: "bench",
        perMinute: PER_MINUTE,
        proactivePerMinute: PROACTIVE_PER_MINUTE,
        proactivePerDay: 10_000,
        jitterMs: JITTER,
      },
      whatsappWiring(deps),
      redis,
      bench.prefix,
      { makeSocket: fake.make, heartbeatMs: 1000 },
    );
    await whatsapp.gateway.start();
    closers.push(() => whatsapp.gateway.stop());
    while (fake.sockets.length === 0) await sleep(20);
    const socket = fake.latest();
    socket.emit("connection.update", { connection: "open" });
    const senders = startSendWorkers({
      deps,
      connection: redis,
      prefix: bench.prefix,
      channels: [{ adapter: whatsapp.adapter, concurrency: 2 }],
    });
    closers.push(() => senders.close(5000));

    const created = await createBroadcast(
      deps,
      createBody.parse({ message: { id: "Bursa kerja inklusif Sabtu ini, pukul 09.00." } }),
      STAFF,
      new Date(),
    );
    if (!created.ok) throw new Error(created.message);
    console.log(
      `announcement to ${created.count} people on WhatsApp; limit ${PER_MINUTE}/min (${PROACTIVE_PER_MINUTE} proactive), jitter ${JITTER.join("–")} ms, ${DURATION_MS / 1000} s`,
    );

    // People who write while the announcement goes out.
    const started = Date.now();
    const writes: { jid: string; at: number }[] = [];
    let n = 0;
    while (Date.now() - started < DURATION_MS) {
      await sleep(WRITE_EVERY_MS);
      if (Date.now() - started >= DURATION_MS) break;
      n += 1;
      const jid = `${BASE + 1_000_000 + n}@lid`;
      writes.push({ jid, at: Date.now() });
      socket.emit("messages.upsert", {
        type: "notify",
        messages: [
          {
            key: { remoteJid: jid, fromMe: false, id: `BENCH${n}` },
            messageTimestamp: Math.floor(Date.now() / 1000),
            message: { conversation: "menu" },
          },
        ],
      });
    }
    await sleep(1000);
    const ended = Date.now();

    const sends = socket.sent.filter((s) => s.at >= started && s.at <= ended);
    const minutes = (ended - started) / 60_000;
    const busiestOf = (list: typeof sends) => {
      let most = 0;
      for (const s of list)
        most = Math.max(most, list.filter((o) => o.at >= s.at && o.at < s.at + 60_000).length);
      return most;
    };
    const busiest = busiestOf(sends);
    const busiestAnnouncement = busiestOf(sends.filter((s) => s.text.includes("Bursa kerja")));
    const pauses = sends.map((s) => {
      const composing = socket.composingAt.filter((c) => c.jid === s.jid && c.at <= s.at).at(-1);
      return composing ? s.at - composing.at : Number.NaN;
    });
    const answers = writes.map((w) => {
      const first = socket.sent.find((s) => s.jid === w.jid);
      return first ? first.at - w.at : Number.NaN;
    });
    const announced = sends.filter((s) => s.text.includes("Bursa kerja")).length;
    console.log(
      `sent ${sends.length} in ${minutes.toFixed(2)} min: ${(sends.length / minutes).toFixed(1)}/min overall, busiest 60 s ${busiest} (limit ${PER_MINUTE}), of the announcement ${busiestAnnouncement} (limit ${PROACTIVE_PER_MINUTE}); ${announced} announcement, ${sends.length - announced} answers`,
    );
    console.log(
      `pause before each send (typing shown): min ${Math.min(...pauses)} ms, median ${median(pauses)} ms, max ${Math.max(...pauses)} ms (configured ${JITTER.join("–")})`,
    );
    console.log(
      `${writes.length} people wrote during the announcement; first answer after: ${answers
        .map((a) => (Number.isNaN(a) ? "none" : `${(a / 1000).toFixed(1)} s`))
        .join(", ")} (median ${(median(answers) / 1000).toFixed(1)} s)`,
    );
    const waiting = await prisma.outbox.count({ where: { status: "pending" } });
    console.log(`still waiting to be sent at the end: ${waiting}`);
  } finally {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    await queues.close();
    redis.disconnect();
    await bench.cleanup();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
