/**
 * `npm run bench:startup`: how long the service takes to answer /readyz and
 * how much memory it holds once idle, as a user starts it:
 *
 * - the compiled build on PostgreSQL (`node <NODE_FLAGS> dist/src/main.js` as `npm run start:prod`
 *   and the Dockerfile run it; run `npm run build` first),
 * - `npm start` on the embedded database, first start (creates it) and second start.
 *
 * Memory is the resident set of every process the command runs (npm, tsx and
 * node for `npm start`), read from /proc after the service has been idle.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { createRedis } from "../src/jobs/redis.ts";
import { NODE_FLAGS } from "../src/lib/node-flags.ts";
import { freePort, ROOT } from "../test/helpers/process.ts";
import { benchDatabase, REDIS_URL } from "./setup.ts";

const IDLE_MS = Number(process.env.BENCH_IDLE_MS ?? 5000);
/**
 * A second reading, once V8's memory reducer has run (about 10 s after the process went
 * idle it collects start-up's garbage and shrinks the heap): the memory the service keeps.
 */
const SETTLED_MS = Number(process.env.BENCH_SETTLED_MS ?? 15000);

interface Start {
  what: string;
  readyMs: number;
  idleRssMiB: number;
  settledRssMiB: number;
  processes: number;
}

/** Pids of a process and all its descendants (Linux /proc). */
function tree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // Gone meanwhile.
    }
  }
  const all: number[] = [];
  const visit = (p: number) => {
    all.push(p);
    for (const c of children.get(p) ?? []) visit(c);
  };
  visit(pid);
  return all;
}

function rssKiB(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

async function start(what: string, cmd: string, args: string[], env: Record<string, string>) {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn(cmd, args, {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "warn" },
    stdio: ["ignore", "ignore", "pipe"],
    // Its own process group, stopped as a terminal's Ctrl-C stops it.
    detached: true,
  });
  let stderr = "";
  child.stderr!.on("data", (d) => {
    stderr += d;
  });
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${what} exited: ${stderr.slice(-800)}`);
    if (Date.now() > deadline) throw new Error(`${what} not ready in 120 s`);
    const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  const readyMs = performance.now() - t0;
  await new Promise((r) => setTimeout(r, IDLE_MS));
  const pids = tree(child.pid!);
  const rss = () => pids.reduce((sum, p) => sum + rssKiB(p), 0) / 1024;
  const idleRssMiB = rss();
  await new Promise((r) => setTimeout(r, Math.max(0, SETTLED_MS - IDLE_MS)));
  const settledRssMiB = rss();
  await stop(child, pids);
  return { what, readyMs, idleRssMiB, settledRssMiB, processes: pids.length } satisfies Start;
}

/** Ctrl-C to the whole group, then waits until every process of it is gone. */
async function stop(child: ChildProcess, pids: number[]): Promise<void> {
  process.kill(-child.pid!, "SIGINT");
  const alive = () => pids.filter((p) => existsSync(`/proc/${p}`));
  const deadline = Date.now() + 20_000;
  while (alive().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  for (const p of alive()) process.kill(p, "SIGKILL");
}

/** The queues the started services left in Redis (both starts' prefixes). */
async function deleteKeys(pattern: string): Promise<void> {
  const redis = createRedis(REDIS_URL);
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 1000);
    cursor = next;
    if (keys.length) await redis.del(...keys);
  } while (cursor !== "0");
  redis.disconnect();
}

async function main() {
  const results: Start[] = [];
  const prefix = `bench-start-${process.pid}`;
  if (existsSync(join(ROOT, "dist/src/main.js"))) {
    const bench = await benchDatabase(pino({ level: "silent" }));
    try {
      const env = { DATABASE_URL: bench.url, REDIS_URL, QUEUE_PREFIX: prefix };
      for (const run of ["first", "second"]) {
        results.push(
          await start(
            `compiled, PostgreSQL (${run} start)`,
            process.execPath,
            // As `npm run start:prod` and the Dockerfile run it.
            [...NODE_FLAGS, "dist/src/main.js"],
            env,
          ),
        );
      }
    } finally {
      await bench.cleanup();
    }
  } else {
    console.error("bench:startup: no dist/ (run `npm run build` first): compiled start skipped");
  }
  const dataDir = await mkdtemp(join(tmpdir(), "ijc-start-"));
  try {
    const env = { DATA_DIR: dataDir, REDIS_URL, QUEUE_PREFIX: `${prefix}-e` };
    for (const run of ["first start, creates the database", "second start"]) {
      results.push(await start(`npm start, embedded (${run})`, "npm", ["start", "--silent"], env));
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
    await deleteKeys(`${prefix}*`);
  }
  console.log(
    `bench:startup  (memory read after ${IDLE_MS / 1000} s idle, and after ${SETTLED_MS / 1000} s)`,
  );
  for (const r of results) {
    console.log(
      `  ${r.what.padEnd(52)} ready ${(r.readyMs / 1000).toFixed(2)} s   idle RSS ${r.idleRssMiB.toFixed(0)} MiB (${r.settledRssMiB.toFixed(0)} MiB later) in ${r.processes} process${r.processes === 1 ? "" : "es"}`,
    );
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
