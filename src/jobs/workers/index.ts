import { DelayedError, type Job, type Processor, Worker, type WorkerOptions } from "bullmq";
import type { Redis } from "ioredis";
import type { ChannelAdapter } from "../../domain/messages.ts";
import { type FanOutSettings, fanOutBroadcast } from "../../features/broadcasts/fanout.ts";
import { failBroadcast } from "../../features/broadcasts/mutations.ts";
import {
  DEFAULT_REMINDER_SETTINGS,
  reconcileReminders,
} from "../../features/trainings/reminders.ts";
import type { PushSettings } from "../../features/vacancies/push.ts";
import type { Logger } from "../../lib/logger.ts";
import { enqueueOutbox } from "../../outbox/outbox.ts";
import type { RunnerDeps } from "../../runner/deps.ts";
import { giveUpInbound } from "../../runner/process.ts";
import { deliverReminders } from "../../runner/reminder.ts";
import { TurnBatcher } from "../../runner/turn-batcher.ts";
import { type QueueName, type QueuePayloads, type SendJob, sendQueueName } from "../queues.ts";
import { createNotifyProcessor, type StaffNotice } from "./notify.ts";
import { relayOnce } from "./relay.ts";
import { clearMessageTexts, expireInactive } from "./retention.ts";
import { createDirectSend, createSendProcessor, type DirectSend, sendBackoff } from "./send.ts";
import { createVacancyMatchProcessor } from "./vacancy-match.ts";

/** How soon an inbound job looks again when another worker holds the person. */
const BUSY_RETRY_MS = 100;

export interface SendChannel {
  adapter: ChannelAdapter;
  /** Messages sent at once by this process. Default 10. */
  concurrency?: number;
  /** Rate limit across all workers of this channel's queue. */
  limiter?: WorkerOptions["limiter"];
}

export interface WorkerSetOptions {
  deps: RunnerDeps;
  connection: Redis;
  prefix: string;
  /** Inbound messages processed at once (of different people). */
  inboundConcurrency: number;
  /** Channels this process delivers for: one send worker each. */
  channels: SendChannel[];
  /** How often the relay runs, in milliseconds; 0 = not at all in this process. */
  relayIntervalMs: number;
  /** Where staff hear about new handoffs (none: handoffs are only marked as seen). */
  staffNotice?: StaffNotice;
  /** Days of inactivity after which a person's data is deleted; 0 = never (default). */
  retentionDays?: number;
  /** Days a settled outgoing message keeps its text (default 7). */
  messageTextDays?: number;
  /** Vacancy pushes: weekly cap and quiet hours. Default: 3 per 7 days, 21:00–07:00. */
  vacancyPush?: PushSettings;
  /** Broadcast fan-out: chunk size; quiet hours as for vacancy pushes unless given. */
  broadcast?: FanOutSettings;
}

export const DEFAULT_MESSAGE_TEXT_DAYS = 7;

export const DEFAULT_PUSH_SETTINGS: PushSettings = {
  cap: 3,
  windowDays: 7,
  quiet: { start: 21 * 60, end: 7 * 60 },
};

export interface WorkerSet {
  workers: Worker[];
  /** Stops taking jobs, lets active ones finish for up to `timeoutMs`, then closes. */
  close(timeoutMs: number): Promise<{ clean: boolean }>;
}

/**
 * A scheduled job's outcome that did nothing: every count in it zero. Such a run is logged
 * at debug, so the terminal is not filled with the relay's report every few seconds.
 */
export function didNothing(outcome: unknown): boolean {
  if (outcome === undefined || outcome === null) return true;
  if (typeof outcome === "number") return outcome === 0;
  if (typeof outcome !== "object") return false;
  return Object.values(outcome as Record<string, unknown>).every(didNothing);
}

const SCHEDULED: ReadonlySet<string> = new Set(["relay", "reminder-reconcile", "retention"]);

/** Wraps a processor with one summary log line per job: id, duration, outcome. */
function logged<T>(
  log: Logger,
  queue: QueueName | string,
  fn: (job: Job<T>, token?: string) => Promise<unknown>,
) {
  return async (job: Job<T>, token?: string) => {
    const started = performance.now();
    const jobLog = log.child({ queue, jobId: job.id, attempt: job.attemptsMade + 1 });
    const ms = () => Math.round(performance.now() - started);
    try {
      const outcome = await fn(job, token);
      if (SCHEDULED.has(queue) && didNothing(outcome)) jobLog.debug({ ms: ms() }, "job done");
      else jobLog.info({ ms: ms(), outcome }, "job done");
      return outcome;
    } catch (error) {
      if (error instanceof DelayedError) {
        jobLog.debug({ ms: ms() }, "job delayed");
      } else {
        // Name and code only: messages of database errors can carry the data being written.
        const e = error as Error & { code?: string };
        jobLog.warn({ ms: ms(), err: e.name, code: e.code }, "job failed");
        jobLog.debug({ err: e.message }, "job failure detail");
      }
      throw error;
    }
  };
}

