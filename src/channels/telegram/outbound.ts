import type { InlineKeyboardMarkup } from "grammy/types";
import type { OutboundMessage } from "../../domain/messages.ts";

/** Telegram's limit for callback_data. */
const MAX_CALLBACK_BYTES = 64;
/** Longer lists are easier to answer by typing the number than by scrolling buttons. */
const MAX_BUTTONS = 12;
const MAX_TEXT = 4096;

/**
 * The sendMessage payload for a message. Choices stay numbered lines in the
 * text (screen readers read them); the buttons repeat them, one per row, so
 * each is announced on its own.
 */
export function toSendMessage(chatId: string, message: OutboundMessage) {
  const keyboard = keyboardFor(message);
  return {
    // Chat ids are integers (up to 52 bits); the person's address is stored as text.
    chat_id: /^-?\d+$/.test(chatId) ? Number(chatId) : chatId,
    text: message.text.length > MAX_TEXT ? `${message.text.slice(0, MAX_TEXT - 1)}…` : message.text,
    ...(keyboard ? { reply_markup: keyboard } : {}),
  };
}

export function keyboardFor(message: OutboundMessage): InlineKeyboardMarkup | undefined {
  const choices = message.choices ?? [];
  if (!message.buttons || choices.length === 0 || choices.length > MAX_BUTTONS) return undefined;
  if (choices.some((c) => Buffer.byteLength(c.id) > MAX_CALLBACK_BYTES)) return undefined;
  return {
    inline_keyboard: choices.map((c, i) => [{ text: `${i + 1}. ${c.label}`, callback_data: c.id }]),
  };
}
