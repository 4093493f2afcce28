import type { SqlRunner } from "../../db/sql.ts";
import type { PrismaClient } from "../../db/types.ts";
import { forgetAddresses } from "../../features/seekers/forget.ts";
import type { Clock } from "../../lib/clock.ts";
import type { Logger } from "../../lib/logger.ts";
import { deletePersonalData } from "../../runner/apply-effects.ts";
import type { RunnerDeps } from "../../runner/deps.ts";
import type { QueuePayloads, Queues } from "../queues.ts";
import type { JobDefinition } from "./job.ts";

export type RetentionPayload = QueuePayloads["retention"];

/**
 * Hourly: texts of settled messages older than `messageTextDays` go, then (when set)
 * the data of people inactive longer than `retentionDays`. No retries: the next run
 * does the same work.
 */
export function retentionJob(
  deps: RunnerDeps<Queues>,
  opts: { messageTextDays: number; retentionDays: number },
): JobDefinition<"retention"> {
  return {
    queue: "retention",
    worker: { concurrency: 1 },
    every: 3_600_000,
    async process() {
      const texts = await clearMessageTexts(deps.sql, {
        days: opts.messageTextDays,
        now: deps.clock.now(),
      });
      const people =
        opts.retentionDays > 0 ? await expireInactive(deps, opts.retentionDays) : { expired: 0 };
      return { ...texts, ...people };
    },
  };
}

/**
 * The retention promised in the consent text: personal data of people who
 * have not used the service for `days` is deleted, as if they had asked.
 * Nobody is messaged; their addresses go at once. Runs daily, in batches.
 */
export async function expireInactive(
  deps: { prisma: PrismaClient; clock: Clock; log: Logger; serviceName: string },
  days: number,
  batch = 200,
): Promise<{ expired: number }> {
  const now = deps.clock.now();
  const cutoff = new Date(now.getTime() - days * 86_400_000);
  const stale = await deps.prisma.person.findMany({
    where: { status: { not: "deleted" }, lastActiveAt: { lt: cutoff } },
    select: { id: true, channels: { select: { channel: true }, take: 1 } },
    take: batch,
  });
  for (const person of stale) {
    await deps.prisma.$transaction(async (tx) => {
      // Under the person's lock, and only if they are still inactive (they may just have written).
      const [row] = await tx.$queryRaw<{ lastActiveAt: Date }[]>`
        SELECT "lastActiveAt" FROM "Person" WHERE id = ${person.id}::uuid FOR UPDATE`;
      if (!row || row.lastActiveAt >= cutoff) return;
      const channel = person.channels[0]?.channel ?? "console";
      // Seats they free go to the people waiting; those are told via the relay (their rows are
      // committed unqueued) and get reminders from the next reconcile.
      await deletePersonalData(tx, {
        personId: person.id,
        channel,
        now,
        serviceName: deps.serviceName,
      });
      await tx.dataRequest.create({ data: { personId: person.id, kind: "expired", channel } });
      await tx.conversation.deleteMany({ where: { personId: person.id } });
      await tx.inboundMessage.deleteMany({ where: { personId: person.id } });
      await forgetAddresses(tx, person.id);
    });
  }
  if (stale.length > 0)
    deps.log.info({ expired: stale.length, days }, "retention: inactive people's data deleted");
  return { expired: stale.length };
}

/** Rows cleared per statement: short locks, however large the backlog. */
const CLEAR_BATCH = 5000;

/**
 * Outgoing messages keep their text only while delivery may need it: a
 * retry, or WhatsApp asking for a message a phone could not decrypt. Once a
 * row is settled (sent, failed or skipped) for longer than `days`, its text
 * goes; what remains is who, when, which channel and what happened (the
 * delivery counts of broadcasts, the audit trail). A person who withdraws
 * their disability consent has theirs cleared at once (apply-effects.ts).
 */
export async function clearMessageTexts(
  sql: SqlRunner,
  opts: { days: number; now: Date },
): Promise<{ cleared: number; conversations: number }> {
  const cutoff = new Date(opts.now.getTime() - opts.days * 86_400_000);
  let cleared = 0;
  for (;;) {
    const rows = await sql.query<{ id: string }>(
      `UPDATE "Outbox" SET payload = '{}'::jsonb
        WHERE id IN (
          SELECT id FROM "Outbox"
           WHERE status IN ('sent', 'failed', 'skipped')
             AND payload <> '{}'::jsonb
             AND COALESCE("sentAt", "createdAt") <= ($1::timestamptz AT TIME ZONE 'UTC')
           LIMIT ${CLEAR_BATCH})
        RETURNING id`,
      [cutoff.toISOString()],
    );
    cleared += rows.length;
    if (rows.length < CLEAR_BATCH) break;
  }
  // The replies kept for "ulangi" (repeat) are message texts too: after as long, a
  // repeat request is answered with the current question instead.
  const conversations = await sql.query<{ personId: string }>(
    `UPDATE "Conversation" SET state = jsonb_set(state, '{lastReplies}', '[]'::jsonb)
      WHERE jsonb_array_length(COALESCE(state->'lastReplies', '[]'::jsonb)) > 0
        AND (state->>'updatedAt')::timestamptz <= $1::timestamptz
      RETURNING "personId"`,
    [cutoff.toISOString()],
  );
  return { cleared, conversations: conversations.length };
}
