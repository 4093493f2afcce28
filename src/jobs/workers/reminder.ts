import { UnrecoverableError } from "bullmq";
import type { QuietHours } from "../../domain/quiet-hours.ts";
import type { RunnerDeps } from "../../runner/deps.ts";
import { deliverReminders } from "../../runner/reminder.ts";
import type { QueuePayloads, Queues } from "../queues.ts";
import { type JobDefinition, requireUuids } from "./job.ts";

export type ReminderPayload = QueuePayloads["reminder"];

/**
 * A training's reminder to everyone enrolled (delayed until due; everything is checked
 * again when it fires). Retries: 8 attempts (queues.ts); a reminder given up is not
 * settled here: the reconcile job rebuilds what is still due.
 */
export function reminderJob(
  deps: RunnerDeps<Queues>,
  quiet: QuietHours,
): JobDefinition<"reminder"> {
  return {
    queue: "reminder",
    worker: { concurrency: 16 },
    process(job) {
      requireUuids(job, "trainingId");
      if (!Number.isFinite(job.data.offsetMinutes) || !Number.isFinite(job.data.startsAt))
        throw new UnrecoverableError("invalid payload: offsetMinutes, startsAt");
      return deliverReminders(deps, job.data, quiet);
    },
  };
}
