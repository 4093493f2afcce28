import { DelayedError, type Job, UnrecoverableError, type WorkerOptions } from "bullmq";
import type { Logger } from "../../lib/logger.ts";
import type { QueueName, QueuePayloads } from "../queues.ts";
import { isUuid } from "../subject.ts";

/**
 * One queue's worker, as its file under workers/ declares it; index.ts only lists and
 * wires them. Attempts and backoff are set where jobs are added (queues.ts, DEFAULTS);
 * a job throws BullMQ's `UnrecoverableError` where retrying cannot help.
 */
export interface JobDefinition<N extends QueueName = QueueName> {
  queue: N;
  process(job: Job<QueuePayloads[N]>, token?: string): Promise<unknown>;
  /** Concurrency, lock settings, backoff strategy, rate limit. */
  worker: Partial<WorkerOptions>;
  /** Once a job has failed for good (out of attempts, or unrecoverable): settle what it leaves. */
  giveUp?(job: Job<QueuePayloads[N]>, error: Error): Promise<unknown>;
  /**
   * Repeats every this many milliseconds: a BullMQ job scheduler (however many processes
   * start it, one run per interval), set up before the worker starts; a run that did
   * nothing is logged at debug, not info.
   */
  every?: number;
  /** Before the worker starts (after its schedule is set up). */
  prepare?(): Promise<void>;
}

/** A failure after which BullMQ does not try the job again. */
export function failedForGood(job: Job | undefined, error: Error): boolean {
  if (job === undefined) return false;
  if (error instanceof UnrecoverableError || error.name === "UnrecoverableError") return true;
  return job.attemptsMade >= (job.opts.attempts ?? 1);
}

/**
 * A payload whose ids are not ids fails the same way every time (PostgreSQL refuses
 * the value): failed at once, without retries.
 */
export function requireUuids<T extends object>(job: Job<T>, ...fields: (keyof T & string)[]): void {
  for (const field of fields) {
    if (!isUuid(job.data[field])) throw new UnrecoverableError(`invalid payload: ${field}`);
  }
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

/** Wraps a processor with one summary log line per job: id, duration, outcome. */
export function logged<T>(
  log: Logger,
  queue: string,
  fn: (job: Job<T>, token?: string) => Promise<unknown>,
  scheduled = false,
) {
  return async (job: Job<T>, token?: string) => {
    const started = performance.now();
    const jobLog = log.child({ queue, jobId: job.id, attempt: job.attemptsMade + 1 });
    const ms = () => Math.round(performance.now() - started);
    try {
      const outcome = await fn(job, token);
      if (scheduled && didNothing(outcome)) jobLog.debug({ ms: ms() }, "job done");
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
