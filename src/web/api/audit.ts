import type { FastifyInstance } from "fastify";
import { listAudit } from "../../features/staff/audit.ts";
import { auditQuery } from "../../features/staff/schema.ts";
import { requireStaff } from "./auth.ts";
import { parseOr400 } from "./errors.ts";
import type { ApiDeps } from "./handoffs.ts";

/**
 * The audit log, for admins, scoped to their cities like everything else (an
 * admin limited to some cities sees the entries concerning only those; see
 * `listAudit`). Reading it is not itself recorded.
 */
export function auditRoutes(app: FastifyInstance, deps: ApiDeps) {
  const admin = requireStaff(deps, ["admin"]);

  app.get("/audit", { preHandler: admin }, async (request, reply) => {
    const query = parseOr400(reply, auditQuery, request.query);
    if (!query) return reply;
    return listAudit(deps.prisma, request.staff!, query);
  });
}
