import { readFileSync } from "node:fs";
import { Bot, GrammyError, HttpError, InputFile } from "grammy";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FakeTelegram, parseHtml, startFakeTelegram } from "../../helpers/fake-telegram.ts";
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

// biome-ignore lint/suspicious/noExplicitAny: Bot API envelopes are loose JSON here
type Json = any;

const fixtures: Record<string, Json> = JSON.parse(
  readFileSync(new URL("../../fixtures/telegram/updates.json", import.meta.url), "utf8"),
);

let fake: FakeTelegram;

beforeEach(async () => {
  fake = await startFakeTelegram();
});

afterEach(async () => {
  await fake.close();
});

async function call(
  method: string,
  payload?: object,
  opts: { token?: string; httpMethod?: string } = {},
): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${fake.apiRoot}/bot${opts.token ?? fake.token}/${method}`, {
    method: opts.httpMethod ?? "POST",
    ...(payload
      ? { headers: { "content-type": "application/json" }, body: JSON.stringify(payload) }
      : {}),
  });
  return { status: res.status, body: await res.json() };
}

describe("fake Telegram Bot API server", () => {
  it("answers getMe over GET and POST with the bot user", async () => {
    const post = await call("getMe");
    expect(post.status).toBe(200);
    expect(post.body).toEqual({
      ok: true,
      result: expect.objectContaining({
        id: 100,
        is_bot: true,
        first_name: "IJC Bot",
        username: "ijc_test_bot",
        can_join_groups: true,
        can_read_all_group_messages: false,
        supports_inline_queries: false,
      }),
    });
    const get = await call("getme", undefined, { httpMethod: "GET" });
    expect(get.body.result.username).toBe("ijc_test_bot");
    expect(fake.calls.map((c) => c.method)).toEqual(["getMe", "getme"]);
    expect(fake.callsOf("GETME")).toHaveLength(2);
    expect(fake.apiRoot).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it("answers 401 to a wrong token and 404 to unknown methods and paths", async () => {
    const wrong = await call("getMe", undefined, { token: "1:nope" });
    expect(wrong).toEqual({
      status: 401,
      body: { ok: false, error_code: 401, description: "Unauthorized" },
    });
    const unknown = await call("sendTelepathy", { chat_id: 1 });
    expect(unknown).toEqual({
      status: 404,
      body: { ok: false, error_code: 404, description: "Not Found: method not found" },
    });
    const res = await fetch(`${fake.apiRoot}/nothing-here`);
    expect(res.status).toBe(404);
    // Every call is recorded, failed ones too.
    expect(fake.calls.map((c) => c.method)).toEqual(["getMe", "sendTelepathy"]);
    expect(fake.callsOf("sendTelepathy")).toEqual([{ chat_id: 1 }]);
  });

  it("keeps updates until an offset confirms them, honouring limit", async () => {
    const a = fake.pushUpdate(textUpdate(7001, "satu"));
    const b = fake.pushUpdate(textUpdate(7001, "dua"));
    const c = fake.pushUpdate({ update_id: b + 10, ...textUpdate(7001, "tiga") });
    expect(b).toBe(a + 1);
    expect(c).toBe(b + 10);
    expect(fake.pushUpdate(textUpdate(7001, "empat"))).toBe(c + 1);
    // A fixture pushed after higher ids is renumbered rather than lost.
    expect(fake.pushUpdate(fixtures.text)).toBe(c + 2);
    expect(fixtures.text.update_id).toBe(384920101);

    const all = await call("getUpdates", {});
    expect(all.body.result.map((u: Json) => u.update_id)).toEqual([a, b, c, c + 1, c + 2]);
    // Not confirmed yet: the same updates come again.
    const again = await call("getUpdates", { limit: 2 });
    expect(again.body.result.map((u: Json) => u.message.text)).toEqual(["satu", "dua"]);

    const rest = await call("getUpdates", { offset: b + 1 });
    expect(rest.body.result.map((u: Json) => u.update_id)).toEqual([c, c + 1, c + 2]);
    expect(fake.pendingUpdates()).toHaveLength(3);

    // Negative offset: the last N, everything before is forgotten.
    const last = await call("getUpdates", { offset: -1 });
    expect(last.body.result.map((u: Json) => u.update_id)).toEqual([c + 2]);
    expect(fake.pendingUpdates()).toHaveLength(1);

    const none = await call("getUpdates", { offset: c + 3, timeout: 0 });
    expect(none.body).toEqual({ ok: true, result: [] });
    expect(fake.pendingUpdates()).toEqual([]);
  });

  it("long-polls: holds getUpdates for `timeout` seconds, answers [] after it", async () => {
    const started = Date.now();
    const res = await call("getUpdates", { offset: 0, timeout: 1 });
    const elapsed = Date.now() - started;
    expect(res.body).toEqual({ ok: true, result: [] });
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(3000);
  });

  it("long-polls: answers as soon as updates arrive, in one batch", async () => {
    const pending = call("getUpdates", { timeout: 30 });
    await fake.waitForCalls("getUpdates", 1);
    const started = Date.now();
    fake.pushUpdate(textUpdate(7002, "a"));
    fake.pushUpdate(textUpdate(7002, "b"));
    const res = await pending;
    expect(Date.now() - started).toBeLessThan(1000);
    expect(res.body.result.map((u: Json) => u.message.text)).toEqual(["a", "b"]);
  });

  it("ends a pending poll with 409 when another getUpdates comes", async () => {
    const first = call("getUpdates", { timeout: 30 });
    await fake.waitForCalls("getUpdates", 1);
    const second = call("getUpdates", { timeout: 0 });
    const [a, b] = await Promise.all([first, second]);
    expect(a.status).toBe(409);
    expect(a.body.description).toMatch(/^Conflict: terminated by other getUpdates request/);
    expect(b.body).toEqual({ ok: true, result: [] });
  });

  it("refuses getUpdates while a webhook is set", async () => {
    expect((await call("setWebhook", { url: "http://insecure.example" })).status).toBe(400);
    expect(
      (await call("setWebhook", { url: "https://bot.example/tg", secret_token: "s3cret_x" })).body,
    ).toEqual({ ok: true, result: true });
    const info = await call("getWebhookInfo");
    expect(info.body.result).toMatchObject({
      url: "https://bot.example/tg",
      pending_update_count: 0,
    });
    const poll = await call("getUpdates", {});
    expect(poll.status).toBe(409);
    await call("deleteWebhook", { drop_pending_updates: true });
    expect((await call("getUpdates", {})).body).toEqual({ ok: true, result: [] });
  });

  it("sends messages with increasing ids and records their texts", async () => {
    fake.pushUpdate(textUpdate(7003, "halo", { firstName: "Sari" }));
    const markup = { inline_keyboard: [[{ text: "Ya", callback_data: "yes" }]] };
    const one = await call("sendMessage", {
      chat_id: 7003,
      text: "Halo Sari!",
      reply_markup: markup,
    });
    const two = await call("sendMessage", { chat_id: 7003, text: "Pilih:" });
    expect(one.status).toBe(200);
    expect(one.body.result).toMatchObject({
      message_id: expect.any(Number),
      from: { id: 100, is_bot: true, username: "ijc_test_bot" },
      chat: { id: 7003, first_name: "Sari", type: "private" },
      date: expect.any(Number),
      text: "Halo Sari!",
      reply_markup: markup,
    });
    expect(Math.abs(one.body.result.date - Date.now() / 1000)).toBeLessThan(5);
    expect(two.body.result.message_id).toBe(one.body.result.message_id + 1);
    // A reply keyboard is not echoed in Message.reply_markup (inline keyboards only).
    const reply = await call("sendMessage", {
      chat_id: 7004,
      text: "Bagikan nomor",
      reply_markup: { keyboard: [[{ text: "Kirim nomor", request_contact: true }]] },
    });
    expect(reply.body.result.reply_markup).toBeUndefined();
    expect(reply.body.result.chat).toEqual({ id: 7004, first_name: "Test", type: "private" });

    expect(fake.sentTexts(7003)).toEqual(["Halo Sari!", "Pilih:"]);
    expect(fake.sentTexts("7004")).toEqual(["Bagikan nomor"]);
    expect(fake.sentMessages(7003).map((m) => m.text)).toEqual(["Halo Sari!", "Pilih:"]);
  });

  it("accepts form-urlencoded bodies and query strings", async () => {
    const form = new URLSearchParams({
      chat_id: "7005",
      text: "123",
      reply_markup: JSON.stringify({ inline_keyboard: [[{ text: "OK", callback_data: "ok" }]] }),
    });
    const res = await fetch(`${fake.apiRoot}/bot${fake.token}/sendMessage`, {
      method: "POST",
      body: form,
    });
    const body = (await res.json()) as Json;
    expect(body.result.text).toBe("123");
    expect(fake.callsOf("sendMessage")[0]).toEqual({
      chat_id: 7005,
      text: "123",
      reply_markup: { inline_keyboard: [[{ text: "OK", callback_data: "ok" }]] },
    });
    const q = await fetch(
      `${fake.apiRoot}/bot${fake.token}/sendMessage?chat_id=7005&text=dari%20query`,
    );
    expect(((await q.json()) as Json).result.text).toBe("dari query");
    expect(fake.sentTexts(7005)).toEqual(["123", "dari query"]);
  });

  it("rejects what Telegram rejects", async () => {
    const cases: [object, number, RegExp][] = [
      [{ text: "x" }, 400, /chat_id is empty/],
      [{ chat_id: 1, text: "  " }, 400, /message text is empty/],
      [{ chat_id: 1, text: "a".repeat(4097) }, 400, /message is too long/],
      [{ chat_id: 1, text: "a < b", parse_mode: "HTML" }, 400, /can't parse entities/],
      [{ chat_id: 1, text: "<b>tebal", parse_mode: "HTML" }, 400, /Can't find end tag/],
      [
        { chat_id: 1, text: "<div>x</div>", parse_mode: "HTML" },
        400,
        /Unsupported start tag "div"/,
      ],
      [
        {
          chat_id: 1,
          text: "x",
          reply_markup: { inline_keyboard: [[{ text: "a", callback_data: "x".repeat(65) }]] },
        },
        400,
        /BUTTON_DATA_INVALID/,
      ],
      [
        { chat_id: 1, text: "x", reply_markup: { inline_keyboard: [[{ text: "a" }]] } },
        400,
        /Text buttons are unallowed/,
      ],
    ];
    for (const [payload, status, description] of cases) {
      const res = await call("sendMessage", payload);
      expect(res.status, JSON.stringify(payload)).toBe(status);
      expect(res.body.ok).toBe(false);
      expect(res.body.description).toMatch(/^Bad Request: /);
      expect(res.body.description).toMatch(description);
    }
    expect(fake.sentTexts(1)).toEqual([]);
    expect(fake.callsOf("sendMessage")).toHaveLength(cases.length);
  });

  it("renders HTML parse mode to text and UTF-16 entities", async () => {
    const res = await call("sendMessage", {
      chat_id: 1,
      text: '👋 <b>Halo</b> &amp; <a href="https://ijc.example">lihat</a> &lt;3',
      parse_mode: "HTML",
    });
    expect(res.body.result.text).toBe("👋 Halo & lihat <3");
    expect(res.body.result.entities).toEqual([
      { offset: 3, length: 4, type: "bold" },
      { offset: 10, length: 5, type: "text_link", url: "https://ijc.example" },
    ]);
    expect(fake.sentTexts(1)).toEqual([
      '👋 <b>Halo</b> &amp; <a href="https://ijc.example">lihat</a> &lt;3',
    ]);
    expect(parseHtml('<pre><code class="language-ts">x</code></pre>').entities).toEqual([
      { offset: 0, length: 1, type: "pre", language: "ts" },
    ]);
  });

  it("edits messages and refuses an edit that changes nothing", async () => {
    const sent = await call("sendMessage", {
      chat_id: 7006,
      text: "Pilih:",
      reply_markup: { inline_keyboard: [[{ text: "A", callback_data: "a" }]] },
    });
    const id = sent.body.result.message_id;
    const edited = await call("editMessageText", {
      chat_id: 7006,
      message_id: id,
      text: "Dipilih: A",
    });
    expect(edited.body.result).toMatchObject({
      message_id: id,
      text: "Dipilih: A",
      edit_date: expect.any(Number),
    });
    // Editing the text without reply_markup removes the keyboard, as in Telegram.
    expect(edited.body.result.reply_markup).toBeUndefined();
    const same = await call("editMessageText", {
      chat_id: 7006,
      message_id: id,
      text: "Dipilih: A",
    });
    expect(same.status).toBe(400);
    expect(same.body.description).toMatch(/^Bad Request: message is not modified/);
    const markup = await call("editMessageReplyMarkup", {
      chat_id: 7006,
      message_id: id,
      reply_markup: { inline_keyboard: [[{ text: "B", callback_data: "b" }]] },
    });
    expect(markup.body.result.reply_markup.inline_keyboard[0][0].text).toBe("B");
    expect(fake.sentMessages(7006)[0]).toMatchObject({ text: "Dipilih: A" });
    // A message the fake never sent (e.g. from a fixture) can still be edited.
    const foreign = await call("editMessageText", {
      chat_id: 7006,
      message_id: 99999,
      text: "baru",
    });
    expect(foreign.body.ok).toBe(true);
    // The bot's message under a pushed callback query is known too.
    fake.pushUpdate(callbackUpdate(7006, "a", 555, { messageText: "Pilih:" }));
    const unchanged = await call("editMessageText", {
      chat_id: 7006,
      message_id: 555,
      text: "Pilih:",
      reply_markup: { inline_keyboard: [[{ text: "a", callback_data: "a" }]] },
    });
    expect(unchanged.body.description).toMatch(/message is not modified/);
    const inline = await call("editMessageText", { inline_message_id: "AAA", text: "x" });
    expect(inline.body).toEqual({ ok: true, result: true });
  });

  it("answers the other methods the bot uses", async () => {
    expect(
      (await call("answerCallbackQuery", { callback_query_id: "1", text: "OK" })).body.result,
    ).toBe(true);
    expect((await call("sendChatAction", { chat_id: 1, action: "typing" })).body.result).toBe(true);
    expect((await call("sendChatAction", { chat_id: 1, action: "dancing" })).status).toBe(400);
    const commands = [{ command: "menu", description: "Menu utama" }];
    expect((await call("setMyCommands", { commands })).body.result).toBe(true);
    expect((await call("setMyCommands", { commands, language_code: "en" })).body.result).toBe(true);
    expect((await call("getMyCommands", {})).body.result).toEqual(commands);
    expect(
      (await call("setMyCommands", { commands: [{ command: "Menu!", description: "x" }] })).body
        .description,
    ).toBe("Bad Request: BOT_COMMAND_INVALID");
    expect((await call("deleteMyCommands", {})).body.result).toBe(true);
    expect((await call("getMyCommands", {})).body.result).toEqual([]);
    expect((await call("getMyCommands", { language_code: "en" })).body.result).toEqual(commands);
    expect((await call("deleteWebhook")).body.result).toBe(true);
    expect((await call("logOut")).body.result).toBe(true);
    expect((await call("close")).body.result).toBe(true);
  });

  it("uploads a voice note by multipart and serves it back through getFile", async () => {
    const form = new FormData();
    form.set("chat_id", "7007");
    form.set("duration", "2");
    form.set(
      "voice",
      new Blob([Buffer.from("OggS-fake-opus")], { type: "audio/ogg" }),
      "reply.ogg",
    );
    const res = await fetch(`${fake.apiRoot}/bot${fake.token}/sendVoice`, {
      method: "POST",
      body: form,
    });
    const body = (await res.json()) as Json;
    expect(body.result.voice).toMatchObject({ duration: 2, mime_type: "audio/ogg", file_size: 14 });
    expect(fake.callsOf("sendVoice")[0]?.voice).toMatchObject({ filename: "reply.ogg", size: 14 });

    const file = await call("getFile", { file_id: body.result.voice.file_id });
    expect(file.body.result).toMatchObject({
      file_size: 14,
      file_path: expect.stringMatching(/^voice\//),
    });
    const download = await fetch(
      `${fake.apiRoot}/file/bot${fake.token}/${file.body.result.file_path}`,
    );
    expect(Buffer.from(await download.arrayBuffer()).toString()).toBe("OggS-fake-opus");

    // A file id from an incoming update: getFile answers, and putFile makes it downloadable.
    const incoming = fixtures.voice.message.voice.file_id;
    fake.putFile(incoming, "voice bytes");
    const info = await call("getFile", { file_id: incoming });
    expect(info.body.result.file_path).toMatch(/^voice\/file_\d+\.oga$/);
    const got = await fetch(`${fake.apiRoot}/file/bot${fake.token}/${info.body.result.file_path}`);
    expect(await got.text()).toBe("voice bytes");
  });

  it("fails the next calls as scripted: 429 with retry_after", async () => {
    fake.failNext(
      "sendMessage",
      {
        error_code: 429,
        description: "Too Many Requests: retry after 3",
        parameters: { retry_after: 3 },
      },
      2,
    );
    for (let i = 0; i < 2; i++) {
      const res = await call("sendMessage", { chat_id: 1, text: `coba ${i}` });
      expect(res).toEqual({
        status: 429,
        body: {
          ok: false,
          error_code: 429,
          description: "Too Many Requests: retry after 3",
          parameters: { retry_after: 3 },
        },
      });
    }
    expect((await call("sendMessage", { chat_id: 1, text: "lagi" })).body.ok).toBe(true);
    expect(fake.callsOf("sendMessage")).toHaveLength(3);
    expect(fake.sentTexts(1)).toEqual(["lagi"]);
    // Scripts are per method.
    expect((await call("getMe")).status).toBe(200);
  });

  it("fails the next call as scripted: a dropped connection and a delay", async () => {
    fake.failNext("sendMessage", { hangUp: true });
    await expect(call("sendMessage", { chat_id: 1, text: "hilang" })).rejects.toThrow();
    expect(fake.callsOf("sendMessage")).toEqual([{ chat_id: 1, text: "hilang" }]);
    expect(fake.sentTexts(1)).toEqual([]);

    fake.failNext("sendMessage", { delayMs: 300 });
    const started = Date.now();
    const res = await call("sendMessage", { chat_id: 1, text: "lambat" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(res.body.result.text).toBe("lambat");
  });

  it("makes blocked chats answer 403, also after a my_chat_member kicked update", async () => {
    fake.setChatStatus(7008, "blocked");
    const blocked = await call("sendMessage", { chat_id: 7008, text: "halo" });
    expect(blocked).toEqual({
      status: 403,
      body: { ok: false, error_code: 403, description: "Forbidden: bot was blocked by the user" },
    });
    fake.setChatStatus(7008, "ok");
    expect((await call("sendMessage", { chat_id: 7008, text: "halo" })).status).toBe(200);

    fake.pushUpdate(myChatMemberUpdate(7009, "kicked"));
    expect((await call("sendMessage", { chat_id: 7009, text: "x" })).status).toBe(403);
    fake.pushUpdate(myChatMemberUpdate(7009, "member"));
    expect((await call("sendMessage", { chat_id: 7009, text: "x" })).status).toBe(200);

    fake.setChatStatus(7010, "not_found");
    expect((await call("sendMessage", { chat_id: 7010, text: "x" })).body.description).toBe(
      "Bad Request: chat not found",
    );
  });

  it("waitForCalls resolves on the count and times out with what it saw", async () => {
    const waiting = fake.waitForCalls("sendMessage", 2, 2000);
    await call("sendMessage", { chat_id: 1, text: "1" });
    await call("sendMessage", { chat_id: 1, text: "2" });
    expect((await waiting).map((p) => p.text)).toEqual(["1", "2"]);
    await expect(fake.waitForCalls("sendVoice", 1, 100)).rejects.toThrow(
      /timed out.*sendVoice.*sendMessage/,
    );
  });

  it("closes quickly while a long poll is pending, answering it with []", async () => {
    const pending = call("getUpdates", { timeout: 50 });
    await fake.waitForCalls("getUpdates", 1);
    const started = Date.now();
    await fake.close();
    expect(Date.now() - started).toBeLessThan(1000);
    expect((await pending).body).toEqual({ ok: true, result: [] });
    await fake.close(); // idempotent
  });

  it("builds updates shaped like the fixtures", () => {
    const builders: Record<string, Json> = {
      text: textUpdate(1, "halo"),
      start_deeplink: startUpdate(1, "ref_ijc-makassar_2025"),
      callback_query: callbackUpdate(1, "lang:id", 5),
      voice: voiceUpdate(1),
      photo_with_caption: photoUpdate(1, { caption: "x" }),
      document: documentUpdate(1),
      sticker: stickerUpdate(1),
      location: locationUpdate(1),
      contact: contactUpdate(1),
      edited_message: editedMessageUpdate(1, "x"),
      group_message: groupTextUpdate(4123456789, "/menu@ijc_test_bot"),
      channel_post: channelPostUpdate(2233445566, "Lowongan baru #lowongan"),
      my_chat_member_kicked: myChatMemberUpdate(1, "kicked"),
      my_chat_member_member: myChatMemberUpdate(1, "member"),
    };
    for (const [name, built] of Object.entries(builders)) {
      expect(built.update_id, name).toBeUndefined();
      const fixture = fixtures[name];
      expect(fixture, name).toBeDefined();
      const kind = Object.keys(fixture).find((k) => k !== "update_id")!;
      expect(Object.keys(built), name).toEqual([kind]);
      // Same fields at the top of the update body (nested values differ).
      expect(Object.keys(built[kind]).sort(), name).toEqual(
        Object.keys(fixture[kind])
          .filter((k) => k !== "all_members_are_administrators")
          .sort(),
      );
    }
    expect(startUpdate(1, "abc").message!.entities).toEqual([
      { offset: 0, length: 6, type: "bot_command" },
    ]);
    expect(textUpdate(1, "halo").message!.entities).toBeUndefined();
    expect(textUpdate(1, "x", { updateId: 5 }).update_id).toBe(5);
    expect(groupTextUpdate(42, "hi").message!.chat).toMatchObject({ id: -42, type: "group" });
  });
});

describe("the real grammY client against the fake", () => {
  function newBot(): Bot {
    const bot = new Bot(fake.token, { botInfo: fake.botInfo, client: { apiRoot: fake.apiRoot } });
    bot.catch((err) => {
      throw err.error;
    });
    return bot;
  }

  it("long-polls every fixture update and replies through sendMessage", async () => {
    const bot = newBot();
    const seen: string[] = [];
    bot.on("message:text", (ctx) => ctx.reply(`teks: ${ctx.message.text.slice(0, 20)}`));
    bot.on("message:voice", async (ctx) => {
      const file = await ctx.getFile();
      await ctx.reply(`voice ${file.file_path}`);
    });
    bot.on("callback_query:data", async (ctx) => {
      await ctx.answerCallbackQuery();
      await ctx.editMessageText(`dipilih ${ctx.callbackQuery.data}`);
    });
    bot.on(
      [
        "message:photo",
        "message:document",
        "message:sticker",
        "message:location",
        "message:contact",
      ],
      (ctx) => ctx.reply("media"),
    );
    bot.on("edited_message", () => void seen.push("edited"));
    bot.on("channel_post", () => void seen.push("channel"));
    // The last fixture: once it is handled, the whole batch is.
    let lastHandled!: () => void;
    const allHandled = new Promise<void>((resolve) => {
      lastHandled = resolve;
    });
    bot.on("my_chat_member", (ctx) => {
      const status = ctx.myChatMember.new_chat_member.status;
      seen.push(`member:${status}`);
      if (status === "member") lastHandled();
    });

    for (const update of Object.values(fixtures)) fake.pushUpdate(update);
    const running = bot.start({ timeout: 1, drop_pending_updates: false });
    // 8 texts (4 plain, 2 starts, menu, group), 6 media (2 contacts), 1 voice.
    await fake.waitForCalls("sendMessage", 15, 10_000);
    await fake.waitForCalls("editMessageText", 1);
    await allHandled;
    await bot.stop();
    await running;

    expect(fake.sentTexts(7012345678)).toContain("teks: halo");
    expect(fake.sentTexts(5123987654)).toContain("teks: /start ref_ijc-makas");
    expect(fake.sentTexts(7012345678).some((t) => /^voice voice\/file_\d+\.oga$/.test(t))).toBe(
      true,
    );
    expect(fake.sentTexts(-4123456789)).toEqual(["teks: /menu@ijc_test_bot"]);
    expect(fake.callsOf("answerCallbackQuery")).toEqual([
      { callback_query_id: "4302118452179135721" },
    ]);
    expect(seen).toEqual(["edited", "channel", "member:kicked", "member:member"]);
    // Everything was confirmed by the final getUpdates of bot.stop().
    expect(fake.pendingUpdates()).toEqual([]);
    const polls = fake.callsOf("getUpdates");
    expect(polls[0]).toMatchObject({ offset: 1, timeout: 1 });
    expect(polls.at(-1)).toMatchObject({
      offset: fixtures.my_chat_member_member.update_id + 1,
      limit: 1,
    });
  });

  it("surfaces scripted failures as GrammyError and HttpError", async () => {
    const bot = newBot();
    fake.failNext("sendMessage", {
      error_code: 429,
      description: "Too Many Requests: retry after 7",
      parameters: { retry_after: 7 },
    });
    const limited = await bot.api.sendMessage(1, "x").catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(GrammyError);
    expect((limited as GrammyError).error_code).toBe(429);
    expect((limited as GrammyError).parameters.retry_after).toBe(7);

    fake.failNext("sendMessage", { hangUp: true });
    const dropped = await bot.api.sendMessage(1, "x").catch((e: unknown) => e);
    expect(dropped).toBeInstanceOf(HttpError);

    const ok = await bot.api.sendMessage(1, "<b>ok</b>", { parse_mode: "HTML" });
    expect(ok.text).toBe("ok");
    expect(ok.entities).toEqual([{ offset: 0, length: 2, type: "bold" }]);

    const voice = await bot.api.sendVoice(1, new InputFile(Buffer.from("opus!"), "v.ogg"), {
      caption: "suara",
    });
    expect(voice.voice?.file_size).toBe(5);
    expect(voice.caption).toBe("suara");
    expect(fake.callsOf("sendVoice")[0]).toMatchObject({
      chat_id: 1,
      caption: "suara",
      voice: { filename: "v.ogg", size: 5 },
    });

    const wrong = new Bot("1:wrong", { botInfo: fake.botInfo, client: { apiRoot: fake.apiRoot } });
    const unauthorized = await wrong.api.getMe().catch((e: unknown) => e);
    expect((unauthorized as GrammyError).error_code).toBe(401);
  });

  it("stops a bot whose long poll is pending, and closes the fake after", async () => {
    const bot = newBot();
    bot.on("message", () => {});
    const running = bot.start({ timeout: 30 });
    await fake.waitForCalls("getUpdates", 1);
    const started = Date.now();
    await bot.stop();
    await running;
    await fake.close();
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
