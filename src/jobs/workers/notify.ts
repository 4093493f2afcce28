import { type Job, UnrecoverableError } from "bullmq";
import type { PrismaClient } from "../../db/types.ts";
import type { ChannelAdapter } from "../../domain/messages.ts";
import type { Clock } from "../../lib/clock.ts";
import { translator } from "../../lib/i18n.ts";
import type { QueuePayloads, WhatsAppAlert } from "../queues.ts";
import { isUuid } from "../subject.ts";
import type { JobDefinition } from "./job.ts";

export type NotifyPayload = QueuePayloads["notify"];

export interface StaffNotice {
  adapter: ChannelAdapter;
  /** Where notices go, e.g. a Telegram staff group. */
  to: string;
  language?: string;
}

type NotifyDeps = { prisma: PrismaClient; clock: Clock; notice?: StaffNotice };

/** Tells staff that someone is interested in a vacancy: its number and title only, never who. */
async function notifyApplication(deps: NotifyDeps, applicationId: string): Promise<string> {
  const application = await deps.prisma.application.findUnique({
    where: { id: applicationId },
    include: { vacancy: { select: { ref: true, title: true } } },
  });
  if (!application || application.notifiedAt || application.status !== "interested")
    return "nothing-to-do";
  if (deps.notice) {
    const t = translator(deps.notice.language ?? "id");
    await deps.notice.adapter.send(deps.notice.to, {
      text: t("staffNotice.application", {
        ref: application.vacancy.ref,
        title: application.vacancy.title,
      }),
    });
  }
  await deps.prisma.application.update({
    where: { id: application.id },
    data: { notifiedAt: deps.clock.now() },
  });
  return deps.notice ? "sent" : "no-staff-channel";
}

/** Tells staff that WhatsApp stopped or is restricted (they must act); logged in any case. */
async function notifyWhatsApp(
  deps: NotifyDeps,
  alert: { whatsapp: WhatsAppAlert; detail?: string },
): Promise<string> {
  if (!deps.notice) return "no-staff-channel";
  const t = translator(deps.notice.language ?? "id");
  await deps.notice.adapter.send(deps.notice.to, {
    text: t(`staffNotice.whatsapp.${alert.whatsapp}`, { reason: alert.detail ?? "" }),
  });
  return "sent";
}

/**
 * Tells staff that someone asked for a person: the handoff's short number
 * and channel only — no name, no disability data, no message text.
 */
export function createNotifyProcessor(deps: NotifyDeps) {
  return async (job: Job<QueuePayloads["notify"]>): Promise<string> => {
    if ("applicationId" in job.data) return notifyApplication(deps, job.data.applicationId);
    if ("whatsapp" in job.data) return notifyWhatsApp(deps, job.data);
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

/** A notice naming no handoff or application by id, nor a WhatsApp alert, never works. */
function checkPayload(data: NotifyPayload): void {
  const ok =
    "applicationId" in data
      ? isUuid(data.applicationId)
      : "whatsapp" in data
        ? typeof data.whatsapp === "string"
        : isUuid((data as { handoffId?: unknown }).handoffId);
  if (!ok) throw new UnrecoverableError("invalid payload");
}

/**
 * One notice at a time. Retries: 5 attempts (queues.ts); nothing is settled after the
 * last: the handoff or application stays marked as not yet notified.
 */
export function notifyJob(deps: NotifyDeps): JobDefinition<"notify"> {
  const process = createNotifyProcessor(deps);
  return {
    queue: "notify",
    worker: { concurrency: 1 },
    process(job) {
      checkPayload(job.data);
      return process(job);
    },
  };
}
