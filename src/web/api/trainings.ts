import type { FastifyInstance } from "fastify";
import { idParams } from "../../features/handoffs/schema.ts";
import { audit } from "../../features/staff/audit.ts";
import {
  findVisible,
  listEnrollments,
  listTrainings,
  seatCounts,
  trainingJson,
} from "../../features/trainings/data.ts";
import {
  cancelTraining,
  createTraining,
  type TrainingDeps,
  updateTraining,
} from "../../features/trainings/mutations.ts";
import {
  createBody,
  enrollmentsQuery,
  listQuery,
  patchBody,
} from "../../features/trainings/schema.ts";
import type { Clock } from "../../lib/clock.ts";
import { requireStaff } from "./auth.ts";
import { parseOr400, sendError, sendFailure } from "./errors.ts";

/** Trainings: create, edit (moving `startsAt` moves the reminders), cancel, list, enrolments. */
export function trainingRoutes(app: FastifyInstance, deps: TrainingDeps & { clock: Clock }) {
  const preHandler = requireStaff(deps);
  const now = () => deps.clock.now();

  app.post("/trainings", { preHandler }, async (request, reply) => {
    const body = parseOr400(reply, createBody, request.body ?? {});
    if (!body) return reply;
    const result = await createTraining(deps.prisma, body, request.staff!, now());
    if (!result.ok) return sendFailure(reply, result);
    return reply.code(201).send({
      id: result.training.id,
      ref: result.training.ref,
      training: trainingJson(result.training),
    });
  });

  app.get("/trainings", { preHandler }, async (request, reply) => {
    const query = parseOr400(reply, listQuery, request.query);
    if (!query) return reply;
    return listTrainings(deps.prisma, { ...query, cities: request.staff!.cities, now: now() });
  });

  app.get("/trainings/:id", { preHandler }, async (request, reply) => {
    const params = parseOr400(reply, idParams, request.params);
    if (!params) return reply;
    const training = await findVisible(deps.prisma, params.id, request.staff!.cities);
    if (!training) return sendError(reply, 404, "not_found", `No training ${params.id}`);
    return trainingJson(training, await seatCounts(deps.prisma, training.id));
  });

  app.patch("/trainings/:id", { preHandler }, async (request, reply) => {
    const params = parseOr400(reply, idParams, request.params);
    const body = params && parseOr400(reply, patchBody, request.body ?? {});
    if (!params || !body) return reply;
    const result = await updateTraining(deps, params.id, body, request.staff!, now());
    if (!result.ok) return sendFailure(reply, result);
    return trainingJson(result.training, await seatCounts(deps.prisma, result.training.id));
  });

  app.post("/trainings/:id/cancel", { preHandler }, async (request, reply) => {
    const params = parseOr400(reply, idParams, request.params);
    if (!params) return reply;
    const result = await cancelTraining(deps, params.id, request.staff!, now());
    if (!result.ok) return sendFailure(reply, result);
    return { status: "cancelled", told: result.told };
  });

  app.get("/trainings/:id/enrollments", { preHandler }, async (request, reply) => {
    const params = parseOr400(reply, idParams, request.params);
    const query = params && parseOr400(reply, enrollmentsQuery, request.query);
    if (!params || !query) return reply;
    const who = request.staff!;
    const training = await findVisible(deps.prisma, params.id, who.cities);
    if (!training) return sendError(reply, 404, "not_found", `No training ${params.id}`);
    const page = await listEnrollments(deps.prisma, training.id, {
      ...query,
      viewerCities: who.cities,
    });
    await audit(deps.prisma, who, "trainings.enrollments", training.id, {
      count: page.items.length,
      shared: page.items.filter((e) => e.seeker.view === "shared").length,
    });
    return page;
  });
}
