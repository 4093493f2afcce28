import type { Queue } from "bullmq";
import type { PrismaClient } from "../../db/types.ts";
import { enqueueFanOut, finishBroadcasts } from "../../features/broadcasts/mutations.ts";
import { forgetAddresses } from "../../features/seekers/forget.ts";
import { closeExpiredVacancies, enqueueVacancyMatch } from "../../features/vacancies/mutations.ts";
import type { Clock } from "../../lib/clock.ts";
import type { Logger } from "../../lib/logger.ts";
import { enqueueOutbox } from "../../outbox/outbox.ts";
import { enqueueApplicationNotice, enqueueHandoffNotice } from "../../runner/process.ts";
import { enqueueInbound } from "../../runner/receive.ts";
import { type QueuePayloads, type Queues, sendQueueName } from "../queues.ts";
import type { JobDefinition } from "./job.ts";

export type RelayPayload = QueuePayloads["relay"];

export interface RelayDeps {
  prisma: PrismaClient;
  queues: Queues;
  clock: Clock;
  log: Logger;
}

export interface RelayOptions {
  /** Rows younger than this are left to the normal path, which is about to queue them. */
  graceMs?: number;
  /** Queued rows still pending after this long are checked against Redis (it may have lost them). */
  staleMs?: number;
  /** At most this many rows per kind per run. */
  batch?: number;
}

export interface RelayResult {
  outbox: number;
  inbound: number;
  /** Channel addresses removed after a data deletion. */
  forgotten: number;
  /** Vacancy matching jobs queued again. */
  matching: number;
  /** Vacancies closed because their deadline passed. */
  expired: number;
  /** Broadcast fan-outs queued again. */
  broadcasts: number;
}

/**
 * The relay as a BullMQ job scheduler: however many processes run it, one relay job runs
 * per interval. No retries: the next run does the same work.
 */
export function relayJob(deps: RelayDeps, intervalMs: number): JobDefinition<"relay"> {
  return {
    queue: "relay",
    worker: { concurrency: 1 },
    every: intervalMs,
    process: () => relayOnce(deps),
  };
}

/**
 * Finds work a crash left in the database but not in the queue (committed
 * between the transaction and the enqueue, or lost by a Redis restart) and
 * queues it again. Job ids make this safe to run at any time.
 */
