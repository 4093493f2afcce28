/**
 * Seats and the waitlist, inside the caller's transaction. The training row
 * is locked while seats are counted, so two people can never take the last
 * seat at once; the earliest request on the waitlist is promoted first.
 */
import type { Tx } from "../../db/types.ts";
import { whenParam } from "../../engine/training-replies.ts";
import type { Channel } from "../../generated/prisma/client.ts";
import type { OutboxRef } from "../../outbox/outbox.ts";
import { writeNotices } from "./notices.ts";
import { trainingSubject } from "./subject.ts";
import { toTrainingView } from "./view.ts";

/** The seats changed since the person was shown them: the turn is run again with fresh data. */
export class SeatsChanged extends Error {
  constructor() {
    super("seats changed while the person was choosing");
  }
}

async function lockTraining(tx: Tx, trainingId: string) {
  await tx.$queryRaw`SELECT id FROM "Training" WHERE id = ${trainingId}::uuid FOR UPDATE`;
  const training = await tx.training.findUniqueOrThrow({ where: { id: trainingId } });
  const enrolled = await tx.enrollment.count({ where: { trainingId, status: "enrolled" } });
  return { training, enrolled };
}

/** A seat if one is free, else a waitlist place; `expect` is what the person was told. */
export async function takeSeat(
  tx: Tx,
  opts: {
    trainingId: string;
    personId: string;
    channel: Channel;
    expect: "enrolled" | "waitlisted";
    now: Date;
  },
): Promise<{ enrollmentId: string; status: "enrolled" | "waitlisted" }> {
  const { training, enrolled } = await lockTraining(tx, opts.trainingId);
  const status = enrolled < training.capacity ? "enrolled" : "waitlisted";
  if (status !== opts.expect || training.status !== "open" || training.startsAt <= opts.now)
    throw new SeatsChanged();
  const row = await tx.enrollment.upsert({
    where: { trainingId_personId: { trainingId: opts.trainingId, personId: opts.personId } },
    create: { trainingId: opts.trainingId, personId: opts.personId, status, channel: opts.channel },
    update: {
      status,
      channel: opts.channel,
      requestedAt: opts.now,
      attendance: null,
      answeredAt: null,
      promotedAt: null,
      cancelledAt: null,
    },
    select: { id: true },
  });
  return { enrollmentId: row.id, status };
}

export interface Released {
  /** Enrolments moved up from the waitlist (they were told: `notices`). */
  promoted: string[];
  notices: OutboxRef[];
}

/** Gives up a seat or waitlist place; a freed seat goes to the next person waiting. */
export async function releaseSeat(
  tx: Tx,
  opts: {
    trainingId: string;
    personId: string;
    now: Date;
    serviceName: string;
    attendance?: "absent";
  },
): Promise<Released> {
  const current = await tx.enrollment.findUnique({
    where: { trainingId_personId: { trainingId: opts.trainingId, personId: opts.personId } },
  });
  if (!current || current.status === "cancelled") return { promoted: [], notices: [] };
  await tx.enrollment.update({
    where: { id: current.id },
    data: {
      status: "cancelled",
      cancelledAt: opts.now,
      ...(opts.attendance ? { attendance: opts.attendance, answeredAt: opts.now } : {}),
    },
  });
  return current.status === "enrolled"
    ? fillSeats(tx, opts.trainingId, opts.now, opts.serviceName)
    : { promoted: [], notices: [] };
}

/** Moves people up from the waitlist while seats are free, and tells each of them. */
export async function fillSeats(
  tx: Tx,
  trainingId: string,
  now: Date,
  serviceName: string,
): Promise<{ promoted: string[]; notices: OutboxRef[] }> {
  const { training, enrolled } = await lockTraining(tx, trainingId);
  if (training.status !== "open" || training.startsAt <= now) return { promoted: [], notices: [] };
  const free = training.capacity - enrolled;
  if (free <= 0) return { promoted: [], notices: [] };
  const next = await tx.enrollment.findMany({
    where: { trainingId, status: "waitlisted" },
    orderBy: [{ requestedAt: "asc" }, { id: "asc" }],
    take: free,
  });
  if (next.length === 0) return { promoted: [], notices: [] };
  await tx.enrollment.updateMany({
    where: { id: { in: next.map((e) => e.id) } },
    data: { status: "enrolled", promotedAt: now },
  });
  const view = toTrainingView(training, enrolled + next.length, 0);
  const notices = await writeNotices(
    tx,
    next.map((e) => ({
      personId: e.personId,
      key: `training-promoted-${e.id}-${now.getTime()}`,
      subject: trainingSubject(trainingId),
      reply: (person) => ({
        key: "training.promoted",
        params: { title: training.title, when: whenParam(view, person), ref: training.ref },
      }),
    })),
    serviceName,
    now,
  );
  return { promoted: next.map((e) => e.id), notices };
}
