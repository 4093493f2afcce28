/**
 * Reminder jobs: one BullMQ delayed job per training and offset, with a
 * deterministic id that names the start time it is for. At its time it
 * reminds everyone enrolled then, in one batch. Moving a training removes
 * the old ids and adds new ones; a job that fires anyway finds the time
 * changed and does nothing. Redis can be rebuilt from the database at any
 * time (`reconcileReminders`).
 */
import type { PrismaClient } from "../../db/types.ts";
import type { Enqueue } from "../../domain/queues.ts";

export interface ReminderSettings {
  /** Minutes before the start, e.g. [1440, 120]: the day before and 2 hours before. */
  offsets: number[];
}

export const DEFAULT_REMINDER_SETTINGS: ReminderSettings = { offsets: [1440, 120] };

export interface ReminderJob {
  trainingId: string;
  offsetMinutes: number;
  /** The training's start this reminder is for (ms since epoch). */
  startsAt: number;
}

export const reminderJobId = (j: ReminderJob) =>
  `rem-${j.trainingId}-${j.offsetMinutes}-${j.startsAt}`;

/** The outbox idempotency key of one person's reminder: per enrolment, offset and start time. */
export const reminderKey = (enrollmentId: string, j: ReminderJob) =>
  `reminder-${enrollmentId}-${j.offsetMinutes}-${j.startsAt}`;

/** When a reminder is due. */
export const dueAt = (j: ReminderJob) => j.startsAt - j.offsetMinutes * 60_000;

/**
 * The reminder jobs of a training, with their delays. Ones whose time has
 * passed are left out, unless `catchUp` (after downtime: they are queued now,
 * and the job still checks that the training has not started).
 */
export function plannedReminders(
  training: { id: string; startsAt: Date },
  now: Date,
  settings: ReminderSettings,
  catchUp = false,
): { job: ReminderJob; delay: number }[] {
  if (training.startsAt <= now) return [];
  return settings.offsets.flatMap((offsetMinutes) => {
    const job = { trainingId: training.id, offsetMinutes, startsAt: training.startsAt.getTime() };
    const at = dueAt(job);
    if (at <= now.getTime() && !catchUp) return [];
    return [{ job, delay: Math.max(0, at - now.getTime()) }];
  });
}

/** Adds the trainings' reminder jobs; ids that exist already are left as they are. */
export async function scheduleReminders(
  queues: Enqueue,
  trainings: { id: string; startsAt: Date }[],
  now: Date,
  settings: ReminderSettings,
  catchUp = false,
): Promise<number> {
  const planned = trainings.flatMap((t) => plannedReminders(t, now, settings, catchUp));
  for (let i = 0; i < planned.length; i += 1000) {
    await queues.get("reminder").addBulk(
      planned.slice(i, i + 1000).map(({ job, delay }) => ({
        name: "reminder",
        data: job,
        opts: { jobId: reminderJobId(job), delay },
      })),
    );
  }
  return planned.length;
}

/** Removes a training's reminder jobs for one start time (a running one finishes, and finds nothing to do). */
export async function unscheduleReminders(
  queues: Enqueue,
  training: { id: string; startsAt: Date },
  settings: ReminderSettings,
): Promise<void> {
  const queue = queues.get("reminder");
  for (const offsetMinutes of settings.offsets) {
    await queue.remove(
      reminderJobId({
        trainingId: training.id,
        offsetMinutes,
        startsAt: training.startsAt.getTime(),
      }),
    );
  }
}

/** Makes sure the reminder jobs of these trainings exist (after someone took a seat). */
export async function ensureReminders(
  deps: { prisma: PrismaClient; queues: Enqueue },
  trainingIds: string[],
  now: Date,
  settings: ReminderSettings,
): Promise<void> {
  if (trainingIds.length === 0) return;
  const trainings = await deps.prisma.training.findMany({
    where: { id: { in: [...new Set(trainingIds)] }, status: "open" },
    select: { id: true, startsAt: true },
  });
  await scheduleReminders(deps.queues, trainings, now, settings);
}

/**
 * Rebuilds the reminder jobs of every upcoming training with someone
 * enrolled: missing jobs are added (existing ids are left alone), and
 * reminders that fell due while no worker ran are queued now. Runs at start
 * and on a schedule.
 */
export async function reconcileReminders(
  deps: { prisma: PrismaClient; queues: Enqueue },
  now: Date,
  settings: ReminderSettings,
): Promise<{ trainings: number; jobs: number }> {
  const trainings = await deps.prisma.training.findMany({
    where: {
      status: "open",
      startsAt: { gt: now },
      enrollments: { some: { status: "enrolled" } },
    },
    select: { id: true, startsAt: true },
  });
  const jobs = await scheduleReminders(deps.queues, trainings, now, settings, true);
  return { trainings: trainings.length, jobs };
}
