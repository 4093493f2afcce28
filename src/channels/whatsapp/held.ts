/**
 * Releasing held WhatsApp messages, apart from the channel's parts: the web
 * role calls it ("Resume sending") without loading Baileys, which is tens of
 * megabytes and is loaded only where WhatsApp is configured (main.ts).
 */
import type { RunnerDeps } from "../../runner/deps.ts";

/**
 * Messages held while WhatsApp could not send (not connected, restricted)
 * go now instead of at their next look, in priority order. Messages waiting
 * for their time (quiet hours, a scheduled send) keep waiting.
 */
export async function releaseHeld(
  deps: Pick<RunnerDeps, "queues" | "prisma" | "clock">,
): Promise<number> {
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
