import type { PrismaClient } from "../../db/types.ts";
import type { Enqueue } from "../../domain/queues.ts";
import { Prisma } from "../../generated/prisma/client.ts";
import { enqueueOutbox, writeOutbox } from "../../outbox/outbox.ts";
import { audit } from "../staff/audit.ts";
import type { StaffPrincipal } from "../staff/tokens.ts";
import { scopeWhere } from "./data.ts";

export type MutationResult =
  | { ok: true }
  | { ok: false; code: "not_found" | "conflict"; message: string };

async function findVisible(prisma: PrismaClient, id: string, who: StaffPrincipal) {
  return prisma.handoff.findFirst({ where: { id, ...scopeWhere(who.cities) } });
}

/** Closes a handoff; the person's messages kept for staff are then cleared. */
export async function closeHandoff(
  prisma: PrismaClient,
  id: string,
  who: StaffPrincipal,
  now: Date,
): Promise<MutationResult> {
  const handoff = await findVisible(prisma, id, who);
  if (!handoff) return { ok: false, code: "not_found", message: `No handoff ${id}` };
  if (handoff.status === "closed")
    return { ok: false, code: "conflict", message: "The handoff is already closed" };
  await prisma.$transaction(async (tx) => {
    // The person's lock: a message being processed now either sees the handoff open and is
    // cleared below, or sees it closed and keeps no text.
    await tx.$queryRaw`SELECT id FROM "Person" WHERE id = ${handoff.personId}::uuid FOR UPDATE`;
    await tx.handoff.update({ where: { id }, data: { status: "closed", closedAt: now } });
    const stillOpen = await tx.handoff.count({
      where: { personId: handoff.personId, status: "open" },
    });
    if (stillOpen === 0) {
      await tx.inboundMessage.updateMany({
        where: { personId: handoff.personId, status: "processed" },
        data: { payload: Prisma.DbNull },
      });
    }
    await audit(tx, who, "handoffs.close", id);
  });
  return { ok: true };
}

/** Sends a staff member's text to the person, through the channel they asked on. */
export async function replyToHandoff(
  deps: { prisma: PrismaClient; queues: Enqueue },
  id: string,
  text: string,
  who: StaffPrincipal,
  now: Date,
): Promise<MutationResult & { outboxId?: string }> {
  const { prisma } = deps;
  const handoff = await findVisible(prisma, id, who);
  if (!handoff) return { ok: false, code: "not_found", message: `No handoff ${id}` };
  if (handoff.status === "closed")
    return { ok: false, code: "conflict", message: "The handoff is closed" };
  const account = await prisma.channelAccount.findFirst({
    where: { personId: handoff.personId, channel: handoff.channel },
  });
  if (!account)
    return {
      ok: false,
      code: "conflict",
      message: "The person can no longer be reached on that channel",
    };
  const refs = await prisma.$transaction(async (tx) => {
    const written = await writeOutbox(tx, [
      {
        personId: handoff.personId,
        channelAccountId: account.id,
        channel: account.channel,
        kind: "reply",
        payload: { text },
      },
    ]);
    await audit(tx, who, "handoffs.reply", id, { length: text.length });
    return written;
  });
  await enqueueOutbox({ ...deps, now }, refs);
  return { ok: true, outboxId: refs[0]!.id };
}
