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
import { sendError, sendFailure } from "./errors.ts";
import type { ApiDeps } from "./handoffs.ts";
import { heldJson } from "./held.ts";
import { apiRoutes } from "./route.ts";

/** Announcements: preview the count, send now or later, follow the totals, cancel. */
export function broadcastRoutes(app: FastifyInstance, deps: ApiDeps) {
  const route = apiRoutes(app, deps);
  const now = () => deps.clock.now();

  route(
    {
      method: "POST",
      url: "/broadcasts/preview",
      summary: "How many people a segment reaches, and how many are skipped (stopped, unreachable)",
      body: previewBody,
      ok: [200, "{count, skipped: {stopped, unreachable}}"],
    },
    async ({ body }, request, reply) => {
      const result = await previewBroadcast(deps.prisma, body.segment, request.staff!);
      if (!result.ok) return sendFailure(reply, result);
      return { count: result.count, skipped: result.skipped };
    },
  );

  route(
    {
      method: "POST",
      url: "/broadcasts",
      summary:
        "Send an announcement now or at sendAt to a segment; each person gets their language (else Indonesian)",
      body: createBody,
      ok: [
        201,
        '{id, ref, status: "scheduled" | "sending", sendAt, count, held, heldUntil, heldByZone: [{timeZone, held, until}], warnings}: held = how many of count wait for the end of quiet hours (QUIET_HOURS, default 21:00-07:00 in each person\'s zone) at sendAt, heldUntil = when the last may go (null: none wait)',
      ],
    },
    async ({ body }, request, reply) => {
      const result = await createBroadcast(deps, body, request.staff!, now());
      if (!result.ok) return sendFailure(reply, result);
      return {
        id: result.broadcast.id,
        ref: result.broadcast.ref,
        status: result.broadcast.status,
        sendAt: result.broadcast.sendAt.toISOString(),
        count: result.count,
        // Of those, how many wait for the end of quiet hours in their zone, and until when.
        ...heldJson(result.held),
        warnings: result.warnings,
      };
    },
  );

  route(
    {
      method: "GET",
      url: "/broadcasts",
      summary: "Broadcasts, newest first",
      query: listQuery,
      ok: [200, "{items, nextCursor}"],
    },
    async ({ query }, request) => {
      return listBroadcasts(deps.prisma, { ...query, cities: request.staff!.cities });
    },
  );

  route(
    {
      method: "GET",
      url: "/broadcasts/:id",
      summary:
        "A broadcast with its totals: recipients, queued, sent, failed, skipped (by reason), and of the queued those held for the end of quiet hours (held, heldUntil)",
      params: idParams,
      ok: [
        200,
        "{status, totals: {recipients, queued, sent, failed, skipped, skippedBy, held, heldUntil}, …}",
      ],
    },
    async ({ params }, request, reply) => {
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
    },
  );

  route(
    {
      method: "GET",
      url: "/broadcasts/:id/recipients",
      summary: "Each recipient's status (queued, sent, failed with reason, skipped with reason)",
      params: idParams,
      query: recipientsQuery,
      ok: [200, "{items, nextCursor}"],
      personalData: true,
    },
    async ({ params, query }, request, reply) => {
      const who = request.staff!;
      const b = await findVisible(deps.prisma, params.id, who.cities);
      if (!b) return sendError(reply, 404, "not_found", `No broadcast ${params.id}`);
      const page = await listRecipients(deps.prisma, b.id, query);
      await audit(deps.prisma, who, "broadcasts.recipients", b.id, { count: page.items.length });
      return page;
    },
  );

  route(
    {
      method: "POST",
      url: "/broadcasts/:id/cancel",
      summary: "Stop a scheduled or sending broadcast; messages not yet sent are skipped",
      params: idParams,
      ok: [200, '{status: "cancelled", unsent, totals}'],
      conflict: "The broadcast is already done, cancelled or failed",
    },
    async ({ params }, request, reply) => {
      const result = await cancelBroadcast(deps, params.id, request.staff!, now());
      if (!result.ok) return sendFailure(reply, result);
      return {
        ...broadcastJson(result.broadcast),
        unsent: result.unsent,
        totals: await broadcastTotals(deps.prisma, params.id, deps.clock.now(), deps.quietHours),
      };
    },
  );
}
