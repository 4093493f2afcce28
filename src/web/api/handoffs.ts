import type { FastifyInstance } from "fastify";
import type { PrismaClient } from "../../db/types.ts";
import type { QuietHours } from "../../domain/quiet-hours.ts";
import { listHandoffs } from "../../features/handoffs/data.ts";
import { closeHandoff, replyToHandoff } from "../../features/handoffs/mutations.ts";
import { idParams, listQuery, replyBody } from "../../features/handoffs/schema.ts";
import { audit } from "../../features/staff/audit.ts";
import type { Queues } from "../../jobs/queues.ts";
import type { Clock } from "../../lib/clock.ts";
import { requireStaff } from "./auth.ts";
import { parseOr400, sendError } from "./errors.ts";

export interface ApiDeps {
  prisma: PrismaClient;
  queues: Queues;
  clock: Clock;
  /** When proactive messages wait for the morning (default 21:00-07:00). */
  quietHours?: QuietHours;
}

/** People who asked for a person: list with their messages, reply, close. */
export function handoffRoutes(app: FastifyInstance, deps: ApiDeps) {
  const preHandler = requireStaff(deps);

  app.get("/handoffs", { preHandler }, async (request, reply) => {
    const query = parseOr400(reply, listQuery, request.query);
    if (!query) return reply;
    const who = request.staff!;
    const page = await listHandoffs(deps.prisma, { ...query, cities: who.cities });
    // Viewing people's names and messages is a view of personal data: recorded.
    await audit(deps.prisma, who, "handoffs.list", undefined, {
      status: query.status,
      count: page.items.length,
    });
    return page;
  });

  app.post("/handoffs/:id/reply", { preHandler }, async (request, reply) => {
    const params = parseOr400(reply, idParams, request.params);
    const body = params && parseOr400(reply, replyBody, request.body ?? {});
    if (!params || !body) return reply;
    const result = await replyToHandoff(
      deps,
      params.id,
      body.text,
      request.staff!,
      deps.clock.now(),
    );
    if (!result.ok)
      return sendError(reply, result.code === "not_found" ? 404 : 409, result.code, result.message);
    return reply.code(202).send({ status: "queued", outboxId: result.outboxId });
  });

  app.post("/handoffs/:id/close", { preHandler }, async (request, reply) => {
    const params = parseOr400(reply, idParams, request.params);
    if (!params) return reply;
    const result = await closeHandoff(deps.prisma, params.id, request.staff!, deps.clock.now());
    if (!result.ok)
      return sendError(reply, result.code === "not_found" ? 404 : 409, result.code, result.message);
    return { status: "closed" };
  });
}
