/**
 * A training reminder, delivered as a turn of its own: under the person's
 * lock, the engine's `remind` changes the conversation (so "1" answers the
 * reminder) and writes the message, in one transaction with a unique key.
 * At fire time everything is checked again: still enrolled, training still
 * open and at the time the job was made for, not started, not superseded by
 * a later reminder that is also due, not sent before.
 */

import { cityByCode } from "../domain/cities.ts";
import { outsideQuietHours, type QuietHours } from "../domain/quiet-hours.ts";
import { initialState, remind } from "../engine/engine.ts";
import { isConversationState } from "../engine/state.ts";
import {
  DEFAULT_REMINDER_SETTINGS,
  type ReminderJob,
  reminderKey,
} from "../features/trainings/reminders.ts";
import { toTrainingView } from "./catalog.ts";
import type { RunnerDeps } from "./deps.ts";
import { enqueueOutbox, writeOutbox } from "./outbox.ts";
import { loadPersonView } from "./person-view.ts";
import { saveState } from "./process.ts";
import { render } from "./render.ts";

export type ReminderOutcome =
  | "sent"
  | "stale"
  | "started"
  | "superseded"
  | "already-sent"
  | "unreachable";

/** Reminders for trainings starting later than this wait for the end of quiet hours. */
const QUIET_AFTER_MS = 24 * 3_600_000;

export async function deliverReminder(
  deps: RunnerDeps,
  job: ReminderJob,
  quiet?: QuietHours,
): Promise<ReminderOutcome> {
  const settings = deps.reminders ?? DEFAULT_REMINDER_SETTINGS;
  const now = deps.clock.now();
  const outcome = await deps.prisma.$transaction(
    async (tx) => {
      const enrollment = await tx.enrollment.findUnique({
        where: { id: job.enrollmentId },
        include: { training: true },
      });
      const training = enrollment?.training;
      if (
        !enrollment ||
        !training ||
        enrollment.status !== "enrolled" ||
        training.status !== "open" ||
        training.startsAt.getTime() !== job.startsAt
      )
        return "stale" as const;
      if (now.getTime() >= job.startsAt) return "started" as const;
      // A later reminder is due too (a worker was down): that one is sent, not both.
      const later = settings.offsets.filter((o) => o < job.offsetMinutes);
      if (later.some((o) => now.getTime() >= job.startsAt - o * 60_000))
        return "superseded" as const;

      await tx.$queryRaw`SELECT id FROM "Person" WHERE id = ${enrollment.personId}::uuid FOR UPDATE`;
      const key = reminderKey(job);
      if (await tx.outbox.findUnique({ where: { idempotencyKey: key }, select: { id: true } }))
        return "already-sent" as const;
      const account = await tx.channelAccount.findFirst({
        where: { personId: enrollment.personId, reachable: true },
        orderBy: { createdAt: "desc" },
      });
      if (!account) return "unreachable" as const;
      const { conversation, ...person } = await loadPersonView(tx, enrollment.personId, account.id);
      const saved = conversation?.state;
      const state = isConversationState(saved) ? saved : initialState(now);
      const enrolled = await tx.enrollment.count({
        where: { trainingId: training.id, status: "enrolled" },
      });
      const result = remind(
        state,
        {
          type: "reminder",
          training: toTrainingView(training, enrolled, 0),
          offsetMinutes: job.offsetMinutes,
        },
        { now, person },
      );
      await saveState(tx, enrollment.personId, result.state, conversation?.version);
      const zone = cityByCode(person.profile?.cityCode ?? "")?.timeZone ?? "Asia/Jakarta";
      const notBefore =
        quiet && job.startsAt - now.getTime() > QUIET_AFTER_MS
          ? outsideQuietHours(now, zone, quiet)
          : now;
      const replies = result.effects.flatMap((e) => (e.type === "reply" ? [e.reply] : []));
      return writeOutbox(
        tx,
        replies.map((reply, i) => ({
          personId: enrollment.personId,
          channelAccountId: account.id,
          channel: account.channel,
          kind: "proactive" as const,
          ...(i === 0 ? { idempotencyKey: key } : {}),
          subject: `training:${training.id}`,
          ...(notBefore > now ? { notBefore } : {}),
          payload: render(reply, {
            language: person.language,
            plainLanguage: person.plainLanguage,
            serviceName: deps.serviceName,
          }),
        })),
      );
    },
    { maxWait: 10_000, timeout: 15_000 },
  );
  if (typeof outcome === "string") return outcome;
  await enqueueOutbox({ ...deps, now }, outcome);
  return "sent";
}
