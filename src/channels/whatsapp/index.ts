import type { Redis } from "ioredis";
import QRCode from "qrcode";
import type { PrismaClient } from "../../db/types.ts";
import type { WhatsAppPort } from "../../domain/channel-ports.ts";
import { SendCircuit } from "../../features/whatsapp/circuit.ts";
import { WhatsAppControl } from "../../features/whatsapp/status.ts";
import { type Clock, sleep } from "../../lib/clock.ts";
import type { Logger } from "../../lib/logger.ts";
import { RateLimiter } from "../rate-limit.ts";
import { WhatsAppAdapter } from "./adapter.ts";
import { type SocketFactory, WhatsAppGateway } from "./gateway.ts";
import { baileysSocket } from "./socket.ts";

/** The WhatsApp settings (env.ts reads them: WHATSAPP_*). */
export interface WhatsAppSettings {
  authKey: Buffer;
  session: string;
  pairingNumber?: string;
  perMinute: number;
  proactivePerMinute: number;
  proactivePerDay: number;
  jitterMs: [number, number];
}

/** What the WhatsApp channel is given (boot.ts, whatsappWiring): a narrow port, not the runner's deps. */
export interface WhatsAppWiring {
  port: WhatsAppPort;
  /** The channel's own table: Baileys' session (credentials and keys, encrypted). */
  authDb: PrismaClient;
  clock: Clock;
  log: Logger;
}

export interface PairingDisplay {
  qr?(qr: string): void;
  pairingCode?(code: string): void;
}

/**
 * The QR code and pairing code on the terminal. Only for a person at one:
 * whoever scans the QR links their own phone to the service, so it never
 * goes to logs.
 */
export const terminalDisplay: PairingDisplay = {
  qr(qr) {
    QRCode.toString(qr, { type: "terminal", small: true })
      .then((art) =>
        process.stdout.write(
          `\nScan with WhatsApp on the service's phone (Linked devices → Link a device):\n${art}\n`,
        ),
      )
      .catch(() => undefined);
  },
  pairingCode(code) {
    process.stdout.write(
      `\nWhatsApp pairing code: ${code} (Linked devices → Link a device → Link with phone number)\n`,
    );
  },
};

export interface WhatsAppParts {
  control: WhatsAppControl;
  circuit: SendCircuit;
  gateway: WhatsAppGateway;
  adapter: WhatsAppAdapter;
}

/**
 * The WhatsApp channel's parts. Only the gateway role connects; it also runs
 * the WhatsApp send worker, since only the process holding the connection
 * can send. The web role reads the state through `control` and `circuit`.
 */
export function createWhatsApp(
  config: WhatsAppSettings,
  wiring: WhatsAppWiring,
  redis: Redis,
  prefix: string,
  opts: {
    makeSocket?: SocketFactory;
    /** Where the QR code and pairing code are shown besides the console (default: nowhere). */
    display?: PairingDisplay;
    heartbeatMs?: number;
    /** Connected or not (the process's WhatsApp send worker runs only while connected). */
    onConnected?: (connected: boolean) => void;
  } = {},
): WhatsAppParts {
  const { port, clock } = wiring;
  const control = new WhatsAppControl(redis, prefix, config.session);
  const circuit = new SendCircuit(redis, prefix);
  const display = opts.display ?? {};
  const restricted = async (reason: string) => {
    // Once per restriction: the circuit was closed until now.
    if (await circuit.open(reason, clock.now())) await port.alert("restricted", reason);
  };
  const gateway = new WhatsAppGateway({
    port,
    authDb: wiring.authDb,
    clock,
    log: wiring.log,
    control,
    authKey: config.authKey,
    makeSocket: opts.makeSocket ?? baileysSocket,
    ...(config.pairingNumber ? { pairingNumber: config.pairingNumber } : {}),
    alert: (reason) => port.alert(reason),
    restricted,
    sendFailed: (externalId, code) => port.sendRefused(externalId, code),
    onConnected: (connected) => {
      opts.onConnected?.(connected);
      if (connected)
        port
          .releaseHeld()
          .catch((error: Error) =>
            wiring.log.warn({ err: error.name }, "whatsapp: could not release held messages"),
          );
    },
    showQr: display.qr,
    showPairingCode: display.pairingCode,
    ...(opts.heartbeatMs ? { heartbeatMs: opts.heartbeatMs } : {}),
  });
  const adapter = new WhatsAppAdapter({
    socket: gateway.connected,
    limiter: new RateLimiter(redis, prefix),
    circuit,
    limits: {
      perMinute: config.perMinute,
      proactivePerMinute: config.proactivePerMinute,
      proactivePerDay: config.proactivePerDay,
      jitterMs: config.jitterMs,
    },
    clock: { now: () => clock.now(), sleep },
    // The adapter opens the circuit itself and calls this only when it was closed before.
    onRestricted: (reason) => port.alert("restricted", reason),
  });
  return { control, circuit, gateway, adapter };
}
