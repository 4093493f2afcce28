import { type Api, GrammyError, HttpError } from "grammy";
import type { ChannelAdapter, OutboundMessage, SendResult } from "../../domain/messages.ts";
import { SendError } from "../../lib/errors.ts";
import type { RateLimiter } from "../rate-limit.ts";
import { toSendMessage } from "./outbound.ts";

export interface TelegramLimits {
  /** Messages per second to all chats together. Telegram allows about 30; default 25. */
  perSecond: number;
  /** Least time between two messages to one chat, in ms. Default 1000. */
  chatIntervalMs: number;
}

export const PAUSE_KEY = "telegram:pause";

/**
 * Slots are counted over a slightly longer window than Telegram's second: a
 * request reaches Telegram some ms after taking its slot (more under load),
 * and late arrivals must still fit the second as Telegram counts it.
 */
const WINDOW_MARGIN_MS = 100;

/** Maps a Bot API failure to the send worker's retry policy. */
export function toSendError(error: unknown): SendError {
  if (error instanceof GrammyError) {
    const code = error.error_code;
    if (code === 429) {
      const seconds = error.parameters.retry_after ?? 1;
      return new SendError("rate_limited", error.description, true, seconds * 1000);
    }
    if (code === 403) return new SendError("blocked", error.description, false);
    if (code === 400 && /chat not found|user not found/i.test(error.description)) {
      return new SendError("not_found", error.description, false);
    }
    if (code >= 500) return new SendError("server", error.description, true);
    return new SendError("bad_request", error.description, false);
  }
  if (error instanceof HttpError) return new SendError("network", error.message, true);
  return new SendError("unknown", (error as Error).message, true);
}

/**
 * Sends through the Bot API within Telegram's limits, shared by every worker
 * process through Redis: about 25 messages a second overall, one a second per
 * chat; a 429 pauses all sending for the `retry_after` Telegram asks.
 */
export class TelegramAdapter implements ChannelAdapter {
  readonly name = "telegram" as const;

  constructor(
    private readonly api: Api,
    private readonly limiter: RateLimiter,
    private readonly limits: TelegramLimits,
  ) {}

  async send(to: string, message: OutboundMessage): Promise<SendResult> {
    const slot = await this.limiter.acquire(
      [
        { key: `telegram:chat:${to}`, max: 1, windowMs: this.limits.chatIntervalMs },
        { key: "telegram:all", max: this.limits.perSecond, windowMs: 1000 + WINDOW_MARGIN_MS },
      ],
      PAUSE_KEY,
    );
    if (!slot) throw new SendError("rate_limited", "no send slot within 30 s", true, 1000);
    const payload = toSendMessage(to, message);
    try {
      const sent = await this.api.sendMessage(payload.chat_id, payload.text, {
        ...(payload.reply_markup ? { reply_markup: payload.reply_markup } : {}),
      });
      return { externalId: `${sent.chat.id}:${sent.message_id}` };
    } catch (error) {
      const sendError = toSendError(error);
      if (sendError.code === "rate_limited" && sendError.retryAfterMs) {
        await this.limiter.pause(PAUSE_KEY, sendError.retryAfterMs);
      }
      throw sendError;
    }
  }
}
