import type { Api } from "grammy";
import type { Logger } from "../../lib/logger.ts";
import type { TelegramGateway } from "./gateway.ts";

export const ALLOWED_UPDATES = [
  "message",
  "edited_message",
  "channel_post",
  "edited_channel_post",
  "callback_query",
  "my_chat_member",
] as const;

/**
 * Long polling with the offset under our control: it moves past an update
 * only after the gateway stored it, so nothing is lost across a restart
 * (Telegram keeps unconfirmed updates) and nothing is processed twice (the
 * stored message id). Updates are handled one by one, in order.
 */
export class TelegramPoller {
  private running = false;
  private abort = new AbortController();
  private loop?: Promise<void>;

  constructor(
    private readonly api: Api,
    private readonly gateway: TelegramGateway,
    private readonly log: Logger,
    private readonly timeoutSeconds = 25,
  ) {}

  async start(): Promise<void> {
    // A webhook left from webhook mode would make getUpdates fail.
    await this.api.deleteWebhook();
    this.running = true;
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    let offset = 0;
    let failures = 0;
    while (this.running) {
      try {
        const updates = await this.api.getUpdates(
          { offset, timeout: this.timeoutSeconds, allowed_updates: [...ALLOWED_UPDATES] },
          this.abort.signal as Parameters<Api["getUpdates"]>[1],
        );
        for (const update of updates) {
          await this.gateway.handleUpdate(update);
          offset = update.update_id + 1;
        }
        failures = 0;
      } catch (error) {
        if (!this.running) return;
        failures += 1;
        const wait = Math.min(30_000, 500 * 2 ** Math.min(failures, 6));
        // Name and code only: a database error's message can carry the text being stored.
        const e = error as Error & { code?: string };
        this.log.warn({ err: e.name, code: e.code, retryInMs: wait }, "telegram polling failed");
        this.log.debug({ err: e.message }, "telegram polling failure detail");
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  }

  /** Stops after the update in hand is stored; a poll in progress is cancelled. */
  async stop(): Promise<void> {
    this.running = false;
    this.abort.abort();
    await this.loop;
  }
}
