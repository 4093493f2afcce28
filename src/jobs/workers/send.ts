import { DelayedError, type Job } from "bullmq";
import type { ChannelAdapter, OutboundMessage } from "../../channels/types.ts";
import type { PrismaClient } from "../../db/types.ts";
import { type Clock, sleep } from "../../lib/clock.ts";
import { ChannelHold, SendError } from "../../lib/errors.ts";
import type { Logger } from "../../lib/logger.ts";
import type { SendJob } from "../queues.ts";

export interface SendDeps {
  prisma: PrismaClient;
  adapter: ChannelAdapter;
  clock: Clock;
  log: Logger;
}

/** How long a reply waits before checking again whether the one before it was sent. */
const ORDER_WAIT_MS = 50;
/** How long a worker holds a row while sending it; after that another may take it over. */
const CLAIM_MS = 60_000;
/** Replies to the same person a worker sends right after its own, in order. */
const CHAIN_LIMIT = 10;

export type SendOutcome = "sent" | "failed" | "skipped" | "not-pending";

type Row = NonNullable<Awaited<ReturnType<typeof loadRow>>>;

const loadRow = (prisma: PrismaClient, where: { id: string }) =>
  prisma.outbox.findUnique({
    where,
    include: { channelAccount: true, person: { select: { status: true } } },
  });

/**
 * Delivers one outbox row. Every row ends sent, failed (with a reason) or
 * skipped; retryable channel errors are thrown so BullMQ retries with
 * backoff, until the last attempt marks the row failed. Replies to one
 * person go out in the order they were written: a worker that sends one
 * also sends the ones queued right behind it.
 */
export function createSendProcessor(deps: SendDeps) {
  const { prisma } = deps;
  const wait = async (job: Job<SendJob>, token?: string): Promise<never> => {
    await job.moveToDelayed(Date.now() + 4 * ORDER_WAIT_MS, token);
    throw new DelayedError();
  };

  return async (job: Job<SendJob>, token?: string): Promise<SendOutcome> => {
    const row = await loadRow(prisma, { id: job.data.outboxId });
    // Sent, failed or skipped before (a relay re-queue, a retry after a crash): never send twice.
    if (row?.status !== "pending") return "not-pending";
    // Not claimed: an earlier reply to this person is still on its way, or another worker is
    // sending this one (then it is "not-pending" when we look again).
    if (!(await claim(deps, row.id))) {
      await sleep(ORDER_WAIT_MS);
      const again = await loadRow(prisma, { id: row.id });
      if (again?.status !== "pending") return "not-pending";
      if (!(await claim(deps, row.id))) return wait(job, token);
    }

    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    let outcome: SendOutcome;
    try {
      outcome = await deliver(deps, row, lastAttempt);
    } catch (error) {
      if (!(error instanceof ChannelHold)) throw error;
      // The channel cannot send now: wait without spending an attempt, however long it takes.
      await job.moveToDelayed(Date.now() + error.retryAfterMs, token);
      throw new DelayedError();
    }
    let previous = row;
    for (let i = 0; outcome === "sent" && row.kind === "reply" && i < CHAIN_LIMIT; i++) {
      const next = await nextReply(prisma, previous);
      if (!next || !(await claim(deps, next.id))) break;
      try {
        await deliver(deps, next, false);
      } catch {
        break; // Released: its own job retries it.
      }
      previous = next;
    }
    return outcome;
  };
}

async function nextReply(prisma: PrismaClient, after: Row): Promise<Row | null> {
  const next = await prisma.outbox.findFirst({
    where: {
      channelAccountId: after.channelAccountId,
      kind: "reply",
      status: "pending",
      seq: { gt: after.seq },
    },
    orderBy: { seq: "asc" },
    select: { id: true },
  });
  return next ? loadRow(prisma, next) : null;
}

/**
 * Takes a pending row for this worker, atomically: not while another worker
 * holds it, and for a reply not while an earlier reply to the same person is
 * still pending (replies arrive in the order they were written).
 */
async function claim(deps: SendDeps, id: string): Promise<boolean> {
  const now = deps.clock.now();
  const until = new Date(now.getTime() + CLAIM_MS);
  const claimed = await deps.prisma.$executeRaw`
    UPDATE "Outbox" AS o SET "lockedUntil" = ${until}, "attempts" = o."attempts" + 1
    WHERE o."id" = ${id}::uuid AND o."status" = 'pending'
      AND (o."lockedUntil" IS NULL OR o."lockedUntil" < ${now})
      AND (o."kind" <> 'reply' OR NOT EXISTS (
        SELECT 1 FROM "Outbox" AS e
        WHERE e."channelAccountId" = o."channelAccountId" AND e."kind" = 'reply'
          AND e."status" = 'pending' AND e."seq" < o."seq"))`;
  return claimed === 1;
}

