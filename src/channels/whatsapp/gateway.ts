/**
 * The WhatsApp gateway: holds the number's one connection (a Baileys
 * socket) and turns what arrives into stored inbound messages.
 *
 * - Exactly one gateway holds a number: a lock in Redis, renewed every few
 *   seconds; a second gateway waits and takes over when the first is gone.
 * - Pairing by QR code (terminal, staff console) or by pairing code
 *   (WHATSAPP_PAIRING_NUMBER, or asked for from the console).
 * - Credentials are saved on every `creds.update`, before the next connect
 *   reads them, so a restart resumes without pairing again.
 * - Reconnects by the policy in reconnect.ts; a stop (logged out, replaced,
 *   forbidden) waits for a person and alerts staff, never loops.
 * - Every `notify` message is stored (retried while the database is away);
 *   a redelivered one is recognised by its id.
 */
import { randomUUID } from "node:crypto";
import {
  type AuthenticationState,
  type CacheStore,
  makeCacheableSignalKeyStore,
  type proto,
  type WAMessage,
  type WAMessageKey,
} from "@whiskeysockets/baileys";
import type { ILogger } from "@whiskeysockets/baileys/lib/Utils/logger.js";
import type { RunnerDeps } from "../../runner/deps.ts";
import { receive } from "../../runner/receive.ts";
import type { InboundMessage } from "../types.ts";
import type { WhatsAppSocket } from "./adapter.ts";
import { type DatabaseAuth, useDatabaseAuthState } from "./auth-store.ts";
import { baileysLogger } from "./baileys-log.ts";
import { MemoryCache } from "./memory-cache.ts";
import { afterDisconnect, type StopReason } from "./reconnect.ts";
import type { GatewayCommand, WhatsAppControl, WhatsAppStatus } from "./status.ts";
import { translateMessage } from "./translate.ts";

interface ConnectionUpdate {
  connection?: "open" | "connecting" | "close";
  lastDisconnect?: { error?: unknown };
  qr?: string;
}

/** The part of a Baileys socket the gateway uses (a fake one in tests). */
export interface GatewaySocket extends WhatsAppSocket {
  ev: {
    on(event: "connection.update", listener: (update: ConnectionUpdate) => void): void;
    on(event: "creds.update", listener: (update: unknown) => void): void;
    on(
      event: "messages.upsert",
      listener: (upsert: { messages: WAMessage[]; type: string }) => void,
    ): void;
  };
  requestPairingCode(phone: string): Promise<string>;
  readMessages(keys: WAMessageKey[]): Promise<void>;
  end(error: Error | undefined): unknown;
}

export interface SocketConfig {
  auth: AuthenticationState;
  logger: ILogger;
  getMessage(key: WAMessageKey): Promise<proto.IMessage | undefined>;
  msgRetryCounterCache: CacheStore;
}

export type SocketFactory = (config: SocketConfig) => GatewaySocket;

export interface GatewayOptions {
  deps: RunnerDeps;
  control: WhatsAppControl;
  authKey: Buffer;
  makeSocket: SocketFactory;
  /** Digits with the country code (6281234567890): pair by code instead of QR. */
  pairingNumber?: string;
  /** Staff must act: logged out, replaced, forbidden. */
  alert(reason: StopReason): Promise<void>;
  showQr?(qr: string): void;
  showPairingCode?(code: string): void;
  /** How often the gateway renews its lock, reports and looks for staff requests. */
  heartbeatMs?: number;
  random?: () => number;
}

const STORE_RETRY_MAX_MS = 30_000;

const statusCodeOf = (error: unknown): number | undefined => {
  const code = (error as { output?: { statusCode?: unknown } } | undefined)?.output?.statusCode;
  return typeof code === "number" ? code : undefined;
};