type AddWorker = (name: string, processor: Processor, extra?: Partial<WorkerOptions>) => void;

/** Builds workers on one connection; every worker logs its errors. */
function workerList(opts: Pick<WorkerSetOptions, "deps" | "connection" | "prefix">) {
  const base = { connection: opts.connection, prefix: opts.prefix, autorun: true };
  const workers: Worker[] = [];
  const add: AddWorker = (name, processor, extra = {}) => {
    const worker = new Worker(name, processor, { ...base, ...extra });
    worker.on("error", (error) =>
      opts.deps.log.error({ queue: name, err: error.message }, "worker error"),
    );
    workers.push(worker);
  };
  return { workers, add };
}

function addSendWorkers(add: AddWorker, deps: RunnerDeps, channels: SendChannel[]) {
  for (const channel of channels) {
    const name = sendQueueName(channel.adapter.name);
    const processor = createSendProcessor({ ...deps, adapter: channel.adapter });
    add(name, logged(deps.log, name, processor), {
      concurrency: channel.concurrency ?? 10,
      ...(channel.limiter ? { limiter: channel.limiter } : {}),
      settings: { backoffStrategy: sendBackoff },
    });
  }
}

const lastAttempt = (job: Job | undefined) =>
  job !== undefined && job.attemptsMade >= (job.opts.attempts ?? 1);

/** A job out of attempts must not leave its row pending forever (and block what follows). */
function settleFailures(workers: Worker[], deps: RunnerDeps) {
  for (const worker of workers) {
    worker.on("failed", (job, error) => {
      if (!lastAttempt(job)) return;
      const settle =
        worker.name === "broadcast"
          ? failBroadcast(
              deps.prisma,
              (job!.data as QueuePayloads["broadcast"]).broadcastId,
              `fan-out gave up: ${error.name}`,
              deps.clock.now(),
            )
          : worker.name === "inbound"
            ? giveUpInbound(deps, (job!.data as { inboundId: string }).inboundId)
            : worker.name.startsWith("send-")
              ? deps.prisma.outbox.updateMany({
                  where: { id: (job!.data as SendJob).outboxId, status: "pending" },
                  data: { status: "failed", reason: `gave up: ${error.name}`, lockedUntil: null },
                })
              : Promise.resolve();
      settle.catch((e: Error) =>
        deps.log.error({ queue: worker.name, err: e.name }, "could not settle a failed job"),
      );
    });
  }
}

/**
 * Only the send workers of some channels: for the WhatsApp gateway, the one
 * process that holds the number's connection and so the only one that can
 * send on it.
 */
export function startSendWorkers(
  opts: Pick<WorkerSetOptions, "deps" | "connection" | "prefix" | "channels">,
): WorkerSet {
  const { workers, add } = workerList(opts);
  addSendWorkers(add, opts.deps, opts.channels);
  settleFailures(workers, opts.deps);
  return workerSet(workers);
}