async function deliver(deps: SendDeps, row: Row, lastAttempt: boolean): Promise<SendOutcome> {
  const { prisma } = deps;
  const skip =
    skipReason(row.kind, row.person.status, row.channelAccount.reachable) ??
    (await staleSubject(prisma, row.subject, deps.clock.now()));
  if (skip) {
    await prisma.outbox.update({
      where: { id: row.id },
      data: { status: "skipped", reason: skip, lockedUntil: null },
    });
    return "skipped";
  }
  try {
    const result = await deps.adapter.send(
      row.channelAccount.externalId,
      row.payload as unknown as OutboundMessage,
      { key: row.id, proactive: row.kind === "proactive" },
    );
    await prisma.outbox.update({
      where: { id: row.id },
      data: {
        status: "sent",
        sentAt: deps.clock.now(),
        externalId: result.externalId ?? null,
        lockedUntil: null,
      },
    });
    if (row.person.status === "deleted") await forgetAddress(prisma, row.personId);
    return "sent";
  } catch (error) {
    if (error instanceof ChannelHold) {
      // Marked as queued until it is due again, so the relay does not mistake it for lost.
      const due = new Date(deps.clock.now().getTime() + error.retryAfterMs);
      await prisma.outbox.update({
        where: { id: row.id },
        data: { lockedUntil: null, enqueuedAt: due },
      });
      throw error;
    }
    const sendError =
      error instanceof SendError ? error : new SendError("unknown", (error as Error).message, true);
    if (sendError.retryable && !lastAttempt) {
      await prisma.outbox.update({ where: { id: row.id }, data: { lockedUntil: null } });
      throw sendError;
    }
    // One transaction: whoever sees the row failed also sees the account unreachable.
    const markFailed = prisma.outbox.update({
      where: { id: row.id },
      data: {
        status: "failed",
        reason: `${sendError.code}: ${sendError.message}`.slice(0, 500),
        lockedUntil: null,
      },
    });
    if (sendError.code === "blocked") {
      await prisma.$transaction([
        markFailed,
        prisma.channelAccount.update({
          where: { id: row.channelAccountId },
          data: { reachable: false },
        }),
      ]);
    } else {
      await markFailed;
    }
    return "failed";
  }
}

/** Proactive messages are not sent to people who stopped them or cannot be reached. */
function skipReason(kind: string, personStatus: string, reachable: boolean): string | null {
  if (kind !== "proactive") return null;
  if (personStatus === "deleted") return "deleted";
  if (personStatus === "stopped") return "stopped";
  if (personStatus === "unreachable" || !reachable) return "unreachable";
  return null;
}

/**
 * A push held until morning may be out of date by then: a vacancy that was
 * closed, filled or past its deadline is not announced, nor a cancelled broadcast.
 */
async function staleSubject(
  prisma: PrismaClient,
  subject: string | null,
  now: Date,
): Promise<string | null> {
  if (subject?.startsWith("broadcast:")) {
    // Cancel skips what waits; this catches a message a crashed worker held during the cancel.
    const broadcast = await prisma.broadcast.findUnique({
      where: { id: subject.slice("broadcast:".length) },
      select: { status: true },
    });
    return broadcast?.status === "cancelled" ? "cancelled" : null;
  }
  if (!subject?.startsWith("vacancy:")) return null;
  const vacancy = await prisma.vacancy.findUnique({
    where: { id: subject.slice("vacancy:".length) },
    select: { status: true, deadline: true },
  });
  return vacancy?.status === "open" && vacancy.deadline > now ? null : "vacancy_closed";
}

/** Waits as long as the channel asked (429 retry_after), else exponential backoff. */
export function sendBackoff(attemptsMade: number, _type?: string, error?: Error): number {
  if (error instanceof SendError && error.retryAfterMs !== undefined) return error.retryAfterMs;
  const base = 1000 * 2 ** Math.max(0, attemptsMade - 1);
  return Math.min(base, 5 * 60_000) * (0.8 + Math.random() * 0.4);
}

/**
 * After the last message to someone who deleted their data (the goodbye),
 * remove their channel addresses too: only the anonymous person row remains.
 */
export async function forgetAddress(prisma: PrismaClient, personId: string): Promise<void> {
  const pending = await prisma.outbox.count({ where: { personId, status: "pending" } });
  if (pending > 0) return;
  // An address with messages still waiting keeps them answerable: they start a new person.
  const waiting = await prisma.inboundMessage.findMany({
    where: { personId, status: "received" },
    select: { channelAccountId: true },
  });
  await prisma.channelAccount.deleteMany({
    where: {
      personId,
      person: { status: "deleted" },
      id: { notIn: waiting.map((w) => w.channelAccountId) },
    },
  });
}
