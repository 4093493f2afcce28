/**
 * A small Telegram Bot API server for tests: the real grammY client talks to
 * it over HTTP on 127.0.0.1 (`new Bot(fake.token, {client: {apiRoot:
 * fake.apiRoot}})`), no network involved.
 *
 * It follows the Bot API where a bot would notice the difference:
 * - URL scheme `{apiRoot}/bot<token>/<method>` (method names are
 *   case-insensitive, as in Telegram), JSON, form-urlencoded, multipart and
 *   query-string payloads; answers are `{ok, result}` / `{ok: false,
 *   error_code, description, parameters?}` envelopes with that HTTP status.
 * - `getUpdates`: updates stay queued until a later call confirms them with a
 *   higher `offset`; `timeout` holds the request (long polling); a second
 *   poll ends the pending one with 409 Conflict; a set webhook makes it 409.
 * - `sendMessage` / `editMessageText` check what Telegram checks: empty or
 *   over-long text, HTML `parse_mode` markup ("can't parse entities"),
 *   `callback_data` over 64 bytes, "message is not modified".
 * - Chats can be made unreachable (`setChatStatus`); pushing a private
 *   `my_chat_member` update with status "kicked" / "member" blocks or
 *   unblocks the chat, as the user blocking the bot would.
 * - Files: `getFile` answers for any file id; `putFile` (or an upload through
 *   sendVoice/sendPhoto/sendDocument) makes the bytes downloadable at
 *   `{apiRoot}/file/bot<token>/<file_path>`.
 *
 * `failNext` scripts faults per method: an error envelope (429 with
 * `retry_after`, 403, 5xx…), a delay, or a dropped connection.
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { UserFromGetMe } from "grammy/types";
import { outerLimit } from "./wait.ts";

/** Parsed request parameters: loose JSON, as a bot sends it. */
// biome-ignore lint/suspicious/noExplicitAny: payloads are arbitrary JSON from the client under test
export type Payload = Record<string, any>;

export interface FakeTelegramCall {
  /** The method name as the client spelled it in the URL. */
  method: string;
  payload: Payload;
  /** `Date.now()` when the request arrived. */
  at: number;
}

export interface FakeTelegramError {
  error_code: number;
  description: string;
  parameters?: { retry_after?: number; migrate_to_chat_id?: number } & Record<string, unknown>;
}

/** One scripted answer: an error envelope, a delay before the normal answer, or a dropped socket. */
export type FakeTelegramFault = FakeTelegramError | { delayMs: number } | { hangUp: true };

/** How sends to a chat end: as normal, or the error Telegram gives for that state. */
export type ChatStatus = "ok" | "blocked" | "deactivated" | "not_found" | "kicked";

/** A file uploaded by the bot or registered with `putFile`. */
export interface UploadedFile {
  filename: string;
  size: number;
  data: Buffer;
}

export interface FakeTelegram {
  /** Pass as grammY's `client.apiRoot` (no trailing slash). */
  apiRoot: string;
  token: string;
  /** What `getMe` returns; pass as `new Bot(token, {botInfo})` to skip `getMe`. */
  botInfo: UserFromGetMe;
  /** Every request in arrival order, failed and scripted ones included. */
  calls: FakeTelegramCall[];
  /**
   * Queues an update for `getUpdates` and returns its `update_id`: the given
   * one if higher than every id pushed before, else (missing, or a fixture
   * pushed again) the next id.
   */
  pushUpdate(update: object): number;
  /** Updates queued and not yet confirmed by an `offset`. */
  pendingUpdates(): Payload[];
  /** Scripts the next `times` (default 1) answers of `method`. Scripts queue up. */
  failNext(method: string, response: FakeTelegramFault, times?: number): void;
  /** Payloads of the calls of `method` so far (case-insensitive name). */
  callsOf(method: string): Payload[];
  /** Resolves with the payloads once `method` has been called `count` times. */
  waitForCalls(method: string, count: number, timeoutMs?: number): Promise<Payload[]>;
  /** `text` of each successful `sendMessage` to the chat, as the bot sent it, in order. */
  sentTexts(chatId: number | string): string[];
  /** Messages the bot sent to the chat (any send method), as they are now (after edits). */
  sentMessages(chatId: number | string): Payload[];
  /** Makes sends to a chat fail as they would for a blocked user, deleted account, etc. */
  setChatStatus(chatId: number | string, status: ChatStatus): void;
  /** Registers file bytes: `getFile` reports their size and they are downloadable. */
  putFile(fileId: string, data: Uint8Array | string, filePath?: string): void;
  /** Ends pending long polls with `[]`, drops every connection and stops listening. */
  close(): Promise<void>;
}

export const BOT_USER: UserFromGetMe = {
  id: 100,
  is_bot: true,
  first_name: "IJC Bot",
  username: "ijc_test_bot",
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
  can_manage_bots: false,
  supports_join_request_queries: false,
};

/** The bot as it appears in `from` of its own messages. */
export const BOT_FROM = {
  id: BOT_USER.id,
  is_bot: true as const,
  first_name: BOT_USER.first_name,
  username: BOT_USER.username,
};

