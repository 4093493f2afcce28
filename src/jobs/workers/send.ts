import { DelayedError, type Job, type WorkerOptions } from "bullmq";
import type { Sql } from "../../db/sql.ts";
import type { PrismaClient } from "../../db/types.ts";
import type { ChannelAdapter, OutboundMessage } from "../../domain/messages.ts";
import { forgetAddresses } from "../../features/seekers/forget.ts";
import { type Clock, sleep } from "../../lib/clock.ts";
import { ChannelHold, SendError } from "../../lib/errors.ts";
import type { Logger } from "../../lib/logger.ts";
import { type ClaimedRow, OutboxClaims, releaseRow, settleRow } from "../../outbox/claim.ts";
import type { OutboxRef } from "../../outbox/outbox.ts";
import { type SendJob, type SendQueueName, sendQueueName } from "../queues.ts";
import { isUuid, parseSubject, staleSubject } from "../subject.ts";
import { type JobDefinition, requireUuids } from "./job.ts";

/** One outbox row to deliver; the job id is the row id. */
export type SendPayload = SendJob;

export interface SendChannel {
  adapter: ChannelAdapter;
  /** Messages sent at once by this process. Default 10. */
  concurrency?: number;
  /** Rate limit across all workers of this channel's queue. */
  limiter?: WorkerOptions["limiter"];
}

export interface SendDeps {
  prisma: PrismaClient;
  sql: Sql;
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

/**
 * Delivers one outbox row. Every row ends sent, failed (with a reason) or
 * skipped; retryable channel errors are thrown so BullMQ retries with
 * backoff, until the last attempt marks the row failed. Replies to one
 * person go out in the order they were written: a worker that sends one
 * also sends the ones queued right behind it.
 */
export function createSendProcessor(deps: SendDeps) {
  const wait = async (job: Job<SendJob>, token?: string): Promise<never> => {
    await job.moveToDelayed(Date.now() + 4 * ORDER_WAIT_MS, token);
    throw new DelayedError();
  };
  const claims = new OutboxClaims(deps.sql);
  const claim = (id: string) => claims.claim(id, deps.clock.now(), CLAIM_MS);

  return async (job: Job<SendJob>, token?: string): Promise<SendOutcome> => {
    requireUuids(job, "outboxId");
    let result = await claim(job.data.outboxId);
    // Not claimed but pending: an earlier reply to this person is still on its way, or another
    // worker is sending this one (then it is not pending when we look again).
    if (!result.claimed && result.pending) {
      await sleep(ORDER_WAIT_MS);
      result = await claim(job.data.outboxId);
      if (!result.claimed && result.pending) return wait(job, token);
    }
    // Sent, failed or skipped before (a relay re-queue, a retry after a crash): never send twice.
    if (!result.claimed) return "not-pending";

    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    let first: Delivered;
    try {
      first = await deliver(deps, claims, result.claimed, lastAttempt, CHAIN_LIMIT > 0);
    } catch (error) {
      if (!(error instanceof ChannelHold)) throw error;
      // The channel cannot send now: wait without spending an attempt, however long it takes.
      await job.moveToDelayed(Date.now() + error.retryAfterMs, token);
      throw new DelayedError();
    }
    // The replies queued right behind this one, already claimed by the statement that marked
    // it sent: sent now, in order.
    let next = first.next;
    for (let i = 1; next && i <= CHAIN_LIMIT; i++) {
      try {
        next = (await deliver(deps, claims, next, false, i < CHAIN_LIMIT)).next;
      } catch {
        break; // Released: its own job retries it.
      }
    }
    return first.outcome;
  };
}

/**
 * The send queue of one channel this process delivers for. Retries: 8 attempts, waiting
 * as long as the channel asks (`sendBackoff`); a channel hold waits without spending one.
 * A row still pending after the last attempt is marked failed, so it does not block the
 * replies behind it.
 */
export function sendJob(
  deps: Omit<SendDeps, "adapter">,
  channel: SendChannel,
): JobDefinition<SendQueueName> {
  return {
    queue: sendQueueName(channel.adapter.name),
    process: createSendProcessor({ ...deps, adapter: channel.adapter }),
    worker: {
      concurrency: channel.concurrency ?? 10,
      ...(channel.limiter ? { limiter: channel.limiter } : {}),
      settings: { backoffStrategy: sendBackoff },
    },
    async giveUp(job, error) {
      if (!isUuid(job.data.outboxId)) return;
      await deps.prisma.outbox.updateMany({
        where: { id: job.data.outboxId, status: "pending" },
        data: { status: "failed", reason: `gave up: ${error.name}`, lockedUntil: null },
      });
    },
  };
}

/** Committed outbox rows to send: the ones this process can send now, the rest queued. */
export type Dispatch = (refs: OutboxRef[]) => Promise<void>;

export interface DirectSend {
  dispatch: Dispatch;
  /** Resolves once the sends started so far have ended (or `timeoutMs` has passed). */
  idle(timeoutMs: number): Promise<void>;
}

/**
 * Replies sent by the process that committed them, without a send job (issue 14):
 * a reply due now, on a channel this process sends for, is claimed, sent and marked
 * sent right after its transaction, as its send job would do, in the background.
 * Anything else, and any reply that cannot go now (an earlier reply to the person
 * still on its way, a channel error or hold, more than `maxInFlight` sends under
 * way), goes through the send queue as before: its retries, backoff and holds.
 * A crash between commit and send leaves the row pending and unqueued; the relay
 * queues it (rows claimed here are held as long as a send job would hold them).
 */
export function createDirectSend(
  deps: Omit<SendDeps, "adapter"> & { adapters: ChannelAdapter[] },
  enqueue: Dispatch,
  opts: { maxInFlight?: number } = {},
): DirectSend {
  const maxInFlight = opts.maxInFlight ?? 200;
  const byChannel = new Map(deps.adapters.map((a) => [a.name as string, a]));
  const claims = new OutboxClaims(deps.sql);
  const running = new Set<Promise<void>>();

  const sendNow = async (ref: OutboxRef, adapter: ChannelAdapter): Promise<void> => {
    const result = await claims.claim(ref.id, deps.clock.now(), CLAIM_MS);
    if (!result.claimed) {
      if (result.pending) await enqueue([ref]); // behind an earlier reply: its job waits its turn
      return;
    }
    let row: ClaimedRow | null = result.claimed;
    for (let i = 0; row && i <= CHAIN_LIMIT; i++) {
      const sending: ClaimedRow = row;
      try {
        row = (await deliver({ ...deps, adapter }, claims, sending, false, i < CHAIN_LIMIT)).next;
      } catch (error) {
        // Released by deliver (a hold until its time): the queue sends it, with its retries.
        const until = error instanceof ChannelHold ? error.retryAfterMs : 0;
        await enqueue([
          {
            id: sending.id,
            channel: ref.channel,
            kind: sending.kind,
            notBefore: until > 0 ? new Date(deps.clock.now().getTime() + until) : null,
            subject: sending.subject,
          },
        ]);
        return;
      }
    }
  };

  const start = (ref: OutboxRef, adapter: ChannelAdapter) => {
    const sending: Promise<void> = sendNow(ref, adapter)
      .catch(async (error: Error) => {
        // The database or Redis failed mid-way: the relay finds the row if this enqueue fails too.
        deps.log.warn({ err: error.name, outboxId: ref.id }, "direct send failed; queued");
        await enqueue([ref]).catch(() => {});
      })
      .finally(() => running.delete(sending));
    running.add(sending);
  };

  return {
    async dispatch(refs) {
      const queued: OutboxRef[] = [];
      for (const ref of refs) {
        const adapter = byChannel.get(ref.channel);
        const now = ref.kind === "reply" && !ref.notBefore;
        if (adapter && now && running.size < maxInFlight) start(ref, adapter);
        else queued.push(ref);
      }
      await enqueue(queued);
    },
    async idle(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...running]),
        new Promise((resolve) => {
          timer = setTimeout(resolve, timeoutMs);
        }),
      ]);
      clearTimeout(timer);
    },
  };
}

