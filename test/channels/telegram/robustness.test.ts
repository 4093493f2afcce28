import { Api } from "grammy";
import type { Update } from "grammy/types";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { telegramPort } from "../../../src/boot.ts";
import { RateLimiter } from "../../../src/channels/rate-limit.ts";
import { TelegramAdapter } from "../../../src/channels/telegram/adapter.ts";
import { COMMANDS, registerCommands } from "../../../src/channels/telegram/commands.ts";
import { TelegramGateway } from "../../../src/channels/telegram/gateway.ts";
import { TelegramPoller } from "../../../src/channels/telegram/poller.ts";
import { enqueueOutbox } from "../../../src/outbox/outbox.ts";
import { type FakeTelegram, startFakeTelegram } from "../../helpers/fake-telegram.ts";
import { createHarness, type Harness } from "../../helpers/harness.ts";
import { textUpdate } from "../../helpers/telegram-updates.ts";

let h: Harness;
let tg: FakeTelegram;
beforeEach(async () => {
  h = await createHarness();
  tg = await startFakeTelegram();
});
afterEach(async () => {
  await tg.close();
  await h.close();
});

describe("Telegram robustness", () => {
  it("does not confirm an update it could not store; it is stored on the next try, once", async () => {
    const api = new Api(tg.token, { apiRoot: tg.apiRoot });
    const gateway = new TelegramGateway(api, telegramPort(h.deps), h.deps.log);
    let failures = 1;
    // The database is briefly unavailable for the first attempt.
    const flaky = {
      handleUpdate: async (update: Update) => {
        if (failures-- > 0) throw new Error("database unavailable");
        await gateway.handleUpdate(update);
      },
    } as unknown as TelegramGateway;
    const poller = new TelegramPoller(api, flaky, h.deps.log, 1);
    await poller.start();
    tg.pushUpdate(textUpdate(31337, "halo", { messageId: 5 }));
    await expect
      .poll(() => h.prisma.inboundMessage.count({ where: { channel: "telegram" } }), {
        timeout: 15_000,
      })
      .toBe(1);
    await expect.poll(() => tg.pendingUpdates().length, { timeout: 10_000 }).toBe(0);
    await poller.stop();
    // Delivered twice by Telegram (the first try failed), stored once.
    expect(await h.prisma.inboundMessage.count({ where: { channel: "telegram" } })).toBe(1);
  });

  it("retries a send that timed out", async () => {
    const api = new Api(tg.token, { apiRoot: tg.apiRoot, timeoutSeconds: 1 });
    const adapter = new TelegramAdapter(api, new RateLimiter(h.redis, h.prefix), {
      perSecond: 25,
      chatIntervalMs: 0,
    });
    tg.failNext("sendMessage", { delayMs: 3000 });
    await h.startWorkers({ channels: [{ adapter }] });
    const refs = await h.commitMessages(await h.account("4040", "telegram"), [{ text: "lambat" }]);
    await enqueueOutbox({ ...h.deps, now: new Date() }, refs);
    await expect
      .poll(
        async () =>
          (await h.prisma.outbox.findUniqueOrThrow({ where: { id: refs[0]!.id } })).status,
        {
          timeout: 20_000,
          interval: 200,
        },
      )
      .toBe("sent");
    expect((await h.prisma.outbox.findUniqueOrThrow({ where: { id: refs[0]!.id } })).attempts).toBe(
      2,
    );
  });

  it("registers the commands in Indonesian and, for English Telegram, in English", async () => {
    await registerCommands(new Api(tg.token, { apiRoot: tg.apiRoot }));
    const calls = tg.callsOf("setMyCommands");
    expect(calls).toHaveLength(2);
    expect(calls[0]!.language_code).toBeUndefined();
    expect(calls[0]!.commands.map((c: { command: string }) => c.command)).toEqual(
      Object.values(COMMANDS.id),
    );
    expect(
      calls[0]!.commands.find((c: { command: string }) => c.command === "petugas").description,
    ).toBe("Bicara dengan petugas");
    expect(calls[1]!.language_code).toBe("en");
    expect(
      calls[1]!.commands.find((c: { command: string }) => c.command === "staff").description,
    ).toBe("Talk to a person");
  });
});
