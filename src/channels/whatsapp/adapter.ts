/**
 * Sends through a WhatsApp (Baileys) socket, carefully: the number is the
 * service's lifeline and WhatsApp bans numbers that send like bots. At most
 * `perMinute` messages a minute for the number, of them `proactivePerMinute`
 * and `proactivePerDay` (any 24 hours) messages nobody just asked for (shared by every process through
 * Redis), a random pause before each (typing shown meanwhile), and nothing at
 * all while the circuit is open. Menus are numbered text: Baileys cannot
 * send buttons.
 *
 * "Cannot send now" (not connected, circuit open, over a limit) is a
 * ChannelHold: the message waits and is tried again later without using up
 * its attempts, so none is lost to a long outage or a restriction.
 */

import type {
  ChannelAdapter,
  OutboundMessage,
  SendOptions,
  SendResult,
} from "../../domain/messages.ts";
import { restrictionSignal, type SendCircuit, statusOf } from "../../features/whatsapp/circuit.ts";
import { ChannelHold, SendError } from "../../lib/errors.ts";
import type { Limit, RateLimiter } from "../rate-limit.ts";

/** The part of a Baileys socket sending needs. */
export interface WhatsAppSocket {
  sendMessage(
    jid: string,
    content: { text: string },
  ): Promise<{ key: { id?: string | null } } | undefined>;
  sendPresenceUpdate(
    type: "available" | "unavailable" | "composing" | "paused",
    jid?: string,
  ): Promise<void>;
}

export interface WhatsAppLimits {
  /** Messages a minute for the number, all processes together. */
  perMinute: number;
  /** Of those, proactive messages (nobody just wrote): the riskier kind. */
  proactivePerMinute: number;
  /** Proactive messages (pushes, reminders, announcements) in any 24 hours. */
  proactivePerDay: number;
  /** A random pause before each message, in this range (ms). */
  jitterMs: [number, number];
}

/** While the circuit is open, messages wait this long before looking again. */
export const RESTRICTED_RETRY_MS = 15 * 60_000;
const NOT_CONNECTED_RETRY_MS = 30_000;
const NO_SLOT_RETRY_MS = 5000;
const PAUSE_KEY = "whatsapp:pause";

export interface WhatsAppAdapterOptions {
  /** The connected socket, or null while (re)connecting. */
  socket: () => WhatsAppSocket | null;
  limiter: RateLimiter;
  circuit: SendCircuit;
  limits: WhatsAppLimits;
  clock: { now(): Date; sleep(ms: number): Promise<void> };
  /** Called once when a send opens the circuit (to alert staff). */
  onRestricted?: (reason: string) => Promise<void>;
  random?: () => number;
  /** How long a reply may wait for a per-minute slot before it is held. Default 20 s. */
  slotWaitMs?: number;
}

export class WhatsAppAdapter implements ChannelAdapter {
  readonly name = "whatsapp" as const;
  private readonly perMinute: Limit;
  private readonly proactiveOwn: Limit;
  private readonly proactiveShared: Limit;
  private readonly perDay: Limit;

  constructor(private readonly opts: WhatsAppAdapterOptions) {
    // A slot is taken before the random pause, the message leaves after it: counted over a
    // minute plus the pause's spread, no 60 s of sends as WhatsApp sees them exceeds the limit.
    const [low, high] = opts.limits.jitterMs;
    this.perMinute = {
      key: "whatsapp:number",
      max: opts.limits.perMinute,
      windowMs: 60_000 + (high - low),
    };
    // Proactive messages have their own, lower count, and in the number's count they leave
    // one place a minute free for replies.
    this.proactiveOwn = {
      key: "whatsapp:proactive-minute",
      max: opts.limits.proactivePerMinute,
      windowMs: this.perMinute.windowMs,
    };
    this.proactiveShared = { ...this.perMinute, max: Math.max(1, opts.limits.perMinute - 1) };
    this.perDay = {
      key: "whatsapp:proactive",
      max: opts.limits.proactivePerDay,
      windowMs: 86_400_000,
    };
  }

