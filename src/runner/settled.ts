import type { PrismaClient } from "../db/types.ts";

/**
 * Whether these inbound messages are processed and every reply to them is
 * out (rows that are gone count as done: after "hapus data" nothing is left).
 */
export async function repliesSettled(prisma: PrismaClient, inboundIds: string[]): Promise<boolean> {
  const unprocessed = await prisma.inboundMessage.count({
    where: { id: { in: inboundIds }, status: "received" },
  });
  if (unprocessed > 0) return false;
  const unsent = await prisma.outbox.count({
    where: { inboundId: { in: inboundIds }, status: "pending" },
  });
  return unsent === 0;
}
