import type { PrismaClient, Tx } from "../db/types.ts";
import type { OutboundMessage } from "../domain/messages.ts";
import { type Enqueue, sendPriority, sendQueueName } from "../domain/queues.ts";
import type { Channel, OutboxKind } from "../generated/prisma/client.ts";

export interface OutboxRef {
  id: string;
  channel: Channel;
  kind: OutboxKind;
  notBefore?: Date | null;
  subject?: string | null;
}

export interface NewOutboxRow {
  personId: string;
  channelAccountId: string;
  channel: Channel;
  kind: OutboxKind;
  payload: OutboundMessage;
  idempotencyKey?: string;
  notBefore?: Date;
  inboundId?: string;
  /** What a proactive message is about, e.g. `vacancy:<id>` (checked again before sending). */
  subject?: string;
}

/** Writes outbox rows inside the caller's transaction; they are queued after commit. */
export async function writeOutbox(tx: Tx, rows: NewOutboxRow[]): Promise<OutboxRef[]> {
  const refs: OutboxRef[] = [];
  for (const row of rows) {
    const created = await tx.outbox.create({
      data: {
        personId: row.personId,
        channelAccountId: row.channelAccountId,
        channel: row.channel,
        kind: row.kind,
        payload: row.payload as object,
        idempotencyKey: row.idempotencyKey ?? null,
        inboundId: row.inboundId ?? null,
        notBefore: row.notBefore ?? null,
        subject: row.subject ?? null,
      },
      select: { id: true, channel: true, kind: true, notBefore: true, subject: true },
    });
    refs.push(created);
  }
  return refs;
}

/** A proactive row for `insertOutboxRows`. */
export interface BulkOutboxRow {
  personId: string;
  channelAccountId: string;
  channel: Channel;
  idempotencyKey: string;
  payload: OutboundMessage;
  notBefore: Date | null;
  subject: string | null;
  /** A recipient the message is not for (stopped, unreachable): recorded as skipped, never queued. */
  skipped?: string;
}

/**
 * Writes many proactive rows with one multi-row statement (Prisma's
 * createMany is about 11× slower), skipping keys that exist already; returns
 * the pending rows written (the ones to queue).
 */
export async function insertOutboxRows(
  tx: Tx | PrismaClient,
  rows: BulkOutboxRow[],
  now: Date,
): Promise<(OutboxRef & { personId: string })[]> {
  if (rows.length === 0) return [];
  const column = <T>(f: (r: BulkOutboxRow) => T) => rows.map(f);
  const written = await tx.$queryRawUnsafe<
    {
      id: string;
      personId: string;
      channel: Channel;
      notBefore: Date | null;
      subject: string | null;
      status: string;
    }[]
  >(
    `INSERT INTO "Outbox" (id, "personId", "channelAccountId", channel, kind, "idempotencyKey",
                           payload, "notBefore", subject, status, reason, "createdAt")
     SELECT gen_random_uuid(), u.p, u.a, u.c::"Channel", 'proactive', u.k, u.m::jsonb,
            u.n::timestamptz AT TIME ZONE 'UTC', u.s,
            CASE WHEN u.r IS NULL THEN 'pending' ELSE 'skipped' END::"OutboxStatus", u.r,
            $9::timestamptz AT TIME ZONE 'UTC'
     FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                 $8::text[])
          AS u(p, a, c, k, m, n, s, r)
     ON CONFLICT ("idempotencyKey") DO NOTHING
     RETURNING id, "personId", channel::text AS channel, "notBefore", subject, status::text AS status`,
    column((r) => r.personId),
    column((r) => r.channelAccountId),
    column((r) => r.channel),
    column((r) => r.idempotencyKey),
    column((r) => JSON.stringify(r.payload)),
    column((r) => r.notBefore?.toISOString() ?? null),
    column((r) => r.subject),
    column((r) => r.skipped ?? null),
    now.toISOString(),
  );
  return written
    .filter((r) => r.status === "pending")
    .map(({ status: _, ...r }) => ({ ...r, kind: "proactive" as const }));
}

/**
 * Enqueue committed outbox rows for sending. The job id is the row id, so
 * queueing a row twice (relay after a crash) adds nothing while the job
 * exists, and the send worker skips rows that are no longer pending.
 */
export async function enqueueOutbox(
  deps: { prisma: PrismaClient; queues: Enqueue; now: Date },
  refs: OutboxRef[],
): Promise<void> {
  if (refs.length === 0) return;
  const byChannel = new Map<Channel, OutboxRef[]>();
  for (const ref of refs) byChannel.set(ref.channel, [...(byChannel.get(ref.channel) ?? []), ref]);
  for (const [channel, group] of byChannel) {
    await deps.queues.get(sendQueueName(channel)).addBulk(
      group.map((ref) => ({
        name: "send",
        data: { outboxId: ref.id },
        opts: {
          jobId: ref.id,
          priority: sendPriority(ref),
          delay: ref.notBefore ? Math.max(0, ref.notBefore.getTime() - deps.now.getTime()) : 0,
        },
      })),
    );
  }
  // One array parameter: Prisma's `id IN (…)` of a thousand ids costs several times more.
  await deps.prisma.$executeRawUnsafe(
    `UPDATE "Outbox" SET "enqueuedAt" = ($1::timestamptz AT TIME ZONE 'UTC') WHERE id = ANY($2::uuid[])`,
    deps.now.toISOString(),
    refs.map((r) => r.id),
  );
}
