import { DelayedError, type Job } from "bullmq";
import type { ChannelAdapter, OutboundMessage } from "../../channels/types.ts";
import type { PrismaClient } from "../../db/types.ts";
import type { Clock } from "../../lib/clock.ts";
import { SendError } from "../../lib/errors.ts";
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

export type SendOutcome = "sent" | "failed" | "skipped" | "not-pending";

/**
 * Delivers one outbox row. Every row ends sent, failed (with a reason) or
 * skipped; retryable channel errors are thrown so BullMQ retries with
 * backoff, until the last attempt marks the row failed.
 */
export function createSendProcessor(deps: SendDeps) {
  return async (job: Job<SendJob>, token?: string): Promise<SendOutcome> => {
    const { prisma } = deps;
    const row = await prisma.outbox.findUnique({
      where: { id: job.data.outboxId },
      include: { channelAccount: true, person: { select: { status: true } } },
    });
    // Sent, failed or skipped before (a relay re-queue, a retry after a crash): never send twice.
    if (row?.status !== "pending") return "not-pending";

    // Replies to one person arrive in the order they were written: wait while an earlier one is
    // still on its way. (Proactive messages do not wait, and replies never wait for them.)
    if (row.kind === "reply") {
      const earlier = await prisma.outbox.count({
        where: {
          channelAccountId: row.channelAccountId,
          kind: "reply",
          status: "pending",
          seq: { lt: row.seq },
        },
      });
      if (earlier > 0) {
        await job.moveToDelayed(Date.now() + ORDER_WAIT_MS, token);
        throw new DelayedError();
      }
    }

    const skip = skipReason(row.kind, row.person.status, row.channelAccount.reachable);
    if (skip) {
      await prisma.outbox.update({
        where: { id: row.id },
        data: { status: "skipped", reason: skip },
      });
      return "skipped";
    }

    await prisma.outbox.update({ where: { id: row.id }, data: { attempts: { increment: 1 } } });
    try {
      const result = await deps.adapter.send(
        row.channelAccount.externalId,
        row.payload as unknown as OutboundMessage,
      );
      await prisma.outbox.update({
        where: { id: row.id },
        data: { status: "sent", sentAt: deps.clock.now(), externalId: result.externalId ?? null },
      });
      if (row.person.status === "deleted") await forgetAddress(prisma, row.personId);
      return "sent";
    } catch (error) {
      const sendError =
        error instanceof SendError
          ? error
          : new SendError("unknown", (error as Error).message, true);
      const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (sendError.retryable && !lastAttempt) throw sendError;
      await prisma.outbox.update({
        where: { id: row.id },
        data: { status: "failed", reason: `${sendError.code}: ${sendError.message}`.slice(0, 500) },
      });
      if (sendError.code === "blocked") {
        await prisma.channelAccount.update({
          where: { id: row.channelAccountId },
          data: { reachable: false },
        });
      }
      return "failed";
    }
  };
}

/** Proactive messages are not sent to people who stopped them or cannot be reached. */
function skipReason(kind: string, personStatus: string, reachable: boolean): string | null {
  if (kind !== "proactive") return null;
  if (personStatus === "deleted") return "deleted";
  if (personStatus === "stopped") return "stopped";
  if (personStatus === "unreachable" || !reachable) return "unreachable";
  return null;
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
  if (pending === 0) {
    await prisma.channelAccount.deleteMany({ where: { personId, person: { status: "deleted" } } });
  }
}
