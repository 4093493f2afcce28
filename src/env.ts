/**
 * Configuration: the only module that reads `process.env`.
 * Every variable is documented in `.env.example` and the README.
 */

import { createHash } from "node:crypto";
import { isIP } from "node:net";
import { z } from "zod";
import type { TelegramSettings } from "./channels/telegram/index.ts";
import type { WhatsAppSettings } from "./channels/whatsapp/index.ts";
import { parseAuthKey } from "./channels/whatsapp/sealed.ts";
import { parseQuietHours } from "./domain/quiet-hours.ts";
import { internationalNumber } from "./features/schema-parts.ts";
import type { ReminderSettings } from "./features/trainings/reminders.ts";
import type { PushSettings } from "./features/vacancies/push.ts";

const _bool = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");

/** Fastify's (proxy-addr's) names for well-known ranges. */
const PROXY_RANGE_NAMES = ["loopback", "linklocal", "uniquelocal"];

/** An IP address, a CIDR range (address/prefix length), or a range name proxy-addr knows. */
function isProxyAddress(entry: string): boolean {
  const value = entry.trim();
  if (PROXY_RANGE_NAMES.includes(value)) return true;
  const [address = "", prefix, ...rest] = value.split("/");
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
}

const url = (protocols: string[]) =>
  z
    .string()
    .trim()
    .refine(
      (v) => {
        try {
          return protocols.includes(new URL(v).protocol);
        } catch {
          return false;
        }
      },
      `must be a URL starting with ${protocols.map((p) => `${p}//`).join(" or ")}`,
    );

