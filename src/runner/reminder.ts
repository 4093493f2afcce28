/**
 * A training reminder, delivered to everyone enrolled at once, each as a
 * turn of their own: under the people's locks, the engine's `remind` changes
 * each conversation (so "1" answers the reminder) and writes the message,
 * all in one transaction, one unique outbox key per person. Everything is
 * checked again at fire time: the training still open and at the time the
 * job was made for, not started, not superseded by a later reminder that is
 * also due; per person: still enrolled, had the seat before the reminder was
 * due, not reminded before.
 */
import { cityByCode } from "../domain/cities.ts";
import { outsideQuietHours, type QuietHours } from "../domain/quiet-hours.ts";
import { initialState, remind } from "../engine/engine.ts";
import { isConversationState } from "../engine/state.ts";
import { loadPersonViews } from "../features/seekers/person-view.ts";
import {
  DEFAULT_REMINDER_SETTINGS,
  dueAt,
  type ReminderJob,
  reminderKey,
} from "../features/trainings/reminders.ts";
import { trainingSubject } from "../features/trainings/subject.ts";
import { toTrainingView } from "../features/trainings/view.ts";
import { enqueueOutbox, insertOutboxRows } from "../outbox/outbox.ts";
import { render } from "../outbox/render.ts";
import type { RunnerDeps } from "./deps.ts";

export type ReminderOutcome =
  | { outcome: "stale" | "started" | "superseded" }
  | { outcome: "sent"; sent: number; skipped: number };

/** Reminders for trainings starting later than this wait for the end of quiet hours. */
const QUIET_AFTER_MS = 24 * 3_600_000;

export async function deliverReminders(
  deps: RunnerDeps,
  job: ReminderJob,
  quiet?: QuietHours,
): Promise<ReminderOutcome> {
  const settings = deps.reminders ?? DEFAULT_REMINDER_SETTINGS;
  const now = deps.clock.now();
  const result = await deps.prisma.$transaction(
    async (tx) => {
      const training = await tx.training.findUnique({ where: { id: job.trainingId } });
      if (training?.status !== "open" || training.startsAt.getTime() !== job.startsAt)
        return { outcome: "stale" as const };
      if (now.getTime() >= job.startsAt) return { outcome: "started" as const };
      // A later reminder is due too (a worker was down): that one is sent, not both.
      const later = settings.offsets.filter((o) => o < job.offsetMinutes);
      if (later.some((o) => now.getTime() >= job.startsAt - o * 60_000))
        return { outcome: "superseded" as const };

      const enrolled = await tx.enrollment.findMany({
        where: { trainingId: training.id, status: "enrolled" },
        orderBy: { personId: "asc" },
      });
      // Only people who had their seat before the reminder was due (never a reminder for a
      // time that had passed when they enrolled).
      const due = enrolled.filter((e) => (e.promotedAt ?? e.requestedAt).getTime() < dueAt(job));
      if (due.length === 0) return { outcome: "sent" as const, sent: 0, skipped: 0, refs: [] };
      const personIds = due.map((e) => e.personId);
      // In id order, so two batches never wait for each other in a circle.
      await tx.$queryRaw`SELECT id FROM "Person" WHERE id = ANY(${personIds}::uuid[]) ORDER BY id FOR UPDATE`;
      const people = await loadPersonViews(tx, personIds);
      const view = toTrainingView(training, enrolled.length, 0);
      const rows = [];
      const states = new Map<string, object>();
      for (const enrollment of due) {
        const person = people.get(enrollment.personId);
        const account = person?.address;
        // People who stopped messages are not reminded (and their conversation is left alone).
        if (!person || !account || !person.messagingActive) continue;
        const saved = person.conversation?.state;
        const state = isConversationState(saved) ? saved : initialState(now);
        const turn = remind(
          state,
          { type: "reminder", training: view, offsetMinutes: job.offsetMinutes },
          { now, person },
        );
        const reply = turn.effects.find((e) => e.type === "reply");
        if (reply?.type !== "reply") continue;
        const zone = cityByCode(person.profile?.cityCode ?? "")?.timeZone ?? "Asia/Jakarta";
        const notBefore =
          quiet && job.startsAt - now.getTime() > QUIET_AFTER_MS
            ? outsideQuietHours(now, zone, quiet)
            : null;
        states.set(enrollment.personId, turn.state);
        rows.push({
          personId: enrollment.personId,
          channelAccountId: account.id,
          channel: account.channel,
          idempotencyKey: reminderKey(enrollment.id, job),
          subject: trainingSubject(training.id),
          notBefore: notBefore && notBefore > now ? notBefore : null,
          payload: render(reply.reply, {
            language: person.language,
            plainLanguage: person.plainLanguage,
            serviceName: deps.serviceName,
          }),
        });
      }
      // Rows that exist already were sent by an earlier run: those people's conversations stay.
      const refs = await insertOutboxRows(tx, rows, now);
      const written = new Set(refs.map((r) => r.personId));
      const newStates = [...states].filter(([personId]) => written.has(personId));
      if (newStates.length > 0) {
        await tx.$executeRawUnsafe(
          `INSERT INTO "Conversation" ("personId", state, version, "updatedAt")
           SELECT u.p, u.s::jsonb, 0, now() FROM unnest($1::uuid[], $2::text[]) AS u(p, s)
           ON CONFLICT ("personId") DO UPDATE
             SET state = EXCLUDED.state, version = "Conversation".version + 1, "updatedAt" = now()`,
          newStates.map(([p]) => p),
          newStates.map(([, s]) => JSON.stringify(s)),
        );
      }
      return {
        outcome: "sent" as const,
        sent: refs.length,
        skipped: due.length - refs.length,
        refs,
      };
    },
    { maxWait: 10_000, timeout: 30_000 },
  );
  if (result.outcome !== "sent") return result;
  await enqueueOutbox({ ...deps, now }, result.refs);
  return { outcome: "sent", sent: result.sent, skipped: result.skipped };
}
