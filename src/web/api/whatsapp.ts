import type { FastifyInstance } from "fastify";
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
import { sendError, sendFailure } from "./errors.ts";
import type { ApiDeps } from "./handoffs.ts";
import { apiRoutes } from "./route.ts";

/**
 * The WhatsApp connection. Admins of any cities read its state; whoever pairs
 * the number speaks for the service to every city's seekers, so pairing (the
 * QR code, a pairing code), connecting again and resuming sending are for
 * admins of all cities (403 for an admin limited to some; the features check
 * it too).
 */
export function whatsappRoutes(app: FastifyInstance, deps: ApiDeps & { whatsapp?: WhatsAppLink }) {
  const route = apiRoutes(app, deps);

  route(
    {
      method: "GET",
      url: "/whatsapp",
      summary:
        "The WhatsApp connection: state (not_configured, not_running, waiting, connecting, pairing, open, reconnecting, logged_out, replaced, forbidden, multidevice_mismatch, pairing_expired, session_unreadable), since, restricted, pairing; a pairing code (pairing.code) only for an admin of all cities (audited)",
      ok: [200, "{state, since, restricted, pairing, retryInMs}"],
      role: "admin",
    },
    async (_input, request) => {
      const overview = await whatsappOverview(deps.whatsapp);
      if (overview.pairing?.by !== "code") return overview;
      // A pairing code links the number: shown only to admins of all cities, and recorded.
      if (notServiceWide(request.staff!)) return { ...overview, pairing: { by: "code" } };
      await audit(deps.prisma, request.staff!, "whatsapp.code");
      return overview;
    },
  );

  route(
    {
      method: "GET",
      url: "/whatsapp/qr.png",
      summary:
        "The QR code to scan while pairing (it changes about every 20 seconds); 404 when none",
      ok: [200, "image/png"],
      role: "admin",
      serviceWide: true,
    },
    async (_input, request, reply) => {
      const png = await pairingQr(deps.whatsapp, "png");
      if (!png)
        return sendError(reply, 404, "not_found", "No QR code now: WhatsApp is not pairing by QR");
      await audit(deps.prisma, request.staff!, "whatsapp.qr");
      return reply.type("image/png").header("cache-control", "no-store").send(png);
    },
  );

  route(
    {
      method: "POST",
      url: "/whatsapp/pairing-code",
      summary:
        "Pair by code instead of QR: the gateway asks WhatsApp for a code, shown by GET /whatsapp within seconds",
      body: pairingBody,
      ok: [202, '{status: "requested"}'],
      role: "admin",
      serviceWide: true,
      conflict: "WhatsApp is not configured, or already connected",
    },
    async ({ body }, request, reply) => {
      const result = await requestPairingCode(
        deps.whatsapp,
        deps.prisma,
        request.staff!,
        body.phone,
      );
      if (!result.ok) return sendFailure(reply, result);
      return { status: "requested" };
    },
  );

  route(
    {
      method: "POST",
      url: "/whatsapp/connect",
      summary: "Connect again after a stop (logged out: pairing starts anew)",
      ok: [202, '{status: "requested"}'],
      role: "admin",
      serviceWide: true,
      conflict: "WhatsApp is not configured",
    },
    async (_input, request, reply) => {
      const result = await connectAgain(deps.whatsapp, deps.prisma, request.staff!);
      if (!result.ok) return sendFailure(reply, result);
      return { status: "requested" };
    },
  );

  route(
    {
      method: "POST",
      url: "/whatsapp/resume",
      summary:
        "Resume sending after a restriction stopped it (check the number on the phone first); 409 when not stopped",
      ok: [200, '{status: "sending"}'],
      role: "admin",
      serviceWide: true,
      conflict: "WhatsApp is not configured, or sending is not stopped",
    },
    async (_input, request, reply) => {
      const result = await resumeSending(deps.whatsapp, deps, request.staff!);
      if (!result.ok) return sendFailure(reply, result);
      return { status: "sending" };
    },
  );
}
