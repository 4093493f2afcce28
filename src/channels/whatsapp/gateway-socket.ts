/**
 * The part of a Baileys socket the WhatsApp gateway uses, so tests drive it
 * with a fake socket (test/helpers/fake-whatsapp.ts) and socket.ts makes
 * the real one.
 */
import type {
  AuthenticationState,
  CacheStore,
  proto,
  WAMessage,
  WAMessageKey,
} from "@whiskeysockets/baileys";
import type { ILogger } from "@whiskeysockets/baileys/lib/Utils/logger.js";
import type { WhatsAppSocket } from "./adapter.ts";

export interface ConnectionUpdate {
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
