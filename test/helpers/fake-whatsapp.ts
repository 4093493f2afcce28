/**
 * A socket with Baileys' event interface (connection.update, creds.update,
 * messages.upsert) and the calls the service makes, standing in for
 * WhatsApp's servers: tests emit events as Baileys would and read back what
 * the service asked of the socket.
 */
import type { WAMessageKey } from "@whiskeysockets/baileys";
import type {
  GatewaySocket,
  SocketConfig,
  SocketFactory,
} from "../../src/channels/whatsapp/gateway.ts";

type Listener = (arg: never) => void;

export class FakeWhatsAppSocket implements GatewaySocket {
  private readonly listeners = new Map<string, Listener[]>();
  readonly sent: { jid: string; text: string; at: number }[] = [];
  readonly presence: string[] = [];
  /** When each "composing" was shown, per JID (the pause before a send starts there). */
  readonly composingAt: { jid: string; at: number }[] = [];
  readonly read: WAMessageKey[] = [];
  readonly pairingRequests: string[] = [];
  ended = false;
  /** Makes sendMessage throw (a restriction, a dropped connection). */
  failSend?: () => unknown;
  /** What Baileys' lid-mapping store knows: phone-number JID → LID. */
  readonly lids = new Map<string, string>();

  async lidForPhone(phoneJid: string) {
    return this.lids.get(phoneJid) ?? null;
  }

  constructor(readonly config: SocketConfig) {}

  /** Events Baileys would still hold in its buffer when the socket is ended. */
  flushed = 0;

  readonly ev = {
    on: (event: string, listener: Listener) => {
      this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    },
    flush: () => {
      this.flushed += 1;
    },
  } as GatewaySocket["ev"];

  emit(
    event: "connection.update" | "creds.update" | "messages.upsert" | "messages.update",
    arg: unknown,
  ) {
    for (const listener of this.listeners.get(event) ?? []) listener(arg as never);
  }

  /** Closes as Baileys does: connection.update with the reason's status code. */
  close(statusCode: number) {
    this.emit("connection.update", {
      connection: "close",
      lastDisconnect: { error: { output: { statusCode } }, date: new Date() },
    });
  }

  async sendMessage(jid: string, content: { text: string }) {
    if (this.failSend) throw this.failSend();
    this.sent.push({ jid, text: content.text, at: Date.now() });
    return { key: { id: `3EB0FAKE${this.sent.length}` } };
  }

  async sendPresenceUpdate(
    type: "available" | "unavailable" | "composing" | "paused",
    jid?: string,
  ) {
    this.presence.push(jid ? `${type} ${jid}` : type);
    if (type === "composing" && jid) this.composingAt.push({ jid, at: Date.now() });
  }

  async requestPairingCode(phone: string) {
    this.pairingRequests.push(phone);
    return "ABCD-1234";
  }

  async readMessages(keys: WAMessageKey[]) {
    this.read.push(...keys);
  }

  end() {
    this.ended = true;
  }
}

export function fakeSockets() {
  const sockets: FakeWhatsAppSocket[] = [];
  const make: SocketFactory = (config) => {
    const socket = new FakeWhatsAppSocket(config);
    sockets.push(socket);
    return socket;
  };
  return { sockets, make, latest: () => sockets.at(-1)! };
}
