import type { Redis } from "ioredis";
import QRCode from "qrcode";
import type { WhatsAppConfig } from "../../env.ts";
import type { WhatsAppAlert } from "../../jobs/queues.ts";
import { sleep } from "../../lib/clock.ts";
import type { RunnerDeps } from "../../runner/deps.ts";
import { RateLimiter } from "../rate-limit.ts";
import { WhatsAppAdapter } from "./adapter.ts";
import { SendCircuit } from "./circuit.ts";
import { type SocketFactory, WhatsAppGateway } from "./gateway.ts";
import { baileysSocket } from "./socket.ts";
import { WhatsAppControl } from "./status.ts";

/** Tells staff (the notify queue: the staff chat, if set up). One job per alert. */
export async function alertStaff(deps: RunnerDeps, whatsapp: WhatsAppAlert, detail?: string) {
  deps.log.error({ channel: "whatsapp", alert: whatsapp }, "whatsapp: staff must act");
  await deps.queues
    .get("notify")
    .add(
      "notify",
      { whatsapp, ...(detail ? { detail } : {}) },
      { jobId: `whatsapp-${whatsapp}-${Date.now()}` },
    );
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
  config: WhatsAppConfig,
  deps: RunnerDeps,
  redis: Redis,
  prefix: string,
  opts: {
    makeSocket?: SocketFactory;
    /** Where the QR code and pairing code are shown besides the console (default: nowhere). */
    display?: PairingDisplay;
    heartbeatMs?: number;
  } = {},
): WhatsAppParts {
  const control = new WhatsAppControl(redis, prefix, config.session);
  const circuit = new SendCircuit(redis, prefix);
  const display = opts.display ?? {};
  const gateway = new WhatsAppGateway({
    deps,
    control,
    authKey: config.authKey,
    makeSocket: opts.makeSocket ?? baileysSocket,
    ...(config.pairingNumber ? { pairingNumber: config.pairingNumber } : {}),
    alert: (reason) => alertStaff(deps, reason),
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
      proactivePerDay: config.proactivePerDay,
      jitterMs: config.jitterMs,
    },
    clock: { now: () => deps.clock.now(), sleep },
    onRestricted: (reason) => alertStaff(deps, "restricted", reason),
  });
  return { control, circuit, gateway, adapter };
}
