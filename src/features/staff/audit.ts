import type { PrismaClient, Tx } from "../../db/types.ts";
import { Prisma } from "../../generated/prisma/client.ts";
import type { StaffPrincipal } from "./tokens.ts";

/**
 * Records a staff action (every write, every view of personal data). Never the personal data itself.
 *
 * `cities` are the cities the entry concerns, which decide who may read it
 * (see `listAudit`): the city of the one record acted on when there is one
 * (a vacancy, a seeker), else the actor's own scope (default). Empty means
 * all cities or none: service-wide actions, and actors of all cities acting
 * on no one city's record.
 */
export async function audit(
  db: PrismaClient | Tx,
  who: StaffPrincipal,
  action: string,
  target?: string,
  details?: Record<string, unknown>,
  cities: string[] = who.cities,
): Promise<void> {
  await db.auditLog.create({
    data: {
      actor: who.actor,
      action,
      target: target ?? null,
      ...(details ? { details: details as object } : {}),
      cities: [...new Set(cities)].sort(),
    },
  });
}

interface AuditRow {
  id: string;
  actor: string;
  action: string;
  target: string | null;
  details: unknown;
  createdAt: Date;
}

/**
 * The audit log, newest first, filtered exactly by actor, action and target and
 * by time, as far as the reader may see it. Entries name ids and actions, but
 * ids are enough to learn which seekers a city has and what was broadcast to
 * whom, so the log is scoped like everything else:
 *
 * - a reader of all cities sees every entry;
 * - a reader limited to some cities sees the entries whose cities all lie
 *   within theirs (an entry concerning Makassar and Bandung is not shown to
 *   an admin of Makassar alone), and none of those concerning all cities or
 *   none (service-wide actions, the command line, actors of all cities
 *   acting on no one city's record).
 */
export async function listAudit(
  prisma: PrismaClient,
  reader: Pick<StaffPrincipal, "cities">,
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
  const where: Prisma.Sql[] = [];
  if (q.actor) where.push(Prisma.sql`"actor" = ${q.actor}`);
  if (q.action) where.push(Prisma.sql`"action" = ${q.action}`);
  if (q.target) where.push(Prisma.sql`"target" = ${q.target}`);
  if (q.since) where.push(Prisma.sql`"createdAt" >= ${q.since}`);
  if (q.until) where.push(Prisma.sql`"createdAt" < ${q.until}`);
  // Prisma has no "contained in" filter for lists: PostgreSQL's <@ says it exactly.
  if (reader.cities.length > 0)
    where.push(Prisma.sql`cardinality("cities") > 0 AND "cities" <@ ${reader.cities}::text[]`);
  // After the cursor's row in (createdAt, id) order: the id breaks ties between rows of
  // the same millisecond, so pages neither skip nor repeat.
  if (q.cursor)
    where.push(
      Prisma.sql`("createdAt", "id") < (SELECT "createdAt", "id" FROM "AuditLog" WHERE "id" = ${q.cursor}::uuid)`,
    );
  const rows = await prisma.$queryRaw<AuditRow[]>`
    SELECT "id", "actor", "action", "target", "details", "createdAt" FROM "AuditLog"
    ${where.length > 0 ? Prisma.sql`WHERE ${Prisma.join(where, " AND ")}` : Prisma.empty}
    ORDER BY "createdAt" DESC, "id" DESC
    LIMIT ${q.limit + 1}`;
  const page = rows.slice(0, q.limit);
  return {
    items: page.map((r) => ({
      id: r.id,
      actor: r.actor,
      action: r.action,
      target: r.target,
      details: r.details,
      createdAt: r.createdAt.toISOString(),
    })),
    nextCursor: rows.length > q.limit ? (page.at(-1)?.id ?? null) : null,
  };
}
