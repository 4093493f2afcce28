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
import type { WebQueues } from "../queue-access.ts";
import { sendError, sendFailure } from "./errors.ts";
import { apiRoutes } from "./route.ts";

/** Trainings: create, edit (moving `startsAt` moves the reminders), cancel, list, enrolments. */
export function trainingRoutes(
  app: FastifyInstance,
  deps: TrainingDeps & { clock: Clock; queues: WebQueues },
) {
  const route = apiRoutes(app, deps);
  const now = () => deps.clock.now();

  route(
    {
      method: "POST",
      url: "/trainings",
      summary: "Create a training",
      body: createBody,
      ok: [201, "{id, ref, training}"],
    },
    async ({ body }, request, reply) => {
      const result = await createTraining(deps.prisma, body, request.staff!, now());
      if (!result.ok) return sendFailure(reply, result);
      return {
        id: result.training.id,
        ref: result.training.ref,
        training: trainingJson(result.training),
      };
    },
  );

  route(
    {
      method: "GET",
      url: "/trainings",
      summary: "List trainings, soonest first",
      query: listQuery,
      ok: [200, "{items, nextCursor}"],
    },
    async ({ query }, request) => {
      return listTrainings(deps.prisma, { ...query, cities: request.staff!.cities, now: now() });
    },
  );

  route(
    {
      method: "GET",
      url: "/trainings/:id",
      summary: "One training with its enrolled and waitlisted counts",
      params: idParams,
      ok: [200, "training"],
    },
    async ({ params }, request, reply) => {
      const training = await findVisible(deps.prisma, params.id, request.staff!.cities);
      if (!training) return sendError(reply, 404, "not_found", `No training ${params.id}`);
      return trainingJson(training, await seatCounts(deps.prisma, training.id));
    },
  );

  route(
    {
      method: "PATCH",
      url: "/trainings/:id",
      summary: "Change a training; a new startsAt moves the reminders and tells everyone",
      params: idParams,
      body: patchBody,
      ok: [200, "training"],
      conflict: "The training is cancelled",
    },
    async ({ params, body }, request, reply) => {
      const result = await updateTraining(deps, params.id, body, request.staff!, now());
      if (!result.ok) return sendFailure(reply, result);
      return trainingJson(result.training, await seatCounts(deps.prisma, result.training.id));
    },
  );

  route(
    {
      method: "POST",
      url: "/trainings/:id/cancel",
      summary: "Cancel a training; everyone enrolled or waiting is told",
      params: idParams,
      ok: [200, '{status: "cancelled", told}'],
      conflict: "The training is already cancelled",
    },
    async ({ params }, request, reply) => {
      const result = await cancelTraining(deps, params.id, request.staff!, now());
      if (!result.ok) return sendFailure(reply, result);
      return { status: "cancelled", told: result.told };
    },
  );

  route(
    {
      method: "GET",
      url: "/trainings/:id/enrollments",
      summary:
        'Enrolled, waiting and cancelled people with their reminder answers; people of other cities than the caller\'s as seeker.view "shared"',
      params: idParams,
      query: enrollmentsQuery,
      ok: [200, "{items, nextCursor}"],
      personalData: true,
    },
    async ({ params, query }, request, reply) => {
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
    },
  );
}
