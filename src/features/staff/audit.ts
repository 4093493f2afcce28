import type { PrismaClient, Tx } from "../../db/types.ts";
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
