import type { PrismaClient } from "../../db/types.ts";
import { checkMessage } from "../../domain/accessibility.ts";
import type { Enqueue } from "../../domain/queues.ts";
import {
  DEFAULT_QUIET_HOURS,
  type Held,
  heldMessages,
  type QuietHours,
} from "../../domain/quiet-hours.ts";
import type { Broadcast } from "../../generated/prisma/client.ts";
import { conflict, invalid, notFound, outsideScope, type Result } from "../results.ts";
import { audit } from "../staff/audit.ts";
import type { StaffPrincipal } from "../staff/tokens.ts";
import { findVisible as findTraining } from "../trainings/data.ts";
import { findVisible as findVacancy } from "../vacancies/data.ts";
import { findVisible } from "./data.ts";
import type { CreateBroadcast, Segment } from "./schema.ts";
import { countSegment, countSegmentByZone, type SegmentCount } from "./segment.ts";
import { BROADCAST_SUBJECT_PREFIX, broadcastSubject } from "./subject.ts";

export interface BroadcastDeps {
  prisma: PrismaClient;
  queues: Enqueue;
  /** When announcements wait for the morning (default 21:00-07:00): staff are told how many. */
  quietHours?: QuietHours;
}

/** How far ahead a broadcast may be scheduled. */
const MAX_AHEAD_MS = 90 * 86_400_000;
/** A sendAt this far in the past is a mistake, not "now" (clocks and forms are a little late). */
const PAST_SLACK_MS = 5 * 60_000;

/** A finding of the message accessibility check, for staff to fix or accept. */
export interface MessageWarning {
  field: "message.id" | "message.en";
  rule: string;
  detail: string;
}

export function messageWarnings(message: CreateBroadcast["message"]): MessageWarning[] {
  const check = (field: MessageWarning["field"], text: string | undefined) =>
    text ? checkMessage(text).map((v) => ({ field, rule: v.rule, detail: v.detail })) : [];
  return [...check("message.id", message.id), ...check("message.en", message.en)];
}

/**
 * The segment as the caller may use it: cities only theirs, and a training
 * or vacancy they can see.
 */
async function checkSegment(
  prisma: PrismaClient,
  segment: Segment,
  who: StaffPrincipal,
): Promise<Result<object>> {
  for (const city of segment.cities ?? []) {
    const denied = outsideScope(who, city);
    if (denied) return denied;
  }
  if (segment.trainingId && !(await findTraining(prisma, segment.trainingId, who.cities)))
    return invalid("segment.trainingId", `no training ${segment.trainingId}`);
  if (segment.vacancyId && !(await findVacancy(prisma, segment.vacancyId, who.cities)))
    return invalid("segment.vacancyId", `no vacancy ${segment.vacancyId}`);
  return { ok: true };
}

export async function previewBroadcast(
  prisma: PrismaClient,
  segment: Segment,
  who: StaffPrincipal,
): Promise<Result<SegmentCount>> {
  const checked = await checkSegment(prisma, segment, who);
  if (!checked.ok) return checked;
  return { ok: true, ...(await countSegment(prisma, segment, who.cities)) };
}

/** The fan-out job of a broadcast: its id is the broadcast's, so it is queued once. */
export async function enqueueFanOut(
  queues: Enqueue,
  b: Pick<Broadcast, "id" | "sendAt">,
  now: Date,
) {
  await queues
    .get("broadcast")
    .add(
      "fan-out",
      { broadcastId: b.id },
      { jobId: `broadcast-${b.id}`, delay: Math.max(0, b.sendAt.getTime() - now.getTime()) },
    );
}

/**
 * Stores a broadcast (to send now or at `sendAt`) and queues its fan-out.
 * The creator's cities become its scope: it never reaches beyond them.
 */
export async function createBroadcast(
  deps: BroadcastDeps,
  body: CreateBroadcast,
  who: StaffPrincipal,
  now: Date,
): Promise<
  Result<{ broadcast: Broadcast; warnings: MessageWarning[]; count: number; held: Held }>
