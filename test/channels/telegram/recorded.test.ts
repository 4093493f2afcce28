/** Recorded Bot API update JSON (test/fixtures/telegram/updates.json) through the shared harness. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Update } from "grammy/types";
import { describe, expect } from "vitest";
import { inboundOf, inboundTable } from "../harness.ts";

const updates = JSON.parse(
  readFileSync(join(import.meta.dirname, "../../fixtures/telegram/updates.json"), "utf8"),
) as Record<string, Update>;

/** Expected result per recorded update: a message (with fields) or another kind. */
const message = (update: Update, fields: Record<string, unknown>) => {
  const m = update.message!;
  return {
    kind: "message",
    inbound: {
      channel: "telegram",
      externalUserId: String(m.chat.id),
      externalMessageId: `${m.chat.id}:${m.message_id}`,
      ...fields,
    },
  };
};

const EXPECTED: Record<string, (u: Update) => unknown> = {
  text: (u) => message(u, { text: "halo" }),
  text_unicode: (u) => message(u, { text: u.message!.text }),
  text_rtl: (u) => message(u, { text: u.message!.text }),
  text_no_language: (u) => message(u, { text: u.message!.text }),
  start_deeplink: (u) => message(u, { text: "/start", source: "ref_ijc-makassar_2025" }),
  start: (u) => message(u, { text: "/start" }),
  menu_command: (u) => message(u, { text: u.message!.text }),
  callback_query: (u) => ({
    kind: "message",
    callback: { id: u.callback_query!.id, messageId: u.callback_query!.message!.message_id },
    inbound: {
      channel: "telegram",
      externalUserId: String(u.callback_query!.message!.chat.id),
      externalMessageId: `cb-${u.callback_query!.id}`,
      text: "",
      choice: u.callback_query!.data,
    },
  }),
  voice: (u) => message(u, { text: "", media: "voice" }),
  photo_with_caption: (u) => message(u, { text: u.message!.caption, media: "image" }),
  document: (u) => message(u, { text: u.message!.caption ?? "", media: "document" }),
  sticker: (u) => message(u, { text: "", media: "sticker" }),
  location: (u) => message(u, { text: "", media: "location" }),
  contact: (u) =>
    message(u, {
      text: "",
      media: "contact",
      phone: `+${u.message!.contact!.phone_number.replace(/\D/g, "")}`,
    }),
  contact_with_plus: (u) => message(u, { text: "", media: "contact", phone: "+6285298765432" }),
  edited_message: (u) => ({ kind: "edited", chatId: u.edited_message!.chat.id }),
  group_message: (u) => ({ kind: "notPrivate", chatId: u.message!.chat.id }),
  channel_post: (u) => ({ kind: "notPrivate", chatId: u.channel_post!.chat.id }),
  my_chat_member_kicked: (u) => ({
    kind: "reachable",
    chatId: u.my_chat_member!.chat.id,
    reachable: false,
  }),
  my_chat_member_member: (u) => ({
    kind: "reachable",
    chatId: u.my_chat_member!.chat.id,
    reachable: true,
  }),
};

describe("recorded Telegram updates → InboundMessage", () => {
  expect(Object.keys(updates).sort()).toEqual(Object.keys(EXPECTED).sort());
  inboundTable<Update, unknown>(
    Object.entries(updates).map(([name, update]) => ({
      name,
      payload: update,
      expected: EXPECTED[name]!(update),
    })),
    inboundOf,
  );
});
