import { Api } from "grammy";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RateLimiter } from "../../../src/channels/rate-limit.ts";
import { TelegramAdapter } from "../../../src/channels/telegram/adapter.ts";
import type { OutboundMessage } from "../../../src/domain/messages.ts";
import { enqueueOutbox, writeOutbox } from "../../../src/outbox/outbox.ts";
import { type FakeTelegram, startFakeTelegram } from "../../helpers/fake-telegram.ts";
import { createHarness, type Harness } from "../../helpers/harness.ts";
import { busiestWindow, JITTER_MS } from "../../helpers/windows.ts";
import { outboundTable } from "../harness.ts";

let h: Harness;
let tg: FakeTelegram;
let api: Api;
beforeEach(async () => {
  h = await createHarness();
  tg = await startFakeTelegram();
  api = new Api(tg.token, { apiRoot: tg.apiRoot });
});
afterEach(async () => {
  await h.close();
  await tg.close();
});

const adapter = (limits = { perSecond: 25, chatIntervalMs: 1000 }) =>
  new TelegramAdapter(api, new RateLimiter(h.redis, h.prefix), limits);

async function queue(
  chatIds: number[],
  kind: "reply" | "proactive" = "proactive",
  text = "Info lowongan",
) {
  const rows: Parameters<typeof writeOutbox>[1] = [];
  for (const chatId of chatIds) {
    const account = await h.prisma.channelAccount.upsert({
      where: { channel_externalId: { channel: "telegram", externalId: String(chatId) } },
      create: { channel: "telegram", externalId: String(chatId), person: { create: {} } },
      update: {},
    });
    rows.push({
      personId: account.personId,
      channelAccountId: account.id,
      channel: "telegram" as const,
      kind,
      payload: { text },
    });
  }
  const refs = await h.prisma.$transaction((tx) => writeOutbox(tx, rows));
  await enqueueOutbox({ ...h.deps, now: new Date() }, refs);
  return refs.map((r) => r.id);
}

const statusOf = async (id: string) =>
  (await h.prisma.outbox.findUniqueOrThrow({ where: { id } })).status;

describe("Telegram outbound", () => {
  outboundTable<OutboundMessage, unknown>(
    [
      { name: "plain text", message: { text: "Halo" }, expected: { chat_id: 777, text: "Halo" } },
      {
        name: "choices as numbered lines and as buttons, one per row",
        message: {
          text: "Setuju?\n1. Ya\n2. Tidak",
          choices: [
            { id: "yes", label: "Ya" },
            { id: "no", label: "Tidak" },
          ],
          buttons: true,
        },
        expected: {
          chat_id: 777,
          text: "Setuju?\n1. Ya\n2. Tidak",
          reply_markup: {
            inline_keyboard: [
              [{ text: "1. Ya", callback_data: "yes" }],
              [{ text: "2. Tidak", callback_data: "no" }],
            ],
          },
        },
      },
      {
        name: "long lists only as numbered lines",
        message: {
          text: "Kota?\n1. A\n2. B",
          choices: Array.from({ length: 29 }, (_, i) => ({ id: `c${i}`, label: `Kota ${i}` })),
          buttons: true,
        },
        expected: { chat_id: 777, text: "Kota?\n1. A\n2. B" },
      },
    ],
    async (message) => {
      await adapter({ perSecond: 25, chatIntervalMs: 0 }).send("777", message);
      const { chat_id, text, reply_markup } = tg.callsOf("sendMessage").at(-1)!;
      return { chat_id, text, ...(reply_markup ? { reply_markup } : {}) };
    },
  );
});

describe("Telegram delivery through the send worker", () => {
  it("waits retry_after after a 429 and then sends", async () => {
    tg.failNext("sendMessage", {
      error_code: 429,
      description: "Too Many Requests: retry after 1",
      parameters: { retry_after: 1 },
    });
    await h.startWorkers({ channels: [{ adapter: adapter(), concurrency: 5 }] });
    const [id] = await queue([1001]);
    await expect.poll(() => statusOf(id!), { timeout: 10_000 }).toBe("sent");
    const calls = tg.calls.filter((c) => c.method === "sendMessage");
    expect(calls).toHaveLength(2);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(1000);
  });

  it("marks a person who blocked the bot unreachable, without retrying", async () => {
    tg.setChatStatus(1002, "blocked");
    await h.startWorkers({ channels: [{ adapter: adapter() }] });
    const [id] = await queue([1002]);
    await expect.poll(() => statusOf(id!), { timeout: 10_000 }).toBe("failed");
    const row = await h.prisma.outbox.findUniqueOrThrow({
      where: { id: id! },
      include: { channelAccount: true },
    });
    expect(row.reason).toMatch(/^blocked: Forbidden: bot was blocked by the user/);
    expect(row.channelAccount.reachable).toBe(false);
    expect(tg.callsOf("sendMessage")).toHaveLength(1);
  });

  it("retries server errors and dropped connections with backoff", async () => {
    tg.failNext("sendMessage", { error_code: 502, description: "Bad Gateway" });
    tg.failNext("sendMessage", { hangUp: true });
    await h.startWorkers({ channels: [{ adapter: adapter() }] });
    const [id] = await queue([1003]);
    await expect.poll(() => statusOf(id!), { timeout: 20_000, interval: 200 }).toBe("sent");
    expect(tg.callsOf("sendMessage")).toHaveLength(3);
    expect(tg.sentTexts(1003)).toEqual(["Info lowongan"]);
  });

  it("keeps to the per-chat interval in a 200-message burst to one chat", async () => {
    const interval = 25;
    await h.startWorkers({
      channels: [
        { adapter: adapter({ perSecond: 25_000, chatIntervalMs: interval }), concurrency: 10 },
      ],
    });
    const ids = await queue(Array.from({ length: 200 }, () => 1004));
    await expect
      .poll(() => h.prisma.outbox.count({ where: { id: { in: ids }, status: "sent" } }), {
        timeout: 30_000,
      })
      .toBe(200);
    const times = tg.calls.filter((c) => c.method === "sendMessage").map((c) => c.at);
    // Receive times at the fake server: one message per interval, give or take the jitter.
    expect(busiestWindow(times, 1000 - JITTER_MS)).toBeLessThanOrEqual(1000 / interval);
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThanOrEqual(
      199 * interval - JITTER_MS,
    );
    expect(tg.sentTexts(1004)).toHaveLength(200);
  });

  it("keeps to the overall rate in a burst to 200 chats", async () => {
    const perSecond = 50;
    await h.startWorkers({
      channels: [{ adapter: adapter({ perSecond, chatIntervalMs: 1000 }), concurrency: 8 }],
    });
    const chats = Array.from({ length: 200 }, (_, i) => 2000 + i);
    const ids = await queue(chats);
    await expect
      .poll(() => h.prisma.outbox.count({ where: { id: { in: ids }, status: "sent" } }), {
        timeout: 30_000,
      })
      .toBe(200);
    const sends = tg.calls.filter((c) => c.method === "sendMessage");
    const times = sends.map((c) => c.at);
    expect(busiestWindow(times, 1000 - JITTER_MS)).toBeLessThanOrEqual(perSecond);
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThanOrEqual(3000 - JITTER_MS);
    expect(new Set(sends.map((c) => c.payload.chat_id)).size).toBe(200);
  });
});