> {
  const checked = await checkSegment(deps.prisma, body.segment, who);
  if (!checked.ok) return checked;
  const sendAt = body.sendAt ? new Date(body.sendAt) : now;
  if (sendAt.getTime() - now.getTime() > MAX_AHEAD_MS)
    return invalid("sendAt", "at most 90 days ahead");
  // A mistyped year must not send to everyone at once: "now" is leaving sendAt out.
  if (now.getTime() - sendAt.getTime() > PAST_SLACK_MS)
    return invalid("sendAt", "is in the past; leave it out to send now");
  const later = sendAt > now;
  const broadcast = await deps.prisma.$transaction(async (tx) => {
    const created = await tx.broadcast.create({
      data: {
        messageId: body.message.id,
        messageEn: body.message.en ?? null,
        segment: body.segment,
        scope: who.cities,
        status: later ? "scheduled" : "sending",
        sendAt: later ? sendAt : now,
        startedAt: later ? null : now,
        createdBy: who.actor,
      },
    });
    await audit(tx, who, "broadcasts.create", created.id, {
      segment: body.segment,
      sendAt: created.sendAt.toISOString(),
    });
    return created;
  });
  // Stored is sent: if queueing fails (or we crash first), the relay queues the fan-out, so the
  // caller must not be told to try again (that would make a second broadcast).
  await enqueueFanOut(deps.queues, broadcast, now).catch(() => undefined);
  const { count } = await countSegment(deps.prisma, body.segment, who.cities);
  // Sent at night (now or at sendAt): the messages wait for the morning in each person's zone.
  const byZone = await countSegmentByZone(deps.prisma, body.segment, who.cities);
  const held = heldMessages(byZone, broadcast.sendAt, deps.quietHours ?? DEFAULT_QUIET_HOURS);
  return { ok: true, broadcast, warnings: messageWarnings(body.message), count, held };
}

/**
 * Stops a scheduled or sending broadcast: no more recipients are written and
 * messages not yet sent are skipped ("cancelled"). Messages already sent stay sent.
 */
export async function cancelBroadcast(
  deps: BroadcastDeps,
  id: string,
  who: StaffPrincipal,
  now: Date,
): Promise<Result<{ broadcast: Broadcast; unsent: number }>> {
  const current = await findVisible(deps.prisma, id, who.cities);
  if (!current) return notFound("broadcast", id);
  const outcome = await deps.prisma.$transaction(async (tx) => {
    // The fan-out writes each chunk under this row's lock, so none is written after this.
    // A failed broadcast may still have messages waiting (held until morning): those stop too.
    const { count } = await tx.broadcast.updateMany({
      where: { id, status: { in: ["scheduled", "sending", "failed"] } },
      data: { status: "cancelled", finishedAt: now, reason: "cancelled by staff" },
    });
    if (count === 0) return null;
    // Messages a worker is handing to the channel right now are left to it (they end sent).
    const unsent = await tx.outbox.updateMany({
      where: {
        subject: broadcastSubject(id),
        status: "pending",
        OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }],
      },
      data: { status: "skipped", reason: "cancelled" },
    });
    await audit(tx, who, "broadcasts.cancel", id, { unsent: unsent.count });
    return unsent.count;
  });
  if (outcome === null) return conflict(`The broadcast is already ${current.status}`);
  await deps.queues
    .get("broadcast")
    .remove(`broadcast-${id}`)
    .catch(() => 0); // Running now: it stops at its next chunk.
  const broadcast = await deps.prisma.broadcast.findUniqueOrThrow({ where: { id } });
  return { ok: true, broadcast, unsent: outcome };
}

/**
 * A sending broadcast whose recipients are all written and none waits any
 * more is done. Safe to call any time, by anyone.
 */
export async function finishBroadcasts(
  prisma: PrismaClient,
  now: Date,
  id?: string,
): Promise<number> {
  return prisma.$executeRawUnsafe(
    `UPDATE "Broadcast" b SET status = 'done', "finishedAt" = ($1::timestamptz AT TIME ZONE 'UTC')
     WHERE b.status = 'sending' AND b."fannedOutAt" IS NOT NULL ${id ? "AND b.id = $2::uuid" : ""}
       AND NOT EXISTS (SELECT 1 FROM "Outbox" o
                       WHERE o.subject = '${BROADCAST_SUBJECT_PREFIX}' || b.id::text AND o.status = 'pending')`,
    now.toISOString(),
    ...(id ? [id] : []),
  );
}

/** The fan-out gave up: what was written is still sent, the rest never will be. */
export async function failBroadcast(prisma: PrismaClient, id: string, reason: string, now: Date) {
  await prisma.broadcast.updateMany({
    where: { id, status: { in: ["scheduled", "sending"] } },
    data: { status: "failed", finishedAt: now, reason: reason.slice(0, 500) },
  });
}
