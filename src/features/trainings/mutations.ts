import type { PrismaClient } from "../../db/types.ts";
import type { Enqueue } from "../../domain/queues.ts";
import { placeParam, whenParam } from "../../engine/training-replies.ts";
import type { Training } from "../../generated/prisma/client.ts";
import { enqueueOutbox } from "../../outbox/outbox.ts";
import { auditedChange, createdEntry } from "../audited-change.ts";
import {
  conflict,
  type Failure,
  givenFields,
  invalid,
  outsideScope,
  type Result,
} from "../results.ts";
import type { StaffPrincipal } from "../staff/tokens.ts";
import { findVisible } from "./data.ts";
import { writeNotices } from "./notices.ts";
import { ensureReminders, type ReminderSettings, unscheduleReminders } from "./reminders.ts";
import type { CreateTraining, PatchTraining } from "./schema.ts";
import { fillSeats } from "./seats.ts";
import { trainingSubject } from "./subject.ts";
import { toTrainingView } from "./view.ts";

export interface TrainingDeps {
  prisma: PrismaClient;
  queues: Enqueue;
  serviceName: string;
  reminders: ReminderSettings;
}

/** The training acted on, as the caller may see it (404 when not). */
const visible = (id: string) => ({ what: "training", id, find: findVisible });

function checkTimes(startsAt: Date, deadline: Date, now: Date): Failure | undefined {
  if (startsAt <= now) return invalid("startsAt", "must be in the future");
  if (deadline > startsAt) return invalid("registrationDeadline", "must not be after startsAt");
  return undefined;
}

export async function createTraining(
  prisma: PrismaClient,
  input: CreateTraining,
  who: StaffPrincipal,
  now: Date,
): Promise<Result<{ training: Training }>> {
  const deadline = input.registrationDeadline ?? input.startsAt;
  const done = await auditedChange(prisma, who, {
    check: () => outsideScope(who, input.city) ?? checkTimes(input.startsAt, deadline, now) ?? {},
    write: async (tx) => {
      const created = await tx.training.create({
        data: {
          title: input.title,
          organizer: input.organizer,
          cityCode: input.city,
          online: input.online,
          venue: input.venue,
          startsAt: input.startsAt,
          durationMinutes: input.durationMinutes,
          capacity: input.capacity,
          registrationDeadline: deadline,
          accommodations: input.accommodations,
          description: input.description,
          createdBy: who.actor,
        },
      });
      return { out: created, audit: createdEntry("trainings.create", created.id, input.city) };
    },
  });
  if (!done.ok) return done;
  return { ok: true, training: done.out };
}

/**
 * Changes a training. A new start time moves every reminder and tells
 * everyone enrolled or waiting; more seats move people up from the waitlist.
 */
export async function updateTraining(
  deps: TrainingDeps,
  id: string,
  patch: PatchTraining,
  who: StaffPrincipal,
  now: Date,
): Promise<Result<{ training: Training }>> {
  const done = await auditedChange(deps.prisma, who, {
    load: visible(id),
    check: (current) => {
      if (current.status === "cancelled") return conflict("The training is cancelled");
      const denied = outsideScope(who, patch.city ?? current.cityCode);
      if (denied) return denied;
      const startsAt = patch.startsAt ?? current.startsAt;
      const moved = startsAt.getTime() !== current.startsAt.getTime();
      const deadline =
        patch.registrationDeadline ??
        (moved && current.registrationDeadline >= current.startsAt
          ? startsAt
          : current.registrationDeadline);
      const bad =
        moved || patch.registrationDeadline ? checkTimes(startsAt, deadline, now) : undefined;
      return bad ?? { startsAt, moved, deadline };
    },
    write: async (tx, { startsAt, moved, deadline }, current) => {
      const updated = await tx.training.update({
        where: { id },
        data: {
          ...givenFields({
            ...patch,
            city: undefined,
            startsAt: undefined,
            registrationDeadline: undefined,
          }),
          ...(patch.city !== undefined ? { cityCode: patch.city } : {}),
          startsAt,
          registrationDeadline: deadline,
        },
      });
      const filled = await fillSeats(tx, id, now, deps.serviceName);
      const people = moved
        ? await tx.enrollment.findMany({
            where: { trainingId: id, status: { in: ["enrolled", "waitlisted"] } },
            select: { id: true, personId: true },
          })
        : [];
      const view = toTrainingView(updated, 0, 0);
      const movedNotices = await writeNotices(
        tx,
        people
          .filter((p) => !filled.promoted.includes(p.id))
          .map((p) => ({
            personId: p.personId,
            key: `training-moved-${p.id}-${startsAt.getTime()}`,
            subject: trainingSubject(id),
            reply: (person) => ({
              key: "training.moved",
              params: {
                title: updated.title,
                when: whenParam(view, person),
                place: placeParam(view),
                ref: updated.ref,
              },
            }),
          })),
        deps.serviceName,
        now,
      );
      const details = { fields: Object.keys(patch), moved };
      const cities = [current.cityCode, patch.city ?? current.cityCode];
      return {
        out: {
          training: updated,
          promoted: filled.promoted,
          notices: [...filled.notices, ...movedNotices],
        },
        audit: { action: "trainings.update", target: id, details, cities },
      };
    },
  });
  if (!done.ok) return done;
  const { current, plan, out } = done;
  const { training, promoted, notices } = out;
  if (plan.moved) await unscheduleReminders(deps.queues, current, deps.reminders);
  const anyone = await deps.prisma.enrollment.count({
    where: { trainingId: id, status: "enrolled" },
  });
  if (anyone > 0 || promoted.length > 0) await ensureReminders(deps, [id], now, deps.reminders);
  await enqueueOutbox({ ...deps, now }, notices);
  return { ok: true, training };
}

/** Cancels a training: everyone enrolled or waiting is told, and the reminders go. */
export async function cancelTraining(
  deps: TrainingDeps,
  id: string,
  who: StaffPrincipal,
  now: Date,
): Promise<Result<{ training: Training; told: number }>> {
  const done = await auditedChange(deps.prisma, who, {
    load: visible(id),
    check: (current) =>
      current.status === "cancelled" ? conflict("The training is already cancelled") : {},
    write: async (tx, _plan, current) => {
      const updated = await tx.training.update({
        where: { id },
        data: { status: "cancelled", cancelledAt: now },
      });
      const people = await tx.enrollment.findMany({
        where: { trainingId: id, status: { in: ["enrolled", "waitlisted"] } },
        select: { id: true, personId: true, status: true },
      });
      const view = toTrainingView(updated, 0, 0);
      const written = await writeNotices(
        tx,
        people.map((p) => ({
          personId: p.personId,
          key: `training-cancelled-${p.id}`,
          subject: trainingSubject(id),
          reply: (person) => ({
            key: "training.cancelled",
            params: { title: updated.title, when: whenParam(view, person) },
          }),
        })),
        deps.serviceName,
        now,
      );
      const details = { told: written.length };
      const entry = { action: "trainings.cancel", target: id, details, cities: [current.cityCode] };
      return { out: { training: updated, notices: written }, audit: entry };
    },
  });
  if (!done.ok) return done;
  const { training, notices } = done.out;
  await unscheduleReminders(deps.queues, done.current, deps.reminders);
  await enqueueOutbox({ ...deps, now }, notices);
  return { ok: true, training, told: notices.length };
}
