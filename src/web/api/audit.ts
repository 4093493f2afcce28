import type { FastifyInstance } from "fastify";
import { listAudit } from "../../features/staff/audit.ts";
import { auditQuery } from "../../features/staff/schema.ts";
import type { ApiDeps } from "./handoffs.ts";
import { apiRoutes } from "./route.ts";

/**
 * The audit log, for admins, scoped to their cities like everything else (an
 * admin limited to some cities sees the entries concerning only those; see
 * `listAudit`). Reading it is not itself recorded.
 */
export function auditRoutes(app: FastifyInstance, deps: ApiDeps) {
  const route = apiRoutes(app, deps);

  route(
    {
      method: "GET",
      url: "/audit",
      summary:
        "The audit log, newest first, filtered by actor, action, target and time; not itself audited. Scoped like everything else: each entry records the cities it concerns (the record's city, else the actor's cities; none for service-wide actions); an admin of all cities sees every entry, an admin of some cities only the entries whose cities all lie within theirs",
      query: auditQuery,
      ok: [200, "{items: [{id, actor, action, target, details, createdAt}], nextCursor}"],
      role: "admin",
    },
    async ({ query }, request) => listAudit(deps.prisma, request.staff!, query),
  );
}
