import type { FastifyInstance } from "fastify";
import type { Update } from "grammy/types";
import { sameSecret } from "../lib/same-secret.ts";

export const TELEGRAM_WEBHOOK_PATH = "/telegram/webhook";

/** Where the webhook hands updates: the Telegram channel's gateway, given by the wiring. */
export interface TelegramUpdates {
  /** Resolves once the update is stored (then Telegram may forget it). */
  handleUpdate(update: Update): Promise<unknown>;
}

/**
 * Telegram's webhook: only requests carrying our secret token are accepted;
 * the answer is 200 only once the update is stored, so Telegram retries
 * anything we failed to store.
 */
export function telegramWebhook(app: FastifyInstance, gateway: TelegramUpdates, secret: string) {
  app.post(TELEGRAM_WEBHOOK_PATH, async (request, reply) => {
    const given = request.headers["x-telegram-bot-api-secret-token"];
    if (!sameSecret(given, secret)) {
      return reply
        .code(401)
        .send({ error: { code: "unauthorized", message: "Wrong secret token" } });
    }
    const update = request.body as Update | undefined;
    if (!update || typeof update !== "object" || typeof update.update_id !== "number") {
      return reply
        .code(400)
        .send({ error: { code: "validation_failed", message: "Not a Telegram update" } });
    }
    await gateway.handleUpdate(update);
    return reply.code(200).send({});
  });
}
