/**
 * The narrow ports a channel's gateway hands its results to: what it really
 * needs from the service behind it, instead of the runner's deps. Built in
 * the wiring code (boot.ts); a channel imports only these types.
 */
import type { InboundMessage } from "./messages.ts";
import type { WhatsAppAlert } from "./queues.ts";

/** An inbound message stored (and queued), or recognised as stored before. */
export interface Stored {
  inboundId: string;
  personId: string;
  /** The same channel message id was stored before: nothing new to do. */
  duplicate: boolean;
}

/** Who wrote a chat message, as far as a staff command needs to know. */
export interface ChatSender {
  /** The platform's user id (Telegram: the user's id, also their private chat's id). */
  userId: string;
  /** The message's id in its chat: a redelivered update is recognised by it. */
  messageId: string;
  /** "en" or "id": the language answers are written in. */
  language: string;
  /** The text of the bot's message this one replies to, if any. */
  replyTo?: string;
}

/** What became of a private message: stored for the runner, or answered as a staff command. */
export type Handled = ({ kind: "stored" } & Stored) | { kind: "answered"; replies: string[] };

/** What the Telegram gateway hands its updates to. */
export interface TelegramPort {
  /**
   * A private message or button press, as it came; `from` only for messages
   * (not button presses). Resolves once stored, or answered: a linked staff
   * member's commands are answered behind the channel, and the texts to send
   * back to the chat are returned.
   */
  receive(msg: InboundMessage, from?: ChatSender): Promise<Handled>;
  /** A message in the staff group: the texts to answer in the group (often none). */
  staffGroup(chatId: string, from: ChatSender, text: string): Promise<string[]>;
  /** The person blocked (false) or unblocked (true) the bot. */
  setReachable(externalUserId: string, reachable: boolean): Promise<void>;
}

/** Why WhatsApp stopped, or that it restricts the number: staff must act (the notify job's payload). */
export type WhatsAppAlertReason = WhatsAppAlert;

/** What the WhatsApp gateway hands its results to. */
export interface WhatsAppPort {
  /** Stores one inbound message (and queues it); resolves once stored. */
  receive(msg: InboundMessage): Promise<Stored>;
  /**
   * One person, one address: an account made for `from` (a phone-number JID)
   * becomes `to`'s (their LID), unless `to` has one already.
   */
  moveAddress(from: string, to: string): Promise<void>;
  /** The text of a message we sent, by the channel's id of it (WhatsApp asks to resend it). */
  sentText(externalId: string): Promise<string | undefined>;
  /** WhatsApp refused a message we sent (error status `code`). */
  sendRefused(externalId: string, code: string): Promise<void>;
  /** Connected again: messages held meanwhile go now. */
  releaseHeld(): Promise<number>;
  /** Tells staff they must act. */
  alert(reason: WhatsAppAlertReason, detail?: string): Promise<void>;
}
