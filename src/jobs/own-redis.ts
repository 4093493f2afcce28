/**
 * Redis without setup. With REDIS_URL unset: a Redis on the local address
 * (127.0.0.1:6379) if one answers; else the one another local process
 * started in the data folder; else this process starts its own
 * `redis-server` as a child: on a unix socket in the data folder (nothing
 * listens on the network), its data and append-only file there too, stopped
 * with the process and started again if it dies. An explicit REDIS_URL
 * always wins.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { accessSync, constants, existsSync } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { delimiter, join, resolve } from "node:path";
import { sleep } from "../lib/clock.ts";
import { AppError } from "../lib/errors.ts";
import type { Logger } from "../lib/logger.ts";
import { assertRedisReachable } from "./redis.ts";

export interface RedisTarget {
  /** A redis:// URL, or the path of a unix socket. */
  url: string;
  /** Where it came from, for the start banner. */
  source: "configured" | "local" | "data folder" | "own";
  /** Stops the Redis this process started (nothing for the others). */
  stop(): Promise<void>;
}

export interface ResolveRedisOptions {
  /** REDIS_URL, when set. */
  url?: string;
  /** Where to look for a running Redis first (REDIS_LOCAL_ADDRESS). */
  localAddress: string;
  dataDir: string;
  log?: Logger;
}

const nothing = async () => undefined;

export async function resolveRedis(opts: ResolveRedisOptions): Promise<RedisTarget> {
  if (opts.url) return { url: opts.url, source: "configured", stop: nothing };
  const local = `redis://${opts.localAddress}`;
  if (await answers(local)) return { url: local, source: "local", stop: nothing };
  const folder = join(resolve(opts.dataDir), "redis");
  const socket = join(folder, "redis.sock");
  if (existsSync(socket) && (await answers(socket))) {
    return { url: socket, source: "data folder", stop: nothing };
  }
  const binary = findOnPath("redis-server");
  if (!binary) {
    throw new AppError(
      "redis_unavailable",
      `No Redis answers at ${opts.localAddress} and no redis-server is installed to start one. ` +
        "Install Redis (Debian/Ubuntu: sudo apt install redis-server; macOS: brew install redis; " +
        "or docker run -d -p 127.0.0.1:6379:6379 redis:7), or set REDIS_URL to a running Redis.",
    );
  }
  return startOwn(binary, folder, socket, opts.log);
}

async function answers(url: string): Promise<boolean> {
  try {
    await assertRedisReachable(url, 500);
    return true;
  } catch {
    return false;
  }
}

function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here.
    }
  }
  return undefined;
}

/** Restarts of a Redis that keeps dying before this process gives up on it. */
const MAX_RESTARTS = 5;

async function startOwn(
  binary: string,
  folder: string,
  socket: string,
  log: Logger | undefined,
): Promise<RedisTarget> {
  await mkdir(folder, { recursive: true, mode: 0o700 });
  let child: ChildProcess | undefined;
  let stopping = false;
  let restarts = 0;
  const launch = async () => {
    // A socket file left by a Redis that was killed would make the new one fail to bind.
    await rm(socket, { force: true });
    const started = spawn(
      binary,
      [
        "--port",
        "0",
        "--unixsocket",
        socket,
        "--unixsocketperm",
        "700",
        "--dir",
        folder,
        "--appendonly",
        "yes",
        "--save",
        "",
        "--hz",
        "100",
        "--maxmemory-policy",
        "noeviction",
        "--daemonize",
        "no",
        "--loglevel",
        "warning",
      ],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    child = started;
    started.stderr?.on("data", () => undefined);
    started.once("exit", (code, signal) => {
      if (stopping) return;
      restarts += 1;
      log?.warn({ code, signal, restarts }, "own redis-server stopped; starting it again");
      if (restarts > MAX_RESTARTS) {
        log?.error("own redis-server keeps stopping: giving up (see its data folder)");
        return;
      }
      void sleep(500 * restarts).then(launch);
    });
    const deadline = Date.now() + 15_000;
    while (!(await answers(socket))) {
      if (started.exitCode !== null || Date.now() > deadline) {
        throw new AppError(
          "redis_unavailable",
          `could not start redis-server (${binary}) in ${folder}; set REDIS_URL to a running Redis`,
        );
      }
      await sleep(50);
    }
  };
  await launch();
  log?.info({ socket }, "started own redis-server (data in the data folder)");
  return {
    url: socket,
    source: "own",
    async stop() {
      stopping = true;
      const running = child;
      if (!running || running.exitCode !== null) return;
      const exited = new Promise((r) => running.once("exit", r));
      running.kill("SIGTERM"); // Redis saves its append-only file and exits.
      const timer = setTimeout(() => running.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
