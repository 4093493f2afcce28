import type { Sql } from "../db/sql.ts";
import type { PrismaClient } from "../db/types.ts";
import type { Enqueue } from "../domain/queues.ts";
import type { QuietHours } from "../domain/quiet-hours.ts";
import type { ReminderSettings } from "../features/trainings/reminders.ts";
import type { Clock } from "../lib/clock.ts";
import type { Logger } from "../lib/logger.ts";
import { enqueueOutbox, type OutboxRef } from "../outbox/outbox.ts";

/**
 * What the runner needs from the outside world. `Q` is what its queues are: the
 * Enqueue port for the runner and features; the workers (jobs/) know them as BullMQ queues.
 */
export interface RunnerDeps<Q extends Enqueue = Enqueue> {
  prisma: PrismaClient;
  /** Plain SQL on the same database, for the message path. */
  sql: Sql;
  queues: Q;
  clock: Clock;
  log: Logger;
  /** Filled into messages as the name of the job center. */
  serviceName: string;
  /** When training reminders are sent. Default: the day before and 2 hours before. */
  reminders?: ReminderSettings;
  /** When proactive messages wait for the morning (QUIET_HOURS); staff told in chat. Default 21:00-07:00. */
  quietHours?: QuietHours;
  /**
   * What happens to committed replies; default: queued for the send workers. A worker set
   * sends the ones it can at once (jobs/workers/send.ts, createDirectSend).
   */
  dispatch?: (refs: OutboxRef[]) => Promise<void>;
}

/** Sends or queues committed outbox rows, as the deps say (see `dispatch`). */
export function dispatchOutbox(deps: RunnerDeps, refs: OutboxRef[]): Promise<void> {
  return deps.dispatch
    ? deps.dispatch(refs)
    : enqueueOutbox({ ...deps, now: deps.clock.now() }, refs);
}
