import type { FastifyInstance } from "fastify";
import {
  broadcastJson,
  broadcastTotals,
  findVisible,
  listBroadcasts,
  listRecipients,
} from "../../features/broadcasts/data.ts";
import {
  cancelBroadcast,
  createBroadcast,
  finishBroadcasts,
  previewBroadcast,
} from "../../features/broadcasts/mutations.ts";
import {
  createBody,
  listQuery,
  previewBody,
  recipientsQuery,
} from "../../features/broadcasts/schema.ts";
import { idParams } from "../../features/handoffs/schema.ts";
import { audit } from "../../features/staff/audit.ts";
import { requireStaff } from "./auth.ts";
import { parseOr400, sendError, sendFailure } from "./errors.ts";
import type { ApiDeps } from "./handoffs.ts";
import { heldJson } from "./held.ts";

/** Announcements: preview the count, send now or later, follow the totals, cancel. */
export function broadcastRoutes(app: FastifyInstance, deps: ApiDeps) {
  const preHandler = requireStaff(deps);
  const now = () => deps.clock.now();

  app.post("/broadcasts/preview", { preHandler }, async (request, reply) => {
    const body = parseOr400(reply, previewBody, request.body ?? {});
    if (!body) return reply;
    const result = await previewBroadcast(deps.prisma, body.segment, request.staff!);
    if (!result.ok) return sendFailure(reply, result);
    return { count: result.count, skipped: result.skipped };
  });

  app.post("/broadcasts", { preHandler }, async (request, reply) => {
    const body = parseOr400(reply, createBody, request.body ?? {});
    if (!body) return reply;
    const result = await createBroadcast(deps, body, request.staff!, now());
    if (!result.ok) return sendFailure(reply, result);
    return reply.code(201).send({
      id: result.broadcast.id,
      ref: result.broadcast.ref,
      status: result.broadcast.status,
      sendAt: result.broadcast.sendAt.toISOString(),
      count: result.count,
      // Of those, how many wait for the end of quiet hours in their zone, and until when.
      ...heldJson(result.held),
      warnings: result.warnings,
    });
  });

  app.get("/broadcasts", { preHandler }, async (request, reply) => {
    const query = parseOr400(reply, listQuery, request.query);
    if (!query) return reply;
    return listBroadcasts(deps.prisma, { ...query, cities: request.staff!.cities });
  });

  app.get("/broadcasts/:id", { preHandler }, async (request, reply) => {
    const params = parseOr400(reply, idParams, request.params);
    if (!params) return reply;
    const visible = await findVisible(deps.prisma, params.id, request.staff!.cities);
    if (!visible) return sendError(reply, 404, "not_found", `No broadcast ${params.id}`);
    // Every message settled since the relay last looked: done now rather than at its next run.
    const b =
      visible.status === "sending" && (await finishBroadcasts(deps.prisma, now(), visible.id)) > 0
        ? await deps.prisma.broadcast.findUniqueOrThrow({ where: { id: visible.id } })
        : visible;
    return {
      ...broadcastJson(b),
      totals: await broadcastTotals(deps.prisma, b.id, deps.clock.now(), deps.quietHours),
    };
  });

  app.get("/broadcasts/:id/recipients", { preHandler }, async (request, reply) => {
    const params = parseOr400(reply, idParams, request.params);
    const query = params && parseOr400(reply, recipientsQuery, request.query);
    if (!params || !query) return reply;
    const who = request.staff!;
    const b = await findVisible(deps.prisma, params.id, who.cities);
    if (!b) return sendError(reply, 404, "not_found", `No broadcast ${params.id}`);
    const page = await listRecipients(deps.prisma, b.id, query);
    await audit(deps.prisma, who, "broadcasts.recipients", b.id, { count: page.items.length });
    return page;
  });

  app.post("/broadcasts/:id/cancel", { preHandler }, async (request, reply) => {
    const params = parseOr400(reply, idParams, request.params);
    if (!params) return reply;
    const result = await cancelBroadcast(deps, params.id, request.staff!, now());
    if (!result.ok) return sendFailure(reply, result);
    return {
      ...broadcastJson(result.broadcast),
      unsent: result.unsent,
      totals: await broadcastTotals(deps.prisma, params.id, deps.clock.now(), deps.quietHours),
    };
  });
}
