import type { Redis } from "ioredis";
import QRCode from "qrcode";
import type { WhatsAppConfig } from "../../env.ts";
import type { WhatsAppAlert } from "../../jobs/queues.ts";
import { sleep } from "../../lib/clock.ts";
import { enqueueOutbox } from "../../outbox/outbox.ts";
import type { RunnerDeps } from "../../runner/deps.ts";
import { RateLimiter } from "../rate-limit.ts";
import { WhatsAppAdapter } from "./adapter.ts";
import { SendCircuit } from "./circuit.ts";
import { type SocketFactory, WhatsAppGateway } from "./gateway.ts";
import { releaseHeld } from "./held.ts";
import { baileysSocket } from "./socket.ts";
import { WhatsAppControl } from "./status.ts";

export { releaseHeld };

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

/**
 * WhatsApp refused a message we sent. Refused for a restriction (463) it
 * was not delivered and waits to go again once staff resume sending; any
 * other refusal fails it with the code.
 */
export async function sendRefused(deps: RunnerDeps, externalId: string, code: string) {
  const row = await deps.prisma.outbox.findFirst({
    where: { channel: "whatsapp", externalId, status: "sent" },
    select: { id: true, channel: true, kind: true, subject: true },
  });
  if (!row) return;
  if (code !== "463") {
    await deps.prisma.outbox.update({
      where: { id: row.id },
      data: { status: "failed", reason: `whatsapp error ${code}`.slice(0, 500) },
    });
    return;
  }
  await deps.prisma.outbox.update({
    where: { id: row.id },
    data: { status: "pending", sentAt: null, externalId: null, lockedUntil: null },
  });
  // Its finished job still holds the id: make room, then queue it again (held by the circuit).
  await deps.queues.get("send-whatsapp").remove(row.id);
  await enqueueOutbox({ ...deps, now: deps.clock.now() }, [{ ...row, notBefore: null }]);
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
    /** Connected or not (the process's WhatsApp send worker runs only while connected). */
    onConnected?: (connected: boolean) => void;
  } = {},
): WhatsAppParts {
  const control = new WhatsAppControl(redis, prefix, config.session);
  const circuit = new SendCircuit(redis, prefix);
  const display = opts.display ?? {};
  const restricted = async (reason: string) => {
    // Once per restriction: the circuit was closed until now.
    if (await circuit.open(reason, deps.clock.now())) await alertStaff(deps, "restricted", reason);
  };
  const gateway = new WhatsAppGateway({
    deps,
    control,
    authKey: config.authKey,
    makeSocket: opts.makeSocket ?? baileysSocket,
    ...(config.pairingNumber ? { pairingNumber: config.pairingNumber } : {}),
    alert: (reason) => alertStaff(deps, reason),
    restricted,
    sendFailed: (externalId, code) => sendRefused(deps, externalId, code),
    onConnected: (connected) => {
      opts.onConnected?.(connected);
      if (connected)
        releaseHeld(deps).catch((error: Error) =>
          deps.log.warn({ err: error.name }, "whatsapp: could not release held messages"),
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
    clock: { now: () => deps.clock.now(), sleep },
    // The adapter opens the circuit itself and calls this only when it was closed before.
    onRestricted: (reason) => alertStaff(deps, "restricted", reason),
  });
  return { control, circuit, gateway, adapter };
}