/** Shaped like a real token: `<bot id>:<35 characters>`. */
export const DEFAULT_TOKEN = `${BOT_USER.id}:AAH-fake-telegram-token-for-tests_01`;

const MAX_BODY_BYTES = 60 * 1024 * 1024;
const MAX_TEXT = 4096;
const MAX_CAPTION = 1024;

type Envelope =
  | { ok: true; result: unknown }
  | {
      ok: false;
      error_code: number;
      description: string;
      parameters?: Record<string, unknown>;
    };

class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
  ) {
    super(description);
  }
}

const badRequest = (what: string) => new ApiError(400, `Bad Request: ${what}`);

interface Poll {
  offset: number;
  limit: number;
  res: ServerResponse;
  timer: NodeJS.Timeout | undefined;
}

interface CallWaiter {
  method: string;
  count: number;
  resolve: (payloads: Payload[]) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

interface StoredFile {
  file_id: string;
  file_unique_id: string;
  file_path: string;
  data?: Buffer;
}

export async function startFakeTelegram(opts: { token?: string } = {}): Promise<FakeTelegram> {
  const token = opts.token ?? DEFAULT_TOKEN;
  const calls: FakeTelegramCall[] = [];
  const queue: Payload[] = [];
  const faults = new Map<string, FakeTelegramFault[]>();
  const waiters = new Set<CallWaiter>();
  const delays = new Set<{ timer: NodeJS.Timeout; done: (ok: boolean) => void }>();
  const chats = new Map<string, Payload>();
  const chatStatus = new Map<string, ChatStatus>();
  const messages = new Map<string, Payload>();
  const sent: { chatKey: string; method: string; text?: string; key: string }[] = [];
  const files = new Map<string, StoredFile>();
  const commands = new Map<string, unknown[]>();
  let webhook: Payload | undefined;
  let nextUpdateId = 700_000_001;
  let lastPushedId = 0;
  let nextMessageId = 1;
  let nextFile = 1;
  let poll: Poll | undefined;
  let flushScheduled = false;
  let closed = false;

  // --- updates -------------------------------------------------------------

  function confirm(offset: number): void {
    if (offset > 0) {
      while (queue.length > 0 && queue[0]!.update_id < offset) queue.shift();
    } else if (offset < 0) {
      queue.splice(0, Math.max(0, queue.length + offset));
    }
  }

  function available(offset: number, limit: number): Payload[] {
    return queue.filter((u) => u.update_id >= offset).slice(0, limit);
  }

  function endPoll(result: Envelope): void {
    const p = poll;
    if (!p) return;
    poll = undefined;
    if (p.timer) clearTimeout(p.timer);
    send(p.res, result);
  }

  function flushPoll(): void {
    flushScheduled = false;
    if (!poll) return;
    const updates = available(poll.offset, poll.limit);
    if (updates.length > 0) endPoll({ ok: true, result: updates });
  }

  function rememberChats(update: Payload): void {
    for (const value of Object.values(update)) {
      if (!value || typeof value !== "object") continue;
      const v = value as Payload;
      for (const chat of [v.chat, v.message?.chat]) {
        if (chat && typeof chat === "object" && typeof chat.id === "number") {
          chats.set(String(chat.id), chat);
        }
      }
    }
    // The bot's message under a pressed button: edits compare against it.
    const pressed = update.callback_query?.message;
    if (pressed?.from?.id === BOT_USER.id && pressed.chat?.id !== undefined) {
      const key = `${pressed.chat.id}:${pressed.message_id}`;
      if (!messages.has(key)) messages.set(key, structuredClone(pressed));
    }
    const member = update.my_chat_member;
    if (member?.chat?.type === "private" && member.new_chat_member?.user?.id === BOT_USER.id) {
      const status = member.new_chat_member.status;
      if (status === "kicked") chatStatus.set(String(member.chat.id), "blocked");
      else if (status === "member") chatStatus.delete(String(member.chat.id));
    }
  }

  function pushUpdate(update: object): number {
    const copy = structuredClone(update) as Payload;
    // Ids only grow, as in Telegram. A given id not above the last one (a reused
    // fixture) is renumbered: the client's offset would silently drop it.
    if (typeof copy.update_id !== "number" || copy.update_id <= lastPushedId) {
      copy.update_id = Math.max(nextUpdateId, lastPushedId + 1);
    }
    lastPushedId = copy.update_id;
    nextUpdateId = Math.max(nextUpdateId, copy.update_id + 1);
    queue.push(copy);
    rememberChats(copy);
    if (!flushScheduled) {
      // Let updates pushed in the same tick arrive in one batch, as Telegram does.
      flushScheduled = true;
      setImmediate(flushPoll);
    }
    return copy.update_id;
  }

  // --- chats and messages --------------------------------------------------

  function chatKey(chatId: unknown): string {
    return String(chatId);
  }

  function checkChat(payload: Payload): Payload {
    const id = payload.chat_id;
    if (id === undefined || id === null || id === "") throw badRequest("chat_id is empty");
    const key = chatKey(id);
    switch (chatStatus.get(key)) {
      case "blocked":
        throw new ApiError(403, "Forbidden: bot was blocked by the user");
      case "deactivated":
        throw new ApiError(403, "Forbidden: user is deactivated");
      case "kicked":
        throw new ApiError(403, "Forbidden: bot was kicked from the group chat");
      case "not_found":
        throw badRequest("chat not found");
    }
    const known = chats.get(key);
    if (known) return known;
    if (typeof id === "string" && id.startsWith("@")) {
      return { id: -1_001_000_000_000 - chats.size, title: id.slice(1), type: "channel" };
    }
    const n = Number(id);
    if (!Number.isSafeInteger(n)) throw badRequest("chat not found");
    if (n > 0) return { id: n, first_name: "Test", type: "private" };
    if (n < -1_000_000_000_000) return { id: n, title: "Test Supergroup", type: "supergroup" };
    return { id: n, title: "Test Group", type: "group" };
  }

  function checkMarkup(markup: unknown): Payload | undefined {
    if (markup === undefined || markup === null) return undefined;
    if (typeof markup !== "object")
      throw badRequest("can't parse reply keyboard markup JSON object");
    const m = markup as Payload;
    if (m.inline_keyboard !== undefined) {
      if (!Array.isArray(m.inline_keyboard)) {
        throw badRequest('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array');
      }
      for (const row of m.inline_keyboard) {
        if (!Array.isArray(row))
          throw badRequest("can't parse inline keyboard button: row is not an array");
        for (const button of row as Payload[]) {
          if (typeof button?.text !== "string" || button.text === "") {
            throw badRequest("can't parse inline keyboard button: Text must be non-empty");
          }
          const actions = [
            "url",
            "callback_data",
            "web_app",
            "login_url",
            "switch_inline_query",
            "switch_inline_query_current_chat",
            "switch_inline_query_chosen_chat",
            "copy_text",
            "callback_game",
            "pay",
          ];
          if (!actions.some((a) => button[a] !== undefined)) {
            throw badRequest(
              "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard",
            );
          }
          if (
            button.callback_data !== undefined &&
            (typeof button.callback_data !== "string" ||
              Buffer.byteLength(button.callback_data) < 1 ||
              Buffer.byteLength(button.callback_data) > 64)
          ) {
            throw badRequest("BUTTON_DATA_INVALID");
          }
        }
      }
    }
    return m;
  }

  /** Message.reply_markup only ever carries inline keyboards. */
  function echoedMarkup(markup: Payload | undefined): Payload | undefined {
    return markup?.inline_keyboard ? markup : undefined;
  }

  function formatted(
    raw: unknown,
    parseMode: unknown,
    explicit: unknown,
    what: "text" | "caption",
  ): { text: string; entities?: Payload[] } {
    if (raw === undefined || raw === null) return { text: "" };
    const source = String(raw);
    let text = source;
    let entities: Payload[] | undefined = Array.isArray(explicit) ? explicit : undefined;
    if (typeof parseMode === "string" && parseMode.toLowerCase() === "html") {
      ({ text, entities } = parseHtml(source));
    }
    const trimmed = text.trim();
    if (what === "text" && trimmed === "") throw badRequest("message text is empty");
    if (what === "text" && text.length > MAX_TEXT) throw badRequest("message is too long");
    if (what === "caption" && text.length > MAX_CAPTION) {
      throw badRequest("message caption is too long");
    }
    return entities && entities.length > 0 ? { text, entities } : { text };
  }

  function store(method: string, chat: Payload, message: Payload, text?: string): Payload {
    const key = `${chat.id}:${message.message_id}`;
    messages.set(key, message);
    sent.push({ chatKey: chatKey(chat.id), method, key, ...(text !== undefined ? { text } : {}) });
    return message;
  }

  function newMessage(chat: Payload): Payload {
    return {
      message_id: nextMessageId++,
      from: BOT_FROM,
      chat,
      date: Math.floor(Date.now() / 1000),
    };
  }

  function messageRef(payload: Payload): { key?: string; chat?: Payload } {
    if (payload.inline_message_id !== undefined) return {};
    if (payload.message_id === undefined) throw badRequest("message identifier is not specified");
    const chat = checkChat(payload);
    return { key: `${chat.id}:${payload.message_id}`, chat };
  }

  function existingOrNew(key: string, chat: Payload, messageId: number): Payload {
    return (
      messages.get(key) ?? {
        message_id: messageId,
        from: BOT_FROM,
        chat,
        date: Math.floor(Date.now() / 1000),
      }
    );
  }

  // --- files -----------------------------------------------------------------

  function fileFolder(fileId: string): [string, string] {
    if (fileId.startsWith("AwAC")) return ["voice", ".oga"];
    if (fileId.startsWith("AgAC")) return ["photos", ".jpg"];
    if (fileId.startsWith("CAAC")) return ["stickers", ".webp"];
    if (fileId.startsWith("CQAC")) return ["music", ".mp3"];
    if (fileId.startsWith("BAAC")) return ["videos", ".mp4"];
    return ["documents", ""];
  }

  function fileEntry(fileId: string): StoredFile {
    let entry = files.get(fileId);
    if (!entry) {
      const [folder, ext] = fileFolder(fileId);
      entry = {
        file_id: fileId,
        file_unique_id: `AgAD${randomBytes(6).toString("base64url")}`,
        file_path: `${folder}/file_${nextFile++}${ext}`,
      };
      files.set(fileId, entry);
    }
    return entry;
  }

  function putFile(fileId: string, data: Uint8Array | string, filePath?: string): void {
    const entry = fileEntry(fileId);
    entry.data = Buffer.from(data);
    if (filePath) entry.file_path = filePath;
  }

  function newFileId(prefix: string): string {
    return `${prefix}gIAAxkDAAI${randomBytes(24).toString("base64url")}`;
  }

  function mediaInput(
    payload: Payload,
    field: string,
    prefix: string,
  ): { file_id: string; file_unique_id: string; file_size?: number; filename?: string } {
    const value = payload[field];
    if (value === undefined || value === null || value === "") {
      throw badRequest(`there is no ${field} in the request`);
    }
    if (isUpload(value)) {
      const fileId = newFileId(prefix);
      putFile(fileId, value.data);
      const entry = fileEntry(fileId);
      return {
        file_id: fileId,
        file_unique_id: entry.file_unique_id,
        file_size: value.size,
        filename: value.filename,
      };
    }
    if (typeof value !== "string") throw badRequest(`wrong type of the ${field} field`);
    if (/^https?:\/\//.test(value)) {
      return {
        file_id: newFileId(prefix),
        file_unique_id: `AgAD${randomBytes(6).toString("base64url")}`,
      };
    }
    const entry = fileEntry(value);
    return {
      file_id: value,
      file_unique_id: entry.file_unique_id,
      ...(entry.data ? { file_size: entry.data.length } : {}),
    };
  }

  function sendMedia(method: string, payload: Payload): Payload {
    const chat = checkChat(payload);
    const markup = checkMarkup(payload.reply_markup);
    const message = newMessage(chat);
    if (method === "sendvoice") {
      const f = mediaInput(payload, "voice", "AwAC");
      message.voice = {
        duration: Number(payload.duration ?? 1),
        mime_type: "audio/ogg",
        file_id: f.file_id,
        file_unique_id: f.file_unique_id,
        ...(f.file_size !== undefined ? { file_size: f.file_size } : {}),
      };
    } else if (method === "sendphoto") {
      const f = mediaInput(payload, "photo", "AgAC");
      message.photo = [
        {
          file_id: f.file_id,
          file_unique_id: f.file_unique_id,
          width: 90,
          height: 90,
          file_size: 1200,
        },
        {
          file_id: f.file_id,
          file_unique_id: f.file_unique_id,
          width: 320,
          height: 320,
          file_size: f.file_size ?? 18000,
        },
      ];
    } else {
      const f = mediaInput(payload, "document", "BQAC");
      message.document = {
        file_name: f.filename ?? "document",
        mime_type: "application/octet-stream",
        file_id: f.file_id,
        file_unique_id: f.file_unique_id,
        ...(f.file_size !== undefined ? { file_size: f.file_size } : {}),
      };
    }
    if (payload.caption !== undefined) {
      const c = formatted(payload.caption, payload.parse_mode, payload.caption_entities, "caption");
      if (c.text !== "") message.caption = c.text;
      if (c.entities) message.caption_entities = c.entities;
    }
    const shown = echoedMarkup(markup);
    if (shown) message.reply_markup = shown;
    return store(method, chat, message);
  }

  // --- methods -------------------------------------------------------------

  const handlers: Record<string, (payload: Payload, res: ServerResponse) => unknown> = {
    getme: () => BOT_USER,
    logout: () => true,
    close: () => true,

    getupdates: (payload, res) => {
      if (webhook) {
        throw new ApiError(
          409,
          "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
        );
      }
      const offset = Number(payload.offset ?? 0) || 0;
      const limit = Math.min(100, Math.max(1, Number(payload.limit ?? 100) || 100));
      const timeout = Math.max(0, Number(payload.timeout ?? 0) || 0);
      confirm(offset);
      endPoll({
        ok: false,
        error_code: 409,
        description:
          "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
      });
      const updates = available(offset, limit);
      if (updates.length > 0 || timeout === 0 || closed) return updates;
      const p: Poll = { offset, limit, res, timer: undefined };
      p.timer = setTimeout(() => {
        if (poll === p) endPoll({ ok: true, result: [] });
      }, timeout * 1000);
      res.on("close", () => {
        if (poll === p) {
          clearTimeout(p.timer);
          poll = undefined;
        }
      });
      poll = p;
      return PENDING;
    },

    sendmessage: (payload) => {
      const chat = checkChat(payload);
      const { text, entities } = formatted(
        payload.text,
        payload.parse_mode,
        payload.entities,
        "text",
      );
      const markup = checkMarkup(payload.reply_markup);
      const message = newMessage(chat);
      message.text = text;
      if (entities) message.entities = entities;
      if (payload.link_preview_options) message.link_preview_options = payload.link_preview_options;
      const shown = echoedMarkup(markup);
      if (shown) message.reply_markup = shown;
      return store("sendmessage", chat, message, String(payload.text));
    },

    editmessagetext: (payload) => {
      const ref = messageRef(payload);
      const { text, entities } = formatted(
        payload.text,
        payload.parse_mode,
        payload.entities,
        "text",
      );
      const markup = echoedMarkup(checkMarkup(payload.reply_markup));
      if (!ref.key || !ref.chat) return true;
      const old = existingOrNew(ref.key, ref.chat, Number(payload.message_id));
      if (
        old.text === text &&
        sameJson(old.entities, entities) &&
        sameJson(old.reply_markup, markup)
      ) {
        throw badRequest(
          "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
        );
      }
      const edited: Payload = { ...old, text, edit_date: Math.floor(Date.now() / 1000) };
      delete edited.entities;
      delete edited.reply_markup;
      if (entities) edited.entities = entities;
      if (markup) edited.reply_markup = markup;
      messages.set(ref.key, edited);
      return edited;
    },

    editmessagereplymarkup: (payload) => {
      const ref = messageRef(payload);
      const markup = echoedMarkup(checkMarkup(payload.reply_markup));
      if (!ref.key || !ref.chat) return true;
      const old = existingOrNew(ref.key, ref.chat, Number(payload.message_id));
      if (messages.has(ref.key) && sameJson(old.reply_markup, markup)) {
        throw badRequest(
          "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
        );
      }
      const edited: Payload = { ...old, edit_date: Math.floor(Date.now() / 1000) };
      delete edited.reply_markup;
      if (markup) edited.reply_markup = markup;
      messages.set(ref.key, edited);
      return edited;
    },

    deletemessage: (payload) => {
      const ref = messageRef(payload);
      if (ref.key) messages.delete(ref.key);
      return true;
    },

    answercallbackquery: (payload) => {
      if (!payload.callback_query_id) {
        throw badRequest("query is too old and response timeout expired or query ID is invalid");
      }
      return true;
    },

    sendchataction: (payload) => {
      checkChat(payload);
      const actions = [
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
      ];
      if (!actions.includes(payload.action)) throw badRequest("wrong parameter action in request");
      return true;
    },

    sendvoice: (payload) => sendMedia("sendvoice", payload),
    sendphoto: (payload) => sendMedia("sendphoto", payload),
    senddocument: (payload) => sendMedia("senddocument", payload),

    getfile: (payload) => {
      const fileId = payload.file_id;
      if (typeof fileId !== "string" || fileId === "") throw badRequest("invalid file_id");
      const entry = fileEntry(fileId);
      return {
        file_id: entry.file_id,
        file_unique_id: entry.file_unique_id,
        ...(entry.data ? { file_size: entry.data.length } : {}),
        file_path: entry.file_path,
      };
    },

    setmycommands: (payload) => {
      const list = payload.commands;
      if (!Array.isArray(list)) throw badRequest('parameter "commands" is required');
      if (list.length > 100) throw badRequest("too many commands");
      for (const c of list as Payload[]) {
        if (typeof c?.command !== "string" || !/^[a-z0-9_]{1,32}$/.test(c.command)) {
          throw badRequest("BOT_COMMAND_INVALID");
        }
        const d = c.description;
        if (typeof d !== "string" || d.trim() === "" || d.length > 256) {
          throw badRequest("BOT_COMMAND_DESCRIPTION_INVALID");
        }
      }
      commands.set(
        commandsKey(payload),
        list.map((c: Payload) => ({ command: c.command, description: c.description })),
      );
      return true;
    },
    getmycommands: (payload) => commands.get(commandsKey(payload)) ?? [],
    deletemycommands: (payload) => {
      commands.delete(commandsKey(payload));
      return true;
    },

    setwebhook: (payload) => {
      const url = payload.url;
      if (typeof url !== "string" || url === "") {
        webhook = undefined;
        return true;
      }
      if (!url.startsWith("https://")) {
        throw badRequest("bad webhook: An HTTPS URL must be provided for webhook");
      }
      if (
        payload.secret_token !== undefined &&
        !/^[A-Za-z0-9_-]{1,256}$/.test(String(payload.secret_token))
      ) {
        throw badRequest("secret token contains unallowed characters");
      }
      if (payload.drop_pending_updates === true) queue.length = 0;
      endPoll({
        ok: false,
        error_code: 409,
        description: "Conflict: terminated by setWebhook request",
      });
      webhook = {
        url,
        allowed_updates: payload.allowed_updates,
        max_connections: payload.max_connections ?? 40,
      };
      return true;
    },
    deletewebhook: (payload) => {
      webhook = undefined;
      if (payload.drop_pending_updates === true) queue.length = 0;
      return true;
    },
    getwebhookinfo: () => ({
      url: webhook?.url ?? "",
      has_custom_certificate: false,
      pending_update_count: queue.length,
      ...(webhook
        ? {
            max_connections: webhook.max_connections,
            ip_address: "127.0.0.1",
            ...(webhook.allowed_updates ? { allowed_updates: webhook.allowed_updates } : {}),
          }
        : {}),
    }),
  };

  // --- HTTP ----------------------------------------------------------------

  function record(method: string, payload: Payload, at: number): void {
    calls.push({ method, payload, at });
    for (const w of waiters) {
      const got = callsOf(w.method);
      if (got.length >= w.count) {
        waiters.delete(w);
        clearTimeout(w.timer);
        w.resolve(got);
      }
    }
  }

  function delay(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          delays.delete(entry);
          resolve(true);
        }, ms),
        done: resolve,
      };
      delays.add(entry);
    });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = Date.now();
    const url = new URL(req.url ?? "/", "http://127.0.0.1");

    const fileMatch = /^\/file\/bot([^/]*)\/(.+)$/.exec(url.pathname);
    if (fileMatch && req.method === "GET") {
      if (fileMatch[1] !== token) return send(res, unauthorized());
      const path = decodeURIComponent(fileMatch[2]!);
      const entry = [...files.values()].find((f) => f.file_path === path && f.data);
      if (!entry?.data) return send(res, { ok: false, error_code: 404, description: "Not Found" });
      res.writeHead(200, {
        "content-type": "application/octet-stream",
        "content-length": entry.data.length,
      });
      res.end(entry.data);
      return;
    }

    const match = /^\/bot([^/]*)\/([^/]*)$/.exec(url.pathname);
    if (!match) {
      req.resume();
      return send(res, { ok: false, error_code: 404, description: "Not Found" });
    }
    const method = decodeURIComponent(match[2]!);

    let payload: Payload;
    try {
      const body = await readBody(req);
      payload = parsePayload(url.searchParams, req.headers["content-type"], body);
    } catch (error) {
      record(method, {}, at);
      const e = error instanceof ApiError ? error : badRequest("can't parse request");
      return send(res, { ok: false, error_code: e.code, description: e.description });
    }
    record(method, payload, at);

    if (match[1] !== token) return send(res, unauthorized());

    const scripted = faults.get(method.toLowerCase())?.shift();
    if (scripted) {
      if ("hangUp" in scripted) {
        req.socket.destroy();
        return;
      }
      if ("delayMs" in scripted) {
        if (!(await delay(scripted.delayMs))) return;
      } else {
        return send(res, {
          ok: false,
          error_code: scripted.error_code,
          description: scripted.description,
          ...(scripted.parameters ? { parameters: scripted.parameters } : {}),
        });
      }
    }

    const handler = handlers[method.toLowerCase()];
    if (!handler) {
      return send(res, { ok: false, error_code: 404, description: "Not Found: method not found" });
    }
    try {
      const result = handler(payload, res);
      if (result !== PENDING) send(res, { ok: true, result });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      send(res, { ok: false, error_code: error.code, description: error.description });
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      send(res, {
        ok: false,
        error_code: 500,
        description: `Internal Server Error: ${(error as Error)?.message ?? error}`,
      });
    });
  });
  server.keepAliveTimeout = 60_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  function callsOf(method: string): Payload[] {
    const m = method.toLowerCase();
    return calls.filter((c) => c.method.toLowerCase() === m).map((c) => c.payload);
  }

  return {
    apiRoot: `http://127.0.0.1:${port}`,
    token,
    botInfo: BOT_USER,
    calls,
    pushUpdate,
    pendingUpdates: () => queue.map((u) => structuredClone(u)),
    failNext(method, response, times = 1) {
      const key = method.toLowerCase();
      const list = faults.get(key) ?? [];
      for (let i = 0; i < times; i++) list.push(response);
      faults.set(key, list);
    },
    callsOf,
    waitForCalls(method, count, given = 5_000) {
      const timeoutMs = outerLimit(given);
      const got = callsOf(method);
      if (got.length >= count) return Promise.resolve(got);
      if (closed) return Promise.reject(new Error("fake Telegram is closed"));
      return new Promise((resolve, reject) => {
        const waiter: CallWaiter = {
          method,
          count,
          resolve,
          reject,
          timer: setTimeout(() => {
            waiters.delete(waiter);
            const seen = calls.map((c) => c.method).join(", ") || "none";
            reject(
              new Error(
                `timed out after ${timeoutMs} ms waiting for ${count} ${method} call(s); got ${callsOf(method).length}; all calls: ${seen}`,
              ),
            );
          }, timeoutMs),
        };
        waiters.add(waiter);
      });
    },
    sentTexts(chatId) {
      const key = chatKey(chatId);
      return sent
        .filter((s) => s.chatKey === key && s.method === "sendmessage" && s.text !== undefined)
        .map((s) => s.text!);
    },
    sentMessages(chatId) {
      const key = chatKey(chatId);
      return sent
        .filter((s) => s.chatKey === key && messages.has(s.key))
        .map((s) => structuredClone(messages.get(s.key)!));
    },
    setChatStatus(chatId, status) {
      if (status === "ok") chatStatus.delete(chatKey(chatId));
      else chatStatus.set(chatKey(chatId), status);
    },
    putFile,
    async close() {
      if (closed) return;
      closed = true;
      endPoll({ ok: true, result: [] });
      for (const d of delays) {
        clearTimeout(d.timer);
        d.done(false);
      }
      delays.clear();
      for (const w of waiters) {
        clearTimeout(w.timer);
        w.reject(new Error("fake Telegram closed"));
      }
      waiters.clear();
      const done = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // Give answers already written a moment to leave, then cut everything.
      setImmediate(() => server.closeAllConnections());
      await done;
    },
  };
}