export async function startWorkers(opts: WorkerSetOptions): Promise<WorkerSet> {
  const { workers, add } = workerList(opts);
  // Replies go out from here right after their turn commits, where this process sends for
  // their channel; the send queue takes the rest, and the retries.
  const direct = createDirectSend(
    { ...opts.deps, adapters: opts.channels.map((c) => c.adapter) },
    (refs) => enqueueOutbox({ ...opts.deps, now: opts.deps.clock.now() }, refs),
  );
  const deps: RunnerDeps = { ...opts.deps, dispatch: direct.dispatch };

  // The jobs this worker holds at once become one batch (group commit): concurrency is the
  // most people per transaction.
  const batcher = new TurnBatcher(deps, { maxBatch: opts.inboundConcurrency });
  add(
    "inbound",
    logged(deps.log, "inbound", async (job: Job<{ personId: string }>, token?: string) => {
      const outcome = await batcher.process(job.data.personId);
      if (outcome.busy) {
        await job.moveToDelayed(Date.now() + BUSY_RETRY_MS, token);
        throw new DelayedError();
      }
      return outcome;
    }),
    { concurrency: opts.inboundConcurrency },
  );

  addSendWorkers(add, deps, opts.channels);

  add(
    "vacancy-match",
    logged(
      deps.log,
      "vacancy-match",
      createVacancyMatchProcessor(deps, opts.vacancyPush ?? DEFAULT_PUSH_SETTINGS),
    ),
    // A long job whose worker died is handed to another within seconds (the lock is renewed
    // while it runs), and it takes over its own claim (the job id).
    { concurrency: 1, lockDuration: 10_000, stalledInterval: 5_000 },
  );

  add(
    "broadcast",
    logged(deps.log, "broadcast", async (job: Job<QueuePayloads["broadcast"]>, token?: string) => {
      const result = await fanOutBroadcast(deps, job.data.broadcastId, {
        quiet: (opts.vacancyPush ?? DEFAULT_PUSH_SETTINGS).quiet,
        ...opts.broadcast,
      });
      if (result.outcome === "not-due") {
        // Fired early (clocks differ): wait for the broadcast's time.
        await job.moveToDelayed(result.sendAt.getTime(), token);
        throw new DelayedError();
      }
      return result;
    }),
    // As for vacancy matching: a dead worker's job moves on within seconds, resuming at its cursor.
    { concurrency: 2, lockDuration: 10_000, stalledInterval: 5_000 },
  );

  const reminderSettings = deps.reminders ?? DEFAULT_REMINDER_SETTINGS;
  const quiet = (opts.vacancyPush ?? DEFAULT_PUSH_SETTINGS).quiet;
  add(
    "reminder",
    logged(deps.log, "reminder", (job: Job<QueuePayloads["reminder"]>) =>
      deliverReminders(deps, job.data, quiet),
    ),
    { concurrency: 16 },
  );
  // Rebuilt from the database at start (Redis may have lost delayed jobs) and every 10 minutes.
  await deps.queues
    .get("reminder-reconcile")
    .upsertJobScheduler(
      "reminder-reconcile",
      { every: 10 * 60_000 },
      { name: "reminder-reconcile", data: {} },
    );
  await deps.queues.get("reminder-reconcile").add("reminder-reconcile", {});
  add(
    "reminder-reconcile",
    logged(deps.log, "reminder-reconcile", () =>
      reconcileReminders(deps, deps.clock.now(), reminderSettings),
    ),
    { concurrency: 1 },
  );

  add(
    "notify",
    logged(deps.log, "notify", createNotifyProcessor({ ...deps, notice: opts.staffNotice })),
    { concurrency: 1 },
  );

  settleFailures(workers, deps);

  // Hourly: texts of settled messages older than messageTextDays go, then (when set)
  // the data of people inactive longer than retentionDays.
  const textDays = opts.messageTextDays ?? DEFAULT_MESSAGE_TEXT_DAYS;
  const inactiveDays = opts.retentionDays ?? 0;
  await deps.queues
    .get("retention")
    .upsertJobScheduler("retention", { every: 3_600_000 }, { name: "retention", data: {} });
  add(
    "retention",
    logged(deps.log, "retention", async () => {
      const texts = await clearMessageTexts(deps.sql, { days: textDays, now: deps.clock.now() });
      const people = inactiveDays > 0 ? await expireInactive(deps, inactiveDays) : { expired: 0 };
      return { ...texts, ...people };
    }),
    { concurrency: 1 },
  );

  if (opts.relayIntervalMs > 0) {
    // A job scheduler: however many processes run it, one relay job runs per interval.
    await deps.queues
      .get("relay")
      .upsertJobScheduler("relay", { every: opts.relayIntervalMs }, { name: "relay", data: {} });
    add(
      "relay",
      logged(deps.log, "relay", () => relayOnce(deps)),
      { concurrency: 1 },
    );
  }

  return workerSet(workers, direct);
}

function workerSet(workers: Worker[], direct?: DirectSend): WorkerSet {
  return {
    workers,
    async close(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      // The inbound workers first (their last batches may still start replies), then those sends.
      const graceful = Promise.all(workers.map((w) => w.close()))
        .then(() => direct?.idle(timeoutMs))
        .then(() => true as const);
      const clean = await Promise.race([graceful, timedOut]);
      clearTimeout(timer);
      // Past the deadline, stop waiting: the caller closes the connections, and BullMQ hands
      // the unfinished jobs to another worker when their locks expire (they are retried).
      if (!clean) graceful.catch(() => {});
      return { clean };
    },
  };
}
