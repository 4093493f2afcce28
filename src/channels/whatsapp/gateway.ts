/**
 * The WhatsApp gateway's connection and lock: holds the number's one
 * connection (a Baileys socket); what arrives on it is handed to inbound.ts
 * (stored through the port, addresses made canonical by identity.ts).
 *
 * - Exactly one gateway holds a number: a lock in Redis, renewed every few
 *   seconds; a second gateway waits and takes over when the first is gone.
 *   A gateway that cannot renew the lock drops its connection before the
 *   lock can pass to another.
 * - Pairing by QR code (terminal, staff console) or by pairing code
 *   (WHATSAPP_PAIRING_NUMBER, or asked for from the console). A pairing that
 *   is not completed in time stops until staff start it again.
 * - Credentials are saved on every `creds.update`, before the next connect
 *   reads them, so a restart resumes without pairing again.
 * - Reconnects by the policy in reconnect.ts; a stop (logged out, replaced,
 *   forbidden, unreadable session) is kept in Redis, alerts staff and waits
 *   for them, across restarts: never a loop.
 * - A restriction (error 463 on a sent message, a reach-out time lock)
 *   stops all sending through the circuit breaker.
 */
import { randomUUID } from "node:crypto";
import { type AuthenticationCreds, makeCacheableSignalKeyStore } from "@whiskeysockets/baileys";
import type { PrismaClient } from "../../db/types.ts";
import type { WhatsAppPort } from "../../domain/channel-ports.ts";
import { statusOf } from "../../features/whatsapp/circuit.ts";
import type {
  GatewayCommand,
  HaltReason,
  WhatsAppControl,
  WhatsAppStatus,
} from "../../features/whatsapp/status.ts";
import type { Logger } from "../../lib/logger.ts";
import { type DatabaseAuth, useDatabaseAuthState } from "./auth-store.ts";
import { baileysLogger } from "./baileys-log.ts";
import type { ConnectionUpdate, GatewaySocket, SocketFactory } from "./gateway-socket.ts";
import { WhatsAppInbound } from "./inbound.ts";
import { MemoryCache } from "./memory-cache.ts";
import { afterDisconnect } from "./reconnect.ts";
import { SealError } from "./sealed.ts";

export type {
  ConnectionUpdate,
  GatewaySocket,
  MessageUpdate,
  SocketConfig,
  SocketFactory,
} from "./gateway-socket.ts";

export interface GatewayOptions {
  /** Where stored messages, address changes and questions about sent messages go. */
  port: Pick<WhatsAppPort, "receive" | "moveAddress" | "sentText">;
  /** The channel's own table: Baileys' session (credentials and keys, encrypted). */
  authDb: PrismaClient;
  clock: { now(): Date };
  log: Logger;
  control: WhatsAppControl;
  authKey: Buffer;
  makeSocket: SocketFactory;
  /** Digits with the country code (6281234567890): pair by code instead of QR. */
  pairingNumber?: string;
  /** Staff must act: logged out, replaced, forbidden, unreadable session. */
  alert(reason: HaltReason): Promise<void>;
  /** WhatsApp restricts the number: open the circuit (and alert staff once). */
  restricted(reason: string): Promise<void>;
  /** A sent message failed on WhatsApp's side (error status): the outbox row by its id. */
  sendFailed?(externalId: string, code: string): Promise<void>;
  /** Connected or not: the send worker runs only while connected. */
  onConnected?(connected: boolean): void;
  showQr?(qr: string): void;
  showPairingCode?(code: string): void;
  /** How often the gateway renews its lock, reports and looks for staff requests. */
  heartbeatMs?: number;
  random?: () => number;
}

/** A connection counts as stable (the backoff starts over) after this long open. */
const STABLE_MS = 60_000;

/** Linked to a phone: Baileys sets `account` when a QR scan or a pairing code succeeds. */
export const isLinked = (creds: AuthenticationCreds) => Boolean(creds.account);

