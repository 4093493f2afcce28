/**
 * What staff see of and do with the WhatsApp connection (API and console):
 * its state, the QR code while pairing, a pairing code for a number,
 * connecting again after a stop, and resuming sending after a restriction.
 * The gateway may be another process: everything goes through Redis.
 */
import QRCode from "qrcode";
import { z } from "zod";
import type { PrismaClient } from "../../db/types.ts";
import type { Enqueue } from "../../domain/queues.ts";
import type { Clock } from "../../lib/clock.ts";
import { releaseHeld } from "../../outbox/whatsapp.ts";
import { conflict, type Failure, notServiceWide, type Result } from "../results.ts";
import { internationalNumber } from "../schema-parts.ts";
import { audit } from "../staff/audit.ts";
import type { StaffPrincipal } from "../staff/tokens.ts";
import type { SendCircuit } from "./circuit.ts";
import type { ConnectionState, WhatsAppControl } from "./status.ts";

export interface WhatsAppLink {
  control: WhatsAppControl;
  circuit: SendCircuit;
}

export interface WhatsAppOverview {
  /** not_configured: no WHATSAPP_AUTH_KEY; not_running: no gateway reports. */
  state: ConnectionState | "not_configured" | "not_running";
  since: string | null;
  /** Sending stopped after a restriction signal, until staff resume it. */
  restricted: { reason: string; at: string } | null;
  /** While pairing: by QR (see the QR endpoint) or by the code shown here. */
  pairing: { by: "qr" } | { by: "code"; code: string } | null;
  retryInMs: number | null;
}

export async function whatsappOverview(link: WhatsAppLink | undefined): Promise<WhatsAppOverview> {
  if (!link)
    return {
      state: "not_configured",
      since: null,
      restricted: null,
      pairing: null,
      retryInMs: null,
    };
  const [status, restricted] = await Promise.all([link.control.readStatus(), link.circuit.state()]);
  return {
    state: status?.state ?? "not_running",
    since: status?.since ?? null,
    restricted,
    pairing:
      status?.state !== "pairing"
        ? null
        : status.pairingCode
          ? { by: "code", code: status.pairingCode }
          : { by: "qr" },
    retryInMs: status?.retryInMs ?? null,
  };
}

/** The current pairing QR code as an image, or null when none is shown. */
export async function pairingQr(
  link: WhatsAppLink | undefined,
  format: "png" | "svg",
): Promise<Buffer | string | null> {
  const status = link ? await link.control.readStatus() : null;
  if (status?.state !== "pairing" || !status.qr) return null;
  return format === "png"
    ? QRCode.toBuffer(status.qr, { type: "png", margin: 2, width: 320 })
    : QRCode.toString(status.qr, { type: "svg", margin: 2, width: 320 });
}

export const pairingBody = z.object({
  phone: internationalNumber(
    "the service's WhatsApp number with its country code, like 6281234567890",
  ),
});

const notConfigured: Failure = conflict("WhatsApp is not configured (set WHATSAPP_AUTH_KEY)");

/** Asks the gateway for a code to type on the phone (Linked devices → Link with phone number). */
export async function requestPairingCode(
  link: WhatsAppLink | undefined,
  prisma: PrismaClient,
  who: StaffPrincipal,
  phone: string,
): Promise<Result<object>> {
  const denied = notServiceWide(who);
  if (denied) return denied;
  if (!link) return notConfigured;
  const status = await link.control.readStatus();
  if (status?.state === "open") return conflict("WhatsApp is already connected");
  await link.control.request({ kind: "pair", phone });
  await audit(prisma, who, "whatsapp.pairing_code");
  return { ok: true };
}

/** After a stop (logged out, replaced, forbidden): connect again (pairing anew if logged out). */
export async function connectAgain(
  link: WhatsAppLink | undefined,
  prisma: PrismaClient,
  who: StaffPrincipal,
): Promise<Result<object>> {
  const denied = notServiceWide(who);
  if (denied) return denied;
  if (!link) return notConfigured;
  await link.control.request({ kind: "connect" });
  await audit(prisma, who, "whatsapp.connect");
  return { ok: true };
}

/** Staff checked the number after a restriction: sending goes on, slowly as always. */
export async function resumeSending(
  link: WhatsAppLink | undefined,
  deps: { prisma: PrismaClient; queues: Enqueue; clock: Clock },
  who: StaffPrincipal,
): Promise<Result<object>> {
  const denied = notServiceWide(who);
  if (denied) return denied;
  if (!link) return notConfigured;
  const open = await link.circuit.state();
  if (!open) return conflict("WhatsApp sending is not stopped");
  await link.circuit.close();
  await audit(deps.prisma, who, "whatsapp.resume", undefined, { reason: open.reason });
  // The held messages go now (at the usual pace), not at their next look in 15 minutes.
  await releaseHeld(deps);
  return { ok: true };
}
