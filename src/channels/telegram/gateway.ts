import type { Api } from "grammy";
import type { Update } from "grammy/types";
import type { ChatSender, TelegramPort } from "../../domain/channel-ports.ts";
import { translator } from "../../lib/i18n.ts";
import type { Logger } from "../../lib/logger.ts";
import { type Sender, translateUpdate } from "./translate.ts";

/** Language for a short note to someone the service may not know yet. */
const noteLanguage = (update: Update) => {
  const from = update.message?.from ?? update.edited_message?.from ?? update.channel_post?.from;
  return from?.language_code?.startsWith("en") ? "en" : "id";
};

const chatSender = (sender: Sender): ChatSender => ({
  userId: String(sender.userId),
  messageId: String(sender.messageId),
  language: sender.language,
  ...(sender.replyTo !== undefined ? { replyTo: sender.replyTo } : {}),
});

/**
 * Turns Telegram updates into stored inbound messages. Resolves only once
 * the message is safely stored (or deliberately not needed), so the poller
 * confirms an update to Telegram only after that; a crash before means
 * Telegram delivers it again, and the stored message id makes it a no-op.
 * What becomes of a message (stored for the runner, or a staff command) is
 * decided behind the port; the gateway sends back the answers it is given.
 */
export class TelegramGateway {
  constructor(
    private readonly api: Api,
    private readonly port: TelegramPort,
    private readonly log: Logger,
    /** The staff group: its messages are staff commands, never a job seeker's. */
    private readonly staffChatId?: string,
  ) {}

  async handleUpdate(update: Update): Promise<void> {
    const event = translateUpdate(update, { staffChatId: this.staffChatId });
    switch (event.kind) {
      case "staffChat": {
        const replies = await this.port.staffGroup(
          String(event.chatId),
          chatSender(event.sender),
          event.text,
        );
        await this.answer(event.chatId, replies);
        return;
      }
      case "message": {
        if (event.callback) await this.closeButtons(event.inbound.externalUserId, event.callback);
        // Button presses are never staff commands: they go in without a sender.
        const from = event.sender && !event.callback ? chatSender(event.sender) : undefined;
        const stored = await this.port.receive(event.inbound, from);
        if (stored.kind === "answered") {
          await this.answer(Number(event.inbound.externalUserId), stored.replies);
          return;
        }
        this.log.info(
          {
            channel: "telegram",
            update: update.update_id,
            inbound: stored.inboundId,
            duplicate: stored.duplicate,
          },
          "inbound stored",
        );
        return;
      }
      case "staleCallback":
        await this.bestEffort(() => this.api.answerCallbackQuery(event.callbackId));
        return;
      case "notPrivate":
        await this.note(event.chatId, "telegram.privateOnly", noteLanguage(update));
        return;
      case "edited":
        await this.note(event.chatId, "telegram.edited", noteLanguage(update));
        return;
      case "reachable":
        await this.port.setReachable(String(event.chatId), event.reachable);
        return;
      case "ignore":
        return;
    }
  }

  /** Every button press is answered, and its buttons removed so they cannot be pressed twice. */
  private async closeButtons(chatId: string, callback: { id: string; messageId?: number }) {
    await this.bestEffort(() => this.api.answerCallbackQuery(callback.id));
    if (callback.messageId !== undefined) {
      const messageId = callback.messageId;
      await this.bestEffort(() =>
        this.api.editMessageReplyMarkup(Number(chatId), messageId, {
          reply_markup: { inline_keyboard: [] },
        }),
      );
    }
  }

  /** Answers to a staff member, in order; one that fails is logged, not retried. */
  private async answer(chatId: number, texts: string[]) {
    for (const text of texts) {
      try {
        await this.api.sendMessage(chatId, text);
      } catch (error) {
        this.log.warn({ err: (error as Error).message }, "staff chat answer failed");
      }
    }
  }

  private async note(chatId: number, key: string, lang: string) {
    await this.bestEffort(() => this.api.sendMessage(chatId, translator(lang)(key)));
  }

  /** Courtesy calls (answering a button, a short note) must not block storing messages. */
  private async bestEffort(call: () => Promise<unknown>) {
    try {
      await call();
    } catch (error) {
      this.log.warn({ err: (error as Error).message }, "telegram call failed");
    }
  }
}
