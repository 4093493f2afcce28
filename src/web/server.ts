import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  LogController,
} from "fastify";
import type { Redis } from "ioredis";
import type { PrismaClient } from "../db/types.ts";
import { DEFAULT_QUIET_HOURS, type QuietHours } from "../domain/quiet-hours.ts";
import { DEFAULT_SESSION_HOURS } from "../features/staff/sessions.ts";
import {
  DEFAULT_REMINDER_SETTINGS,
  type ReminderSettings,
} from "../features/trainings/reminders.ts";
import { type WhatsAppLink, whatsappOverview } from "../features/whatsapp/connection.ts";
import { type Clock, systemClock } from "../lib/clock.ts";
import { type Logger, redactUrls } from "../lib/logger.ts";
import { cleanInput, InputTooDeep } from "../lib/text.ts";
import { auditRoutes } from "./api/audit.ts";
import { broadcastRoutes } from "./api/broadcasts.ts";
import { handoffRoutes } from "./api/handoffs.ts";
import { API_PREFIX, describeApi } from "./api/openapi.ts";
import { seekerRoutes } from "./api/seekers.ts";
import { sessionRoutes } from "./api/sessions.ts";
import { statsRoutes } from "./api/stats.ts";
import { trainingRoutes } from "./api/trainings.ts";
import { vacancyRoutes } from "./api/vacancies.ts";
import { whatsappRoutes } from "./api/whatsapp.ts";
import { consoleRoutes } from "./console/index.ts";
import { createMetrics, type MetricsAccess, metricsRoute } from "./metrics.ts";
import type { WebQueues } from "./queue-access.ts";
import { type TelegramUpdates, telegramWebhook } from "./telegram-webhook.ts";

export interface WebDeps {
  prisma: PrismaClient;
  redis: Redis;
  queues: WebQueues;
  log: Logger;
  clock?: Clock;
  /** Name of the job center in messages staff actions send (default "Pusat Ketenagakerjaan Inklusif"). */
  serviceName?: string;
  /** When training reminders are sent (default: the day before and 2 hours before). */
  reminders?: ReminderSettings;
  /** How long a staff sign-in lasts, in hours (default 12). */
  staffSessionHours?: number;
  /** Behind a proxy: whom to believe about the client's address (TRUST_PROXY). */
  trustProxy?: boolean | string[];
  /** Telegram webhook mode: the gateway and the secret token Telegram sends. */
  telegram?: { gateway: TelegramUpdates; secret: string };
  /** WhatsApp configured: its state and staff requests, through Redis. */
  whatsapp?: WhatsAppLink;
  /** Whether and how this server answers `/metrics` (default: served, no token). */
  metrics?: MetricsAccess;
  /** When proactive messages wait for the morning (QUIET_HOURS; default 21:00-07:00): staff are told how many wait. */
  quietHours?: QuietHours;
}

const withTimeout = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error("timed out")), ms)),
  ]);

/** A dependency's state in /readyz: a short code; the error itself goes to the log only. */
type CheckResult = "ok" | "down" | "timeout";

async function check(
  log: Logger,
  dependency: string,
  fn: () => Promise<unknown>,
): Promise<CheckResult> {
  try {
    await withTimeout(fn(), 2000);
    return "ok";
  } catch (error) {
    const message = redactUrls((error as Error).message ?? String(error));
    log.warn({ dependency, err: message }, `readyz: ${dependency} not ready`);
    return message === "timed out" ? "timeout" : "down";
  }
}

/** Error codes of what Fastify refuses before a route runs (others are "bad_request"). */
const FRAMEWORK_CODES: Record<number, string> = {
  413: "payload_too_large",
  415: "unsupported_media_type",
};

const routesOf = new WeakMap<FastifyInstance, string[]>();

/** Every "METHOD /url" the server registered (for the test that keeps the API docs complete). */
export const registeredRoutes = (app: FastifyInstance) => routesOf.get(app) ?? [];

