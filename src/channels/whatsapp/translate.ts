/**
 * Baileys `messages.upsert` → what the service should do. Pure: no I/O.
 * New messages come as `notify`, and those that arrived while the service was
 * offline as `append` (Baileys 7 has already sent their receipts: dropping
 * them would lose them); an `append` older than MAX_APPEND_AGE_MS is old
 * history, not a message to answer. Own messages, status broadcasts, groups
 * and newsletters are not for the engine. People are keyed by their LID when
 * WhatsApp shows one (as the JID or as `remoteJidAlt`), so one person stays
 * one person however a message is addressed; a phone number is kept only
 * when WhatsApp shows it.
 */
import type { proto, WAMessage } from "@whiskeysockets/baileys";
import type { InboundMessage, MediaKind } from "../../domain/messages.ts";

export type WhatsAppEvent =
  | { kind: "message"; inbound: InboundMessage }
  /** Not a person's message to us: nothing to store or answer. */
  | {
      kind: "ignore";
      why: "own" | "status" | "group" | "broadcast" | "protocol" | "no-id" | "old";
    };

/** Offline messages older than this are history, not messages to answer. */
export const MAX_APPEND_AGE_MS = 7 * 86_400_000;

const PHONE_JID = /^(\d{6,15})@s\.whatsapp\.net$/;

/** The E.164 number in a phone-number JID, if it is one. */
export function phoneOf(jid: string | null | undefined): string | undefined {
  const match = jid ? PHONE_JID.exec(jid) : null;
  return match ? `+${match[1]}` : undefined;
}

/** Unwraps ephemeral, view-once and captioned-document containers to the message inside. */
function inner(message: proto.IMessage | null | undefined): proto.IMessage | undefined {
  let m = message ?? undefined;
  for (let i = 0; i < 4 && m; i++) {
    const next =
      m.ephemeralMessage?.message ??
      m.viewOnceMessage?.message ??
      m.viewOnceMessageV2?.message ??
      m.viewOnceMessageV2Extension?.message ??
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
  // An empty reaction is one taken back: nothing to answer.
  if (m.reactionMessage)
    return m.reactionMessage.text ? { text: m.reactionMessage.text, media: "reaction" } : null;
  // Button or list answers (from other clients), and poll votes, carry the chosen text.
  if (m.buttonsResponseMessage) return { text: m.buttonsResponseMessage.selectedDisplayText ?? "" };
  if (m.listResponseMessage) return { text: m.listResponseMessage.title ?? "" };
  if (m.protocolMessage || m.senderKeyDistributionMessage) return null;
  return { text: "", media: "other" };
}

export function translateMessage(
  msg: WAMessage,
  type: string,
  now: Date = new Date(),
): WhatsAppEvent | null {
  if (type !== "notify" && type !== "append") return null;
  const key = msg.key;
  const jid = key.remoteJid ?? "";
  if (key.fromMe) return { kind: "ignore", why: "own" };
  if (jid === "status@broadcast") return { kind: "ignore", why: "status" };
  if (jid.endsWith("@g.us")) return { kind: "ignore", why: "group" };
  if (jid.endsWith("@broadcast") || jid.endsWith("@newsletter"))
    return { kind: "ignore", why: "broadcast" };
  if (!key.id || !jid) return { kind: "ignore", why: "no-id" };
  if (msg.messageStubType) return { kind: "ignore", why: "protocol" };
  const seconds = Number(msg.messageTimestamp ?? 0);
  if (type === "append" && (seconds <= 0 || now.getTime() - seconds * 1000 > MAX_APPEND_AGE_MS))
    return { kind: "ignore", why: "old" };
  const m = inner(msg.message);
  const body = m ? content(m) : null;
  if (!body) return { kind: "ignore", why: "protocol" };
  const alt = (key as { remoteJidAlt?: string | null }).remoteJidAlt;
  const phone = phoneOf(jid) ?? phoneOf(alt);
  const person = !jid.endsWith("@lid") && alt?.endsWith("@lid") ? alt : jid;
  return {
    kind: "message",
    inbound: {
      channel: "whatsapp",
      externalUserId: person,
      // Ids are per chat: the person's JID makes them unique, and a redelivery is recognised.
      externalMessageId: `${person}:${key.id}`,
      text: body.text,
      ...(body.media ? { media: body.media } : {}),
      ...(phone ? { phone } : {}),
      receivedAt: seconds > 0 ? new Date(seconds * 1000) : new Date(),
    },
  };
}