const int = (min: number, max: number) =>
  z.coerce
    .number({ error: "must be a whole number" })
    .int("must be a whole number")
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** HTTP port of the web role. */
  PORT: int(1, 65535).default(3000),
  /** Address the web role listens on. */
  HOST: z.string().trim().min(1).default("0.0.0.0"),
  /**
   * Bearer token `GET /metrics` then requires (`Authorization: Bearer <token>`).
   * Unset: no token (and in production no /metrics on PORT unless METRICS_PORT).
   */
  METRICS_TOKEN: z
    .string()
    .trim()
    .regex(/^[\x21-\x7e]*$/, "must be printable ASCII without spaces")
    .min(32, "must be at least 32 characters (e.g. openssl rand -hex 32)")
    .optional(),
  /** A listener of its own for /metrics on 127.0.0.1 (PORT then has none). Unset: none. */
  METRICS_PORT: int(1, 65535).optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** `pretty` for people at a terminal, `json` for log collectors. Default: json in production. */
  LOG_FORMAT: z.enum(["pretty", "json"]).optional(),
  /** PostgreSQL connection string; unset → embedded PostgreSQL (PGlite) in DATA_DIR. */
  DATABASE_URL: url(["postgres:", "postgresql:"]).optional(),
  /** Folder of the embedded database. */
  DATA_DIR: z.string().trim().min(1).default("./data"),
  /** Unset: a Redis on REDIS_LOCAL_ADDRESS, else one of the service's own (jobs/own-redis.ts). */
  REDIS_URL: url(["redis:", "rediss:"]).optional(),
  /** Where to look for a running Redis when REDIS_URL is unset. */
  REDIS_LOCAL_ADDRESS: z
    .string()
    .regex(/^[\w.-]+:\d{1,5}$/, "host:port, e.g. 127.0.0.1:6379")
    .default("127.0.0.1:6379"),
  /**
   * Prefix of every BullMQ key in Redis. Unset: the prefix stored in the database, so
   * processes sharing a database share queues and two databases never meet on one Redis.
   */
  QUEUE_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9_-]+$/, "may only contain letters, digits, - and _")
    .optional(),
  /** Roles this process runs: gateway, worker, web (comma-separated). `--roles` overrides. */
  ROLES: z.string().default("gateway,worker,web"),
  /**
   * Inbound jobs one worker process holds at once: the most people in one batch (group
   * commit). Also the console channel's sends at once.
   */
  INBOUND_CONCURRENCY: int(1, 256).default(100),
  /** How long a clean shutdown may wait for active jobs, in milliseconds. */
  SHUTDOWN_TIMEOUT_MS: int(100, 300_000).default(10_000),
  /** How often the relay looks for stored messages a crash left unqueued, in milliseconds. */
  RELAY_INTERVAL_MS: int(1000, 3_600_000).default(15_000),
  /** Days without activity after which a person's data is deleted (consent text: 2 years); 0 = never. */
  RETENTION_DAYS: int(0, 36_500).default(730),
  /** Days an outgoing message keeps its text once sent, failed or skipped (delivery retries). */
  MESSAGE_TEXT_DAYS: int(1, 365).default(7),
  /** Vacancies pushed to one person per VACANCY_PUSH_WINDOW_DAYS (best matches first); 0 = no pushes. */
  VACANCY_PUSH_CAP: int(0, 100).default(3),
  VACANCY_PUSH_WINDOW_DAYS: int(1, 90).default(7),
  /** Pushes written per transaction by the matching job. */
  VACANCY_PUSH_CHUNK: int(1, 10_000).default(1000),
  BROADCAST_CHUNK: int(1, 10_000).default(1000),
  /** Minutes before a training's start when reminders go out, e.g. "1440,120" (the day before, 2 hours before). */
  REMINDER_OFFSETS_MINUTES: z
    .string()
    .regex(
      /^\s*\d{1,5}(\s*,\s*\d{1,5}){0,4}\s*$/,
      'must be minutes separated by commas, like "1440,120"',
    )
    .default("1440,120"),
  /** Local night hours (each person's own zone) when pushes wait for the morning; "00:00-00:00" = none. */
  QUIET_HOURS: z
    .string()
    .refine((v) => parseQuietHours(v) !== null, 'must look like "21:00-07:00"')
    .default("21:00-07:00"),
  /** How long a staff sign-in (POST /api/v1/auth/login) lasts, in hours. */
  STAFF_SESSION_HOURS: int(1, 24 * 30).default(12),
  /**
   * Behind a reverse proxy or load balancer: the proxy's addresses or ranges
   * ("127.0.0.1", "10.0.0.0/8,fd00::/8", or loopback, linklocal, uniquelocal).
   * Only a request from one of them may name the client in X-Forwarded-For
   * (the address the failed-attempt limits count). "true" (believe anyone) is
   * refused in production. Default: false.
   */
  TRUST_PROXY: z
    .string()
    .trim()
    .refine((v) => v === "false" || v === "true" || v.split(",").every(isProxyAddress), {
      message:
        'must be false or the proxy\'s addresses, like "127.0.0.1" or "10.0.0.0/8,fd00::/8" (or loopback, linklocal, uniquelocal)',
    })
    .default("false"),
  /** Name of the job center in messages, e.g. "Pusat Ketenagakerjaan Inklusif Kota Makassar". */
  SERVICE_NAME: z.string().trim().min(1).max(120).default("Pusat Ketenagakerjaan Inklusif"),
  /** From BotFather; enables the Telegram channel. */
  TELEGRAM_BOT_TOKEN: z
    .string()
    .trim()
    .regex(/^\d+:[\w-]{20,}$/, "must look like 123456:ABC-DEF... (from BotFather)")
    .optional(),
  /** Another Bot API server (self-hosted telegram-bot-api, or a test server). */
  TELEGRAM_API_ROOT: url(["http:", "https:"]).default("https://api.telegram.org"),
  /** Public HTTPS URL of /telegram/webhook; set → webhook mode, unset → long polling. */
  TELEGRAM_WEBHOOK_URL: url(["https:"]).optional(),
  /** Secret Telegram sends with each webhook call; default derived from the bot token. */
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{16,256}$/, "must be 16-256 letters, digits, _ or -")
    .optional(),
  /** Chat (a staff group or a person) that gets a short notice for each new handoff. */
  TELEGRAM_STAFF_CHAT_ID: z
    .string()
    .regex(/^-?\d{1,20}$/, "must be a Telegram chat id (a number)")
    .optional(),
  /** Messages per second to all chats together (Telegram allows about 30). */
  TELEGRAM_RATE_PER_SECOND: int(1, 30).default(25),
  /** Least time between two messages to the same chat, in ms. */
  TELEGRAM_CHAT_INTERVAL_MS: int(0, 60_000).default(1000),
  /** 32 random bytes (64 hex digits or base64) that encrypt the stored WhatsApp session; enables WhatsApp. */
  WHATSAPP_AUTH_KEY: z
    .string()
    .refine((v) => {
      try {
        parseAuthKey(v);
        return true;
      } catch {
        return false;
      }
    }, "must be 32 bytes: 64 hex digits or 44 base64 characters (openssl rand -hex 32)")
    .optional(),
  /** The service's WhatsApp number with country code (6281234567890): pair by code instead of QR. */
  WHATSAPP_PAIRING_NUMBER: internationalNumber(
    "must be the number with its country code, like 6281234567890",
  ).optional(),
  /** Name of the stored WhatsApp session (one per number). */
  WHATSAPP_SESSION: z
    .string()
    .regex(/^[a-zA-Z0-9_-]{1,64}$/, "may only contain letters, digits, - and _")
    .default("default"),
  /** Messages a minute from the number, all together (WhatsApp bans numbers that send like bots). */
  WHATSAPP_PER_MINUTE: int(1, 60).default(12),
  /** Of those, proactive messages (pushes, reminders, announcements): the kind bans follow. */
  WHATSAPP_PROACTIVE_PER_MINUTE: int(1, 60).default(4),
  /** Proactive messages (pushes, reminders, announcements) in any 24 hours from the number. */
  WHATSAPP_PROACTIVE_PER_DAY: int(1, 10_000).default(150),
  /** Random pause before each WhatsApp message, in ms, "low-high". */
  WHATSAPP_JITTER_MS: z
    .string()
    .regex(/^\s*\d{1,6}\s*-\s*\d{1,6}\s*$/, 'must look like "1500-4000"')
    .refine((v) => {
      const [low, high] = v.split("-").map((n) => Number(n.trim()));
      return low! <= high!;
    }, "the first number must not be larger than the second")
    .refine(
      (v) => Number(v.split("-")[1]!.trim()) <= 15_000,
      "must not be longer than 15000 ms (a send holds its message meanwhile)",
    )
    .default("1500-4000"),
});

