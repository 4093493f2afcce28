/**
 * The WhatsApp gateway: holds the number's one connection (a Baileys
 * socket) and turns what arrives into stored inbound messages.
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
 * - Every message is stored (retried while the database is away), in order;
 *   a redelivered one is recognised by its id.
 * - A restriction (error 463 on a sent message, a reach-out time lock)
 *   stops all sending through the circuit breaker.
 */
import { randomUUID } from "node:crypto";
import {
  type AuthenticationCreds,
  type AuthenticationState,
  type CacheStore,
  makeCacheableSignalKeyStore,
  type proto,
  type WAMessage,
  type WAMessageKey,
} from "@whiskeysockets/baileys";
import type { ILogger } from "@whiskeysockets/baileys/lib/Utils/logger.js";
import type { InboundMessage } from "../../domain/messages.ts";
import type { RunnerDeps } from "../../runner/deps.ts";
import { receive } from "../../runner/receive.ts";
import type { WhatsAppSocket } from "./adapter.ts";
import { type DatabaseAuth, useDatabaseAuthState } from "./auth-store.ts";
import { baileysLogger } from "./baileys-log.ts";
import { statusOf } from "./circuit.ts";
import { MemoryCache } from "./memory-cache.ts";
import { afterDisconnect } from "./reconnect.ts";
import { SealError } from "./sealed.ts";
import type { GatewayCommand, HaltReason, WhatsAppControl, WhatsAppStatus } from "./status.ts";
import { translateMessage } from "./translate.ts";

interface ConnectionUpdate {
  connection?: "open" | "connecting" | "close";
  lastDisconnect?: { error?: unknown };
  qr?: string;
  reachoutTimeLock?: { isActive?: boolean };
}

/** A change to a message we sent (Baileys `messages.update`). */
export interface MessageUpdate {
  key: WAMessageKey;
  update: { status?: number | null; messageStubParameters?: string[] | null };
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
    on(event: "messages.update", listener: (updates: MessageUpdate[]) => void): void;
    /** Hands out buffered events now (before the socket is ended). */
    flush?(): unknown;
  };
  requestPairingCode(phone: string): Promise<string>;
  readMessages(keys: WAMessageKey[]): Promise<void>;
  end(error: Error | undefined): unknown;
  /** The LID WhatsApp mapped to a phone-number JID (Baileys' lid-mapping store), if known. */
  lidForPhone?(phoneJid: string): Promise<string | null>;
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

const STORE_RETRY_MAX_MS = 30_000;
/** A connection counts as stable (the backoff starts over) after this long open. */
const STABLE_MS = 60_000;
/** Baileys' WAMessageStatus.ERROR. */
const STATUS_ERROR = 0;

/** Linked to a phone: Baileys sets `account` when a QR scan or a pairing code succeeds. */
export const isLinked = (creds: AuthenticationCreds) => Boolean(creds.account);

