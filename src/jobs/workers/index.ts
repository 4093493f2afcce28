import { type Job, type Processor, Worker } from "bullmq";
import type { Redis } from "ioredis";
import type { FanOutSettings } from "../../features/broadcasts/fanout.ts";
import type { PushSettings } from "../../features/vacancies/push.ts";
import { enqueueOutbox } from "../../outbox/outbox.ts";
import type { RunnerDeps } from "../../runner/deps.ts";
import type { QueueName, QueuePayloads, Queues } from "../queues.ts";
import { broadcastJob } from "./broadcast.ts";
import { inboundJob } from "./inbound.ts";
import { failedForGood, type JobDefinition, logged } from "./job.ts";
import { notifyJob, type StaffNotice } from "./notify.ts";
import { relayJob } from "./relay.ts";
import { reminderJob } from "./reminder.ts";
import { reminderReconcileJob } from "./reminder-reconcile.ts";
import { retentionJob } from "./retention.ts";
import { createDirectSend, type DirectSend, type SendChannel, sendJob } from "./send.ts";
import { vacancyMatchJob } from "./vacancy-match.ts";

export { didNothing } from "./job.ts";
export type { SendChannel } from "./send.ts";

export interface WorkerSetOptions {
  deps: RunnerDeps<Queues>;
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

/** Starts each job's worker on one connection; every worker logs its errors and settles its give-ups. */
function jobRunner(opts: Pick<WorkerSetOptions, "deps" | "connection" | "prefix">) {
  const base = { connection: opts.connection, prefix: opts.prefix, autorun: true };
  const workers: Worker[] = [];
  const log = opts.deps.log;
  const start = <N extends QueueName>(job: JobDefinition<N>): void => {
    const processor = logged<QueuePayloads[N]>(
      log,
      job.queue,
      (j, token) => job.process(j, token),
      job.every !== undefined,
    );
    const worker = new Worker(job.queue, processor as Processor, { ...base, ...job.worker });
    worker.on("error", (error) =>
      log.error({ queue: job.queue, err: error.message }, "worker error"),
    );
    // A job that failed for good must not leave its row pending forever (and block what follows).
    worker.on("failed", (failed: Job<QueuePayloads[N]> | undefined, error: Error) => {
      if (!job.giveUp || !failed || !failedForGood(failed, error)) return;
      job
        .giveUp(failed, error)
        .catch((e: Error) =>
          log.error({ queue: job.queue, err: e.name }, "could not settle a failed job"),
        );
    });
    workers.push(worker);
  };
  return { workers, start };
}

/**
 * Only the send workers of some channels: for the WhatsApp gateway, the one
 * process that holds the number's connection and so the only one that can
 * send on it.
 */
export function startSendWorkers(
  opts: Pick<WorkerSetOptions, "deps" | "connection" | "prefix" | "channels">,
): WorkerSet {
  const { workers, start } = jobRunner(opts);
  for (const channel of opts.channels) start(sendJob(opts.deps, channel));
  return workerSet(workers);
}

/** Every job this process runs, in the order their workers start. */
function jobsOf(opts: WorkerSetOptions, deps: RunnerDeps<Queues>): JobDefinition<QueueName>[] {
  const push = opts.vacancyPush ?? DEFAULT_PUSH_SETTINGS;
  const jobs: JobDefinition<QueueName>[] = [
    inboundJob(deps, opts.inboundConcurrency),
    ...opts.channels.map((channel) => sendJob(deps, channel)),
    vacancyMatchJob(deps, push),
    broadcastJob(deps, { quiet: push.quiet, ...opts.broadcast }),
    reminderJob(deps, push.quiet),
    reminderReconcileJob(deps),
    notifyJob({ ...deps, notice: opts.staffNotice }),
    retentionJob(deps, {
      messageTextDays: opts.messageTextDays ?? DEFAULT_MESSAGE_TEXT_DAYS,
      retentionDays: opts.retentionDays ?? 0,
    }),
  ];
  if (opts.relayIntervalMs > 0) jobs.push(relayJob(deps, opts.relayIntervalMs));
  return jobs;
}

export async function startWorkers(opts: WorkerSetOptions): Promise<WorkerSet> {
  const { workers, start } = jobRunner(opts);
  // Replies go out from here right after their turn commits, where this process sends for
  // their channel; the send queue takes the rest, and the retries.
  const direct = createDirectSend(
    { ...opts.deps, adapters: opts.channels.map((c) => c.adapter) },
    (refs) => enqueueOutbox({ ...opts.deps, now: opts.deps.clock.now() }, refs),
  );
  const deps: RunnerDeps<Queues> = { ...opts.deps, dispatch: direct.dispatch };
  for (const job of jobsOf(opts, deps)) {
    if (job.every !== undefined) {
      await deps.queues
        .get(job.queue)
        .upsertJobScheduler(job.queue, { every: job.every }, { name: job.queue, data: {} });
    }
    await job.prepare?.();
    start(job);
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
