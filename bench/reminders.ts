/**
 * npm run bench:reminders — are training reminders sent on time at scale?
 *
 * 10,000 enrolments (BENCH_ENROLMENTS) in 500 trainings whose reminders fall
 * due evenly over 60 s (BENCH_WINDOW_S). Real worker processes
 * (BENCH_WORKERS, default 2, `src/main.ts --roles worker`) deliver them through
 * the whole path: delayed reminder job → reminder turn → outbox → send queue →
 * console channel (a Redis list per person; each entry carries its send
 * time). Before that, in the same run, 10,000 raw BullMQ delayed no-op jobs
 * due over the same window measure what the queue alone achieves.
 * Prints p50/p99/max lateness of both, and how many reminders were sent
 * twice or not at all.
 */
import { Queue, Worker } from "bullmq";
import pino from "pino";
import { consoleInboxKey } from "../src/channels/console/adapter.ts";
import { scheduleReminders } from "../src/features/trainings/reminders.ts";
import { Queues } from "../src/jobs/queues.ts";
import { createRedis } from "../src/jobs/redis.ts";
import { runEntry, type Spawned } from "../test/helpers/process.ts";
import { insertSeekersSql } from "../test/helpers/seekers.ts";
import { benchDatabase, REDIS_URL } from "./setup.ts";