/** Database errors that will not go away by trying again (Prisma's P2xxx request errors). */
const isPermanent = (error: unknown) =>
  /^P2\d{3}$/.test(String((error as { code?: unknown })?.code));

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
  private inbound: Promise<void> = Promise.resolve();
  private credsSaved: Promise<void> = Promise.resolve();

  constructor(private readonly opts: GatewayOptions) {
    this.log = opts.deps.log.child({ channel: "whatsapp" });
    this.heartbeatMs = opts.heartbeatMs ?? 5000;
    this.lockMs = this.heartbeatMs * 6;
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
    this.heartbeat = setInterval(() => void this.tick(), this.heartbeatMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.heartbeat);
    clearTimeout(this.reconnectTimer);
    await this.ticking;
    await this.connecting;
    this.dropSocket();
    await this.inbound;
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
        await this.opts.deps.prisma.whatsAppAuth.deleteMany({
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
    let auth = await useDatabaseAuthState(this.opts.deps.prisma, session, this.opts.authKey);
    if (!isLinked(auth.state.creds)) {
      // An unfinished pairing (a code asked for, never typed) must not be resumed: start fresh.
      await auth.clear();
      auth = await useDatabaseAuthState(this.opts.deps.prisma, session, this.opts.authKey);
    }
    if (stale()) return;
    this.auth = auth;
    this.pairingShown = false;
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
    // Every socket's messages are stored, even an old one's: they were already acknowledged.
    socket.ev.on("messages.upsert", (upsert) => {
      this.inbound = this.inbound
        .then(() => this.onMessages(socket, upsert))
        .catch((error: Error) =>
          this.log.error({ err: error.name }, "whatsapp: inbound messages failed"),
        );
    });
    socket.ev.on("messages.update", (updates) => {
      this.onMessageUpdates(updates).catch((error: Error) =>
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

  private async onMessages(socket: GatewaySocket, upsert: { messages: WAMessage[]; type: string }) {
    for (const message of upsert.messages ?? []) {
      const event = translateMessage(message, upsert.type, this.opts.deps.clock.now());
      if (event?.kind !== "message") continue;
      const inbound = await this.canonical(socket, event.inbound).catch(() => event.inbound);
      if (!(await this.store(inbound))) continue;
      await socket.readMessages([message.key]).catch(() => undefined);
    }
  }

  /**
   * One person, one address: a message from a phone-number JID is keyed on
   * the LID WhatsApp mapped to it, when known; and an account made earlier
   * for the phone-number JID becomes the LID's (same person, same history).
   */
  private async canonical(socket: GatewaySocket, inbound: InboundMessage): Promise<InboundMessage> {
    let person = inbound.externalUserId;
    if (person.endsWith("@s.whatsapp.net")) {
      const lid = await socket.lidForPhone?.(person);
      if (lid) person = lid.replace(/:\d+@/, "@"); // Without the device number.
    }
    if (!person.endsWith("@lid")) return inbound;
    if (inbound.phone)
      await this.adoptPhoneAccount(`${inbound.phone.slice(1)}@s.whatsapp.net`, person);
    const messageId = inbound.externalMessageId.slice(
      inbound.externalMessageId.lastIndexOf(":") + 1,
    );
    return { ...inbound, externalUserId: person, externalMessageId: `${person}:${messageId}` };
  }

  private async adoptPhoneAccount(phoneJid: string, lid: string) {
    const accounts = this.opts.deps.prisma.channelAccount;
    const known = await accounts.findUnique({
      where: { channel_externalId: { channel: "whatsapp", externalId: lid } },
      select: { id: true },
    });
    if (known) return;
    await accounts.updateMany({
      where: { channel: "whatsapp", externalId: phoneJid },
      data: { externalId: lid },
    });
  }

  /**
   * Stores one message, trying again while the database is away (for as
   * long as the process runs). False if it cannot be stored.
   */
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
        const e = error as Error & { code?: string };
        this.log.error({ err: e.name, code: e.code, attempt }, "whatsapp: could not store");
        // A request the database refuses will not succeed later: don't hold up everyone after it.
        if (this.stopped || (isPermanent(error) && attempt >= 2)) return false;
        await new Promise((r) =>
          setTimeout(r, Math.min(STORE_RETRY_MAX_MS, 250 * 2 ** Math.min(attempt, 10))),
        );
      }
    }
  }

  /** WhatsApp refused a message we sent: 463 is a restriction; others fail the message. */
  private async onMessageUpdates(updates: MessageUpdate[]) {
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
  private async sentMessage(key: WAMessageKey): Promise<proto.IMessage | undefined> {
    if (!key.id) return undefined;
    const row = await this.opts.deps.prisma.outbox.findFirst({
      where: { channel: "whatsapp", externalId: key.id },
      select: { payload: true },
    });
    const text = (row?.payload as { text?: unknown } | undefined)?.text;
    return typeof text === "string" ? { conversation: text } : undefined;
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
    return this.opts.deps.clock.now().toISOString();
  }
}
