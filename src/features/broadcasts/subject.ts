import type { PrismaClient } from "../../db/types.ts";

/** What a broadcast's message is about. Stored in `Outbox.subject` as `broadcast:<id>`. */
export interface BroadcastSubject {
  kind: "broadcast";
  id: string;
}

export const BROADCAST_SUBJECT_PREFIX = "broadcast:";

/** The stored subject text of broadcast `id`'s messages (the column's format: do not change). */
export const broadcastSubject = (id: string): string => `${BROADCAST_SUBJECT_PREFIX}${id}`;

/**
 * Why a broadcast's message must not go out: the broadcast was cancelled. Cancelling
 * skips what waits; this catches a message a crashed worker held during the cancel.
 */
export async function staleBroadcast(
  prisma: PrismaClient,
  id: string,
): Promise<"cancelled" | null> {
  const broadcast = await prisma.broadcast.findUnique({ where: { id }, select: { status: true } });
  return broadcast?.status === "cancelled" ? "cancelled" : null;
}