const ENROLMENTS = Number(process.env.BENCH_ENROLMENTS ?? 10_000);
const WINDOW_MS = Number(process.env.BENCH_WINDOW_S ?? 60) * 1000;
const WORKERS = Number(process.env.BENCH_WORKERS ?? 2);
const TRAININGS = 500;
/** Reminders go out this many minutes before the start. */
const OFFSET_MINUTES = 1;

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const summary = (lateness: number[]) => {
  const s = [...lateness].sort((a, b) => a - b);
  return `p50 ${percentile(s, 50)} ms, p99 ${percentile(s, 99)} ms, max ${s.at(-1)} ms`;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Raw BullMQ: delayed no-op jobs due evenly over the window; lateness = start − due. */
async function rawDelayed(prefix: string): Promise<number[]> {
  const connection = createRedis(REDIS_URL);
  const queue = new Queue("bench-delayed", { connection, prefix });
  const lateness: number[] = [];
  const worker = new Worker(
    "bench-delayed",
    async (job) => {
      lateness.push(Date.now() - (job.data as { due: number }).due);
    },
    { connection, prefix, concurrency: 16 },
  );
  await worker.waitUntilReady();
  const start = Date.now() + 5000;
  for (let i = 0; i < ENROLMENTS; i += 1000) {
    await queue.addBulk(
      Array.from({ length: Math.min(1000, ENROLMENTS - i) }, (_, j) => {
        const due = start + Math.floor(((i + j) / ENROLMENTS) * WINDOW_MS);
        return { name: "noop", data: { due }, opts: { delay: due - Date.now() } };
      }),
    );
  }
  while (lateness.length < ENROLMENTS) await sleep(200);
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  connection.disconnect();
  return lateness;
}

async function main() {
  const log = pino({ level: "silent" });
  const bench = await benchDatabase(log);
  const { db, prefix } = bench;
  const redis = createRedis(REDIS_URL);
  const queues = new Queues(redis, prefix);
  const workers: Spawned[] = [];
  try {
    const hz = await redis.config("GET", "hz");
    console.log(
      `Redis hz ${hz[1]}; ${WORKERS} worker process(es); ${ENROLMENTS.toLocaleString("en")} reminders over ${WINDOW_MS / 1000} s`,
    );

    const raw = await rawDelayed(prefix);
    console.log(`raw BullMQ delayed no-op jobs: ${summary(raw)}`);

    // Seekers, trainings and enrolments, straight into the database.
    await db.prisma.$executeRawUnsafe(insertSeekersSql(ENROLMENTS, "r"));
    const perTraining = Math.ceil(ENROLMENTS / TRAININGS);
    const firstDue = Date.now() + 45_000; // time for the workers to start
    const trainings: { id: string; startsAt: Date }[] = [];
    for (let t = 0; t < TRAININGS; t++) {
      const due = firstDue + Math.floor((t / TRAININGS) * WINDOW_MS);
      const startsAt = new Date(due + OFFSET_MINUTES * 60_000);
      const row = await db.prisma.training.create({
        data: {
          title: `Pelatihan ${t + 1}`,
          organizer: "BLK",
          cityCode: "7371",
          venue: "Aula",
          startsAt,
          durationMinutes: 60,
          capacity: perTraining,
          registrationDeadline: startsAt,
          description: "Pengukuran.",
          createdBy: "bench",
        },
        select: { id: true, startsAt: true },
      });
      trainings.push(row);
    }
    await db.prisma.$executeRawUnsafe(`
      INSERT INTO "Enrollment" (id, "trainingId", "personId", status, channel, "updatedAt")
      SELECT gen_random_uuid(), t.id, p.id, 'enrolled', 'console', now()
      FROM (SELECT id, row_number() OVER (ORDER BY id) - 1 AS i FROM "Person") p
      JOIN (SELECT id, row_number() OVER (ORDER BY "startsAt") - 1 AS i FROM "Training") t
        ON t.i = p.i / ${perTraining}`);
    const enrolled = await db.prisma.enrollment.findMany({
      include: {
        training: { select: { startsAt: true } },
        person: { include: { channels: true } },
      },
    });
    const due = new Map(
      enrolled.map((e) => [
        e.person.channels[0]!.externalId,
        e.training.startsAt.getTime() - OFFSET_MINUTES * 60_000,
      ]),
    );
    const settings = { offsets: [OFFSET_MINUTES] };
    await scheduleReminders(queues, trainings, new Date(), settings);

    for (let i = 0; i < WORKERS; i++) {
      workers.push(
        runEntry("src/main.ts", ["--roles", "worker"], {
          DATABASE_URL: bench.url,
          REDIS_URL,
          QUEUE_PREFIX: prefix,
          LOG_FORMAT: "json",
          LOG_LEVEL: "warn",
          REMINDER_OFFSETS_MINUTES: String(OFFSET_MINUTES),
          QUIET_HOURS: "00:00-00:00",
          RETENTION_DAYS: "0",
        }),
      );
    }
    const startedBy = Date.now() + 40_000;
    // Started when every process has its reminder worker connected.
    while ((await queues.get("reminder").getWorkersCount()) < WORKERS) {
      if (Date.now() > startedBy)
        throw new Error(`workers did not start:\n${workers[0]!.output()}`);
      await sleep(200);
    }
    if (Date.now() > firstDue)
      console.log("warning: the workers started after the first reminder was due");

    // Wait for the window to pass, then for the stragglers (at most 5 minutes). One cheap
    // query per poll, so the benchmark does not take the CPU the workers need.
    const deadline = firstDue + WINDOW_MS + 300_000;
    const users = [...due.keys()];
    await sleep(Math.max(0, firstDue + WINDOW_MS - Date.now()));
    for (;;) {
      const done = await db.prisma.outbox.count({ where: { status: { in: ["sent", "failed"] } } });
      if (done >= users.length || Date.now() > deadline) break;
      await sleep(1000);
    }
    await sleep(3000); // anything sent twice would show up now
    const lateness: number[] = [];
    let twice = 0;
    let missing = 0;
    for (const user of users) {
      const entries = await redis.lrange(consoleInboxKey(prefix, user), 0, -1);
      if (entries.length === 0) missing += 1;
      if (entries.length > 1) twice += 1;
      for (const entry of entries.slice(0, 1)) {
        const sentAt = Number(/^console-(\d+)-/.exec(JSON.parse(entry).externalId)?.[1]);
        lateness.push(sentAt - due.get(user)!);
      }
    }
    console.log(`reminders sent through the product:  ${summary(lateness)}`);
    console.log(
      `sent twice: ${twice}, not sent: ${missing} (of ${users.length.toLocaleString("en")})`,
    );
  } finally {
    for (const w of workers) w.child.kill("SIGTERM");
    await Promise.all(workers.map((w) => w.exited));
    await queues.close();
    redis.disconnect();
    await bench.cleanup();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
