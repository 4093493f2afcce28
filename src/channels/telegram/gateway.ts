import type { Api } from "grammy";
import type { Update } from "grammy/types";
import { translator } from "../../lib/i18n.ts";
import type { Logger } from "../../lib/logger.ts";
import type { RunnerDeps } from "../../runner/deps.ts";
import { receive } from "../../runner/receive.ts";
import { StaffChat } from "./staff-chat.ts";
import { translateUpdate } from "./translate.ts";

/** Language for a short note to someone the service may not know yet. */
const noteLanguage = (update: Update) => {
  const from = update.message?.from ?? update.edited_message?.from ?? update.channel_post?.from;
  return from?.language_code?.startsWith("en") ? "en" : "id";
};

/**
 * Turns Telegram updates into stored inbound messages. Resolves only once
 * the message is safely stored (or deliberately not needed), so the poller
 * confirms an update to Telegram only after that; a crash before means
 * Telegram delivers it again, and the stored message id makes it a no-op.
 */
export class TelegramGateway {
  private readonly staff: StaffChat;

  constructor(
    private readonly api: Api,
    private readonly deps: RunnerDeps,
    private readonly log: Logger,
    /** The staff group: its messages are staff commands, never a job seeker's. */
    private readonly staffChatId?: string,
  ) {
    this.staff = new StaffChat(api, deps, log);
  }

  async handleUpdate(update: Update): Promise<void> {
    const event = translateUpdate(update, { staffChatId: this.staffChatId });
    switch (event.kind) {
      case "staffChat":
        await this.staff.handleGroup(event.chatId, event.sender, event.text);
        return;
      case "message": {
        // A linked staff member's commands (and the steps of a guided broadcast) are theirs.
        if (
          event.sender &&
          !event.callback &&
          (await this.staff.handlePrivate(event.sender, event.inbound.text))
        )
          return;
        if (event.callback) await this.closeButtons(event.inbound.externalUserId, event.callback);
        const stored = await receive(this.deps, event.inbound);
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
        await this.deps.prisma.channelAccount.updateMany({
          where: { channel: "telegram", externalId: String(event.chatId) },
          data: { reachable: event.reachable },
        });
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