const PENDING = Symbol("pending");

function unauthorized(): Envelope {
  return { ok: false, error_code: 401, description: "Unauthorized" };
}

function send(res: ServerResponse, envelope: Envelope): void {
  if (res.writableEnded || res.destroyed) return;
  const body = JSON.stringify(envelope);
  res.writeHead(envelope.ok ? 200 : envelope.error_code, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(body),
  });
  res.end(body);
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

function commandsKey(payload: Payload): string {
  return JSON.stringify([payload.scope ?? { type: "default" }, payload.language_code ?? ""]);
}

function isUpload(value: unknown): value is UploadedFile {
  return (
    typeof value === "object" && value !== null && Buffer.isBuffer((value as UploadedFile).data)
  );
}

// --- request parsing -------------------------------------------------------

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new ApiError(413, "Request Entity Too Large");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Fields that are always free text, never coerced from their string form. */
const TEXT_FIELDS = new Set([
  "text",
  "caption",
  "data",
  "description",
  "short_description",
  "name",
  "title",
  "url",
  "secret_token",
  "callback_query_id",
  "file_id",
  "inline_message_id",
  "query",
  "action",
  "parse_mode",
  "language_code",
]);

/** Form and query values arrive as strings: decode the JSON, numbers and booleans Telegram would. */
function coerce(key: string, value: string): unknown {
  if (TEXT_FIELDS.has(key)) return value;
  if (/^-?\d{1,16}$/.test(value)) return Number(value);
  if (value === "true") return true;
  if (value === "false") return false;
  if (value.startsWith("{") || value.startsWith("[")) {
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  }
  return value;
}

