/**
 * Composition root: configuration → database → queues → roles, and a clean
 * shutdown on SIGINT/SIGTERM. `npm start` runs every role; `--roles worker`
 * (or ROLES=worker) runs a subset, so more workers can share one PostgreSQL
 * and Redis.
 */
import type { FastifyInstance } from "fastify";
import { consoleUrl, startBanner } from "./banner.ts";
import { openServices, type Services, telegramPort, whatsappWiring } from "./boot.ts";
import { ConsoleAdapter } from "./channels/console/adapter.ts";
import type { Telegram } from "./channels/telegram/index.ts";
import type { WhatsAppParts } from "./channels/whatsapp/index.ts";
import { type LocalHandlers, startLocalService } from "./cli/local-service.ts";
import { runProgram } from "./cli/program.ts";
import { backupTo } from "./db/backup.ts";
import { applyMigrations } from "./db/migrate.ts";
import { type Env, loadEnv, parseRoles, type Role } from "./env.ts";
import { runStaffCommand } from "./features/staff/commands.ts";
import { startSendWorkers, startWorkers, type WorkerSet } from "./jobs/workers/index.ts";
import { AppError } from "./lib/errors.ts";
import { createLogger, type Logger } from "./lib/logger.ts";
import { limitHeapGrowth } from "./lib/node-flags.ts";
import { onParentExit } from "./lib/parent-watch.ts";
import { receive } from "./runner/receive.ts";
import { repliesSettled } from "./runner/settled.ts";

function rolesFromArgs(argv: string[], fallback: Role[]): Role[] {
  const i = argv.findIndex((a) => a === "--roles" || a.startsWith("--roles="));
  if (i < 0) return fallback;
  const value = argv[i]!.includes("=") ? argv[i]!.split("=")[1]! : (argv[i + 1] ?? "");
  return parseRoles(value, "--roles");
}

/**
 * Telegram sends in flight per worker process. The limits are kept in Redis;
 * fewer sends in flight keep the time between taking a slot and the request
 * reaching Telegram short, so bursts stay within the rate as Telegram sees it.
 */
const TELEGRAM_SEND_CONCURRENCY = 8;
/**
 * WhatsApp sends in flight: its limit is a few a minute, so more would only
 * hold jobs waiting for a slot (replies to people who just wrote first).
 */
const WHATSAPP_SEND_CONCURRENCY = 2;

/** Signals this close together are one request to stop (see shutdown). */
const SAME_SIGNAL_MS = 1000;

interface Running {
  web?: FastifyInstance;
  /** METRICS_PORT's listener (loopback only). */
  metrics?: FastifyInstance;
  workers?: WorkerSet;
  telegram?: Telegram;
  whatsapp?: WhatsAppParts;
  /** The WhatsApp send worker, in the gateway that holds the connection. */
  whatsappSenders?: WorkerSet;
}

