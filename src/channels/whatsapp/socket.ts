/**
 * The real socket: Baileys' makeWASocket with the settings a service wants.
 * Everything else talks to it through the GatewaySocket interface, so tests
 * drive the gateway with a fake socket instead.
 */
import makeWASocket, { Browsers, isJidBroadcast, isJidGroup } from "@whiskeysockets/baileys";
import type { GatewaySocket, SocketFactory } from "./gateway-socket.ts";

export const baileysSocket: SocketFactory = (config) => {
  const socket = makeWASocket({
    auth: config.auth,
    logger: config.logger,
    getMessage: config.getMessage,
    msgRetryCounterCache: config.msgRetryCounterCache,
    browser: Browsers.ubuntu("Chrome"),
    // A service is not a person at a phone: don't show it online, don't pull old chats.
    markOnlineOnConnect: false,
    syncFullHistory: false,
    generateHighQualityLinkPreview: false,
    // Groups and status updates are not for the service: don't even decrypt them.
    shouldIgnoreJid: (jid) => Boolean(isJidGroup(jid) || isJidBroadcast(jid)),
  });
  return Object.assign(socket, {
    lidForPhone: (phoneJid: string) => socket.signalRepository.lidMapping.getLIDForPN(phoneJid),
  }) as unknown as GatewaySocket;
};
