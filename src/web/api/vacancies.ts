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
import { requireStaff } from "./auth.ts";
import { parseOr400, sendError, sendFailure } from "./errors.ts";
import type { ApiDeps } from "./handoffs.ts";
import { heldJson } from "./held.ts";

/** Vacancies: create (with warnings), edit, list, publish (pushes matching seekers), close, applications. */
export function vacancyRoutes(app: FastifyInstance, deps: ApiDeps) {
  const preHandler = requireStaff(deps);
  const now = () => deps.clock.now();

  app.post("/vacancies", { preHandler }, async (request, reply) => {
    const body = parseOr400(reply, createBody, request.body ?? {});
    if (!body) return reply;
    const result = await createVacancy(deps.prisma, body, request.staff!, now());
    if (!result.ok) return sendFailure(reply, result);
    return reply.code(201).send({
      id: result.vacancy.id,
      ref: result.vacancy.ref,
      status: result.vacancy.status,
      warnings: result.warnings,
      vacancy: vacancyJson(result.vacancy),
    });
  });

  app.get("/vacancies", { preHandler }, async (request, reply) => {
    const query = parseOr400(reply, listQuery, request.query);
    if (!query) return reply;
    return listVacancies(deps.prisma, { ...query, cities: request.staff!.cities });
  });

  app.get("/vacancies/:id", { preHandler }, async (request, reply) => {
    const params = parseOr400(reply, idParams, request.params);
    if (!params) return reply;
    const vacancy = await findVisible(deps.prisma, params.id, request.staff!.cities);
    if (!vacancy) return sendError(reply, 404, "not_found", `No vacancy ${params.id}`);
    const applications = await deps.prisma.application.count({
      where: { vacancyId: vacancy.id, status: "interested" },
    });
    return { ...vacancyJson(vacancy), applications };
  });

  app.patch("/vacancies/:id", { preHandler }, async (request, reply) => {
    const params = parseOr400(reply, idParams, request.params);
    const body = params && parseOr400(reply, patchBody, request.body ?? {});
    if (!params || !body) return reply;
    const result = await updateVacancy(deps.prisma, params.id, body, request.staff!, now());
    if (!result.ok) return sendFailure(reply, result);
    return { ...vacancyJson(result.vacancy), warnings: result.warnings };
  });

  app.post("/vacancies/:id/publish", { preHandler }, async (request, reply) => {
    const params = parseOr400(reply, idParams, request.params);
    if (!params) return reply;
    const result = await publishVacancy(deps, params.id, request.staff!, now());
    if (!result.ok) return sendFailure(reply, result);
    return reply.code(202).send({ status: "open", matched: result.matched, ...heldJson(result) });
  });

  app.post("/vacancies/:id/close", { preHandler }, async (request, reply) => {
    const params = parseOr400(reply, idParams, request.params);
    const body = params && parseOr400(reply, closeBody, request.body ?? {});
    if (!params || !body) return reply;
    const result = await closeVacancy(deps.prisma, params.id, body.reason, request.staff!, now());
    if (!result.ok) return sendFailure(reply, result);
    return vacancyJson(result.vacancy);
  });

  app.get("/vacancies/:id/applications", { preHandler }, async (request, reply) => {
    const params = parseOr400(reply, idParams, request.params);
    const query = params && parseOr400(reply, applicationsQuery, request.query);
    if (!params || !query) return reply;
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
  });
}