export const ROLE_NAMES = ["gateway", "worker", "web"] as const;
export type Role = (typeof ROLE_NAMES)[number];

export interface Env {
  nodeEnv: "development" | "production" | "test";
  port: number;
  host: string;
  /**
   * Who may scrape `/metrics`: `onMainPort` (PORT answers it: outside
   * production, or in production with a token), `port` (its own loopback
   * listener), `token` (bearer, on whichever serves it).
   */
  metrics: { onMainPort: boolean; port?: number; token?: string };
  logLevel: string;
  logFormat: "pretty" | "json";
  databaseUrl?: string;
  dataDir: string;
  /** REDIS_URL, when set. */
  redisUrl?: string;
  redisLocalAddress: string;
  /** Explicit QUEUE_PREFIX; unset: the database's own (`Services.prefix`). */
  queuePrefix?: string;
  roles: Role[];
  inboundConcurrency: number;
  shutdownTimeoutMs: number;
  relayIntervalMs: number;
  retentionDays: number;
  messageTextDays: number;
  serviceName: string;
  staffSessionHours: number;
  /**
   * Fastify's trustProxy: whom to believe about the client's address. `true`
   * (anyone) only outside production; there, the proxies' addresses or ranges.
   */
  trustProxy: boolean | string[];
  vacancyPush: PushSettings;
  /** Broadcast recipients written per transaction. */
  broadcastChunk: number;
  reminders: ReminderSettings;
  telegram?: TelegramConfig;
  whatsapp?: WhatsAppConfig;
}

/** The WhatsApp settings, as the channel declares them. */
export type WhatsAppConfig = WhatsAppSettings;

/** The Telegram settings, as the channel declares them. */
export type TelegramConfig = TelegramSettings;

