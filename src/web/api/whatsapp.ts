import type { FastifyInstance } from "fastify";
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

/** The WhatsApp connection, for admins: whoever pairs the number speaks for the service. */
export function whatsappRoutes(app: FastifyInstance, deps: ApiDeps & { whatsapp?: WhatsAppLink }) {
  const admin = requireStaff(deps, ["admin"]);

  app.get("/whatsapp", { preHandler: admin }, async (request) => {
    const overview = await whatsappOverview(deps.whatsapp);
    // A pairing code lets someone link the number: seeing it is recorded.
    if (overview.pairing?.by === "code") await audit(deps.prisma, request.staff!, "whatsapp.code");
    return overview;
  });

  app.get("/whatsapp/qr.png", { preHandler: admin }, async (request, reply) => {
    const png = await pairingQr(deps.whatsapp, "png");
    if (!png)
      return sendError(reply, 404, "not_found", "No QR code now: WhatsApp is not pairing by QR");
    await audit(deps.prisma, request.staff!, "whatsapp.qr");
    return reply.type("image/png").header("cache-control", "no-store").send(png);
  });

  app.post("/whatsapp/pairing-code", { preHandler: admin }, async (request, reply) => {
    const body = parseOr400(reply, pairingBody, request.body ?? {});
    if (!body) return reply;
    const result = await requestPairingCode(deps.whatsapp, deps.prisma, request.staff!, body.phone);
    if (!result.ok) return sendFailure(reply, result);
    return reply.code(202).send({ status: "requested" });
  });

  app.post("/whatsapp/connect", { preHandler: admin }, async (request, reply) => {
    const result = await connectAgain(deps.whatsapp, deps.prisma, request.staff!);
    if (!result.ok) return sendFailure(reply, result);
    return reply.code(202).send({ status: "requested" });
  });

  app.post("/whatsapp/resume", { preHandler: admin }, async (request, reply) => {
    const result = await resumeSending(deps.whatsapp, deps, request.staff!);
    if (!result.ok) return sendFailure(reply, result);
    return { status: "sending" };
  });
}
