import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { TEST_REDIS_ADDRESS } from "./redis.ts";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface Spawned {
  child: ChildProcess;
  /** Standard output and standard error, interleaved as they arrived. */
  output(): string;
  /** Standard output alone. */
  stdout(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Without REDIS_URL or REDIS_LOCAL_ADDRESS, a started service looks for its
 * local Redis where the tests' Redis is (127.0.0.1:6379, or the run's own).
 */
function withTestRedis(env: Record<string, string>): Record<string, string> {
  if (env.REDIS_URL !== undefined || env.REDIS_LOCAL_ADDRESS !== undefined) return env;
  return { REDIS_LOCAL_ADDRESS: TEST_REDIS_ADDRESS, ...env };
}

/** Runs a project entry point with tsx, as `npm start` / `npm run chat` do. */
export function runEntry(
  entry: string,
  args: string[],
  env: Record<string, string>,
  input?: string,
): Spawned {
  const child = spawn(process.execPath, ["--import", "tsx", entry, ...args], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "/tmp",
      TZ: "Asia/Makassar",
      ...withTestRedis(env),
    },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let out = "";
  let stdout = "";
  child.stdout!.on("data", (d) => {
    out += d;
    stdout += d;
  });
  child.stderr!.on("data", (d) => {
    out += d;
  });
  if (input !== undefined) child.stdin!.end(input);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => out, stdout: () => stdout, exited };
}

/**
 * `npm start` as a user runs it, in its own process group (stop it with a
 * signal to `-child.pid`, as a terminal's Ctrl-C does), output collected.
 */
export function npmStart(env: Record<string, string>): Spawned {
  const child = spawn("npm", ["start", "--silent"], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "/tmp",
      TZ: "Asia/Makassar",
      HOST: "127.0.0.1",
      LOG_FORMAT: "json",
      ...withTestRedis(env),
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let out = "";
  let stdout = "";
  child.stdout!.on("data", (d) => {
    out += d;
    stdout += d;
  });
  child.stderr!.on("data", (d) => {
    out += d;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => out, stdout: () => stdout, exited };
}

export async function freePort(): Promise<number> {
  const { createServer } = await import("node:net");
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
