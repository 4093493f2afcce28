/**
 * `npm run chat [-- --user <id>]`: chat with the bot in a terminal as a job
 * seeker, through the real runner, engine, database and queue. Reads lines
 * from standard input and prints replies to standard output, so it works
 * typed and piped; when input ends it waits for the replies, then exits.
 */
import { createInterface } from "node:readline";
import { openServices, type Services } from "../../boot.ts";
import { ConfigError, loadEnv } from "../../env.ts";
import { createRedis } from "../../jobs/redis.ts";
import { startWorkers } from "../../jobs/workers/index.ts";
import { sleep } from "../../lib/clock.ts";
import { createLogger } from "../../lib/logger.ts";
import { receive } from "../../runner/receive.ts";
import { ConsoleAdapter, consoleInboxKey } from "./adapter.ts";

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
  const services = await openServices(env, log);
  const workers = await startWorkers({
    deps: services.deps,
    connection: services.redis,
    prefix: services.prefix,
    inboundConcurrency: env.inboundConcurrency,
    channels: [{ adapter: new ConsoleAdapter(services.redis, services.prefix) }],
    relayIntervalMs: 0,
  });
  const printer = startPrinter(services.redisTarget.url, consoleInboxKey(services.prefix, user));
  const interactive = process.stdin.isTTY === true;
  const session = `${process.pid}-${Date.now()}`;
  let count = 0;
  const sent: string[] = [];

  const lines = createInterface({ input: process.stdin, terminal: false });
  for await (const line of lines) {
    count += 1;
    const stored = await receive(services.deps, {
      channel: "console",
      externalUserId: user,
      externalMessageId: `${user}-${session}-${count}`,
      text: line,
      receivedAt: services.deps.clock.now(),
    });
    sent.push(stored.inboundId);
    if (interactive) await waitForReplies(services, [stored.inboundId]);
  }
  await waitForReplies(services, sent);
  await printer.stop();
  await workers.close(5000);
  await services.close();
}

/**
 * Resolves once these messages are processed and every reply to them is out
 * (rows that are gone count as done: after "hapus data" nothing is left).
 */
async function waitForReplies(services: Services, inboundIds: string[], timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  const { prisma } = services.db;
  while (Date.now() < deadline) {
    const unprocessed = await prisma.inboundMessage.count({
      where: { id: { in: inboundIds }, status: "received" },
    });
    const unsent =
      unprocessed > 0
        ? 1
        : await prisma.outbox.count({
            where: { inboundId: { in: inboundIds }, status: "pending" },
          });
    if (unprocessed === 0 && unsent === 0) {
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

main().then(
  () => process.exit(0),
  (error) => {
    console.error(
      error instanceof ConfigError
        ? `Configuration error: ${error.message}`
        : (error as Error).message,
    );
    process.exit(1);
  },
);
