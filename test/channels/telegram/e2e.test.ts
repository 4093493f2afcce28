/**
 * The real grammY client over HTTP against the local fake Bot API server:
 * long polling, the gateway, the runner and the send worker, end to end.
 */
import { Api } from "grammy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { telegramPort } from "../../../src/boot.ts";
import { RateLimiter } from "../../../src/channels/rate-limit.ts";
import { TelegramAdapter } from "../../../src/channels/telegram/adapter.ts";
import { TelegramGateway } from "../../../src/channels/telegram/gateway.ts";
import { TelegramPoller } from "../../../src/channels/telegram/poller.ts";
import { createWebServer } from "../../../src/web/server.ts";
import { type FakeTelegram, startFakeTelegram } from "../../helpers/fake-telegram.ts";
import { createHarness, type Harness } from "../../helpers/harness.ts";
import {
  callbackUpdate,
  editedMessageUpdate,
  groupTextUpdate,
  myChatMemberUpdate,
  startUpdate,
  textUpdate,
} from "../../helpers/telegram-updates.ts";

let h: Harness;
let tg: FakeTelegram;
let poller: TelegramPoller;
let gateway: TelegramGateway;
const CHAT = 9001;

beforeAll(async () => {
  h = await createHarness();
  tg = await startFakeTelegram();
  const api = new Api(tg.token, { apiRoot: tg.apiRoot });
  const adapter = new TelegramAdapter(api, new RateLimiter(h.redis, h.prefix), {
    perSecond: 25,
    chatIntervalMs: 0,
  });
  await h.startWorkers({ channels: [{ adapter, concurrency: 4 }] });
  gateway = new TelegramGateway(api, telegramPort(h.deps), h.deps.log);
  poller = new TelegramPoller(api, gateway, h.deps.log, 1);
  await poller.start();
});
afterAll(async () => {
  await poller.stop();
  await tg.close();
  await h.close();
});

/** Sends an update and waits until the bot has sent `replies` more messages to the chat. */
async function say(update: object, replies: number) {
  const before = tg.sentTexts(CHAT).length;
  tg.pushUpdate(update);
  await expect.poll(() => tg.sentTexts(CHAT).length, { timeout: 15_000 }).toBe(before + replies);
  return tg.sentTexts(CHAT).slice(before);
}

/** The message id of the bot's last message with buttons. */
const lastKeyboard = () => {
  const withButtons = tg.sentMessages(CHAT).filter((m) => m.reply_markup?.inline_keyboard?.length);
  return withButtons.at(-1)!;
};

