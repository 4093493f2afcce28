import { collectDefaultMetrics, Gauge, Registry } from "prom-client";
import type { Queues } from "../jobs/queues.ts";

/** Prometheus metrics of this process, with queue depths read from Redis at scrape time. */
export function createMetrics(queues: Queues): Registry {
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
  return registry;
}
