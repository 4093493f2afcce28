/**
 * Builders for Bot API updates shaped exactly as Telegram sends them (field
 * names, optional fields left out rather than null, `date` in unix seconds,
 * entity offsets in UTF-16 code units). Without `updateId` the result has no
 * `update_id`: `FakeTelegram.pushUpdate` assigns one.
 *
 * In a private chat the chat id is the user's id, so `chatId` is both.
 */
import type { Chat, Message, MessageEntity, PhotoSize, Update, User } from "grammy/types";
import { BOT_FROM } from "./fake-telegram.ts";

export type UpdateWithoutId = Omit<Update, "update_id"> & { update_id?: number };

export interface PersonOpts {
  /** Default "Ani". */
  firstName?: string;
  lastName?: string;
  username?: string;
  /** IETF tag of the user's Telegram app language; default "id". Pass null to leave it out. */
  languageCode?: string | null;
}

export interface MessageOpts extends PersonOpts {
  messageId?: number;
  /** Unix seconds; default now. */
  date?: number;
  updateId?: number;
}

let messageCounter = 1000;
let fileCounter = 1;
let queryCounter = 1;

export function nextMessageId(): number {
  messageCounter += 1;
  return messageCounter;
}

function now(): number {
  return Math.floor(Date.now() / 1000);
}

/** `from` of a private user. */
export function tgUser(id: number, opts: PersonOpts = {}): User {
  return {
    id,
    is_bot: false,
    first_name: opts.firstName ?? "Ani",
    ...(opts.lastName !== undefined ? { last_name: opts.lastName } : {}),
    ...(opts.username !== undefined ? { username: opts.username } : {}),
    ...(opts.languageCode === null ? {} : { language_code: opts.languageCode ?? "id" }),
  };
}

/** The private chat with a user. */
export function privateChat(id: number, opts: PersonOpts = {}): Chat.PrivateChat {
  return {
    id,
    first_name: opts.firstName ?? "Ani",
    ...(opts.lastName !== undefined ? { last_name: opts.lastName } : {}),
    ...(opts.username !== undefined ? { username: opts.username } : {}),
    type: "private",
  };
}

/** Realistic-looking file ids: the prefix encodes the kind, as in Telegram's ids. */
export function fakeFileId(kind: "voice" | "photo" | "document" | "sticker"): {
  file_id: string;
  file_unique_id: string;
} {
  const n = (fileCounter++).toString(36).padStart(5, "0");
  const prefix = { voice: "AwAC", photo: "AgAC", document: "BQAC", sticker: "CAAC" }[kind];
  return {
    file_id: `${prefix}AgUAAxkBAAIB${n}Z2hQb1VtRXJ4cWtOaGpYd0xPQQACbQ${n}`,
    file_unique_id: `AgAD${n}Rw`,
  };
}

function base(chatId: number, opts: MessageOpts) {
  return {
    message_id: opts.messageId ?? nextMessageId(),
    from: tgUser(chatId, opts),
    chat: privateChat(chatId, opts),
    date: opts.date ?? now(),
  };
}

function wrap<T extends object>(opts: { updateId?: number }, body: T): T & { update_id?: number } {
  return opts.updateId !== undefined ? { update_id: opts.updateId, ...body } : body;
}

/**
 * Entities Telegram detects in plain text: a leading bot command, URLs,
 * @mentions and #hashtags. Offsets and lengths count UTF-16 code units.
 */