export function createWebServer(deps: WebDeps): FastifyInstance {
  const app = Fastify({
    loggerInstance: deps.log.child({ role: "web" }) as FastifyBaseLogger,
    // One line per request would log every health check and metrics scrape.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1024 * 1024,
    trustProxy: deps.trustProxy ?? false,
    // Malformed URLs and the like get the API's error shape too.
    frameworkErrors: (error, _req, reply) => {
      void (reply as FastifyReply)
        .code(400)
        .send({ error: { code: "bad_request", message: error.message } });
    },
  });
  const registered: string[] = [];
  routesOf.set(app, registered);
  app.addHook("onRoute", (route) => {
    for (const method of [route.method].flat()) registered.push(`${method} ${route.url}`);
  });
  // Security headers on every answer; API answers (personal data) are never cached.
  app.addHook("onSend", async (request, reply, payload) => {
    reply.header("x-content-type-options", "nosniff");
    reply.header("x-frame-options", "DENY");
    reply.header("referrer-policy", "no-referrer");
    reply.header("cross-origin-resource-policy", "same-origin");
    reply.header(
      "content-security-policy",
      "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    if (request.url.startsWith("/api/v1/")) reply.header("cache-control", "no-store");
    return payload;
  });
  // One cleaning for every route: NUL bytes and broken surrogates leave query strings
  // and bodies (JSON and console forms) before any handler or schema reads them.
  app.addHook("preValidation", async (request, reply) => {
    try {
      request.query = cleanInput(request.query) as typeof request.query;
      request.body = cleanInput(request.body);
    } catch (error) {
      if (!(error instanceof InputTooDeep)) throw error;
      return reply.code(400).send({ error: { code: "bad_request", message: error.message } });
    }
  });

  app.get("/healthz", async () => ({ status: "ok" }));

  app.get("/readyz", async (_req, reply) => {
    const [database, redis] = await Promise.all([
      check(deps.log, "database", () => deps.prisma.$queryRaw`SELECT 1`),
      check(deps.log, "redis", () => deps.redis.ping()),
    ]);
    const ready = database === "ok" && redis === "ok";
    // WhatsApp's state is shown, not required: the web role serves staff while it is away.
    const whatsapp =
      redis === "ok"
        ? await withTimeout(whatsappOverview(deps.whatsapp), 2000).then(
            (o) => ({ state: o.state, since: o.since, restricted: o.restricted !== null }),
            () => ({ state: "unknown" }),
          )
        : { state: "unknown" };
    return reply
      .code(ready ? 200 : 503)
      .send({ status: ready ? "ready" : "unready", checks: { database, redis }, whatsapp });
  });

  if (deps.metrics?.onMainPort ?? true)
    metricsRoute(
      app,
      createMetrics(deps.queues, () => whatsappOverview(deps.whatsapp)),
      deps.metrics?.token,
    );

  // What the staff API and the console act with: the same features, the same settings.
  const staffDeps = {
    prisma: deps.prisma,
    queues: deps.queues,
    clock: deps.clock ?? systemClock,
    serviceName: deps.serviceName ?? "Pusat Ketenagakerjaan Inklusif",
    reminders: deps.reminders ?? DEFAULT_REMINDER_SETTINGS,
    sessionHours: deps.staffSessionHours ?? DEFAULT_SESSION_HOURS,
    quietHours: deps.quietHours ?? DEFAULT_QUIET_HOURS,
    ...(deps.whatsapp ? { whatsapp: deps.whatsapp } : {}),
  };
  // Before the API's routes: it collects the description each one declares.
  describeApi(app);
  app.register(
    async (api) => {
      sessionRoutes(api, staffDeps);
      auditRoutes(api, staffDeps);
      handoffRoutes(api, staffDeps);
      vacancyRoutes(api, staffDeps);
      trainingRoutes(api, staffDeps);
      seekerRoutes(api, staffDeps);
      broadcastRoutes(api, staffDeps);
      whatsappRoutes(api, staffDeps);
      statsRoutes(api, staffDeps);
    },
    { prefix: API_PREFIX },
  );

  consoleRoutes(app, staffDeps);

  if (deps.telegram) telegramWebhook(app, deps.telegram.gateway, deps.telegram.secret);

  app.setNotFoundHandler((req, reply) =>
    reply
      .code(404)
      .send({ error: { code: "not_found", message: `No route ${req.method} ${req.url}` } }),
  );
  app.setErrorHandler((error: Error & { statusCode?: number }, _req, reply) => {
    const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 500;
    if (status >= 500) deps.log.error({ err: error.message }, "request failed");
    return reply.code(status).send({
      error: {
        code: status >= 500 ? "internal" : (FRAMEWORK_CODES[status] ?? "bad_request"),
        message: status >= 500 ? "Internal error" : error.message,
      },
    });
  });
  return app;
}