export class WhatsAppGateway {
  private readonly owner = randomUUID();
  private readonly log;
  private readonly heartbeatMs: number;
  private readonly lockMs: number;
  private readonly retryCounts = new MemoryCache(60 * 60_000);
  private status: WhatsAppStatus;
  private holding = false;
  private lastRenewed = 0;
  private stopped = false;
  /** Stopped by a disconnect reason until staff ask to connect again. */
  private halted = false;
  private generation = 0;
  private attempt = 0;
  private openedAt = 0;
  private socket: GatewaySocket | null = null;
  private openSocket: GatewaySocket | null = null;
  /** A QR or pairing code was shown on the current socket. */
  private pairingShown = false;
  private auth?: DatabaseAuth;
  private pairingPhone?: string;
  private codeAskedBy: GatewaySocket | null = null;
  private heartbeat?: NodeJS.Timeout;
  private reconnectTimer?: NodeJS.Timeout;
  private ticking: Promise<void> | null = null;
  private connecting: Promise<void> = Promise.resolve();
  private readonly inbound: WhatsAppInbound;
  private credsSaved: Promise<void> = Promise.resolve();

  constructor(private readonly opts: GatewayOptions) {
    this.log = opts.log.child({ channel: "whatsapp" });
    this.heartbeatMs = opts.heartbeatMs ?? 5000;
    this.lockMs = this.heartbeatMs * 6;
    this.pairingPhone = opts.pairingNumber;
    this.status = { state: "waiting", since: this.now() };
    this.inbound = new WhatsAppInbound({
      port: opts.port,
      clock: opts.clock,
      log: this.log,
      restricted: opts.restricted,
      ...(opts.sendFailed ? { sendFailed: opts.sendFailed } : {}),
      stopping: () => this.stopped,
    });
  }

  /** The socket to send with, or null while not connected. */
  readonly connected = (): GatewaySocket | null => this.openSocket;

  get state(): WhatsAppStatus {
    return this.status;
  }

  async start(): Promise<void> {
    await this.tick();
    this.heartbeat = setInterval(() => void this.tick(), this.heartbeatMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.heartbeat);
    clearTimeout(this.reconnectTimer);
    await this.ticking;
    await this.connecting;
    this.dropSocket();
    await this.inbound.settled();
    await this.credsSaved;
    if (this.holding) {
      this.holding = false;
      await this.opts.control.clearStatus().catch(() => undefined);
      await this.opts.control.release(this.owner).catch(() => undefined);
    }
  }

  /** One heartbeat at a time: hold the number, report the state, act on staff requests. */
  private tick(): Promise<void> {
    if (this.ticking || this.stopped) return this.ticking ?? Promise.resolve();
    this.ticking = this.beat()
      .catch((error: Error) => {
        this.log.warn({ err: error.name }, "whatsapp: heartbeat failed");
        // Redis is away: before the lock can expire and pass to another gateway, let go.
        if (this.holding && Date.now() - this.lastRenewed > this.lockMs - 2 * this.heartbeatMs)
          this.letGo("whatsapp: cannot renew the lock; dropping the connection");
      })
      .finally(() => {
        this.ticking = null;
      });
    return this.ticking;
  }

  private async beat(): Promise<void> {
    const held = await this.opts.control.hold(this.owner, this.lockMs);
    if (this.stopped) return;
    if (!held) {
      if (this.holding) this.letGo("whatsapp: another gateway took the number; this one waits");
      if (this.status.state !== "waiting") this.setState({ state: "waiting" });
      return; // The holder reports the state, not this one.
    }
    this.lastRenewed = Date.now();
    if (!this.holding) {
      this.holding = true;
      this.log.info("whatsapp: holding the number");
      const halt = await this.opts.control.readHalt();
      if (halt) {
        this.halted = true;
        this.setState({ state: halt });
      } else {
        this.startConnect();
      }
    }
    const command = await this.opts.control.takeRequest();
    if (command) await this.act(command);
    await this.report();
  }

  private letGo(message: string) {
    this.log.warn(message);
    this.holding = false;
    this.dropSocket();
  }