/** Thrown for a wrong configuration value; its message is one line naming the variable. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

export function parseRoles(value: string, variable = "ROLES"): Role[] {
  const roles = value
    .split(",")
    .map((r) => r.trim())
    .filter(Boolean);
  const unknown = roles.filter((r) => !(ROLE_NAMES as readonly string[]).includes(r));
  if (roles.length === 0 || unknown.length > 0) {
    throw new ConfigError(
      `${variable}: unknown role "${unknown.join(",") || value}"; use one or more of ${ROLE_NAMES.join(", ")}`,
    );
  }
  return [...new Set(roles)] as Role[];
}

/** Reads and validates the configuration. Empty strings count as unset. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const raw = Object.fromEntries(
    Object.keys(schema.shape).flatMap((key) => {
      const value = source[key];
      return value === undefined || value === "" ? [] : [[key, value]];
    }),
  );
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = String(issue.path[0] ?? "configuration");
    const got = raw[variable];
    const secret = [
      "DATABASE_URL",
      "METRICS_TOKEN",
      "REDIS_URL",
      "TELEGRAM_BOT_TOKEN",
      "TELEGRAM_WEBHOOK_SECRET",
      "WHATSAPP_AUTH_KEY",
    ];
    const shown = secret.includes(variable) ? "" : ` (got "${got}")`;
    throw new ConfigError(`${variable} ${issue.message}${got === undefined ? "" : shown}`);
  }
  const e = parsed.data;
  if (e.METRICS_PORT !== undefined && e.METRICS_PORT === e.PORT)
    throw new ConfigError(
      `METRICS_PORT must differ from PORT (both ${e.PORT}): it is a listener of its own`,
    );
  if (e.TRUST_PROXY === "true" && e.NODE_ENV === "production")
    throw new ConfigError(
      "TRUST_PROXY=true lets any client choose its address with X-Forwarded-For (and so dodge the sign-in and token limits); in production set the proxy's own addresses instead, e.g. TRUST_PROXY=127.0.0.1 for a proxy on this machine or TRUST_PROXY=10.0.0.0/8,172.16.0.0/12 for a private network",
    );
  return {
    nodeEnv: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    metrics: {
      // Production's main port faces the network: /metrics there only behind a token.
      onMainPort:
        e.METRICS_PORT === undefined &&
        (e.NODE_ENV !== "production" || e.METRICS_TOKEN !== undefined),
      ...(e.METRICS_PORT !== undefined ? { port: e.METRICS_PORT } : {}),
      ...(e.METRICS_TOKEN !== undefined ? { token: e.METRICS_TOKEN } : {}),
    },
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT ?? (e.NODE_ENV === "production" ? "json" : "pretty"),
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    redisUrl: e.REDIS_URL,
    redisLocalAddress: e.REDIS_LOCAL_ADDRESS,
    queuePrefix: e.QUEUE_PREFIX,
    roles: parseRoles(e.ROLES),
    inboundConcurrency: e.INBOUND_CONCURRENCY,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    relayIntervalMs: e.RELAY_INTERVAL_MS,
    retentionDays: e.RETENTION_DAYS,
    messageTextDays: e.MESSAGE_TEXT_DAYS,
    serviceName: e.SERVICE_NAME,
    staffSessionHours: e.STAFF_SESSION_HOURS,
    trustProxy:
      e.TRUST_PROXY === "false"
        ? false
        : e.TRUST_PROXY === "true"
          ? true
          : e.TRUST_PROXY.split(",").map((a) => a.trim()),
    reminders: {
      offsets: [
        ...new Set(
          e.REMINDER_OFFSETS_MINUTES.split(",")
            .map((m) => Number(m.trim()))
            .filter((m) => m > 0),
        ),
      ].sort((a, b) => b - a),
    },
    broadcastChunk: e.BROADCAST_CHUNK,
    vacancyPush: {
      cap: e.VACANCY_PUSH_CAP,
      windowDays: e.VACANCY_PUSH_WINDOW_DAYS,
      chunk: e.VACANCY_PUSH_CHUNK,
      quiet: parseQuietHours(e.QUIET_HOURS)!,
    },
    ...(e.TELEGRAM_BOT_TOKEN
      ? {
          telegram: {
            token: e.TELEGRAM_BOT_TOKEN,
            apiRoot: e.TELEGRAM_API_ROOT,
            webhookUrl: e.TELEGRAM_WEBHOOK_URL,
            webhookSecret:
              e.TELEGRAM_WEBHOOK_SECRET ??
              createHash("sha256").update(`webhook:${e.TELEGRAM_BOT_TOKEN}`).digest("hex"),
            staffChatId: e.TELEGRAM_STAFF_CHAT_ID,
            perSecond: e.TELEGRAM_RATE_PER_SECOND,
            chatIntervalMs: e.TELEGRAM_CHAT_INTERVAL_MS,
          },
        }
      : {}),
    ...(e.WHATSAPP_AUTH_KEY
      ? {
          whatsapp: {
            authKey: parseAuthKey(e.WHATSAPP_AUTH_KEY),
            session: e.WHATSAPP_SESSION,
            pairingNumber: e.WHATSAPP_PAIRING_NUMBER,
            perMinute: e.WHATSAPP_PER_MINUTE,
            proactivePerMinute: e.WHATSAPP_PROACTIVE_PER_MINUTE,
            proactivePerDay: e.WHATSAPP_PROACTIVE_PER_DAY,
            jitterMs: e.WHATSAPP_JITTER_MS.split("-").map((n) => Number(n.trim())) as [
              number,
              number,
            ],
          },
        }
      : {}),
  };
}
