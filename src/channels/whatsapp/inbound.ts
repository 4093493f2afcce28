/**
 * What arrives on a WhatsApp socket: every message is stored through the
 * port (retried while the database is away), in order, and marked read once
 * stored; a redelivered one is recognised by its id. A refusal of a message
 * we sent is reported (error 463 is a restriction).
 */
import type { proto, WAMessage, WAMessageKey } from "@whiskeysockets/baileys";
import type { WhatsAppPort } from "../../domain/channel-ports.ts";
import type { InboundMessage } from "../../domain/messages.ts";
import type { Logger } from "../../lib/logger.ts";
import type { GatewaySocket, MessageUpdate } from "./gateway-socket.ts";
import { canonicalAddress } from "./identity.ts";
import { translateMessage } from "./translate.ts";

const STORE_RETRY_MAX_MS = 30_000;
/** Baileys' WAMessageStatus.ERROR. */
const STATUS_ERROR = 0;

/** Database errors that will not go away by trying again (Prisma's P2xxx request errors). */
const isPermanent = (error: unknown) =>
  /^P2\d{3}$/.test(String((error as { code?: unknown })?.code));

export interface InboundOptions {
  port: Pick<WhatsAppPort, "receive" | "moveAddress" | "sentText">;
  clock: { now(): Date };
  log: Logger;
  /** WhatsApp restricts the number: open the circuit (and alert staff once). */
  restricted(reason: string): Promise<void>;
  /** A sent message failed on WhatsApp's side (error status): the outbox row by its id. */
  sendFailed?(externalId: string, code: string): Promise<void>;
  /** The gateway is stopping: a message that cannot be stored is not tried again. */
  stopping(): boolean;
}

export class WhatsAppInbound {
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly opts: InboundOptions) {}

  /** A `messages.upsert`: stored after every message handed in before. */
  upsert(socket: GatewaySocket, upsert: { messages: WAMessage[]; type: string }) {
    this.chain = this.chain
      .then(() => this.onMessages(socket, upsert))
      .catch((error: Error) =>
        this.opts.log.error({ err: error.name }, "whatsapp: inbound messages failed"),
      );
  }

  /** Resolves once every message handed in so far is stored (or given up). */
  settled(): Promise<void> {
    return this.chain;
  }

  /** WhatsApp refused a message we sent: 463 is a restriction; others fail the message. */
  async updates(updates: MessageUpdate[]) {
    for (const { key, update } of updates ?? []) {
      if (!key.fromMe || !key.id || update.status !== STATUS_ERROR) continue;
      const code = String(update.messageStubParameters?.[0] ?? "unknown");
      const text = update.messageStubParameters?.slice(1).join(" ") ?? "";
      if (code === "463")
        await this.opts.restricted(/restricted/i.test(text) ? "account restricted" : "error 463");
      await this.opts.sendFailed?.(key.id, code);
    }
  }

  /** What Baileys asks for when a phone could not decrypt a message: the text we sent. */
  async sentMessage(key: WAMessageKey): Promise<proto.IMessage | undefined> {
    if (!key.id) return undefined;
    const text = await this.opts.port.sentText(key.id);
    return text !== undefined ? { conversation: text } : undefined;
  }

  private async onMessages(socket: GatewaySocket, upsert: { messages: WAMessage[]; type: string }) {
    for (const message of upsert.messages ?? []) {
      const event = translateMessage(message, upsert.type, this.opts.clock.now());
      if (event?.kind !== "message") continue;
      const inbound = await canonicalAddress(socket, this.opts.port, event.inbound).catch(
        () => event.inbound,
      );
      if (!(await this.store(inbound))) continue;
      await socket.readMessages([message.key]).catch(() => undefined);
    }
  }

  /**
   * Stores one message, trying again while the database is away (for as
   * long as the process runs). False if it cannot be stored.
   */
  private async store(inbound: InboundMessage): Promise<boolean> {
    for (let attempt = 0; ; attempt++) {
      try {
        const stored = await this.opts.port.receive(inbound);
        this.opts.log.info(
          { inbound: stored.inboundId, duplicate: stored.duplicate },
          "whatsapp: inbound stored",
        );
        return true;
      } catch (error) {
        const e = error as Error & { code?: string };
        this.opts.log.error({ err: e.name, code: e.code, attempt }, "whatsapp: could not store");
        // A request the database refuses will not succeed later: don't hold up everyone after it.
        if (this.opts.stopping() || (isPermanent(error) && attempt >= 2)) return false;
        await new Promise((r) =>
          setTimeout(r, Math.min(STORE_RETRY_MAX_MS, 250 * 2 ** Math.min(attempt, 10))),
        );
      }
    }
  }
}
