import type { FastifyInstance } from "fastify";
import type { PrismaClient } from "../../db/types.ts";
import { funnelQuery, registrationFunnel } from "../../features/staff/funnel.ts";
import type { Clock } from "../../lib/clock.ts";
import type { WebQueues } from "../queue-access.ts";
import { apiRoutes } from "./route.ts";

/**
 * Numbers for the job center: where people drop out of registration. Counts
 * only, scoped to the caller's cities; nothing personal, so not audited.
 */
export function statsRoutes(
  app: FastifyInstance,
  deps: { prisma: PrismaClient; queues: WebQueues; clock: Clock },
) {
  const route = apiRoutes(app, deps);

  route(
    {
      method: "GET",
      url: "/stats/registration-funnel",
      summary:
        "Where people drop out of registration: per step (consent, each question, summary, done) how many reached it in the period (days from-to, default the last 30) and how many abandoned it (their last step, idle idleHours, default 24), optionally for one channel or language. Counts only, nothing about any one person: not audited. Scoped to the caller's cities: steps before the place is answered (consent, name, city, cityPick) cannot be told apart by city and are null for a caller of some cities or when cities is given",
      query: funnelQuery,
      ok: [
        200,
        "{from, to, cities, channel, language, idleHours, steps: [{step, reached, abandoned}]}",
      ],
    },
    async ({ query }, request) =>
      registrationFunnel(deps.prisma, request.staff!, query, deps.clock.now()),
  );
}