  private async act(command: GatewayCommand) {
    if (command.kind === "pair") {
      this.pairingPhone = command.phone;
      if (this.status.state === "pairing" && this.socket) {
        await this.askCode(this.socket, true);
        return;
      }
    }
    if (this.halted || !this.socket) {
      if (this.status.state === "session_unreadable") {
        // Staff chose to start over: the session that does not open is deleted.
        await this.opts.authDb.whatsAppAuth.deleteMany({
          where: { session: this.opts.control.session },
        });
      }
      await this.opts.control.clearHalt();
      this.halted = false;
      this.attempt = 0;
      this.startConnect();
    }
  }

  private startConnect() {
    clearTimeout(this.reconnectTimer);
    this.connecting = this.connecting
      .then(() => this.connect())
      .catch((error: Error) => this.connectFailed(error));
  }

  private async connectFailed(error: Error) {
    if (error instanceof SealError) {
      this.log.error({ err: error.name }, "whatsapp: the stored session does not open");
      await this.haltFor("session_unreadable");
      return;
    }
    // The database is away, say: try again like any lost connection.
    this.log.error({ err: error.name }, "whatsapp: could not connect");
    const decision = afterDisconnect(undefined, this.attempt, this.opts.random);
    this.attempt += 1;
    if (decision.action === "reconnect") this.scheduleReconnect(decision.delayMs);
  }

  private async connect(): Promise<void> {
    if (this.stopped || !this.holding || this.halted) return;
    this.dropSocket();
    const generation = this.generation;
    const stale = () => generation !== this.generation || this.stopped || !this.holding;
    this.setState({ state: "connecting" });
    // The last credentials must be stored before they are read again.
    await this.credsSaved;
    const session = this.opts.control.session;
    let auth = await useDatabaseAuthState(this.opts.authDb, session, this.opts.authKey);
    if (!isLinked(auth.state.creds)) {
      // An unfinished pairing (a code asked for, never typed) must not be resumed: start fresh.
      await auth.clear();
      auth = await useDatabaseAuthState(this.opts.authDb, session, this.opts.authKey);
    }
    if (stale()) return;
    this.auth = auth;
    this.pairingShown = false;
    const logger = baileysLogger(this.log);
    const socket = this.opts.makeSocket({
      auth: { creds: auth.state.creds, keys: makeCacheableSignalKeyStore(auth.state.keys, logger) },
      logger,
      getMessage: (key) => this.inbound.sentMessage(key),
      msgRetryCounterCache: this.retryCounts,
    });
    this.socket = socket;
    const current = () => generation === this.generation && !this.stopped;
    let cleared = false;

    socket.ev.on("creds.update", () => {
      if (cleared) return;
      this.credsSaved = this.credsSaved
        .then(() => auth.saveCreds())
        .catch((error: Error) =>
          this.log.error({ err: error.name }, "whatsapp: could not save credentials"),
        );
    });
    socket.ev.on("connection.update", (update) => {
      if (!current()) return;
      this.onConnection(socket, update, () => {
        cleared = true;
      }).catch((error: Error) =>
        this.log.error({ err: error.name }, "whatsapp: connection update failed"),
      );
    });
    // Every socket's messages are stored, even an old one's: they were already acknowledged.
    socket.ev.on("messages.upsert", (upsert) => this.inbound.upsert(socket, upsert));
    socket.ev.on("messages.update", (updates) => {
      this.inbound
        .updates(updates)
        .catch((error: Error) =>
          this.log.error({ err: error.name }, "whatsapp: message update failed"),
        );
    });
  }

  private async onConnection(
    socket: GatewaySocket,
    update: ConnectionUpdate,
    markCleared: () => void,
  ): Promise<void> {
    if (update.qr) await this.onQr(socket, update.qr);
    if (update.reachoutTimeLock?.isActive) await this.opts.restricted("reachoutTimeLock");
    if (update.connection === "open") {
      this.openedAt = Date.now();
      this.openSocket = socket;
      this.setState({ state: "open" });
      this.log.info("whatsapp: connected");
      this.opts.onConnected?.(true);
    }
    if (update.connection === "close") await this.onClose(update, markCleared);
    await this.report();
  }