async function startRoles(env: Env, services: Services, log: Logger): Promise<Running> {
  const running: Running = {};
  // Each channel's library (Baileys alone is tens of megabytes) and the web server are
  // loaded only when configured, so a worker or an unconfigured service does not carry them.
  const telegram = env.telegram
    ? (await import("./channels/telegram/index.ts")).createTelegram(
        env.telegram,
        telegramPort(services.deps),
        services.redis,
        services.prefix,
        log,
      )
    : undefined;
  if (env.roles.includes("worker")) {
    running.workers = await startWorkers({
      deps: services.deps,
      connection: services.redis,
      prefix: services.prefix,
      inboundConcurrency: env.inboundConcurrency,
      channels: [
        {
          adapter: new ConsoleAdapter(services.redis, services.prefix),
          concurrency: env.inboundConcurrency,
        },
        // Telegram's limits are kept by the adapter (shared through Redis), not by job counts.
        ...(telegram
          ? [{ adapter: telegram.adapter, concurrency: TELEGRAM_SEND_CONCURRENCY }]
          : []),
      ],
      relayIntervalMs: env.relayIntervalMs,
      retentionDays: env.retentionDays,
      messageTextDays: env.messageTextDays,
      vacancyPush: env.vacancyPush,
      broadcast: { chunk: env.broadcastChunk },
      ...(telegram && env.telegram?.staffChatId
        ? { staffNotice: { adapter: telegram.adapter, to: env.telegram.staffChatId } }
        : {}),
    });
  }
  // The WhatsApp send worker takes jobs only while this gateway is connected (a standby
  // gateway must not take them just to hold them).
  const pauseSenders = (connected: boolean) => {
    for (const worker of running.whatsappSenders?.workers ?? []) {
      if (connected) worker.resume();
      else worker.pause(true).catch(() => undefined);
    }
  };
  const whatsappModule = env.whatsapp ? await import("./channels/whatsapp/index.ts") : undefined;
  const whatsapp =
    env.whatsapp && whatsappModule
      ? whatsappModule.createWhatsApp(
          env.whatsapp,
          whatsappWiring(services.deps),
          services.redis,
          services.prefix,
          {
            ...(process.stdout.isTTY ? { display: whatsappModule.terminalDisplay } : {}),
            onConnected: pauseSenders,
          },
        )
      : undefined;
  if (env.roles.includes("gateway")) {
    if (telegram) {
      await telegram.start();
      running.telegram = telegram;
    }
    if (whatsapp) {
      await whatsapp.gateway.start();
      running.whatsapp = whatsapp;
      // Only the process holding the connection can send on it.
      running.whatsappSenders = startSendWorkers({
        deps: services.deps,
        connection: services.redis,
        prefix: services.prefix,
        channels: [{ adapter: whatsapp.adapter, concurrency: WHATSAPP_SEND_CONCURRENCY }],
      });
      pauseSenders(whatsapp.gateway.connected() !== null);
      if (!env.telegram?.staffChatId)
        log.warn(
          "whatsapp: no staff notice chat (TELEGRAM_STAFF_CHAT_ID): alerts that WhatsApp stopped go only to this log and the console",
        );
    }
    if (!telegram && !whatsapp)
      log.info(
        "gateway: no chat platform configured (set TELEGRAM_BOT_TOKEN or WHATSAPP_AUTH_KEY; see README)",
      );
  }
  if (env.roles.includes("web")) {
    const { createWebServer } = await import("./web/server.ts");
    if (env.trustProxy === true)
      log.warn(
        "TRUST_PROXY=true: every client may choose its address with X-Forwarded-For (refused in production; set the proxy's addresses)",
      );
    running.web = createWebServer({
      ...services,
      prisma: services.db.prisma,
      log,
      serviceName: env.serviceName,
      reminders: env.reminders,
      quietHours: env.vacancyPush.quiet,
      staffSessionHours: env.staffSessionHours,
      trustProxy: env.trustProxy,
      ...(telegram && env.telegram?.webhookUrl
        ? { telegram: { gateway: telegram.gateway, secret: env.telegram.webhookSecret } }
        : {}),
      ...(whatsapp ? { whatsapp: { control: whatsapp.control, circuit: whatsapp.circuit } } : {}),
      metrics: {
        onMainPort: env.metrics.onMainPort,
        ...(env.metrics.token ? { token: env.metrics.token } : {}),
      },
    });
    await running.web.listen({ port: env.port, host: env.host });
    if (env.metrics.port !== undefined) {
      const { createMetricsServer } = await import("./web/metrics.ts");
      running.metrics = createMetricsServer({
        queues: services.queues,
        log,
        ...(whatsapp ? { whatsapp: { control: whatsapp.control, circuit: whatsapp.circuit } } : {}),
        ...(env.metrics.token ? { token: env.metrics.token } : {}),
      });
      // Loopback only: a Prometheus on this machine (or a tunnel to it) scrapes it.
      await running.metrics.listen({ port: env.metrics.port, host: "127.0.0.1" });
    } else if (!env.metrics.onMainPort)
      log.warn(
        "/metrics is off: in production set METRICS_TOKEN (scrape with a bearer token) or METRICS_PORT (a loopback listener)",
      );
  }
  return running;
}