export class WhatsAppGateway {
  private readonly owner = randomUUID();
  private readonly log;
  private readonly heartbeatMs: number;
  private readonly retryCounts = new MemoryCache(60 * 60_000);
  private status: WhatsAppStatus;
  private holding = false;
  private stopped = false;
  /** Stopped by a disconnect reason until staff ask to connect again. */
  private halted = false;
  private generation = 0;
  private attempt = 0;
  private socket: GatewaySocket | null = null;
  private openSocket: GatewaySocket | null = null;
  private auth?: DatabaseAuth;
  private pairingPhone?: string;
  private codeAskedBy: GatewaySocket | null = null;
  private heartbeat?: NodeJS.Timeout;
  private reconnectTimer?: NodeJS.Timeout;
  private connecting: Promise<void> = Promise.resolve();
  private inbound: Promise<void> = Promise.resolve();
  private credsSaved: Promise<void> = Promise.resolve();

  constructor(private readonly opts: GatewayOptions) {
    this.log = opts.deps.log.child({ channel: "whatsapp" });
    this.heartbeatMs = opts.heartbeatMs ?? 5000;
    this.pairingPhone = opts.pairingNumber;
    this.status = { state: "waiting", since: this.now() };
  }

  /** The socket to send with, or null while not connected. */
  readonly connected = (): GatewaySocket | null => this.openSocket;

  get state(): WhatsAppStatus {
    return this.status;
  }

  async start(): Promise<void> {
    await this.tick();
    this.heartbeat = setInterval(() => {
      this.tick().catch((error: Error) =>
        this.log.warn({ err: error.name }, "whatsapp: heartbeat failed"),
      );
    }, this.heartbeatMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.heartbeat);
    clearTimeout(this.reconnectTimer);
    await this.connecting;
    this.generation += 1;
    this.dropSocket();
    await this.inbound;
    await this.credsSaved;
    if (this.holding) {
      await this.opts.control.clearStatus();
      await this.opts.control.release(this.owner);
    }
  }

  /** Every few seconds: hold the number, report the state, act on staff requests. */
  private async tick(): Promise<void> {
    if (this.stopped) return;
    const held = await this.opts.control.hold(this.owner, this.heartbeatMs * 6);
    if (!held) {
      if (this.holding) {
        this.log.warn("whatsapp: another gateway took the number; this one waits");
        this.holding = false;
        this.generation += 1;
        this.dropSocket();
      }
      if (this.status.state !== "waiting") this.setState({ state: "waiting" });
      return; // The holder reports the state, not this one.
    }
    if (!this.holding) {
      this.holding = true;
      this.log.info("whatsapp: holding the number");
      this.startConnect();
    }
    const command = await this.opts.control.takeRequest();
    if (command) await this.act(command);
    await this.report();
  }

  private async act(command: GatewayCommand) {
    if (command.kind === "pair") {
      this.pairingPhone = command.phone;
      if (this.status.state === "pairing" && this.socket) await this.askCode(this.socket, true);
    }
    if (this.halted || (command.kind === "pair" && !this.socket)) {
      this.halted = false;
      this.attempt = 0;
      this.startConnect();
    }
  }

  private startConnect() {
    clearTimeout(this.reconnectTimer);
    this.connecting = this.connecting
      .then(() => this.connect())
      .catch((error: Error) => {
        // The database is away, say: try again like any lost connection.
        this.log.error({ err: error.name }, "whatsapp: could not connect");
        this.scheduleReconnect();
      });
  }

