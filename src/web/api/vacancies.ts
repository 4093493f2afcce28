import type { FastifyInstance } from "fastify";
import { idParams } from "../../features/handoffs/schema.ts";
import { audit } from "../../features/staff/audit.ts";
import {
  findVisible,
  listApplications,
  listVacancies,
  vacancyJson,
} from "../../features/vacancies/data.ts";
import {
  closeVacancy,
  createVacancy,
  publishVacancy,
  updateVacancy,
} from "../../features/vacancies/mutations.ts";
import {
  applicationsQuery,
  closeBody,
  createBody,
  listQuery,
  patchBody,
} from "../../features/vacancies/schema.ts";
import { sendError, sendFailure } from "./errors.ts";
import type { ApiDeps } from "./handoffs.ts";
import { heldJson } from "./held.ts";
import { apiRoutes } from "./route.ts";

/** Vacancies: create (with warnings), edit, list, publish (pushes matching seekers), close, applications. */
export function vacancyRoutes(app: FastifyInstance, deps: ApiDeps) {
  const route = apiRoutes(app, deps);
  const now = () => deps.clock.now();

  route(
    {
      method: "POST",
      url: "/vacancies",
      summary: "Create a draft vacancy; answers warnings for discriminatory requirements",
      body: createBody,
      ok: [201, '{id, ref, status: "draft", warnings, vacancy}'],
    },
    async ({ body }, request, reply) => {
      const result = await createVacancy(deps.prisma, body, request.staff!, now());
      if (!result.ok) return sendFailure(reply, result);
      return {
        id: result.vacancy.id,
        ref: result.vacancy.ref,
        status: result.vacancy.status,
        warnings: result.warnings,
        vacancy: vacancyJson(result.vacancy),
      };
    },
  );

  route(
    {
      method: "GET",
      url: "/vacancies",
      summary: "List vacancies, newest first",
      query: listQuery,
      ok: [200, "{items, nextCursor}"],
    },
    async ({ query }, request) => {
      return listVacancies(deps.prisma, { ...query, cities: request.staff!.cities });
    },
  );

  route(
    {
      method: "GET",
      url: "/vacancies/:id",
      summary: "One vacancy, with its number of applications",
      params: idParams,
      ok: [200, "vacancy"],
    },
    async ({ params }, request, reply) => {
      const vacancy = await findVisible(deps.prisma, params.id, request.staff!.cities);
      if (!vacancy) return sendError(reply, 404, "not_found", `No vacancy ${params.id}`);
      const applications = await deps.prisma.application.count({
        where: { vacancyId: vacancy.id, status: "interested" },
      });
      return { ...vacancyJson(vacancy), applications };
    },
  );

  route(
    {
      method: "PATCH",
      url: "/vacancies/:id",
      summary: "Change a vacancy; answers it with warnings",
      params: idParams,
      body: patchBody,
      ok: [200, "vacancy with warnings"],
    },
    async ({ params, body }, request, reply) => {
      const result = await updateVacancy(deps.prisma, params.id, body, request.staff!, now());
      if (!result.ok) return sendFailure(reply, result);
      return { ...vacancyJson(result.vacancy), warnings: result.warnings };
    },
  );

  route(
    {
      method: "POST",
      url: "/vacancies/:id/publish",
      summary:
        "Open it and queue pushes to the matching seekers; during quiet hours (QUIET_HOURS, default 21:00-07:00 in each seeker's zone) their pushes wait: held says how many of matched wait, heldUntil until when (null: none wait), heldByZone per zone",
      params: idParams,
      ok: [
        202,
        '{status: "open", matched, held, heldUntil, heldByZone: [{timeZone, held, until}]}',
      ],
      conflict: "The deadline has passed",
    },
    async ({ params }, request, reply) => {
      const result = await publishVacancy(deps, params.id, request.staff!, now());
      if (!result.ok) return sendFailure(reply, result);
      return { status: "open", matched: result.matched, ...heldJson(result) };
    },
  );

  route(
    {
      method: "POST",
      url: "/vacancies/:id/close",
      summary: "Close it as filled or closed",
      params: idParams,
      body: closeBody,
      ok: [200, "vacancy"],
      conflict: "The vacancy is not open",
    },
    async ({ params, body }, request, reply) => {
      const result = await closeVacancy(deps.prisma, params.id, body.reason, request.staff!, now());
      if (!result.ok) return sendFailure(reply, result);
      return vacancyJson(result.vacancy);
    },
  );

  route(
    {
      method: "GET",
      url: "/vacancies/:id/applications",
      summary:
        'Seekers who said they are interested; people of other cities than the caller\'s as seeker.view "shared" (name, contact, accommodation needs; disability categories only with consent)',
      params: idParams,
      query: applicationsQuery,
      ok: [200, "{items, nextCursor}"],
      personalData: true,
    },
    async ({ params, query }, request, reply) => {
      const who = request.staff!;
      const vacancy = await findVisible(deps.prisma, params.id, who.cities);
      if (!vacancy) return sendError(reply, 404, "not_found", `No vacancy ${params.id}`);
      const page = await listApplications(deps.prisma, vacancy.id, {
        ...query,
        viewerCities: who.cities,
      });
      // Names, contacts and disability data of applicants: a view of personal data.
      await audit(deps.prisma, who, "vacancies.applications", vacancy.id, {
        count: page.items.length,
        shared: page.items.filter((a) => a.seeker.view === "shared").length,
      });
      return page;
    },
  );
}
