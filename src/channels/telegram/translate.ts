/**
 * Telegram update → what the service should do with it. Pure translation:
 * no I/O, no business rules.
 */
import type { Message, Update } from "grammy/types";
import type { InboundMessage, MediaKind } from "../../domain/messages.ts";

export type TelegramEvent =
  /** A message (or button press) from a person in a private chat. */
  | {
      kind: "message";
      inbound: InboundMessage;
      callback?: { id: string; messageId?: number };
      /** Who wrote it (a linked staff member's commands are answered apart from the engine). */
      sender?: Sender;
    }
  /** A message in the staff group (TELEGRAM_STAFF_CHAT_ID). */
  | { kind: "staffChat"; chatId: number; sender: Sender; text: string }
  /** Someone wrote in a group or channel: the bot only works in private chats. */
  | { kind: "notPrivate"; chatId: number }
  /** A person edited an earlier message: it is not processed again. */
  | { kind: "edited"; chatId: number }
  /** The person blocked (false) or unblocked (true) the bot. */
  | { kind: "reachable"; chatId: number; reachable: boolean }
  /** A button press on a message the bot can no longer relate to. */
  | { kind: "staleCallback"; callbackId: string }
  | { kind: "ignore" };

export interface Sender {
  userId: number;
  /** "en" when their Telegram is in English, else "id". */
  language: string;
  /** The text of the bot's message this one replies to, if any (replies to people are not kept). */
  replyTo?: string;
  /** The message's id in its chat: a redelivered update is recognised by it. */
  messageId: number;
}

function senderOf(message: Message): Sender | undefined {
  if (!message.from) return undefined;
  const replied = message.reply_to_message;
  const replyTo = replied?.from?.is_bot ? replied.text : undefined;
  return {
    userId: message.from.id,
    language: message.from.language_code?.startsWith("en") ? "en" : "id",
    messageId: message.message_id,
    ...(replyTo ? { replyTo } : {}),
  };
}

function mediaOf(message: Message): MediaKind | undefined {
  if (message.voice) return "voice";
  if (message.audio) return "audio";
  if (message.photo) return "image";
  if (message.video || message.video_note || message.animation) return "video";
  if (message.document) return "document";
  if (message.sticker) return "sticker";
  if (message.location || message.venue) return "location";
  if (message.contact) return "contact";
  if (message.text === undefined && message.caption === undefined) return "other";
  return undefined;
}

/** `/start payload` → the deep-link payload (where the person came from). */
function startPayload(text: string): string | undefined {
  const match = /^\/start(?:@\w+)?\s+(\S{1,64})/.exec(text);
  return match?.[1];
}

/** A contact the person shared about themselves carries their phone number. */
function ownPhone(message: Message): string | undefined {
  const c = message.contact;
  if (!c || !message.from || c.user_id !== message.from.id) return undefined;
  const digits = c.phone_number.replace(/[^\d]/g, "");
  return digits.length >= 8 ? `+${digits}` : undefined;
}

export function translateUpdate(
  update: Update,
  opts: { staffChatId?: string } = {},
): TelegramEvent {
  if (update.my_chat_member) {
    const m = update.my_chat_member;
    if (m.chat.type !== "private") return { kind: "ignore" };
    const status = m.new_chat_member.status;
    return {
      kind: "reachable",
      chatId: m.chat.id,
      reachable: status !== "kicked" && status !== "left",
    };
  }
  if (update.callback_query) {
    const q = update.callback_query;
    const chat = q.message?.chat;
    if (chat?.type !== "private" || q.data === undefined) {
      return { kind: "staleCallback", callbackId: q.id };
    }
    return {
      kind: "message",
      callback: { id: q.id, messageId: q.message?.message_id },
      inbound: {
        channel: "telegram",
        externalUserId: String(chat.id),
        externalMessageId: `cb-${q.id}`,
        text: "",
        choice: q.data,
        receivedAt: new Date(),
      },
    };
  }
  const edited = update.edited_message ?? update.edited_channel_post;
  if (edited) {
    return edited.chat.type === "private"
      ? { kind: "edited", chatId: edited.chat.id }
      : { kind: "ignore" };
  }
  if (update.channel_post) return { kind: "notPrivate", chatId: update.channel_post.chat.id };
  const message = update.message;
  if (!message) return { kind: "ignore" };
  const sender = senderOf(message);
  if (opts.staffChatId && String(message.chat.id) === opts.staffChatId) {
    return message.text !== undefined && sender
      ? { kind: "staffChat", chatId: message.chat.id, sender, text: message.text }
      : { kind: "ignore" };
  }
  if (message.chat.type !== "private") {
    // Service messages (someone added the bot, a title change) get no answer; real messages do.
    const spoken = message.text ?? message.caption;
    return spoken === undefined
      ? { kind: "ignore" }
      : { kind: "notPrivate", chatId: message.chat.id };
  }
  const text = message.text ?? message.caption ?? "";
  const media = mediaOf(message);
  const source = text.startsWith("/start") ? startPayload(text) : undefined;
  const phone = ownPhone(message);
  return {
    kind: "message",
    inbound: {
      channel: "telegram",
      externalUserId: String(message.chat.id),
      // Message ids are per chat: the chat id makes them unique.
      externalMessageId: `${message.chat.id}:${message.message_id}`,
      // "/start payload" means "start"; the payload is kept as the source.
      text: source ? "/start" : text,
      ...(media ? { media } : {}),
      ...(source ? { source } : {}),
      ...(phone ? { phone } : {}),
      receivedAt: new Date(message.date * 1000),
    },
    ...(sender ? { sender } : {}),
  };
}