export function detectEntities(text: string): MessageEntity[] {
  const entities: MessageEntity[] = [];
  const command = /^\/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?=\s|$)/.exec(text);
  if (command) entities.push({ offset: 0, length: command[0].length, type: "bot_command" });
  const pattern =
    /https?:\/\/\S+|(?<![\w@])@[A-Za-z][A-Za-z0-9_]{4,31}\b|(?<![\p{L}\p{N}_#])#[\p{L}\p{N}_]*\p{L}[\p{L}\p{N}_]*/gu;
  for (const m of text.matchAll(pattern)) {
    if (command && m.index < command[0].length) continue;
    const type = m[0].startsWith("@") ? "mention" : m[0].startsWith("#") ? "hashtag" : "url";
    entities.push({ offset: m.index, length: m[0].length, type });
  }
  return entities;
}

export interface TextOpts extends MessageOpts {
  /** Replaces the detected entities. */
  entities?: MessageEntity[];
}

/** A private text message. Starting with "/" adds the bot_command entity. */
export function textUpdate(chatId: number, text: string, opts: TextOpts = {}): UpdateWithoutId {
  const entities = opts.entities ?? detectEntities(text);
  return wrap(opts, {
    message: {
      ...base(chatId, opts),
      text,
      ...(entities.length > 0 ? { entities } : {}),
    },
  });
}

/** "/start" or "/start <payload>" as sent when the person opens t.me/<bot>?start=<payload>. */
export function startUpdate(
  chatId: number,
  payload?: string,
  opts: MessageOpts = {},
): UpdateWithoutId {
  return textUpdate(chatId, payload ? `/start ${payload}` : "/start", opts);
}

export interface CallbackOpts extends PersonOpts {
  updateId?: number;
  date?: number;
  /** Text of the bot's message that carried the button; default "Pilih:". */
  messageText?: string;
  /** The keyboard of that message; default one button with `data`. */
  replyMarkup?: NonNullable<Message["reply_markup"]>;
}

/** A press on an inline button of the bot's message `messageId`. */
export function callbackUpdate(
  chatId: number,
  data: string,
  messageId: number,
  opts: CallbackOpts = {},
): UpdateWithoutId {
  const n = queryCounter++;
  const date = opts.date ?? now();
  return wrap(opts, {
    callback_query: {
      id: String(4_302_118_450_512_000_000n + BigInt(chatId) * 1000n + BigInt(n)),
      from: tgUser(chatId, opts),
      message: {
        message_id: messageId,
        from: BOT_FROM,
        chat: privateChat(chatId, opts),
        date: date - 5,
        text: opts.messageText ?? "Pilih:",
        reply_markup: opts.replyMarkup ?? {
          inline_keyboard: [[{ text: data, callback_data: data }]],
        },
      },
      chat_instance: String(-6_917_348_201_550_000_000n - BigInt(chatId)),
      data,
    },
  });
}

export interface VoiceOpts extends MessageOpts {
  /** Seconds; default 3. */
  duration?: number;
  fileId?: string;
  fileSize?: number;
}

/** A voice note (OGG/Opus), as recorded with the microphone button. */
export function voiceUpdate(chatId: number, opts: VoiceOpts = {}): UpdateWithoutId {
  const ids = fakeFileId("voice");
  return wrap(opts, {
    message: {
      ...base(chatId, opts),
      voice: {
        duration: opts.duration ?? 3,
        mime_type: "audio/ogg",
        file_id: opts.fileId ?? ids.file_id,
        file_unique_id: ids.file_unique_id,
        file_size: opts.fileSize ?? 9_471,
      },
    },
  });
}

export interface CaptionOpts extends MessageOpts {
  caption?: string;
}

/** A photo: Telegram sends every size it made, smallest first. */
export function photoUpdate(chatId: number, opts: CaptionOpts = {}): UpdateWithoutId {
  const sizes: [number, number, number][] = [
    [90, 67, 1_268],
    [320, 240, 17_845],
    [800, 600, 78_201],
    [1280, 960, 151_224],
  ];
  const photo: PhotoSize[] = sizes.map(([width, height, file_size]) => {
    const ids = fakeFileId("photo");
    return { ...ids, file_size, width, height };
  });
  const entities = opts.caption ? detectEntities(opts.caption) : [];
  return wrap(opts, {
    message: {
      ...base(chatId, opts),
      photo,
      ...(opts.caption ? { caption: opts.caption } : {}),
      ...(entities.length > 0 ? { caption_entities: entities } : {}),
    },
  });
}

export interface DocumentOpts extends CaptionOpts {
  /** Default "CV_Ani.pdf". */
  fileName?: string;
  /** Default "application/pdf". */
  mimeType?: string;
  fileSize?: number;
}

/** A file sent as a document. */
export function documentUpdate(chatId: number, opts: DocumentOpts = {}): UpdateWithoutId {
  const ids = fakeFileId("document");
  return wrap(opts, {
    message: {
      ...base(chatId, opts),
      document: {
        file_name: opts.fileName ?? "CV_Ani.pdf",
        mime_type: opts.mimeType ?? "application/pdf",
        ...ids,
        file_size: opts.fileSize ?? 184_322,
      },
      ...(opts.caption ? { caption: opts.caption } : {}),
    },
  });
}

export interface StickerOpts extends MessageOpts {
  /** Default "👍". */
  emoji?: string;
  setName?: string;
}

/** A static sticker from a pack. */
export function stickerUpdate(chatId: number, opts: StickerOpts = {}): UpdateWithoutId {
  const ids = fakeFileId("sticker");
  const thumb = fakeFileId("photo");
  return wrap(opts, {
    message: {
      ...base(chatId, opts),
      sticker: {
        width: 512,
        height: 512,
        emoji: opts.emoji ?? "👍",
        set_name: opts.setName ?? "HotCherry",
        is_animated: false,
        is_video: false,
        type: "regular" as const,
        thumbnail: { ...thumb, file_size: 5_416, width: 128, height: 128 },
        ...ids,
        file_size: 28_644,
      },
    },
  });
}

/** A shared location (not live). Default: Makassar. */
export function locationUpdate(
  chatId: number,
  latitude = -5.147665,
  longitude = 119.432732,
  opts: MessageOpts = {},
): UpdateWithoutId {
  return wrap(opts, {
    message: { ...base(chatId, opts), location: { latitude, longitude } },
  });
}

export interface ContactOpts extends MessageOpts {
  /** Whose contact: default the sender (the "share my phone number" button). null leaves it out. */
  userId?: number | null;
  contactFirstName?: string;
}

/**
 * A shared contact. Telegram sends the sender's own number (request_contact
 * button) in international form, usually without the "+".
 */
export function contactUpdate(
  chatId: number,
  phoneNumber = "6281234567890",
  opts: ContactOpts = {},
): UpdateWithoutId {
  const userId = opts.userId === undefined ? chatId : opts.userId;
  return wrap(opts, {
    message: {
      ...base(chatId, opts),
      contact: {
        phone_number: phoneNumber,
        first_name: opts.contactFirstName ?? opts.firstName ?? "Ani",
        ...(opts.lastName !== undefined ? { last_name: opts.lastName } : {}),
        ...(userId !== null ? { user_id: userId } : {}),
      },
    },
  });
}

export interface EditedOpts extends TextOpts {
  /** Unix seconds of the edit; default `date` + 30. */
  editDate?: number;
}

/** The person edited an earlier text message (`messageId`). */
export function editedMessageUpdate(
  chatId: number,
  text: string,
  opts: EditedOpts = {},
): UpdateWithoutId {
  const date = opts.date ?? now() - 30;
  const entities = opts.entities ?? detectEntities(text);
  return wrap(opts, {
    edited_message: {
      ...base(chatId, { ...opts, date }),
      edit_date: opts.editDate ?? date + 30,
      text,
      ...(entities.length > 0 ? { entities } : {}),
    },
  });
}

export interface GroupOpts extends TextOpts {
  /** The sender's user id; default 5550001. */
  fromId?: number;
  title?: string;
}

/** A text message in a basic group; a positive `groupId` is made negative. */
export function groupTextUpdate(
  groupId: number,
  text: string,
  opts: GroupOpts = {},
): UpdateWithoutId {
  const id = -Math.abs(groupId);
  const entities = opts.entities ?? detectEntities(text);
  return wrap(opts, {
    message: {
      message_id: opts.messageId ?? nextMessageId(),
      from: tgUser(opts.fromId ?? 5_550_001, opts),
      chat: { id, title: opts.title ?? "Pencari Kerja Makassar", type: "group" as const },
      date: opts.date ?? now(),
      text,
      ...(entities.length > 0 ? { entities } : {}),
    },
  });
}

export interface ChannelOpts extends MessageOpts {
  title?: string;
  username?: string;
}

/** A post in a channel the bot administers; a positive `channelId` becomes -100<id>. */
export function channelPostUpdate(
  channelId: number,
  text: string,
  opts: ChannelOpts = {},
): UpdateWithoutId {
  const id = channelId > 0 ? -(1_000_000_000_000 + channelId) : channelId;
  const chat = {
    id,
    title: opts.title ?? "Info Lowongan IJC",
    ...(opts.username !== undefined ? { username: opts.username } : {}),
    type: "channel" as const,
  };
  const entities = detectEntities(text);
  return wrap(opts, {
    channel_post: {
      message_id: opts.messageId ?? nextMessageId(),
      sender_chat: chat,
      chat,
      date: opts.date ?? now(),
      text,
      ...(entities.length > 0 ? { entities } : {}),
    },
  });
}

/**
 * The person blocked ("kicked") or unblocked ("member") the bot in their
 * private chat: Telegram reports the bot's own membership change.
 */
export function myChatMemberUpdate(
  chatId: number,
  status: "kicked" | "member",
  opts: Omit<MessageOpts, "messageId"> = {},
): UpdateWithoutId {
  const kicked = { user: BOT_FROM, status: "kicked" as const, until_date: 0 };
  const member = { user: BOT_FROM, status: "member" as const };
  return wrap(opts, {
    my_chat_member: {
      chat: privateChat(chatId, opts),
      from: tgUser(chatId, opts),
      date: opts.date ?? now(),
      old_chat_member: status === "kicked" ? member : kicked,
      new_chat_member: status === "kicked" ? kicked : member,
    },
  });
}
