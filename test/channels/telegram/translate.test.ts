import type { Update } from "grammy/types";
import { describe, expect, it } from "vitest";
import { translateUpdate } from "../../../src/channels/telegram/translate.ts";
import {
  callbackUpdate,
  channelPostUpdate,
  contactUpdate,
  documentUpdate,
  editedMessageUpdate,
  groupTextUpdate,
  locationUpdate,
  myChatMemberUpdate,
  photoUpdate,
  startUpdate,
  stickerUpdate,
  textUpdate,
  voiceUpdate,
} from "../../helpers/telegram-updates.ts";
import { inboundOf, inboundTable } from "../harness.ts";

const CHAT = 555000111;
const u = (update: object, id = 1) => ({ update_id: id, ...update }) as Update;
const msg = (messageId: number, fields: Record<string, unknown>) => ({
  kind: "message",
  inbound: {
    channel: "telegram",
    externalUserId: String(CHAT),
    externalMessageId: `${CHAT}:${messageId}`,
    ...fields,
  },
});

describe("Telegram updates → InboundMessage", () => {
  inboundTable<Update, unknown>(
    [
      {
        name: "text",
        payload: u(textUpdate(CHAT, "halo", { messageId: 10 })),
        expected: msg(10, { text: "halo" }),
      },
      {
        name: "unicode, emoji and right-to-left text",
        payload: u(textUpdate(CHAT, "Saya Tuli 🙏 مرحبا", { messageId: 11 })),
        expected: msg(11, { text: "Saya Tuli 🙏 مرحبا" }),
      },
      {
        name: "/start with a deep-link payload is recorded as the source",
        payload: u(startUpdate(CHAT, "poster_makassar", { messageId: 12 })),
        expected: msg(12, { text: "/start", source: "poster_makassar" }),
      },
      {
        name: "a command",
        payload: u(textUpdate(CHAT, "/bantuan", { messageId: 13 })),
        expected: msg(13, { text: "/bantuan" }),
      },
      {
        name: "a button press",
        payload: u(callbackUpdate(CHAT, "yes", 40)),
        expected: {
          kind: "message",
          callback: { id: expect.any(String), messageId: 40 },
          inbound: {
            channel: "telegram",
            externalUserId: String(CHAT),
            externalMessageId: expect.stringMatching(/^cb-/),
            text: "",
            choice: "yes",
          },
        },
      },
      {
        name: "voice note",
        payload: u(voiceUpdate(CHAT, { messageId: 14 })),
        expected: msg(14, { text: "", media: "voice" }),
      },
      {
        name: "photo with caption",
        payload: u(photoUpdate(CHAT, { messageId: 15, caption: "ijazah saya" })),
        expected: msg(15, { text: "ijazah saya", media: "image" }),
      },
      {
        name: "document",
        payload: u(documentUpdate(CHAT, { messageId: 16 })),
        expected: msg(16, { text: "", media: "document" }),
      },
      {
        name: "sticker",
        payload: u(stickerUpdate(CHAT, { messageId: 17 })),
        expected: msg(17, { text: "", media: "sticker" }),
      },
      {
        name: "location",
        payload: u(locationUpdate(CHAT, -5.14, 119.42, { messageId: 18 })),
        expected: msg(18, { text: "", media: "location" }),
      },
      {
        name: "own contact shares the phone number",
        payload: u(contactUpdate(CHAT, "6281234567890", { messageId: 19 })),
        expected: msg(19, { text: "", media: "contact", phone: "+6281234567890" }),
      },
      {
        name: "someone else's contact does not",
        payload: u(contactUpdate(CHAT, "6289999999999", { messageId: 20, userId: 42 })),
        expected: msg(20, { text: "", media: "contact" }),
      },
      {
        name: "edited message",
        payload: u(editedMessageUpdate(CHAT, "halo lagi", { messageId: 10 })),
        expected: { kind: "edited", chatId: CHAT },
      },
      {
        name: "message in a group",
        payload: u(groupTextUpdate(-100123, "halo bot")),
        expected: { kind: "notPrivate", chatId: -100123 },
      },
      {
        name: "channel post",
        payload: u(channelPostUpdate(-100999, "pengumuman")),
        expected: { kind: "notPrivate", chatId: -100999 },
      },
      {
        name: "blocked the bot",
        payload: u(myChatMemberUpdate(CHAT, "kicked")),
        expected: { kind: "reachable", chatId: CHAT, reachable: false },
      },
      {
        name: "unblocked the bot",
        payload: u(myChatMemberUpdate(CHAT, "member")),
        expected: { kind: "reachable", chatId: CHAT, reachable: true },
      },
    ],
    inboundOf,
  );
});

describe("who wrote, for staff commands", () => {
  it("keeps the sender, their Telegram language and the message they replied to", () => {
    const update = u(
      groupTextUpdate(-777, "Baik, kami telepon.", {
        fromId: 42,
        languageCode: "en",
        messageId: 77,
      }),
    );
    (update.message as { reply_to_message?: object }).reply_to_message = {
      message_id: 1,
      date: 0,
      chat: update.message!.chat,
      from: { id: 100, is_bot: true, first_name: "IJC Bot" },
      text: "nomor 0f3e9a21",
    };
    expect(translateUpdate(update, { staffChatId: "-777" })).toEqual({
      kind: "staffChat",
      chatId: -777,
      sender: { userId: 42, language: "en", messageId: 77, replyTo: "nomor 0f3e9a21" },
      text: "Baik, kami telepon.",
    });
    // Another group is still not a place the bot works in.
    expect(translateUpdate(update, { staffChatId: "-778" })).toEqual({
      kind: "notPrivate",
      chatId: -777,
    });
    expect(translateUpdate(u(textUpdate(CHAT, "/stats")))).toMatchObject({
      kind: "message",
      sender: { userId: CHAT, language: "id" },
    });
    // A reply to a person's message (not the bot's) carries no text to act on.
    (update.message as { reply_to_message: { from: object } }).reply_to_message.from = {
      id: 7,
      is_bot: false,
      first_name: "Budi",
    };
    expect(translateUpdate(update, { staffChatId: "-777" })).toMatchObject({
      sender: { userId: 42, language: "en", messageId: 77 },
    });
    expect(
      (translateUpdate(update, { staffChatId: "-777" }) as { sender: object }).sender,
    ).not.toHaveProperty("replyTo");
  });
});