interface Delivered {
  outcome: Exclude<SendOutcome, "not-pending">;
  /** The next reply to the same address, claimed when this one was marked sent. */
  next: ClaimedRow | null;
}

async function deliver(
  deps: SendDeps,
  claims: OutboxClaims,
  row: ClaimedRow,
  lastAttempt: boolean,
  chain: boolean,
): Promise<Delivered> {
  // A push held until morning may be out of date by then: its subject says what to check.
  const subject = parseSubject(row.subject);
  const skip =
    skipReason(row.kind, row.personStatus, row.reachable) ??
    (subject ? await staleSubject(deps.prisma, subject, deps.clock.now()) : null);
  if (skip) {
    await settleRow(deps.sql, row.id, "skipped", skip);
    return { outcome: "skipped", next: null };
  }
  if (row.subject && !subject) {
    // Not written by this code (every subject it writes parses): it cannot be checked.
    await settleRow(deps.sql, row.id, "failed", "malformed subject");
    return { outcome: "failed", next: null };
  }
  try {
    const result = await deps.adapter.send(row.address, row.payload as OutboundMessage, {
      key: row.id,
      proactive: row.kind === "proactive",
    });
    const next = await claims.markSent(row.id, result.externalId ?? null, deps.clock.now(), {
      claimNext: chain && row.kind === "reply",
      holdMs: CLAIM_MS,
    });
    if (row.personStatus === "deleted") await forgetAddress(deps.prisma, row.personId);
    return { outcome: "sent", next };
  } catch (error) {
    if (error instanceof ChannelHold) {
      // Marked as queued until it is due again, so the relay does not mistake it for lost.
      await releaseRow(deps.sql, row.id, new Date(deps.clock.now().getTime() + error.retryAfterMs));
      throw error;
    }
    const sendError =
      error instanceof SendError ? error : new SendError("unknown", (error as Error).message, true);
    if (sendError.retryable && !lastAttempt) {
      await releaseRow(deps.sql, row.id);
      throw sendError;
    }
    await settleRow(deps.sql, row.id, "failed", `${sendError.code}: ${sendError.message}`, {
      unreachable: sendError.code === "blocked",
    });
    return { outcome: "failed", next: null };
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

/** Waits as long as the channel asked (429 retry_after), else exponential backoff. */
export function sendBackoff(attemptsMade: number, _type?: string, error?: Error): number {
  if (error instanceof SendError && error.retryAfterMs !== undefined) return error.retryAfterMs;
  const base = 1000 * 2 ** Math.max(0, attemptsMade - 1);
  return Math.min(base, 5 * 60_000) * (0.8 + Math.random() * 0.4);
}

/**
 * After the last message to someone who deleted their data (the goodbye),
 * remove their channel addresses and what links to them too
 * (features/seekers/forget.ts): only the anonymous person row remains.
 */
export async function forgetAddress(prisma: PrismaClient, personId: string): Promise<void> {
  const pending = await prisma.outbox.count({ where: { personId, status: "pending" } });
  if (pending > 0) return;
  // An address with messages still waiting keeps them answerable: they start a new person.
  await prisma.$transaction((tx) => forgetAddresses(tx, personId));
}
