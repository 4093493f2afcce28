/**
 * `npm run chat [-- --user <id>]`: chat with the bot in a terminal as a job
 * seeker, through the real runner, engine, database and queue. Reads lines
 * from standard input and prints replies to standard output, so it works
 * typed and piped; when input ends it waits for the replies, then exits.
 */
import { createInterface } from "node:readline";
import { openServices } from "../boot.ts";
import { ConsoleAdapter, consoleInboxKey } from "../channels/console/adapter.ts";
import type { InboundMessage } from "../domain/messages.ts";
import { ConfigError, type Env, loadEnv } from "../env.ts";
import { createRedis } from "../jobs/redis.ts";
import { startWorkers } from "../jobs/workers/index.ts";
import { sleep } from "../lib/clock.ts";
import { createLogger, type Logger } from "../lib/logger.ts";
import { type Received, receive } from "../runner/receive.ts";
import { repliesSettled } from "../runner/settled.ts";
import {
  forwardReceive,
  forwardSettled,
  type RunningService,
  runningService,
} from "./local-service.ts";
import { runProgram } from "./program.ts";

function argValue(name: string): string | undefined {
  const args = process.argv.slice(2);
  const i = args.findIndex((a) => a === name || a.startsWith(`${name}=`));
  if (i < 0) return undefined;
  return args[i]!.includes("=") ? args[i]!.split("=").slice(1).join("=") : args[i + 1];
}

async function main() {
  const env = loadEnv();
  const user = argValue("--user") ?? "local";
  if (!/^[\w.-]{1,64}$/.test(user)) throw new ConfigError("--user: use letters, digits, . _ or -");
  // Logs go to standard error, quietly: standard output is the conversation.
  const log = createLogger({
    level: env.logLevel === "info" ? "warn" : env.logLevel,
    format: env.logFormat,
    destination: 2,
  });
  // Beside a service running on the embedded database: it stores and answers the messages.
  const service = env.databaseUrl ? undefined : await runningService(env.dataDir);
  const session = service ? forwarded(service) : await ownSession(env, log);
  const printer = startPrinter(session.redisUrl, consoleInboxKey(session.prefix, user));
  const interactive = process.stdin.isTTY === true;
  const id = `${process.pid}-${Date.now()}`;
  let count = 0;
  const sent: string[] = [];
  // A line before the first answer is read, so a person (or a screen reader) knows it is
  // ready: also when the terminal is not seen as one (a screen reader's console, an editor's
  // shell). On standard error: standard output is the conversation.
  process.stderr.write(
    `Ready: type a message and press Enter${interactive ? "; Ctrl-D to leave" : ""}.\n`,
  );

  const lines = createInterface({ input: process.stdin, terminal: false });
  for await (const line of lines) {
    count += 1;
    const stored = await session.receive({
      channel: "console",
      externalUserId: user,
      externalMessageId: `${user}-${id}-${count}`,
      text: line,
      receivedAt: new Date(),
    });
    sent.push(stored.inboundId);
    if (interactive) await waitForReplies(session, [stored.inboundId]);
  }
  await waitForReplies(session, sent);
  await printer.stop();
  await session.close();
}

/** Where the chat's messages go and how it knows they are answered. */
interface ChatSession {
  redisUrl: string;
  prefix: string;
  receive(message: InboundMessage): Promise<Received>;
  settled(inboundIds: string[]): Promise<boolean>;
  close(): Promise<void>;
}

function forwarded(service: RunningService): ChatSession {
  return {
    redisUrl: service.redisUrl,
    prefix: service.prefix,
    receive: (message) => forwardReceive(service, message),
    settled: (ids) => forwardSettled(service, ids),
    close: async () => undefined,
  };
}

/** No service running on this database: the chat runs the path itself. */
async function ownSession(env: Env, log: Logger): Promise<ChatSession> {
  const services = await openServices(env, log);
  const workers = await startWorkers({
    deps: services.deps,
    connection: services.redis,
    prefix: services.prefix,
    inboundConcurrency: env.inboundConcurrency,
    channels: [{ adapter: new ConsoleAdapter(services.redis, services.prefix) }],
    relayIntervalMs: 0,
  });
  return {
    redisUrl: services.redisTarget.url,
    prefix: services.prefix,
    receive: (message) => receive(services.deps, message),
    settled: (ids) => repliesSettled(services.db.prisma, ids),
    async close() {
      await workers.close(5000);
      await services.close();
    },
  };
}

/** Resolves once these messages are processed and every reply to them is out. */
async function waitForReplies(session: ChatSession, inboundIds: string[], timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await session.settled(inboundIds)) {
      // Sent means pushed to the list; give the printer a moment to print it.
      await sleep(100);
      return;
    }
    await sleep(25);
  }
  throw new Error("No reply within 30 seconds: is a worker failing? Run with LOG_LEVEL=debug.");
}

/** Prints what the console channel delivers to this user, as it arrives. */
function startPrinter(redisUrl: string, key: string) {
  const redis = createRedis(redisUrl);
  let running = true;
  const loop = (async () => {
    while (running) {
      const item = await redis.blpop(key, 0.2);
      if (!item) continue;
      const { message } = JSON.parse(item[1]) as { message: { text: string } };
      process.stdout.write(`${message.text}\n\n`);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      // Print anything still in the list before leaving.
      for (let item = await redis.lpop(key); item; item = await redis.lpop(key)) {
        process.stdout.write(
          `${(JSON.parse(item) as { message: { text: string } }).message.text}\n\n`,
        );
      }
      redis.disconnect();
    },
  };
}

runProgram("chat", main);