describe("Telegram end to end", () => {
  it("registers a person completely, with buttons and typed answers", async () => {
    // One message per turn (Telegram delivers about one a second to a chat).
    const [greeting] = await say(startUpdate(CHAT, "poster_makassar"), 1);
    expect(greeting).toContain("Ini layanan otomatis");
    expect(greeting).toContain("1. Bahasa Indonesia\n2. English");

    const languageMessage = lastKeyboard();
    const [consent] = await say(callbackUpdate(CHAT, "id", languageMessage.message_id), 1);
    expect(consent).toContain("Apakah Anda setuju data Anda disimpan");
    // The pressed button was answered and its keyboard removed.
    expect(tg.callsOf("answerCallbackQuery")).toHaveLength(1);
    expect(tg.callsOf("editMessageReplyMarkup").at(-1)).toMatchObject({
      chat_id: CHAT,
      message_id: languageMessage.message_id,
    });

    await say(callbackUpdate(CHAT, "yes", lastKeyboard().message_id), 1);
    await say(textUpdate(CHAT, "Rudi Hartono"), 1);
    await say(textUpdate(CHAT, "makasar"), 1);
    await say(callbackUpdate(CHAT, "yes", lastKeyboard().message_id), 1);
    for (const answer of [
      "tuli",
      "SMK",
      "menjahit",
      "lewati",
      "penjahit",
      "1",
      "1",
      "1",
      "lewati",
    ]) {
      await say(textUpdate(CHAT, answer), 1);
    }
    const [done] = await say(textUpdate(CHAT, "ya"), 1);
    expect(done).toContain("Anda sudah terdaftar sebagai pencari kerja");
    expect(done).toContain("Menu utama.");

    const account = await h.prisma.channelAccount.findUniqueOrThrow({
      where: { channel_externalId: { channel: "telegram", externalId: String(CHAT) } },
      include: { person: { include: { profile: true } } },
    });
    expect(account.person.source).toBe("poster_makassar");
    expect(account.person.profile).toMatchObject({
      fullName: "Rudi Hartono",
      cityCode: "7371",
      disabilityCategories: ["rungu"],
      education: "smk",
    });
    // Every button press was answered.
    expect(tg.callsOf("answerCallbackQuery")).toHaveLength(3);
  });

  it("answers group messages and edits without processing them", async () => {
    tg.pushUpdate(groupTextUpdate(-100555, "halo bot"));
    await expect.poll(() => tg.sentTexts(-100555).length, { timeout: 10_000 }).toBe(1);
    expect(tg.sentTexts(-100555)[0]).toContain("hanya bisa melayani lewat chat pribadi");
    const before = tg.sentTexts(CHAT).length;
    tg.pushUpdate(editedMessageUpdate(CHAT, "Rudi H."));
    await expect.poll(() => tg.sentTexts(CHAT).length, { timeout: 10_000 }).toBe(before + 1);
    expect(tg.sentTexts(CHAT).at(-1)).toContain("pesan yang diubah tidak bisa saya baca");
  });

  it("marks a person unreachable when they block the bot, and reachable again", async () => {
    const reachable = async () =>
      (
        await h.prisma.channelAccount.findUniqueOrThrow({
          where: { channel_externalId: { channel: "telegram", externalId: String(CHAT) } },
        })
      ).reachable;
    tg.pushUpdate(myChatMemberUpdate(CHAT, "kicked"));
    await expect.poll(reachable, { timeout: 10_000 }).toBe(false);
    tg.pushUpdate(myChatMemberUpdate(CHAT, "member"));
    await expect.poll(reachable, { timeout: 10_000 }).toBe(true);
  });

  it("confirms updates only after storing them", async () => {
    expect(tg.pendingUpdates()).toEqual([]);
    const stored = await h.prisma.inboundMessage.count({ where: { channel: "telegram" } });
    expect(stored).toBeGreaterThan(10);
  });
});

describe("Telegram webhook", () => {
  it("accepts updates only with the secret token, and stores them", async () => {
    const app = createWebServer({
      prisma: h.prisma,
      redis: h.redis,
      queues: h.queues,
      log: h.deps.log,
      telegram: { gateway, secret: "s3cret-token-for-webhook" },
    });
    const update = { update_id: 777_000, ...textUpdate(4242, "halo dari webhook") };
    const wrong = await app.inject({
      method: "POST",
      url: "/telegram/webhook",
      payload: update,
      headers: { "x-telegram-bot-api-secret-token": "wrong" },
    });
    expect(wrong.statusCode).toBe(401);
    const right = await app.inject({
      method: "POST",
      url: "/telegram/webhook",
      payload: update,
      headers: { "x-telegram-bot-api-secret-token": "s3cret-token-for-webhook" },
    });
    expect(right.statusCode).toBe(200);
    const account = await h.prisma.channelAccount.findUnique({
      where: { channel_externalId: { channel: "telegram", externalId: "4242" } },
    });
    expect(account).not.toBeNull();
    const bad = await app.inject({
      method: "POST",
      url: "/telegram/webhook",
      payload: { hello: 1 },
      headers: { "x-telegram-bot-api-secret-token": "s3cret-token-for-webhook" },
    });
    expect(bad.statusCode).toBe(400);
    await app.close();
  });
});
