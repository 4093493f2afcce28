import { Readable } from "node:stream";
import type { FastifyInstance } from "fastify";
import { idParams } from "../../features/handoffs/schema.ts";
import { listSeekers, seekerCsvLines, seekerDetail } from "../../features/seekers/data.ts";
import { exportQuery, listQuery } from "../../features/seekers/schema.ts";
import { audit } from "../../features/staff/audit.ts";
import { requireStaff } from "./auth.ts";
import { parseOr400, sendError } from "./errors.ts";
import type { ApiDeps } from "./handoffs.ts";

/** Registered job seekers: list, one in full, and a CSV export for reports (admins). Every view is audited. */
export function seekerRoutes(app: FastifyInstance, deps: ApiDeps) {
  const staff = requireStaff(deps);
  const admin = requireStaff(deps, ["admin"]);

  app.get("/seekers", { preHandler: staff }, async (request, reply) => {
    const query = parseOr400(reply, listQuery, request.query);
    if (!query) return reply;
    const who = request.staff!;
    const page = await listSeekers(deps.prisma, query, who.cities);
    await audit(deps.prisma, who, "seekers.list", undefined, {
      filter: {
        city: query.city,
        category: query.category,
        education: query.education,
        q: query.q !== undefined,
      },
      count: page.items.length,
    });
    return page;
  });

  app.get("/seekers.csv", { preHandler: admin }, async (request, reply) => {
    const query = parseOr400(reply, exportQuery, request.query);
    if (!query) return reply;
    const who = request.staff!;
    await audit(deps.prisma, who, "seekers.export", undefined, {
      filter: { ...query, q: query.q !== undefined },
    });
    return reply
      .type("text/csv; charset=utf-8")
      .header("content-disposition", 'attachment; filename="seekers.csv"')
      .send(Readable.from(seekerCsvLines(deps.prisma, query, who.cities)));
  });

  app.get("/seekers/:id", { preHandler: staff }, async (request, reply) => {
    const params = parseOr400(reply, idParams, request.params);
    if (!params) return reply;
    const who = request.staff!;
    const seeker = await seekerDetail(deps.prisma, params.id, who.cities);
    if (!seeker) return sendError(reply, 404, "not_found", `No seeker ${params.id}`);
    // Recorded under the seeker's city, so that city's admins see who looked.
    await audit(deps.prisma, who, "seekers.view", params.id, undefined, [seeker.profile.cityCode]);
    return seeker;
  });
}
