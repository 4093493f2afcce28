/**
 * What the WhatsApp gateway and the rest of the service tell each other
 * through Redis (they may be different processes): the connection state
 * (with the QR or pairing code while pairing), the lock that lets exactly
 * one gateway hold the number, and requests from staff (pair by code,
 * connect again). The state expires when its gateway stops reporting, so a
 * dead gateway reads as "not running", never as a stale "open".
 */
import type { Redis } from "ioredis";

export type ConnectionState =
  /** Another gateway holds the number; this one waits to take over. */
  | "waiting"
  | "connecting"
  /** Not linked yet: a QR code or a pairing code is shown. */
  | "pairing"
  | "open"
  | "reconnecting"
  /** Stopped until a person acts (see HaltReason). */
  | HaltReason;

/** Why the gateway stopped and waits for staff (kept in Redis across restarts). */
export type HaltReason =
  | "logged_out"
  | "replaced"
  | "forbidden"
  | "multidevice_mismatch"
  /** The QR code or pairing code was not used in time. */
  | "pairing_expired"
  /** The stored session does not open with this WHATSAPP_AUTH_KEY. */
  | "session_unreadable";

export const HALT_REASONS: readonly HaltReason[] = [
  "logged_out",
  "replaced",
  "forbidden",
  "multidevice_mismatch",
  "pairing_expired",
  "session_unreadable",
];

export const CONNECTION_STATES: readonly ConnectionState[] = [
  "waiting",
  "connecting",
  "pairing",
  "open",
  "reconnecting",
  ...HALT_REASONS,
];

export interface WhatsAppStatus {
  state: ConnectionState;
  /** When this state began (ISO). */
  since: string;
  /** The QR code's text while pairing by QR (it changes about every 20 seconds). */
  qr?: string;
  /** The code to type on the phone while pairing by code. */
  pairingCode?: string;
  /** While reconnecting: the wait before the next try. */
  retryInMs?: number;
}

export type GatewayCommand = { kind: "connect" } | { kind: "pair"; phone: string };

/** Renews the lock only for its owner. */
const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0`;
const WRITE_IF_HOLDER = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
end
return nil`;
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

export class WhatsAppControl {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    readonly session: string,
  ) {}

  private key(part: string) {
    return `${this.prefix}:whatsapp:${this.session}:${part}`;
  }

  /** Reports the state; with `owner`, only while that gateway still holds the number. */
  async writeStatus(status: WhatsAppStatus, ttlMs: number, owner?: string): Promise<void> {
    if (owner === undefined) {
      await this.redis.set(this.key("status"), JSON.stringify(status), "PX", ttlMs);
      return;
    }
    await this.redis.eval(
      WRITE_IF_HOLDER,
      2,
      this.key("gateway"),
      this.key("status"),
      owner,
      JSON.stringify(status),
      ttlMs,
    );
  }

  /** The gateway's last report, or null when no gateway is running. */
  async readStatus(): Promise<WhatsAppStatus | null> {
    const raw = await this.redis.get(this.key("status"));
    return raw ? (JSON.parse(raw) as WhatsAppStatus) : null;
  }

  async clearStatus(): Promise<void> {
    await this.redis.del(this.key("status"));
  }

  /** Takes or renews the number for `owner`; false while another gateway holds it. */
  async hold(owner: string, ttlMs: number): Promise<boolean> {
    const taken = await this.redis.set(this.key("gateway"), owner, "PX", ttlMs, "NX");
    if (taken === "OK") return true;
    return Number(await this.redis.eval(RENEW, 1, this.key("gateway"), owner, ttlMs)) === 1;
  }

  async release(owner: string): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.key("gateway"), owner);
  }

  /**
   * A stop waits for staff even across restarts and a takeover by another
   * gateway: a restarted gateway must not simply try again (never loop).
   */
  async halt(reason: HaltReason): Promise<void> {
    await this.redis.set(this.key("halt"), reason);
  }

  async readHalt(): Promise<HaltReason | null> {
    return (await this.redis.get(this.key("halt"))) as HaltReason | null;
  }

  async clearHalt(): Promise<void> {
    await this.redis.del(this.key("halt"));
  }

  /** Staff ask the gateway to do something; it picks the request up within seconds. */
  async request(command: GatewayCommand): Promise<void> {
    await this.redis.set(this.key("command"), JSON.stringify(command), "EX", 600);
  }

  async takeRequest(): Promise<GatewayCommand | null> {
    const raw = await this.redis.getdel(this.key("command"));
    return raw ? (JSON.parse(raw) as GatewayCommand) : null;
  }
}
