import type { PrismaClient, Tx } from "../../db/types.ts";
import { pageArgs, toPage } from "../paging.ts";
import type { StaffPrincipal } from "./tokens.ts";

/** Records a staff action (every write, every view of personal data). Never the personal data itself. */
export async function audit(
  db: PrismaClient | Tx,
  who: StaffPrincipal,
  action: string,
  target?: string,
  details?: Record<string, unknown>,
): Promise<void> {
  await db.auditLog.create({
    data: {
      actor: who.actor,
      action,
      target: target ?? null,
      ...(details ? { details: details as object } : {}),
    },
  });
}

/**
 * The audit log, newest first, filtered exactly by actor, action and target and
 * by time. It holds no personal data, so it is not limited to the reader's cities.
 */
export async function listAudit(
  prisma: PrismaClient,
  q: {
    actor?: string;
    action?: string;
    target?: string;
    since?: Date;
    until?: Date;
    limit: number;
    cursor?: string;
  },
) {
  const rows = await prisma.auditLog.findMany({
    where: {
      ...(q.actor ? { actor: q.actor } : {}),
      ...(q.action ? { action: q.action } : {}),
      ...(q.target ? { target: q.target } : {}),
      ...(q.since || q.until
        ? {
            createdAt: {
              ...(q.since ? { gte: q.since } : {}),
              ...(q.until ? { lt: q.until } : {}),
            },
          }
        : {}),
    },
    // The id breaks ties between rows of the same millisecond, so pages neither skip nor repeat.
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    ...pageArgs(q),
  });
  return toPage(rows, q, (r) => ({
    id: r.id,
    actor: r.actor,
    action: r.action,
    target: r.target,
    details: r.details,
    createdAt: r.createdAt.toISOString(),
  }));
}
