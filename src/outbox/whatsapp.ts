/**
 * WhatsApp's rewrites of outbox rows: messages held while it could not send
 * go at once when it can again, and a message WhatsApp refused after taking
 * it waits again (a restriction) or fails. Apart from the channel's parts:
 * the web role calls `releaseHeld` ("Resume sending") without loading
 * Baileys, which is tens of megabytes and is loaded only where WhatsApp is
 * configured (main.ts).
 */
import type { PrismaClient } from "../db/types.ts";
import type { Enqueue } from "../domain/queues.ts";
import type { Clock } from "../lib/clock.ts";
import { enqueueOutbox } from "./outbox.ts";

export interface WhatsAppOutboxDeps {
  prisma: PrismaClient;
  queues: Enqueue;
  clock: Clock;
}

/**
 * Messages held while WhatsApp could not send (not connected, restricted)
 * go now instead of at their next look, in priority order. Messages waiting
 * for their time (quiet hours, a scheduled send) keep waiting.
 */
export async function releaseHeld(deps: WhatsAppOutboxDeps): Promise<number> {
  const queue = deps.queues.get("send-whatsapp");
  const now = deps.clock.now();
  let released = 0;
  // Promoted jobs leave the delayed set; those kept are skipped by moving the start past them.
  for (let start = 0; ; ) {
    const jobs = await queue.getDelayed(start, start + 499);
    if (jobs.length === 0) return released;
    const due = await deps.prisma.outbox.findMany({
      where: {
        id: { in: jobs.map((j) => j.data.outboxId) },
        OR: [{ notBefore: null }, { notBefore: { lte: now } }],
      },
      select: { id: true },
    });
    const ids = new Set(due.map((r) => r.id));
    let promoted = 0;
    for (const job of jobs) {
      if (!ids.has(job.data.outboxId)) continue;
      if (
        await job.promote().then(
          () => true,
          () => false,
        )
      )
        promoted += 1;
    }
    released += promoted;
    start += jobs.length - promoted;
  }
}

/**
 * WhatsApp refused a message we sent. Refused for a restriction (463) it
 * was not delivered and waits to go again once staff resume sending; any
 * other refusal fails it with the code.
 */
export async function sendRefused(deps: WhatsAppOutboxDeps, externalId: string, code: string) {
  const row = await deps.prisma.outbox.findFirst({
    where: { channel: "whatsapp", externalId, status: "sent" },
    select: { id: true, channel: true, kind: true, subject: true },
  });
  if (!row) return;
  if (code !== "463") {
    await deps.prisma.outbox.update({
      where: { id: row.id },
      data: { status: "failed", reason: `whatsapp error ${code}`.slice(0, 500) },
    });
    return;
  }
  await deps.prisma.outbox.update({
    where: { id: row.id },
    data: { status: "pending", sentAt: null, externalId: null, lockedUntil: null },
  });
  // Its finished job still holds the id: make room, then queue it again (held by the circuit).
  await deps.queues.get("send-whatsapp").remove(row.id);
  await enqueueOutbox({ ...deps, now: deps.clock.now() }, [{ ...row, notBefore: null }]);
}

/** The text of a WhatsApp message we sent, by WhatsApp's id of it (a phone asks for it again). */
export async function sentWhatsAppText(
  prisma: PrismaClient,
  externalId: string,
): Promise<string | undefined> {
  const row = await prisma.outbox.findFirst({
    where: { channel: "whatsapp", externalId },
    select: { payload: true },
  });
  const text = (row?.payload as { text?: unknown } | undefined)?.text;
  return typeof text === "string" ? text : undefined;
}
