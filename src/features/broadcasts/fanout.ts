/**
 * A broadcast's fan-out: its recipients' outbox rows, written in chunks in
 * person id order, each chunk in one transaction under the broadcast's row
 * lock with the cursor saved alongside, so a crash resumes after the last
 * chunk written, a cancel stops it between chunks, and the idempotency key
 * per (broadcast, person) makes any repeat a no-op.
 */

import type { PrismaClient } from "../../db/types.ts";
import { cityByCode } from "../../domain/cities.ts";
import type { OutboundMessage } from "../../domain/messages.ts";
import type { Enqueue } from "../../domain/queues.ts";
import { outsideQuietHours, type QuietHours } from "../../domain/quiet-hours.ts";
import type { Broadcast } from "../../generated/prisma/client.ts";
import type { Clock } from "../../lib/clock.ts";
import { type BulkOutboxRow, enqueueOutbox, insertOutboxRows } from "../../outbox/outbox.ts";
import { render } from "../../outbox/render.ts";
import { broadcastKey } from "./data.ts";
import { finishBroadcasts } from "./mutations.ts";
import type { Segment } from "./schema.ts";
import { type Recipient, recipientsAfter } from "./segment.ts";
import { broadcastSubject } from "./subject.ts";

export interface FanOutDeps {
  prisma: PrismaClient;
  queues: Enqueue;
  clock: Clock;
  serviceName: string;
}

export interface FanOutSettings {
  /** Recipients per transaction. Default 1000. */
  chunk?: number;
  /** Announcements wait until morning in the person's own zone. */
  quiet?: QuietHours;
}

export type FanOutResult =
  | { outcome: "written"; recipients: number; queued: number; skipped: number }
  /** Scheduled for later: the job waits until `sendAt`. */
  | { outcome: "not-due"; sendAt: Date }
  /** Already written, cancelled, failed or gone. */
  | { outcome: "nothing-to-do" };

/** A job may fire a little before the time it was delayed to (clocks differ). */
const EARLY_MARGIN_MS = 500;

export async function fanOutBroadcast(
  deps: FanOutDeps,
  id: string,
  settings: FanOutSettings = {},
): Promise<FanOutResult> {
  const chunk = settings.chunk ?? 1000;
  const payloads = new Map<string, OutboundMessage>();
  const total = { recipients: 0, queued: 0, skipped: 0 };
  // A chunk is queued while the next one is written (Redis and PostgreSQL work side by side).
  let queueing: Promise<void> = Promise.resolve();
  for (;;) {
    const now = deps.clock.now();
    const step = await deps.prisma.$transaction(
      async (tx) => {
        await tx.$queryRawUnsafe(`SELECT 1 FROM "Broadcast" WHERE id = $1::uuid FOR UPDATE`, id);
        let b = await tx.broadcast.findUnique({ where: { id } });
        if (b?.status === "scheduled") {
          if (b.sendAt.getTime() > now.getTime() + EARLY_MARGIN_MS) return { notDue: b.sendAt };
          b = await tx.broadcast.update({
            where: { id },
            data: { status: "sending", startedAt: now },
          });
        }
        if (b?.status !== "sending" || b.fannedOutAt) return "nothing-to-do" as const;
        const recipients = await recipientsAfter(
          tx,
          b.segment as Segment,
          b.scope,
          b.cursor,
          chunk,
        );
        const rows = recipients.map((r) => outboxRow(deps, b, r, now, settings.quiet, payloads));
        const refs = await insertOutboxRows(tx, rows, now);
        const last = recipients.at(-1)?.personId ?? b.cursor;
        const done = recipients.length < chunk;
        await tx.broadcast.update({
          where: { id },
          data: { cursor: last, ...(done ? { fannedOutAt: now } : {}) },
        });
        return {
          refs,
          recipients: recipients.length,
          skipped: recipients.filter((r) => r.skip).length,
          done,
        };
      },
      { timeout: 60_000 },
    );
    if (step === "nothing-to-do") {
      await queueing;
      return total.recipients > 0 ? { outcome: "written", ...total } : { outcome: step };
    }
    if (step.notDue) return { outcome: "not-due", sendAt: step.notDue };
    // A crash before this is queued leaves the rows unqueued: the relay queues them.
    await queueing;
    queueing = enqueueOutbox({ ...deps, now }, step.refs);
    queueing.catch(() => {}); // Awaited (and thrown) before the next chunk is queued.
    total.recipients += step.recipients;
    total.queued += step.refs.length;
    total.skipped += step.skipped;
    if (step.done) {
      await queueing;
      await finishBroadcasts(deps.prisma, deps.clock.now(), id);
      return { outcome: "written", ...total };
    }
  }
}

function outboxRow(
  deps: FanOutDeps,
  b: Broadcast,
  r: Recipient,
  now: Date,
  quiet: QuietHours | undefined,
  payloads: Map<string, OutboundMessage>,
): BulkOutboxRow {
  let notBefore: Date | null = null;
  if (quiet && !r.skip) {
    const at = outsideQuietHours(now, cityByCode(r.cityCode)?.timeZone ?? "Asia/Jakarta", quiet);
    if (at > now) notBefore = at;
  }
  return {
    personId: r.personId,
    channelAccountId: r.accountId,
    channel: r.channel,
    idempotencyKey: broadcastKey(b.id, r.personId),
    payload: payloadFor(deps, b, r, payloads),
    notBefore,
    subject: broadcastSubject(b.id),
    ...(r.skip ? { skipped: r.skip } : {}),
  };
}

/** The person's language when the broadcast has it, else Indonesian; rendered once per variant. */
function payloadFor(
  deps: FanOutDeps,
  b: Broadcast,
  r: Recipient,
  cache: Map<string, OutboundMessage>,
): OutboundMessage {
  const english = r.language === "en" && b.messageEn;
  const language = english ? "en" : "id";
  const key = `${language}|${r.plainLanguage}`;
  let payload = cache.get(key);
  if (!payload) {
    payload = render(
      { key: "broadcast.message", params: { text: english ? b.messageEn! : b.messageId } },
      { language, plainLanguage: r.plainLanguage, serviceName: deps.serviceName },
    );
    cache.set(key, payload);
  }
  return payload;
}
