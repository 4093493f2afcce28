import { Readable } from "node:stream";
import type { FastifyInstance } from "fastify";
import { idParams } from "../../features/handoffs/schema.ts";
import { listSeekers, seekerCsvLines, seekerDetail } from "../../features/seekers/data.ts";
import { exportQuery, listQuery } from "../../features/seekers/schema.ts";
import { audit } from "../../features/staff/audit.ts";
import { sendError } from "./errors.ts";
import type { ApiDeps } from "./handoffs.ts";
import { apiRoutes } from "./route.ts";

/** Registered job seekers: list, one in full, and a CSV export for reports (admins). Every view is audited. */
export function seekerRoutes(app: FastifyInstance, deps: ApiDeps) {
  const route = apiRoutes(app, deps);

  route(
    {
      method: "GET",
      url: "/seekers",
      summary: "Registered job seekers, newest first",
      query: listQuery,
      ok: [200, "{items, nextCursor}"],
      personalData: true,
    },
    async ({ query }, request) => {
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
    },
  );

  route(
    {
      method: "GET",
      url: "/seekers.csv",
      summary: "Export for a city report, without names or contacts",
      query: exportQuery,
      ok: [200, "text/csv"],
      personalData: true,
      role: "admin",
    },
    async ({ query }, request, reply) => {
      const who = request.staff!;
      await audit(deps.prisma, who, "seekers.export", undefined, {
        filter: { ...query, q: query.q !== undefined },
      });
      return reply
        .type("text/csv; charset=utf-8")
        .header("content-disposition", 'attachment; filename="seekers.csv"')
        .send(Readable.from(seekerCsvLines(deps.prisma, query, who.cities)));
    },
  );

  route(
    {
      method: "GET",
      url: "/seekers/:id",
      summary: "One seeker: profile, channels, consent, enrolments, applications",
      params: idParams,
      ok: [200, "seeker"],
      personalData: true,
    },
    async ({ params }, request, reply) => {
      const who = request.staff!;
      const seeker = await seekerDetail(deps.prisma, params.id, who.cities);
      if (!seeker) return sendError(reply, 404, "not_found", `No seeker ${params.id}`);
      // Recorded under the seeker's city, so that city's admins see who looked.
      await audit(deps.prisma, who, "seekers.view", params.id, undefined, [
        seeker.profile.cityCode,
      ]);
      return seeker;
    },
  );
}
