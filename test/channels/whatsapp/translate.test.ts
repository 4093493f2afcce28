/**
 * WhatsApp messages as Baileys 7 delivers them in `messages.upsert` (shaped
 * after its WAMessage type: key with remoteJid/remoteJidAlt/fromMe/id,
 * messageTimestamp, message) → what the engine receives.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { WAMessage } from "@whiskeysockets/baileys";
import { describe, expect, it } from "vitest";
import { phoneOf, translateMessage } from "../../../src/channels/whatsapp/translate.ts";
import { inboundTable } from "../harness.ts";

const fixtures = JSON.parse(
  readFileSync(join(import.meta.dirname, "../../fixtures/whatsapp/messages.json"), "utf8"),
) as Record<string, WAMessage>;

const LID = "123456789012345@lid";
const AT = new Date(1_795_000_000 * 1000);
const message = (id: string, fields: Record<string, unknown>, jid = LID) => ({
  kind: "message",
  inbound: {
    channel: "whatsapp",
    externalUserId: jid,
    externalMessageId: `${jid}:${id}`,
    ...fields,
  },
});

const EXPECTED: Record<string, unknown> = {
  text: message("3EB0A1", { text: "halo" }),
  text_phone_jid: message(
    "3EB0A2",
    { text: "daftar", phone: "+6281234567890" },
    "6281234567890@s.whatsapp.net",
  ),
  text_lid_with_alt: message("3EB0A3", { text: "1", phone: "+6281234567890" }),
  extended_text_reply: message("3EB0A4", { text: "2" }),
  unicode: message("3EB0A5", { text: "Saya Tuli 🙏 مرحبا" }),
  voice_note: message("3EB0A6", { text: "", media: "voice" }),
  audio_file: message("3EB0A7", { text: "", media: "audio" }),
  image_caption: message("3EB0A8", { text: "ini KTP saya", media: "image" }),
  document: message("3EB0A9", { text: "", media: "document" }),
  document_caption: message("3EB0AA", { text: "CV saya", media: "document" }),
  sticker: message("3EB0AB", { text: "", media: "sticker" }),
  reaction: message("3EB0AC", { text: "👍", media: "reaction" }),
  ephemeral_text: message("3EB0AD", { text: "lowongan" }),
  location: message("3EB0AE", { text: "", media: "location" }),
  own_message: { kind: "ignore", why: "own" },
  status_broadcast: { kind: "ignore", why: "status" },
  group: { kind: "ignore", why: "group" },
  protocol: { kind: "ignore", why: "protocol" },
  // One person however a message is addressed: keyed by the LID, the number kept.
  phone_jid_with_lid_alt: message("3EB0B1", { text: "lowongan", phone: "+6281234567890" }),
  reaction_removed: { kind: "ignore", why: "protocol" },
  stub: { kind: "ignore", why: "protocol" },
};

describe("WhatsApp messages → InboundMessage", () => {
  it("has an expectation for every fixture", () => {
    expect(Object.keys(fixtures).sort()).toEqual(Object.keys(EXPECTED).sort());
  });
  inboundTable<WAMessage, unknown>(
    Object.entries(fixtures).map(([name, payload]) => ({
      name,
      payload,
      expected: EXPECTED[name],
    })),
    (payload) => translateMessage(payload, "notify"),
  );

  it("dates a message when WhatsApp says it was sent", () => {
    const event = translateMessage(fixtures.text!, "notify");
    expect(event).toMatchObject({ kind: "message", inbound: { receivedAt: AT } });
  });

  it("takes messages that arrived while offline (append), but not old history", () => {
    const day = 86_400_000;
    // Baileys 7 delivers offline messages as "append" after sending their receipts.
    expect(translateMessage(fixtures.text!, "append", new Date(AT.getTime() + day))).toMatchObject({
      kind: "message",
      inbound: { externalMessageId: `${LID}:3EB0A1`, text: "halo" },
    });
    expect(translateMessage(fixtures.text!, "append", new Date(AT.getTime() + 8 * day))).toEqual({
      kind: "ignore",
      why: "old",
    });
    expect(translateMessage(fixtures.text!, "history")).toBeNull();
  });

  it("reads a phone number only from a phone-number JID", () => {
    expect(phoneOf("6281234567890@s.whatsapp.net")).toBe("+6281234567890");
    expect(phoneOf(LID)).toBeUndefined();
    expect(phoneOf("120363000000000000@g.us")).toBeUndefined();
    expect(phoneOf(undefined)).toBeUndefined();
  });
});
