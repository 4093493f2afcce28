import {
  DEFAULT_REMINDER_SETTINGS,
  reconcileReminders,
} from "../../features/trainings/reminders.ts";
import type { RunnerDeps } from "../../runner/deps.ts";
import type { QueuePayloads, Queues } from "../queues.ts";
import type { JobDefinition } from "./job.ts";

export type ReminderReconcilePayload = QueuePayloads["reminder-reconcile"];

/** How often the reminder jobs are rebuilt from the database. */
const EVERY_MS = 10 * 60_000;

/**
 * Rebuilds the reminder jobs from the database: at start (Redis may have lost delayed
 * jobs) and every 10 minutes. No retries: the next run does the same work.
 */
export function reminderReconcileJob(
  deps: RunnerDeps<Queues>,
): JobDefinition<"reminder-reconcile"> {
  const settings = deps.reminders ?? DEFAULT_REMINDER_SETTINGS;
  return {
    queue: "reminder-reconcile",
    worker: { concurrency: 1 },
    every: EVERY_MS,
    // Rebuilt at start too, not only after the first interval.
    async prepare() {
      await deps.queues.get("reminder-reconcile").add("reminder-reconcile", {});
    },
    process: () => reconcileReminders(deps, deps.clock.now(), settings),
  };
}
