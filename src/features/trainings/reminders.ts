/**
 * Reminder jobs: one BullMQ delayed job per enrolment and offset, with a
 * deterministic id that names the training time it is for. Moving a training
 * removes the old ids and adds new ones; a job that fires anyway finds the
 * time changed and does nothing. Redis can be rebuilt from the database at
 * any time (`reconcileReminders`).
 */
import type { PrismaClient } from "../../db/types.ts";
import type { Queues } from "../../jobs/queues.ts";

export interface ReminderSettings {
  /** Minutes before the start, e.g. [1440, 120]: the day before and 2 hours before. */
  offsets: number[];
}

export const DEFAULT_REMINDER_SETTINGS: ReminderSettings = { offsets: [1440, 120] };

export interface ReminderJob {
  enrollmentId: string;
  offsetMinutes: number;
  /** The training's start this reminder is for (ms since epoch). */
  startsAt: number;
}

export const reminderJobId = (j: ReminderJob) =>
  `rem-${j.enrollmentId}-${j.offsetMinutes}-${j.startsAt}`;

/** The outbox idempotency key of a sent reminder: one per enrolment, offset and start time. */
export const reminderKey = (j: ReminderJob) =>
  `reminder-${j.enrollmentId}-${j.offsetMinutes}-${j.startsAt}`;

export interface Enrolled {
  enrollmentId: string;
  startsAt: Date;
  /** Since when the person has had the seat (enrolment or promotion). */
  since: Date;
}

/**
 * The reminders to queue for an enrolment, with their delays. Reminders whose
 * time had passed before the person had the seat are never sent; with
 * `catchUp`, ones that fell due while no worker ran are queued now (the job
 * still checks that the training has not started).
 */
export function plannedReminders(
  e: Enrolled,
  now: Date,
  settings: ReminderSettings,
  catchUp = false,
): { job: ReminderJob; delay: number }[] {
  if (e.startsAt <= now) return [];
  return settings.offsets.flatMap((offsetMinutes) => {
    const at = e.startsAt.getTime() - offsetMinutes * 60_000;
    if (at <= e.since.getTime()) return [];
    if (at <= now.getTime() && !catchUp) return [];
    const job = { enrollmentId: e.enrollmentId, offsetMinutes, startsAt: e.startsAt.getTime() };
    return [{ job, delay: Math.max(0, at - now.getTime()) }];
  });
}

export async function scheduleReminders(
  queues: Queues,
  enrolled: Enrolled[],
  now: Date,
  settings: ReminderSettings,
  catchUp = false,
): Promise<number> {
  const planned = enrolled.flatMap((e) => plannedReminders(e, now, settings, catchUp));
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

/** Removes the reminder jobs of enrolments for one start time (those already running finish, and find nothing to do). */
export async function unscheduleReminders(
  queues: Queues,
  items: { enrollmentId: string; startsAt: Date }[],
  settings: ReminderSettings,
): Promise<void> {
  const queue = queues.get("reminder");
  for (const item of items) {
    for (const offsetMinutes of settings.offsets) {
      await queue.remove(
        reminderJobId({
          enrollmentId: item.enrollmentId,
          offsetMinutes,
          startsAt: item.startsAt.getTime(),
        }),
      );
    }
  }
}

/** The enrolments' seats and start times, as scheduling needs them. */
export async function loadEnrolled(prisma: PrismaClient, ids: string[]): Promise<Enrolled[]> {
  if (ids.length === 0) return [];
  const rows = await prisma.enrollment.findMany({
    where: { id: { in: ids }, status: "enrolled", training: { status: "open" } },
    include: { training: { select: { startsAt: true } } },
  });
  return rows.map(toEnrolled);
}

function toEnrolled(row: {
  id: string;
  requestedAt: Date;
  promotedAt: Date | null;
  training: { startsAt: Date };
}): Enrolled {
  return {
    enrollmentId: row.id,
    startsAt: row.training.startsAt,
    since: row.promotedAt ?? row.requestedAt,
  };
}

/**
 * Rebuilds every reminder of every upcoming enrolment from the database:
 * missing jobs are added (existing ids are left alone), and reminders that
 * fell due while no worker ran are queued now. Runs at start and on a schedule.
 */
export async function reconcileReminders(
  deps: { prisma: PrismaClient; queues: Queues },
  now: Date,
  settings: ReminderSettings,
): Promise<{ enrolments: number; jobs: number }> {
  let cursor: string | undefined;
  let enrolments = 0;
  let jobs = 0;
  for (;;) {
    const rows = await deps.prisma.enrollment.findMany({
      where: { status: "enrolled", training: { status: "open", startsAt: { gt: now } } },
      include: { training: { select: { startsAt: true } } },
      orderBy: { id: "asc" },
      take: 5000,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    });
    if (rows.length === 0) break;
    enrolments += rows.length;
    jobs += await scheduleReminders(deps.queues, rows.map(toEnrolled), now, settings, true);
    cursor = rows.at(-1)!.id;
  }
  return { enrolments, jobs };
}
