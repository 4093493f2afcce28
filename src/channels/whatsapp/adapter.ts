/**
 * Sends through a WhatsApp (Baileys) socket, carefully: the number is the
 * service's lifeline and WhatsApp bans numbers that send like bots. At most
 * `perMinute` messages a minute for the number (shared by every worker
 * through Redis), a random pause before each (typing shown meanwhile), and
 * nothing at all while the circuit is open. Menus are numbered text: Baileys
 * cannot send buttons.
 */
import { SendError } from "../../lib/errors.ts";
import type { RateLimiter } from "../rate-limit.ts";
import type { ChannelAdapter, OutboundMessage, SendResult } from "../types.ts";
import { restrictionSignal, type SendCircuit } from "./circuit.ts";

/** The part of a Baileys socket sending needs. */
export interface WhatsAppSocket {
  sendMessage(
    jid: string,
    content: { text: string },
  ): Promise<{ key: { id?: string | null } } | undefined>;
  sendPresenceUpdate(type: "composing" | "paused", jid: string): Promise<void>;
}

export interface WhatsAppLimits {
  /** Messages a minute for the number, all workers together. */
  perMinute: number;
  /** A random pause before each message, in this range (ms). */
  jitterMs: [number, number];
}

/** While the circuit is open, messages wait this long before being tried again. */
export const RESTRICTED_RETRY_MS = 15 * 60_000;
const NOT_CONNECTED_RETRY_MS = 30_000;

export class WhatsAppAdapter implements ChannelAdapter {
  readonly name = "whatsapp" as const;

  constructor(
    /** The connected socket, or null while (re)connecting. */
    private readonly socket: () => WhatsAppSocket | null,
    private readonly limiter: RateLimiter,
    private readonly circuit: SendCircuit,
    private readonly limits: WhatsAppLimits,
    private readonly clock: { now(): Date; sleep(ms: number): Promise<void> },
    private readonly random: () => number = Math.random,
  ) {}

  async send(to: string, message: OutboundMessage): Promise<SendResult> {
    const open = await this.circuit.state();
    if (open)
      throw new SendError(
        "restricted",
        `sending is stopped: ${open.reason}`,
        true,
        RESTRICTED_RETRY_MS,
      );
    const socket = this.socket();
    if (!socket)
      throw new SendError("network", "WhatsApp is not connected", true, NOT_CONNECTED_RETRY_MS);
    const slot = await this.limiter.acquire(
      [{ key: "whatsapp:number", max: this.limits.perMinute, windowMs: 60_000 }],
      "whatsapp:pause",
      60_000,
    );
    if (!slot)
      throw new SendError("rate_limited", "no WhatsApp send slot within a minute", true, 5000);
    const [low, high] = this.limits.jitterMs;
    try {
      await socket.sendPresenceUpdate("composing", to);
      await this.clock.sleep(Math.round(low + this.random() * (high - low)));
      const sent = await socket.sendMessage(to, { text: message.text });
      await socket.sendPresenceUpdate("paused", to).catch(() => undefined);
      return sent?.key.id ? { externalId: sent.key.id } : {};
    } catch (error) {
      const restricted = restrictionSignal(error);
      if (restricted) {
        await this.circuit.open(restricted, this.clock.now());
        throw new SendError("restricted", restricted, true, RESTRICTED_RETRY_MS);
      }
      throw new SendError("network", (error as Error)?.message ?? "send failed", true);
    }
  }
}