export async function relayOnce(deps: RelayDeps, opts: RelayOptions = {}): Promise<RelayResult> {
  const { graceMs = 5_000, staleMs = 10 * 60_000, batch = 1000 } = opts;
  const now = deps.clock.now();
  const before = new Date(now.getTime() - graceMs);

  const unqueued = await deps.prisma.outbox.findMany({
    where: { status: "pending", enqueuedAt: null, createdAt: { lt: before } },
    select: { id: true, channel: true, kind: true, notBefore: true, subject: true },
    orderBy: { createdAt: "asc" },
    take: batch,
  });
  const stale = await deps.prisma.outbox.findMany({
    where: {
      status: "pending",
      enqueuedAt: { lt: new Date(now.getTime() - staleMs) },
      // Held until morning (quiet hours) is not lost: it would fill every batch all night.
      OR: [{ notBefore: null }, { notBefore: { lt: new Date(now.getTime() - staleMs) } }],
    },
    select: { id: true, channel: true, kind: true, notBefore: true, subject: true },
    orderBy: { createdAt: "asc" },
    take: batch,
  });
  const lost = [];
  for (const row of stale) {
    if (await jobIsGone(deps.queues.get(sendQueueName(row.channel)), row.id)) lost.push(row);
  }
  await enqueueOutbox({ ...deps, now }, [...unqueued, ...lost]);

  const waiting = await deps.prisma.inboundMessage.findMany({
    where: { status: "received", createdAt: { lt: before } },
    select: { id: true, personId: true },
    orderBy: { seq: "asc" },
    take: batch,
  });
  const inbound = [];
  for (const row of waiting) {
    if (await jobIsGone(deps.queues.get("inbound"), `in-${row.id}`)) inbound.push(row);
  }
  for (const row of inbound) {
    await enqueueInbound(deps, { inboundId: row.id, personId: row.personId });
  }

  // Handoffs whose notice to staff a crash left unqueued.
  const unnoticed = await deps.prisma.handoff.findMany({
    where: { notifiedAt: null, createdAt: { lt: before } },
    select: { id: true },
    take: batch,
  });
  for (const h of unnoticed) await enqueueHandoffNotice(deps, h.id);

  // Applications ("minat") whose notice to staff a crash left unqueued.
  const unnotified = await deps.prisma.application.findMany({
    where: { status: "interested", notifiedAt: null, updatedAt: { lt: before } },
    select: { id: true },
    take: batch,
  });
  for (const a of unnotified) await enqueueApplicationNotice(deps, a.id);

  // Vacancies past their deadline close; published ones whose pushes were never written
  // (the job was lost, or its worker died and the claim expired) are queued again.
  const expired = await closeExpiredVacancies(deps.prisma, now);
  const unpushed = await deps.prisma.vacancy.findMany({
    where: {
      status: "open",
      pushedAt: null,
      publishedAt: { lt: before },
      OR: [{ pushClaim: null }, { pushClaimedAt: { lt: new Date(now.getTime() - staleMs) } }],
    },
    select: { id: true, publishedAt: true },
    take: batch,
  });
  let matching = 0;
  for (const v of unpushed) {
    const jobId = `match-${v.id}-${v.publishedAt!.getTime()}`;
    if (!(await jobIsGone(deps.queues.get("vacancy-match"), jobId))) continue;
    await enqueueVacancyMatch(deps.queues, v.id, v.publishedAt!);
    matching += 1;
  }

  // Broadcasts whose fan-out job was lost (Redis restart) or never queued (crash after commit);
  // and sending broadcasts with every message settled are done.
  const unwritten = await deps.prisma.broadcast.findMany({
    where: {
      status: { in: ["scheduled", "sending"] },
      fannedOutAt: null,
      createdAt: { lt: before },
    },
    select: { id: true, sendAt: true },
    take: batch,
  });
  let broadcasts = 0;
  for (const b of unwritten) {
    if (!(await jobIsGone(deps.queues.get("broadcast"), `broadcast-${b.id}`))) continue;
    await enqueueFanOut(deps.queues, b, now);
    broadcasts += 1;
  }
  await finishBroadcasts(deps.prisma, now);

  // Addresses of people who deleted their data, whose goodbye was sent (or failed) long ago.
  const leftover = await deps.prisma.channelAccount.findMany({
    where: {
      person: { status: "deleted", deletedAt: { lt: new Date(now.getTime() - staleMs) } },
      outbox: { none: { status: "pending" } },
    },
    select: { personId: true },
    distinct: ["personId"],
    take: batch,
  });
  let forgotten = 0;
  for (const { personId } of leftover) {
    forgotten += (await deps.prisma.$transaction((tx) => forgetAddresses(tx, personId))).addresses;
  }

  const result = {
    outbox: unqueued.length + lost.length,
    inbound: inbound.length,
    forgotten,
    matching,
    expired,
    broadcasts,
  };
  if (result.outbox + result.inbound + result.matching + result.broadcasts > 0)
    deps.log.warn(result, "relay re-queued stored work");
  return result;
}

/**
 * True when the row's job will not run again: missing (Redis lost it), or
 * finished (failed for good, or completed while the row stayed pending). A
 * finished job is removed, so adding the same job id again takes effect.
 */
async function jobIsGone(queue: Queue, jobId: string): Promise<boolean> {
  const job = await queue.getJob(jobId);
  if (!job) return true;
  const state = await job.getState();
  if (state !== "failed" && state !== "completed") return false;
  await job.remove();
  return true;
}
