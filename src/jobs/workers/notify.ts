import type { Job } from "bullmq";
import type { ChannelAdapter } from "../../channels/types.ts";
import type { PrismaClient } from "../../db/types.ts";
import type { Clock } from "../../lib/clock.ts";
import { translator } from "../../lib/i18n.ts";

export interface StaffNotice {
  adapter: ChannelAdapter;
  /** Where notices go, e.g. a Telegram staff group. */
  to: string;
  language?: string;
}

/**
 * Tells staff that someone asked for a person: the handoff's short number
 * and channel only — no name, no disability data, no message text.
 */
export function createNotifyProcessor(deps: {
  prisma: PrismaClient;
  clock: Clock;
  notice?: StaffNotice;
}) {
  return async (job: Job<{ handoffId: string }>): Promise<string> => {
    const handoff = await deps.prisma.handoff.findUnique({ where: { id: job.data.handoffId } });
    if (!handoff || handoff.notifiedAt) return "nothing-to-do";
    if (deps.notice) {
      const t = translator(deps.notice.language ?? "id");
      await deps.notice.adapter.send(deps.notice.to, {
        text: t("staffNotice.handoff", { id: handoff.id.slice(0, 8), channel: handoff.channel }),
      });
    }
    await deps.prisma.handoff.update({
      where: { id: handoff.id },
      data: { notifiedAt: deps.clock.now() },
    });
    return deps.notice ? "sent" : "no-staff-channel";
  };
}