function parsePayload(
  query: URLSearchParams,
  contentType: string | undefined,
  body: Buffer,
): Payload {
  const payload: Payload = {};
  for (const [k, v] of query) payload[k] = coerce(k, v);
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (body.length === 0) return payload;
  if (type === "application/json") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString("utf8"));
    } catch {
      throw badRequest("can't parse JSON object");
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw badRequest("JSON object expected");
    }
    return Object.assign(payload, parsed);
  }
  if (type === "application/x-www-form-urlencoded") {
    for (const [k, v] of new URLSearchParams(body.toString("utf8"))) payload[k] = coerce(k, v);
    return payload;
  }
  if (type === "multipart/form-data") {
    const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? "");
    if (!boundary) throw badRequest("can't parse multipart/form-data: no boundary");
    const parts = parseMultipart(body, boundary[1] ?? boundary[2]!);
    const uploads = new Map<string, UploadedFile>();
    for (const part of parts) {
      if (part.filename !== undefined) {
        uploads.set(part.name, {
          filename: part.filename,
          size: part.data.length,
          data: part.data,
        });
      } else {
        payload[part.name] = coerce(part.name, part.data.toString("utf8"));
      }
    }
    for (const [k, v] of Object.entries(payload)) {
      // grammY sends a file as `field=attach://<id>` plus a part named <id>; curl-style
      // clients send the file part under the field's own name.
      if (typeof v === "string" && v.startsWith("attach://")) {
        const upload = uploads.get(v.slice("attach://".length));
        if (upload) payload[k] = upload;
      }
    }
    for (const [name, upload] of uploads) {
      if (!(name in payload) && !Object.values(payload).includes(upload)) payload[name] = upload;
    }
    return payload;
  }
  // Unknown type: try JSON, as the Bot API server is lenient here too.
  try {
    const parsed = JSON.parse(body.toString("utf8"));
    if (parsed && typeof parsed === "object") return Object.assign(payload, parsed);
  } catch {
    // fall through
  }
  return payload;
}

