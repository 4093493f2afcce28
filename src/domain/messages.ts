/**
 * The messages every channel adapter translates to and from, and the port a
 * channel implements (ChannelAdapter): shared by the runner, the outbox and the
 * channels, so they live at the bottom. Adapters hold no
 * business logic: they turn a platform update into an InboundMessage and an
 * OutboundMessage into a platform call.
 */

export type ChannelName = "console" | "telegram" | "whatsapp";

export type MediaKind =
  | "voice"
  | "audio"
  | "image"
  | "video"
  | "document"
  | "sticker"
  | "location"
  | "contact"
  | "reaction"
  | "other";

export interface InboundMessage {
  channel: ChannelName;
  /** The person's address on the channel (Telegram chat id, WhatsApp JID, console user). */
  externalUserId: string;
  /** The channel's id of this message: a repeated id is processed once. */
  externalMessageId: string;
  /** What the person wrote (caption for media); may be empty. */
  text: string;
  /** A button the person pressed: the choice id of an earlier OutboundMessage. */
  choice?: string;
  /** Set when the message is not (only) text. */
  media?: MediaKind;
  /** `/start` deep-link payload or similar: where the person came from. */
  source?: string;
  /** Phone number in E.164, only when the channel tells it. */
  phone?: string;
  receivedAt: Date;
}

export interface Choice {
  /** Stable id, also the number the person may type. */
  id: string;
  label: string;
}

export interface OutboundMessage {
  /** The full text, with every choice already written as a numbered line. */
  text: string;
  /** Choices a channel may also show as buttons. */
  choices?: Choice[];
  /** Channels with buttons show them only when this is set. */
  buttons?: boolean;
}

export interface SendResult {
  /** The channel's id of the sent message. */
  externalId?: string;
}

export interface SendOptions {
  /** The outbox row id: a channel that can deduplicate by it delivers a repeated key once. */
  key?: string;
  /** Nobody asked for this message just now (a push, reminder or announcement). */
  proactive?: boolean;
}

export interface ChannelAdapter {
  readonly name: ChannelName;
  /**
   * Delivers one message; throws SendError when it cannot, ChannelHold when
   * the channel cannot send anything now. Only the console channel
   * deduplicates by `key` (Telegram and WhatsApp cannot).
   */
  send(to: string, message: OutboundMessage, opts?: SendOptions): Promise<SendResult>;
}
