import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { notServiceWide } from "../../features/results.ts";
import { audit } from "../../features/staff/audit.ts";
import {
  connectAgain,
  pairingBody,
  pairingQr,
  requestPairingCode,
  resumeSending,
  type WhatsAppLink,
  whatsappOverview,
} from "../../features/whatsapp/connection.ts";
import { requireStaff } from "./auth.ts";
import { parseOr400, sendError, sendFailure } from "./errors.ts";
import type { ApiDeps } from "./handoffs.ts";

/**
 * The WhatsApp connection. Admins of any cities read its state; whoever pairs
 * the number speaks for the service to every city's seekers, so pairing (the
 * QR code, a pairing code), connecting again and resuming sending are for
 * admins of all cities (403 for an admin limited to some; the features check
 * it too).
 */
export function whatsappRoutes(app: FastifyInstance, deps: ApiDeps & { whatsapp?: WhatsAppLink }) {
  const admin = requireStaff(deps, ["admin"]);
  const serviceWide = async (request: FastifyRequest, reply: FastifyReply) => {
    const denied = notServiceWide(request.staff!);
    if (denied) return sendFailure(reply, denied);
  };

  app.get("/whatsapp", { preHandler: admin }, async (request) => {
    const overview = await whatsappOverview(deps.whatsapp);
    if (overview.pairing?.by !== "code") return overview;
    // A pairing code links the number: shown only to admins of all cities, and recorded.
    if (notServiceWide(request.staff!)) return { ...overview, pairing: { by: "code" } };
    await audit(deps.prisma, request.staff!, "whatsapp.code");
    return overview;
  });

  app.get("/whatsapp/qr.png", { preHandler: [admin, serviceWide] }, async (request, reply) => {
    const png = await pairingQr(deps.whatsapp, "png");
    if (!png)
      return sendError(reply, 404, "not_found", "No QR code now: WhatsApp is not pairing by QR");
    await audit(deps.prisma, request.staff!, "whatsapp.qr");
    return reply.type("image/png").header("cache-control", "no-store").send(png);
  });

  app.post(
    "/whatsapp/pairing-code",
    { preHandler: [admin, serviceWide] },
    async (request, reply) => {
      const body = parseOr400(reply, pairingBody, request.body ?? {});
      if (!body) return reply;
      const result = await requestPairingCode(
        deps.whatsapp,
        deps.prisma,
        request.staff!,
        body.phone,
      );
      if (!result.ok) return sendFailure(reply, result);
      return reply.code(202).send({ status: "requested" });
    },
  );

  app.post("/whatsapp/connect", { preHandler: [admin, serviceWide] }, async (request, reply) => {
    const result = await connectAgain(deps.whatsapp, deps.prisma, request.staff!);
    if (!result.ok) return sendFailure(reply, result);
    return reply.code(202).send({ status: "requested" });
  });

  app.post("/whatsapp/resume", { preHandler: [admin, serviceWide] }, async (request, reply) => {
    const result = await resumeSending(deps.whatsapp, deps, request.staff!);
    if (!result.ok) return sendFailure(reply, result);
    return { status: "sending" };
  });
}