interface Part {
  name: string;
  filename?: string;
  data: Buffer;
}

function parseMultipart(body: Buffer, boundary: string): Part[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Part[] = [];
  let pos = body.indexOf(delimiter);
  if (pos < 0) throw badRequest("can't parse multipart/form-data");
  // At most one iteration per part; each iteration moves `pos` forward.
  while (pos >= 0 && pos < body.length) {
    pos += delimiter.length;
    if (body.subarray(pos, pos + 2).toString() === "--") break;
    if (body.subarray(pos, pos + 2).toString() === "\r\n") pos += 2;
    const headerEnd = body.indexOf("\r\n\r\n", pos);
    if (headerEnd < 0) throw badRequest("can't parse multipart/form-data");
    const headers = body.subarray(pos, headerEnd).toString("utf8");
    const next = body.indexOf(Buffer.from(`\r\n--${boundary}`), headerEnd + 4);
    if (next < 0) throw badRequest("can't parse multipart/form-data");
    const data = body.subarray(headerEnd + 4, next);
    const disposition =
      headers
        .split("\r\n")
        .find((line) => /^content-disposition\s*:/i.test(line))
        ?.replace(/^content-disposition\s*:/i, "") ?? "";
    const name = /(?:^|;)\s*name=(?:"([^"]*)"|([^;]*))/i.exec(disposition);
    const filename = /(?:^|;)\s*filename=(?:"([^"]*)"|([^;]*))/i.exec(disposition);
    if (name) {
      parts.push({
        name: (name[1] ?? name[2] ?? "").trim(),
        ...(filename ? { filename: (filename[1] ?? filename[2] ?? "").trim() } : {}),
        data: Buffer.from(data),
      });
    }
    pos = next + 2;
  }
  return parts;
}

