import { Api } from "grammy";
import type { Redis } from "ioredis";
import type { TelegramPort } from "../../domain/channel-ports.ts";
import type { Logger } from "../../lib/logger.ts";
import { RateLimiter } from "../rate-limit.ts";
import { TelegramAdapter } from "./adapter.ts";
import { registerCommands } from "./commands.ts";
import { TelegramGateway } from "./gateway.ts";
import { ALLOWED_UPDATES, TelegramPoller } from "./poller.ts";

/** The Telegram settings (env.ts reads them: TELEGRAM_*). */
export interface TelegramSettings {
  token: string;
  apiRoot: string;
  webhookUrl?: string;
  webhookSecret: string;
  staffChatId?: string;
  perSecond: number;
  chatIntervalMs: number;
}

/** Long enough for a long poll (25 s) plus its answer. */
const REQUEST_TIMEOUT_S = 40;

/** The Telegram channel's parts, built from configuration; each role uses what it needs. */
export function createTelegram(
  config: TelegramSettings,
  /** Where updates go (boot.ts, telegramPort). */
  port: TelegramPort,
  redis: Redis,
  prefix: string,
  log: Logger,
) {
  // A request Telegram does not answer must not hold a send slot for grammY's default 500 s.
  const api = new Api(config.token, { apiRoot: config.apiRoot, timeoutSeconds: REQUEST_TIMEOUT_S });
  const channelLog = log.child({ channel: "telegram" });
  const gateway = new TelegramGateway(api, port, channelLog, config.staffChatId);
  const adapter = new TelegramAdapter(api, new RateLimiter(redis, prefix), {
    perSecond: config.perSecond,
    chatIntervalMs: config.chatIntervalMs,
  });
  let poller: TelegramPoller | undefined;

  return {
    api,
    gateway,
    adapter,
    /** Gateway role: register commands, then poll or point Telegram at our webhook. */
    async start() {
      await registerCommands(api);
      if (config.webhookUrl) {
        await api.setWebhook(config.webhookUrl, {
          secret_token: config.webhookSecret,
          allowed_updates: [...ALLOWED_UPDATES],
        });
        channelLog.info("telegram: webhook mode");
      } else {
        poller = new TelegramPoller(api, gateway, channelLog);
        await poller.start();
        channelLog.info("telegram: long polling");
      }
    },
    async stop() {
      await poller?.stop();
    },
  };
}

export type Telegram = ReturnType<typeof createTelegram>;