  private async connect(): Promise<void> {
    if (this.stopped || !this.holding) return;
    this.generation += 1;
    const generation = this.generation;
    this.dropSocket();
    this.setState({ state: "connecting" });
    // The last credentials must be stored before they are read again.
    await this.credsSaved;
    const auth = await useDatabaseAuthState(
      this.opts.deps.prisma,
      this.opts.control.session,
      this.opts.authKey,
    );
    this.auth = auth;
    const logger = baileysLogger(this.log);
    const socket = this.opts.makeSocket({
      auth: { creds: auth.state.creds, keys: makeCacheableSignalKeyStore(auth.state.keys, logger) },
      logger,
      getMessage: (key) => this.sentMessage(key),
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
    socket.ev.on("messages.upsert", (upsert) => {
      if (!current()) return;
      // One after another, in the order WhatsApp gave them.
      this.inbound = this.inbound.then(() => this.onMessages(socket, upsert));
    });
  }

  private async onConnection(
    socket: GatewaySocket,
    update: ConnectionUpdate,
    markCleared: () => void,
  ): Promise<void> {
    if (update.qr) await this.onQr(socket, update.qr);
    if (update.connection === "open") {
      this.attempt = 0;
      this.openSocket = socket;
      this.setState({ state: "open" });
      this.log.info("whatsapp: connected");
    }
    if (update.connection === "close") {
      this.openSocket = null;
      const code = statusCodeOf(update.lastDisconnect?.error);
      const decision = afterDisconnect(code, this.attempt, this.opts.random);
      if (decision.action === "reconnect") {
        this.attempt += 1;
        this.log.warn({ code, delayMs: decision.delayMs }, "whatsapp: connection closed");
        this.scheduleReconnect(decision.delayMs);
      } else {
        this.halted = true;
        this.socket = null;
        if (decision.clearCredentials) {
          markCleared();
          await this.credsSaved;
          await this.auth?.clear();
        }
        this.setState({ state: decision.reason });
        this.log.error(
          { code, reason: decision.reason },
          "whatsapp: stopped; staff must act (see README: WhatsApp)",
        );
        await this.opts.alert(decision.reason);
      }
    }
    await this.report();
  }

  private async onQr(socket: GatewaySocket, qr: string) {
    if (this.pairingPhone && !this.auth?.state.creds.registered) {
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
    const code = await socket.requestPairingCode(this.pairingPhone);
    this.setState({ state: "pairing", pairingCode: code });
    this.opts.showPairingCode?.(code);
  }

  private scheduleReconnect(delayMs = 5000) {
    if (this.stopped) return;
    this.setState({ state: "reconnecting", retryInMs: delayMs });
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => this.startConnect(), delayMs);
  }

  private async onMessages(socket: GatewaySocket, upsert: { messages: WAMessage[]; type: string }) {
    for (const message of upsert.messages ?? []) {
      const event = translateMessage(message, upsert.type);
      if (event?.kind !== "message") continue;
      if (!(await this.store(event.inbound))) return;
      await socket.readMessages([message.key]).catch(() => undefined);
    }
  }

  /** Stores one message, trying again while the database is away. False if stopped first. */
  private async store(inbound: InboundMessage): Promise<boolean> {
    for (let attempt = 0; ; attempt++) {
      try {
        const stored = await receive(this.opts.deps, inbound);
        this.log.info(
          { inbound: stored.inboundId, duplicate: stored.duplicate },
          "whatsapp: inbound stored",
        );
        return true;
      } catch (error) {
        this.log.error({ err: (error as Error).name, attempt }, "whatsapp: could not store");
        if (this.stopped) return false;
        await new Promise((r) =>
          setTimeout(r, Math.min(STORE_RETRY_MAX_MS, 250 * 2 ** Math.min(attempt, 10))),
        );
      }
    }
  }

  /** What Baileys asks for when a phone could not decrypt a message: the text we sent. */
  private async sentMessage(key: WAMessageKey): Promise<proto.IMessage | undefined> {
    if (!key.id) return undefined;
    const row = await this.opts.deps.prisma.outbox.findFirst({
      where: { externalId: key.id, channelAccount: { channel: "whatsapp" } },
      select: { payload: true },
    });
    const text = (row?.payload as { text?: unknown } | undefined)?.text;
    return typeof text === "string" ? { conversation: text } : undefined;
  }

  private dropSocket() {
    const socket = this.socket;
    this.socket = null;
    this.openSocket = null;
    if (socket) {
      try {
        socket.end(undefined);
      } catch {
        // Already closed.
      }
    }
  }

  private setState(next: Omit<WhatsAppStatus, "since">) {
    this.status = { ...next, since: this.now() };
  }

  private async report() {
    if (this.holding && !this.stopped)
      await this.opts.control.writeStatus(this.status, this.heartbeatMs * 6);
  }

  private now() {
    return this.opts.deps.clock.now().toISOString();
  }
}
