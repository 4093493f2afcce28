import type { FastifyInstance } from "fastify";
import type { PrismaClient } from "../../db/types.ts";
import type { QuietHours } from "../../domain/quiet-hours.ts";
import { listHandoffs } from "../../features/handoffs/data.ts";
import { closeHandoff, replyToHandoff } from "../../features/handoffs/mutations.ts";
import { idParams, listQuery, replyBody } from "../../features/handoffs/schema.ts";
import { audit } from "../../features/staff/audit.ts";
import type { Clock } from "../../lib/clock.ts";
import type { WebQueues } from "../queue-access.ts";
import { sendError } from "./errors.ts";
import { apiRoutes } from "./route.ts";

export interface ApiDeps {
  prisma: PrismaClient;
  queues: WebQueues;
  clock: Clock;
  /** When proactive messages wait for the morning (default 21:00-07:00). */
  quietHours?: QuietHours;
}

/** People who asked for a person: list with their messages, reply, close. */
export function handoffRoutes(app: FastifyInstance, deps: ApiDeps) {
  const route = apiRoutes(app, deps);

  route(
    {
      method: "GET",
      url: "/handoffs",
      summary: "People who asked for a person, with their messages since",
      query: listQuery,
      ok: [200, "{items, nextCursor}"],
      personalData: true,
    },
    async ({ query }, request) => {
      const who = request.staff!;
      const page = await listHandoffs(deps.prisma, { ...query, cities: who.cities });
      // Viewing people's names and messages is a view of personal data: recorded.
      await audit(deps.prisma, who, "handoffs.list", undefined, {
        status: query.status,
        count: page.items.length,
      });
      return page;
    },
  );

  route(
    {
      method: "POST",
      url: "/handoffs/:id/reply",
      summary: "Send a text to the person through their channel",
      params: idParams,
      body: replyBody,
      ok: [202, '{status: "queued", outboxId}'],
      conflict: "The handoff is closed",
    },
    async ({ params, body }, request, reply) => {
      const result = await replyToHandoff(
        deps,
        params.id,
        body.text,
        request.staff!,
        deps.clock.now(),
      );
      if (!result.ok)
        return sendError(
          reply,
          result.code === "not_found" ? 404 : 409,
          result.code,
          result.message,
        );
      return { status: "queued", outboxId: result.outboxId };
    },
  );

  route(
    {
      method: "POST",
      url: "/handoffs/:id/close",
      summary: "Close a handoff; the kept messages are cleared",
      params: idParams,
      ok: [200, '{status: "closed"}'],
      conflict: "The handoff is already closed",
    },
    async ({ params }, request, reply) => {
      const result = await closeHandoff(deps.prisma, params.id, request.staff!, deps.clock.now());
      if (!result.ok)
        return sendError(
          reply,
          result.code === "not_found" ? 404 : 409,
          result.code,
          result.message,
        );
      return { status: "closed" };
    },
  );
}
