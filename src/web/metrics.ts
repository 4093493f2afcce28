import { collectDefaultMetrics, Gauge, Registry } from "prom-client";
import { CONNECTION_STATES } from "../channels/whatsapp/status.ts";
import type { WhatsAppOverview } from "../features/whatsapp/connection.ts";
import type { Queues } from "../jobs/queues.ts";

const WHATSAPP_STATES = ["not_configured", "not_running", ...CONNECTION_STATES];

/**
 * Prometheus metrics of this process, with queue depths and the WhatsApp
 * connection read from Redis at scrape time.
 */
export function createMetrics(queues: Queues, whatsapp: () => Promise<WhatsAppOverview>): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "ijc_" });
  new Gauge({
    name: "ijc_queue_jobs",
    help: "Jobs in each BullMQ queue by state.",
    labelNames: ["queue", "state"],
    registers: [registry],
    async collect() {
      const depths = await queues.depths();
      for (const [queue, counts] of Object.entries(depths)) {
        for (const [state, count] of Object.entries(counts)) this.set({ queue, state }, count);
      }
    },
  });
  // Set by the connection gauge's collect: one read of the state per scrape for both.
  const stopped = new Gauge({
    name: "ijc_whatsapp_sending_stopped",
    help: "1 while WhatsApp sending is stopped after a restriction signal (staff must resume it).",
    registers: [],
  });
  new Gauge({
    name: "ijc_whatsapp_connection",
    help: "1 for the WhatsApp connection's current state, 0 for the others.",
    labelNames: ["state"],
    registers: [registry],
    async collect() {
      const { state, restricted } = await whatsapp();
      for (const s of WHATSAPP_STATES) this.set({ state: s }, s === state ? 1 : 0);
      stopped.set(restricted ? 1 : 0);
    },
  });
  registry.registerMetric(stopped);
  return registry;
}