  private async onClose(update: ConnectionUpdate, markCleared: () => void) {
    const wasOpen = this.openSocket !== null;
    this.openSocket = null;
    if (wasOpen) this.opts.onConnected?.(false);
    // A connection that dropped soon after opening keeps backing off.
    if (wasOpen && Date.now() - this.openedAt >= STABLE_MS) this.attempt = 0;
    const code = statusOf(update.lastDisconnect?.error);
    const decision = afterDisconnect(code, this.attempt, this.opts.random);
    const unlinked = this.auth && !isLinked(this.auth.state.creds);
    if (decision.action === "reconnect" && unlinked && this.pairingShown && code !== 515) {
      // The QR codes ran out, or the pairing code was not typed: no endless new codes.
      this.log.warn({ code }, "whatsapp: pairing was not completed in time");
      this.socket = null;
      this.halted = true;
      this.setState({ state: "pairing_expired" });
      await this.opts.control.halt("pairing_expired");
      return;
    }
    if (decision.action === "reconnect") {
      this.attempt += 1;
      this.log.warn({ code, delayMs: decision.delayMs }, "whatsapp: connection closed");
      this.scheduleReconnect(decision.delayMs);
      return;
    }
    this.socket = null;
    this.log.error(
      { code, reason: decision.reason },
      "whatsapp: stopped; staff must act (see README: Running with WhatsApp)",
    );
    try {
      if (decision.clearCredentials) {
        markCleared();
        await this.credsSaved;
        await this.auth?.clear();
      }
    } finally {
      await this.haltFor(decision.reason);
    }
  }

  /** Stops until staff act, remembered across restarts, and tells them. */
  private async haltFor(reason: HaltReason) {
    this.halted = true;
    this.setState({ state: reason });
    await this.report().catch(() => undefined);
    await this.opts.control.halt(reason);
    await this.opts.alert(reason);
  }

  private async onQr(socket: GatewaySocket, qr: string) {
    this.pairingShown = true;
    if (this.pairingPhone && this.auth && !isLinked(this.auth.state.creds)) {
      await this.askCode(socket, false);
      return;
    }
    this.setState({ state: "pairing", qr });
    this.opts.showQr?.(qr);
  }

  /** Asks WhatsApp for a pairing code once per connection (again when staff ask). */
  private async askCode(socket: GatewaySocket, again: boolean) {
    if (!this.pairingPhone || (this.codeAskedBy === socket && !again)) return;
    this.codeAskedBy = socket;
    let code: string;
    try {
      code = await socket.requestPairingCode(this.pairingPhone);
    } catch (error) {
      this.codeAskedBy = null; // Asked again at the next QR event.
      throw error;
    }
    if (socket !== this.socket) return; // Closed meanwhile.
    this.setState({ state: "pairing", pairingCode: code });
    this.opts.showPairingCode?.(code);
  }

  private scheduleReconnect(delayMs: number) {
    if (this.stopped) return;
    this.setState({ state: "reconnecting", retryInMs: delayMs });
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => this.startConnect(), delayMs);
  }

  /** Ends the current socket; its late events are ignored (messages still stored). */
  private dropSocket() {
    const socket = this.socket;
    const wasOpen = this.openSocket !== null;
    this.generation += 1;
    this.socket = null;
    this.openSocket = null;
    if (wasOpen) this.opts.onConnected?.(false);
    if (!socket) return;
    try {
      // Messages Baileys still buffers were already acknowledged: hand them out first.
      socket.ev.flush?.();
      socket.end(undefined);
    } catch {
      // Already closed.
    }
  }

  private setState(next: Omit<WhatsAppStatus, "since">) {
    this.status = { ...next, since: this.now() };
  }

  private async report() {
    if (this.holding && !this.stopped)
      await this.opts.control.writeStatus(this.status, this.lockMs, this.owner);
  }

  private now() {
    return this.opts.clock.now().toISOString();
  }
}