// --- HTML parse mode -------------------------------------------------------

const HTML_ENTITY_TYPES: Record<string, string> = {
  b: "bold",
  strong: "bold",
  i: "italic",
  em: "italic",
  u: "underline",
  ins: "underline",
  s: "strikethrough",
  strike: "strikethrough",
  del: "strikethrough",
  "tg-spoiler": "spoiler",
  span: "spoiler",
  a: "text_link",
  code: "code",
  pre: "pre",
  blockquote: "blockquote",
  "tg-emoji": "custom_emoji",
};

/**
 * Telegram's HTML style: the supported tags only, properly nested; `<`, `>`
 * and `&` outside tags escaped. Returns the plain text and its entities
 * (UTF-16 offsets), or throws "can't parse entities" like the Bot API.
 */
export function parseHtml(source: string): { text: string; entities: Payload[] } {
  let text = "";
  const entities: Payload[] = [];
  const stack: { tag: string; offset: number; attrs: string; language?: string }[] = [];
  const fail = (what: string): never => {
    throw badRequest(`can't parse entities: ${what}`);
  };
  const byteOffset = (i: number) => Buffer.byteLength(source.slice(0, i));
  let i = 0;
  // Each iteration consumes at least one character.
  while (i < source.length) {
    const ch = source[i]!;
    if (ch === "&") {
      const m = /^&(?:#(\d{1,7})|#x([0-9a-f]{1,6})|(lt|gt|amp|quot));/i.exec(
        source.slice(i, i + 12),
      );
      if (m) {
        const code =
          m[1] !== undefined ? Number(m[1]) : m[2] !== undefined ? Number.parseInt(m[2], 16) : -1;
        if (code > 0x10ffff) fail(`Unsupported HTML entity at byte offset ${byteOffset(i)}`);
        if (code >= 0) text += String.fromCodePoint(code);
        else text += { lt: "<", gt: ">", amp: "&", quot: '"' }[m[3]!.toLowerCase() as "lt"];
        i += m[0].length;
      } else {
        text += ch;
        i += 1;
      }
      continue;
    }
    if (ch !== "<") {
      text += ch;
      i += 1;
      continue;
    }
    const close = source.indexOf(">", i);
    if (close < 0) fail(`Unclosed start tag at byte offset ${byteOffset(i)}`);
    const inner = source.slice(i + 1, close);
    if (inner.startsWith("/")) {
      const tag = inner.slice(1).trim().toLowerCase();
      const open = stack.pop();
      if (!open) fail(`Unexpected end tag at byte offset ${byteOffset(i)}`);
      if (tag !== "" && tag !== open!.tag) {
        fail(
          `Unmatched end tag at byte offset ${byteOffset(i)}, expected "</${open!.tag}>", found "</${tag}>"`,
        );
      }
      const language = /language-([\w+-]+)/.exec(open!.attrs)?.[1];
      const parent = stack[stack.length - 1];
      if (open!.tag === "code" && language && parent?.tag === "pre") {
        // <pre><code class="language-x"> is one pre entity with a language.
        parent.language = language;
      } else {
        const length = text.length - open!.offset;
        const entity = toEntity(open!.tag, open!.attrs, open!.offset, length, open!.language);
        if (entity) entities.push(entity);
      }
    } else {
      const m = /^([a-z][a-z0-9-]*)(\s[\s\S]*)?$/i.exec(inner);
      const tag = m?.[1]?.toLowerCase() ?? "";
      if (!m || !(tag in HTML_ENTITY_TYPES)) {
        fail(`Unsupported start tag "${inner.split(/\s/)[0]}" at byte offset ${byteOffset(i)}`);
      }
      const attrs = m![2] ?? "";
      if (tag === "span" && !/class\s*=\s*["']?tg-spoiler/.test(attrs)) {
        fail(`Tag "span" must have class "tg-spoiler" at byte offset ${byteOffset(i)}`);
      }
      stack.push({ tag, offset: text.length, attrs });
    }
    i = close + 1;
  }
  const open = stack.pop();
  if (open) fail(`Can't find end tag corresponding to start tag "${open.tag}"`);
  entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
  return { text, entities };
}

function toEntity(
  tag: string,
  attrs: string,
  offset: number,
  length: number,
  language?: string,
): Payload | undefined {
  if (length <= 0) return undefined;
  const attr = (name: string) =>
    new RegExp(`${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, "i")
      .exec(attrs)
      ?.slice(1)
      .find((v) => v !== undefined);
  const type = HTML_ENTITY_TYPES[tag]!;
  if (tag === "a") {
    const href = attr("href") ?? "";
    const mention = /^tg:\/\/user\?id=(\d+)$/.exec(href);
    if (mention) return { offset, length, type: "text_mention", user: { id: Number(mention[1]) } };
    return { offset, length, type, url: href };
  }
  if (tag === "blockquote" && /\bexpandable\b/i.test(attrs)) {
    return { offset, length, type: "expandable_blockquote" };
  }
  if (tag === "tg-emoji") return { offset, length, type, custom_emoji_id: attr("emoji-id") ?? "" };
  if (tag === "pre" && language) return { offset, length, type, language };
  return { offset, length, type };
}
