import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from "fastify";
import { collectDefaultMetrics, Gauge, Registry } from "prom-client";
import {
  type WhatsAppLink,
  type WhatsAppOverview,
  whatsappOverview,
} from "../features/whatsapp/connection.ts";
import { CONNECTION_STATES } from "../features/whatsapp/status.ts";
import type { Logger } from "../lib/logger.ts";
import { sameSecret } from "../lib/same-secret.ts";
import type { WebQueues } from "./queue-access.ts";

const WHATSAPP_STATES = ["not_configured", "not_running", ...CONNECTION_STATES];

/**
 * Prometheus metrics of this process, with queue depths and the WhatsApp
 * connection read from Redis at scrape time.
 */
export function createMetrics(
  queues: WebQueues,
  whatsapp: () => Promise<WhatsAppOverview>,
): Registry {
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

/**
 * Who may read `/metrics`. It tells queue depths and whether WhatsApp was
 * restricted, and each scrape reads Redis: not for whoever reaches the port.
 */
export interface MetricsAccess {
  /**
   * Whether the main HTTP server answers `/metrics` (default true). False when
   * `METRICS_PORT` serves it on its own loopback listener, and in production
   * when neither `METRICS_PORT` nor `METRICS_TOKEN` is set (then 404).
   */
  onMainPort?: boolean;
  /** `METRICS_TOKEN`: when set, `/metrics` needs `Authorization: Bearer <token>` (default unset). */
  token?: string;
}

/** `GET /metrics` on `app`, behind the bearer token when one is set. */
export function metricsRoute(app: FastifyInstance, registry: Registry, token?: string) {
  app.get("/metrics", async (request, reply) => {
    if (token !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? "");
      if (!match || !sameSecret(match[1], token)) {
        return reply
          .code(401)
          .header("www-authenticate", 'Bearer realm="metrics"')
          .send({
            error: {
              code: "unauthorized",
              message: "/metrics needs Authorization: Bearer <METRICS_TOKEN>",
            },
          });
      }
    }
    reply.header("content-type", registry.contentType).header("cache-control", "no-store");
    return registry.metrics();
  });
}

/**
 * The listener of `METRICS_PORT`: `/metrics` alone (404 for anything else),
 * for a Prometheus on the same machine. Bind it to 127.0.0.1.
 */
export function createMetricsServer(deps: {
  queues: WebQueues;
  log: Logger;
  whatsapp?: WhatsAppLink;
  token?: string;
}): FastifyInstance {
  const app = Fastify({
    loggerInstance: deps.log.child({ role: "metrics" }) as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
  });
  metricsRoute(
    app,
    createMetrics(deps.queues, () => whatsappOverview(deps.whatsapp)),
    deps.token,
  );
  app.setNotFoundHandler((req, reply) =>
    reply
      .code(404)
      .send({ error: { code: "not_found", message: `No route ${req.method} ${req.url}` } }),
  );
  return app;
}