/** What `npm run staff` and `npm run chat` beside the service ask it to do. */
function localHandlers(env: Env, services: Services): LocalHandlers {
  return {
    info: () => ({ redisUrl: services.redisTarget.url, prefix: services.prefix }),
    async staff(argv, stdin) {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runStaffCommand(
        services.db.prisma,
        argv,
        {
          out: (line) => out.push(line),
          err: (line) => err.push(line),
          readLine: async () => stdin ?? "",
        },
        consoleUrl(env),
      );
      return { code, out, err };
    },
    receive: (message) => receive(services.deps, message),
    settled: (ids) => repliesSettled(services.db.prisma, ids),
    backup: (file) => backupTo(services.db, file),
    async migrate() {
      const { applied } = await applyMigrations(services.db);
      return { applied, location: services.db.location };
    },
  };
}

async function main(): Promise<void> {
  limitHeapGrowth();
  // A configuration error ends the program here (runProgram: one line, exit code 78).
  const env: Env = loadEnv();
  env.roles = rolesFromArgs(process.argv.slice(2), env.roles);
  const log = createLogger({ level: env.logLevel, format: env.logFormat });
  // Load the modules the roles need while the database opens (seconds on a first start).
  const preload = [
    env.roles.includes("web") ? import("./web/server.ts") : undefined,
    env.telegram ? import("./channels/telegram/index.ts") : undefined,
    env.whatsapp ? import("./channels/whatsapp/index.ts") : undefined,
  ].map((p) => p?.catch(() => undefined));

  let services: Services;
  try {
    services = await openServices(env, log);
  } catch (error) {
    const message = error instanceof AppError ? error.message : (error as Error).message;
    log.fatal(message);
    console.error(message);
    process.exit(1);
  }
  log.info(
    { roles: env.roles, database: services.db.location, queuePrefix: services.prefix },
    "starting",
  );
  await Promise.all(preload);
  const running = await startRoles(env, services, log);
  // The embedded database is this process's alone: the commands beside it come through here.
  const local =
    services.db.kind === "embedded"
      ? await startLocalService(env.dataDir, localHandlers(env, services), log)
      : undefined;
  log.info({ roles: env.roles, port: running.web ? env.port : undefined }, "started");
  // In a terminal, the few lines a person needs; a log collector has the line above.
  if (process.stdout.isTTY) {
    const banner = await startBanner(env, services, running.web !== undefined).catch(() => "");
    if (banner) process.stdout.write(`\n${banner}\n\n`);
  }

  let stopping = false;
  let stoppingAt = 0;
  const shutdown = async (signal: string) => {
    if (stopping) {
      // Ctrl-C reaches npm and this process at once, and npm passes it on too: the same
      // request twice. A second one a moment later means "now".
      if (performance.now() - stoppingAt < SAME_SIGNAL_MS) return;
      log.warn({ signal }, "second signal: exiting now");
      process.exit(1);
    }
    stopping = true;
    stoppingAt = performance.now();
    log.info({ signal }, "stopping: no new work, letting active jobs finish");
    const started = performance.now();
    await local?.close();
    await running.telegram?.stop();
    await running.web?.close();
    await running.metrics?.close();
    const [result, senders] = await Promise.all([
      running.workers?.close(env.shutdownTimeoutMs),
      running.whatsappSenders?.close(env.shutdownTimeoutMs),
    ]);
    // After its sends finished: the connection goes last.
    await running.whatsapp?.gateway.stop();
    if ((result && !result.clean) || (senders && !senders.clean))
      log.warn("active jobs did not finish in time; they will be retried");
    await services.close();
    log.info({ ms: Math.round(performance.now() - started) }, "stopped");
    log.flush?.();
    setTimeout(() => process.exit(0), 50).unref();
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  // `npm start` stopped without passing the signal on: stop as if it had.
  // (After a forwarded signal it is already stopping: that is not a second signal.)
  onParentExit(() => {
    if (!stopping) void shutdown("parent exited");
  });
}

runProgram("ijc-bot", main, { keepRunning: true });