  async send(to: string, message: OutboundMessage, options?: SendOptions): Promise<SendResult> {
    const { limiter, clock } = this.opts;
    await this.ready();

    let daily: string | undefined;
    if (options?.proactive) {
      const taken = await limiter.take(this.perDay, PAUSE_KEY);
      if (taken.wait > 0)
        throw new ChannelHold("the daily limit of proactive messages is reached", taken.wait);
      daily = taken.id;
      // Never waits for a slot, and leaves one a minute for replies to people who just wrote.
      const own = await limiter.take(this.proactiveOwn, PAUSE_KEY);
      const shared = own.wait > 0 ? own : await limiter.take(this.proactiveShared, PAUSE_KEY);
      if (shared.wait > 0) {
        await limiter.giveBack(this.perDay, daily);
        if (own.wait === 0) await limiter.giveBack(this.proactiveOwn, own.id);
        throw new ChannelHold("no WhatsApp send slot for a proactive message", shared.wait);
      }
    } else if (
      !(await limiter.acquire([this.perMinute], PAUSE_KEY, this.opts.slotWaitMs ?? 20_000))
    ) {
      throw new ChannelHold("no WhatsApp send slot now", NO_SLOT_RETRY_MS);
    }

    const [low, high] = this.opts.limits.jitterMs;
    const random = this.opts.random ?? Math.random;
    let sent = false;
    try {
      // Looked at again after the waits: another send may have opened the circuit meanwhile.
      const socket = await this.ready();
      // WhatsApp shows "typing…" only from a device that is online (the service is not, between
      // messages, so the phone keeps its notifications).
      await socket.sendPresenceUpdate("available");
      await socket.sendPresenceUpdate("composing", to);
      await clock.sleep(Math.round(low + random() * (high - low)));
      const ready = await this.ready();
      const result = await ready.sendMessage(to, { text: message.text });
      sent = true;
      await ready.sendPresenceUpdate("paused", to).catch(() => undefined);
      await ready.sendPresenceUpdate("unavailable").catch(() => undefined);
      return result?.key.id ? { externalId: result.key.id } : {};
    } catch (error) {
      if (daily && !sent) await limiter.giveBack(this.perDay, daily).catch(() => undefined);
      if (error instanceof ChannelHold) throw error;
      const restricted = restrictionSignal(error);
      if (restricted) {
        if (await this.opts.circuit.open(restricted, clock.now()))
          await this.opts.onRestricted?.(restricted);
        throw new ChannelHold(`sending is stopped: ${restricted}`, RESTRICTED_RETRY_MS);
      }
      // The connection dropped under the send: wait for it, don't spend an attempt.
      if (CONNECTION_LOST.has(statusOf(error) ?? 0) || /connection closed/i.test(messageOf(error)))
        throw new ChannelHold("WhatsApp connection lost", NOT_CONNECTED_RETRY_MS);
      throw new SendError("network", messageOf(error) || "send failed", true);
    }
  }

  /** The socket, if sending may go on now; otherwise a hold. */
  private async ready(): Promise<WhatsAppSocket> {
    const open = await this.opts.circuit.state();
    if (open) throw new ChannelHold(`sending is stopped: ${open.reason}`, RESTRICTED_RETRY_MS);
    const socket = this.opts.socket();
    if (!socket) throw new ChannelHold("WhatsApp is not connected", NOT_CONNECTED_RETRY_MS);
    return socket;
  }
}

/** Baileys' codes for a connection that closed, timed out or is unavailable. */
const CONNECTION_LOST = new Set([408, 428, 503]);
const messageOf = (error: unknown) => {
  const m = (error as { message?: unknown })?.message;
  return typeof m === "string" ? m : "";
};
