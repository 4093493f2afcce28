import type { PrismaClient } from "../../db/types.ts";
import { placeParam, whenParam } from "../../engine/training-replies.ts";
import type { Training } from "../../generated/prisma/client.ts";
import type { Queues } from "../../jobs/queues.ts";
import { enqueueOutbox } from "../../outbox/outbox.ts";
import {
  conflict,
  type Failure,
  givenFields,
  invalid,
  notFound,
  outsideScope,
  type Result,
} from "../results.ts";
import { audit } from "../staff/audit.ts";
import type { StaffPrincipal } from "../staff/tokens.ts";
import { findVisible } from "./data.ts";
import { writeNotices } from "./notices.ts";
import { ensureReminders, type ReminderSettings, unscheduleReminders } from "./reminders.ts";
import type { CreateTraining, PatchTraining } from "./schema.ts";
import { fillSeats } from "./seats.ts";
import { toTrainingView } from "./view.ts";

export interface TrainingDeps {
  prisma: PrismaClient;
  queues: Queues;
  serviceName: string;
  reminders: ReminderSettings;
}

const missing = (id: string) => notFound("training", id);

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
  const denied = outsideScope(who, input.city);
  if (denied) return denied;
  const deadline = input.registrationDeadline ?? input.startsAt;
  const bad = checkTimes(input.startsAt, deadline, now);
  if (bad) return bad;
  const training = await prisma.$transaction(async (tx) => {
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
    await audit(tx, who, "trainings.create", created.id, { city: input.city }, [input.city]);
    return created;
  });
  return { ok: true, training };
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
  const current = await findVisible(deps.prisma, id, who.cities);
  if (!current) return missing(id);
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
  if (moved || patch.registrationDeadline) {
    const bad = checkTimes(startsAt, deadline, now);
    if (bad) return bad;
  }
  const { training, promoted, notices } = await deps.prisma.$transaction(async (tx) => {
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
          subject: `training:${id}`,
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
    await audit(tx, who, "trainings.update", id, { fields: Object.keys(patch), moved }, [
      current.cityCode,
      patch.city ?? current.cityCode,
    ]);
    return {
      training: updated,
      promoted: filled.promoted,
      notices: [...filled.notices, ...movedNotices],
    };
  });
  if (moved) await unscheduleReminders(deps.queues, current, deps.reminders);
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
  const current = await findVisible(deps.prisma, id, who.cities);
  if (!current) return missing(id);
  if (current.status === "cancelled") return conflict("The training is already cancelled");
  const { training, notices } = await deps.prisma.$transaction(async (tx) => {
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
        subject: `training:${id}`,
        reply: (person) => ({
          key: "training.cancelled",
          params: { title: updated.title, when: whenParam(view, person) },
        }),
      })),
      deps.serviceName,
      now,
    );
    await audit(tx, who, "trainings.cancel", id, { told: written.length }, [current.cityCode]);
    return { training: updated, notices: written };
  });
  await unscheduleReminders(deps.queues, current, deps.reminders);
  await enqueueOutbox({ ...deps, now }, notices);
  return { ok: true, training, told: notices.length };
}
