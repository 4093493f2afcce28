/**
 * Baileys `messages.upsert` → what the service should do. Pure: no I/O.
 * Only `notify` upserts are new messages; own messages, status broadcasts,
 * groups and newsletters are not for the engine. People are keyed by the JID
 * WhatsApp gives (a LID in v7); a phone number is kept only when WhatsApp
 * shows it (a phone-number JID, or `remoteJidAlt`).
 */
import type { proto, WAMessage } from "@whiskeysockets/baileys";
import type { InboundMessage, MediaKind } from "../types.ts";

export type WhatsAppEvent =
  | { kind: "message"; inbound: InboundMessage }
  /** Not a person's message to us: nothing to store or answer. */
  | { kind: "ignore"; why: "own" | "status" | "group" | "broadcast" | "protocol" | "no-id" };

const PHONE_JID = /^(\d{6,15})@s\.whatsapp\.net$/;

/** The E.164 number in a phone-number JID, if it is one. */
export function phoneOf(jid: string | null | undefined): string | undefined {
  const match = jid ? PHONE_JID.exec(jid) : null;
  return match ? `+${match[1]}` : undefined;
}

/** Unwraps ephemeral, view-once and edited containers to the message inside. */
function inner(message: proto.IMessage | null | undefined): proto.IMessage | undefined {
  let m = message ?? undefined;
  for (let i = 0; i < 4 && m; i++) {
    const next =
      m.ephemeralMessage?.message ??
      m.viewOnceMessage?.message ??
      m.viewOnceMessageV2?.message ??
      m.documentWithCaptionMessage?.message;
    if (!next) break;
    m = next;
  }
  return m;
}

function content(m: proto.IMessage): { text: string; media?: MediaKind } | null {
  if (m.conversation != null) return { text: m.conversation };
  if (m.extendedTextMessage) return { text: m.extendedTextMessage.text ?? "" };
  if (m.audioMessage) return { text: "", media: m.audioMessage.ptt ? "voice" : "audio" };
  if (m.imageMessage) return { text: m.imageMessage.caption ?? "", media: "image" };
  if (m.videoMessage) return { text: m.videoMessage.caption ?? "", media: "video" };
  if (m.documentMessage) return { text: m.documentMessage.caption ?? "", media: "document" };
  if (m.stickerMessage) return { text: "", media: "sticker" };
  if (m.locationMessage || m.liveLocationMessage) return { text: "", media: "location" };
  if (m.contactMessage || m.contactsArrayMessage) return { text: "", media: "contact" };
  if (m.reactionMessage) return { text: m.reactionMessage.text ?? "", media: "reaction" };
  // Button or list answers (from other clients), and poll votes, carry the chosen text.
  if (m.buttonsResponseMessage) return { text: m.buttonsResponseMessage.selectedDisplayText ?? "" };
  if (m.listResponseMessage) return { text: m.listResponseMessage.title ?? "" };
  if (m.protocolMessage || m.senderKeyDistributionMessage) return null;
  return { text: "", media: "other" };
}

export function translateMessage(msg: WAMessage, type: string): WhatsAppEvent | null {
  if (type !== "notify") return null;
  const key = msg.key;
  const jid = key.remoteJid ?? "";
  if (key.fromMe) return { kind: "ignore", why: "own" };
  if (jid === "status@broadcast") return { kind: "ignore", why: "status" };
  if (jid.endsWith("@g.us")) return { kind: "ignore", why: "group" };
  if (jid.endsWith("@broadcast") || jid.endsWith("@newsletter"))
    return { kind: "ignore", why: "broadcast" };
  if (!key.id || !jid) return { kind: "ignore", why: "no-id" };
  const m = inner(msg.message);
  const body = m ? content(m) : null;
  if (!body) return { kind: "ignore", why: "protocol" };
  const alt = (key as { remoteJidAlt?: string | null }).remoteJidAlt;
  const phone = phoneOf(jid) ?? phoneOf(alt);
  const seconds = Number(msg.messageTimestamp ?? 0);
  return {
    kind: "message",
    inbound: {
      channel: "whatsapp",
      externalUserId: jid,
      // Ids are per chat: the JID makes them unique, and a redelivery is recognised.
      externalMessageId: `${jid}:${key.id}`,
      text: body.text,
      ...(body.media ? { media: body.media } : {}),
      ...(phone ? { phone } : {}),
      receivedAt: seconds > 0 ? new Date(seconds * 1000) : new Date(),
    },
  };
}
