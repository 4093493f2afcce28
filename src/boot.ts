import type { Redis } from "ioredis";
import type { WhatsAppWiring } from "./channels/whatsapp/index.ts";
import { type Database, openDatabase } from "./db/client.ts";
import { storedQueuePrefix } from "./db/instance.ts";
import { applyMigrations } from "./db/migrate.ts";
import type { TelegramPort, WhatsAppPort } from "./domain/channel-ports.ts";
import type { Env } from "./env.ts";
import { StaffChatRouter } from "./features/staff/chat-router.ts";
import { type RedisTarget, resolveRedis } from "./jobs/own-redis.ts";
import { Queues } from "./jobs/queues.ts";
import { assertRedisReachable, createRedis } from "./jobs/redis.ts";
import { systemClock } from "./lib/clock.ts";
import type { Logger } from "./lib/logger.ts";
import { releaseHeld, sendRefused, sentWhatsAppText } from "./outbox/whatsapp.ts";
import type { RunnerDeps } from "./runner/deps.ts";
import { receive } from "./runner/receive.ts";

/** The connections every role shares. */
export interface Services {
  db: Database;
  redis: Redis;
  queues: Queues;
  /** The queue prefix in use: QUEUE_PREFIX, or the database's own. */
  prefix: string;
  /** The Redis in use: configured, found, or this process's own. */
  redisTarget: RedisTarget;
  deps: RunnerDeps<Queues>;
  close(): Promise<void>;
}

/**
 * Connects to Redis and the database (PostgreSQL, or the embedded one) and
 * applies pending migrations. Fails with a clear message when either store is
 * missing, before anything else starts.
 */
export async function openServices(env: Env, log: Logger): Promise<Services> {
  const redisTarget = await resolveRedis({
    url: env.redisUrl,
    localAddress: env.redisLocalAddress,
    dataDir: env.dataDir,
    log,
  });
  try {
    await assertRedisReachable(redisTarget.url);
  } catch (error) {
    await redisTarget.stop();
    throw error;
  }
  let db: Database;
  try {
    db = await openDatabase({ databaseUrl: env.databaseUrl, dataDir: env.dataDir, log });
  } catch (error) {
    await redisTarget.stop();
    throw error;
  }
  let prefix: string;
  try {
    await applyMigrations(db, { log });
    prefix = env.queuePrefix ?? (await storedQueuePrefix(db));
  } catch (error) {
    await db.close();
    await redisTarget.stop();
    throw error;
  }
  const redis = createRedis(redisTarget.url);
  redis.on("error", (error) => log.warn({ err: error.message }, "redis connection error"));
  const queues = new Queues(redis, prefix);
  const deps: RunnerDeps<Queues> = {
    prisma: db.prisma,
    sql: db.sql,
    queues,
    clock: systemClock,
    log,
    serviceName: env.serviceName,
    reminders: env.reminders,
    quietHours: env.vacancyPush.quiet,
  };
  return {
    db,
    redis,
    queues,
    prefix,
    redisTarget,
    deps,
    async close() {
      await queues.close();
      redis.disconnect();
      await db.close();
      await redisTarget.stop();
    },
  };
}

/**
 * What the Telegram gateway hands its updates to: private messages go to the
 * staff commands first (a linked staff member's), else to the runner.
 */
export function telegramPort(deps: RunnerDeps<Queues>): TelegramPort {
  const staff = new StaffChatRouter(deps);
  return {
    async receive(msg, from) {
      const replies = from ? await staff.private(msg.externalUserId, from, msg.text) : null;
      if (replies) return { kind: "answered", replies };
      return { kind: "stored", ...(await receive(deps, msg)) };
    },
    staffGroup: (chatId, from, text) => staff.group(chatId, from, text),
    async setReachable(externalUserId, reachable) {
      await deps.prisma.channelAccount.updateMany({
        where: { channel: "telegram", externalId: externalUserId },
        data: { reachable },
      });
    },
  };
}

/** What the WhatsApp gateway hands its results to: the runner, the outbox, staff alerts. */
export function whatsappPort(deps: RunnerDeps<Queues>): WhatsAppPort {
  return {
    receive: (msg) => receive(deps, msg),
    async moveAddress(from, to) {
      const accounts = deps.prisma.channelAccount;
      const known = await accounts.findUnique({
        where: { channel_externalId: { channel: "whatsapp", externalId: to } },
        select: { id: true },
      });
      if (known) return;
      await accounts.updateMany({
        where: { channel: "whatsapp", externalId: from },
        data: { externalId: to },
      });
    },
    sentText: (externalId) => sentWhatsAppText(deps.prisma, externalId),
    sendRefused: (externalId, code) => sendRefused(deps, externalId, code),
    releaseHeld: () => releaseHeld(deps),
    // Tells staff (the notify queue: the staff chat, if set up). One job per alert.
    async alert(whatsapp, detail) {
      deps.log.error({ channel: "whatsapp", alert: whatsapp }, "whatsapp: staff must act");
      await deps.queues
        .get("notify")
        .add(
          "notify",
          { whatsapp, ...(detail ? { detail } : {}) },
          { jobId: `whatsapp-${whatsapp}-${Date.now()}` },
        );
    },
  };
}

/** The WhatsApp channel's port, its session table, clock and log. */
export function whatsappWiring(deps: RunnerDeps<Queues>): WhatsAppWiring {
  return { port: whatsappPort(deps), authDb: deps.prisma, clock: deps.clock, log: deps.log };
}
