import type { FastifyInstance } from "fastify";
import type { PrismaClient } from "../../db/types.ts";
import { funnelQuery, registrationFunnel } from "../../features/staff/funnel.ts";
import type { Queues } from "../../jobs/queues.ts";
import type { Clock } from "../../lib/clock.ts";
import { requireStaff } from "./auth.ts";
import { parseOr400 } from "./errors.ts";

/**
 * Numbers for the job center: where people drop out of registration. Counts
 * only, scoped to the caller's cities; nothing personal, so not audited.
 */
export function statsRoutes(
  app: FastifyInstance,
  deps: { prisma: PrismaClient; queues: Queues; clock: Clock },
) {
  const preHandler = requireStaff(deps);

  app.get("/stats/registration-funnel", { preHandler }, async (request, reply) => {
    const query = parseOr400(reply, funnelQuery, request.query);
    if (!query) return reply;
    return registrationFunnel(deps.prisma, request.staff!, query, deps.clock.now());
  });
}
