/**
 * The WhatsApp sending circuit breaker. Signs that WhatsApp is restricting
 * the number (error 463, "account restricted", a reach-out time lock) open
 * it, and it stays open — every send stops, across all processes — until
 * staff close it after checking the number. Sending on regardless is how a
 * number gets banned.
 */
import type { Redis } from "ioredis";

/** The HTTP-like status code Baileys puts on its errors (a Boom's `output.statusCode`). */
export function statusOf(error: unknown): number | undefined {
  const code = (error as { output?: { statusCode?: unknown } } | undefined)?.output?.statusCode;
  return typeof code === "number" ? code : undefined;
}

/** The restriction a failure shows, or null for an ordinary failure. */
export function restrictionSignal(error: unknown): string | null {
  const e = error as { message?: unknown; data?: unknown };
  if (statusOf(error) === 463) return "error 463";
  const text = `${typeof e?.message === "string" ? e.message : ""} ${
    e?.data ? JSON.stringify(e.data) : ""
  }`.toLowerCase();
  if (/\b463\b/.test(text)) return "error 463";
  // Baileys 7 says "Your account has been restricted".
  if (/account (has been |is )?restricted/.test(text)) return "account restricted";
  if (text.includes("reachouttimelock") || text.includes("reachout_time_lock"))
    return "reachoutTimeLock";
  return null;
}

export class SendCircuit {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private get key() {
    return `${this.prefix}:whatsapp:circuit`;
  }

  /** Opens it (again): sends stop everywhere. Answers whether it was closed before. */
  async open(reason: string, at: Date): Promise<boolean> {
    const set = await this.redis.set(
      this.key,
      JSON.stringify({ reason, at: at.toISOString() }),
      "NX",
    );
    return set === "OK";
  }

  /** Why sending is stopped, or null when it may go on. */
  async state(): Promise<{ reason: string; at: string } | null> {
    const raw = await this.redis.get(this.key);
    return raw ? (JSON.parse(raw) as { reason: string; at: string }) : null;
  }

  /** Staff checked the number and let sending go on. */
  async close(): Promise<void> {
    await this.redis.del(this.key);
  }
}
