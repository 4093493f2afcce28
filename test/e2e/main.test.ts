import { execFileSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../helpers/db.ts";
import { waitFor } from "../helpers/fake-channel.ts";
import { freePort, npmStart, runEntry } from "../helpers/process.ts";
import { testPrefix } from "../helpers/redis.ts";

let database: Awaited<ReturnType<typeof createTestDatabase>>;
const redis = testPrefix();
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
  await redis.cleanup();
});

async function waitReady(port: number, timeoutMs = 30_000): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`);
      if (res.status === 200) return Date.now() - started;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("not ready in time");
}

describe("the service process", () => {
  it("starts all roles on PostgreSQL, answers /readyz, serves /metrics on METRICS_PORT, and stops cleanly on SIGTERM", async () => {
    const port = await freePort();
    const metricsPort = await freePort();
    const token = "t".repeat(32);
    const app = runEntry("src/main.ts", [], {
      DATABASE_URL: database.url,
      PORT: String(port),
      QUEUE_PREFIX: redis.prefix,
      LOG_FORMAT: "json",
      METRICS_PORT: String(metricsPort),
      METRICS_TOKEN: token,
    });
    await waitReady(port);
    // Not on the main port; on its own loopback listener, with the token.
    expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(404);
    const scrape = `http://127.0.0.1:${metricsPort}/metrics`;
    expect((await fetch(scrape)).status).toBe(401);
    const metrics = await (
      await fetch(scrape, { headers: { authorization: `Bearer ${token}` } })
    ).text();
    expect(metrics).toContain('ijc_queue_jobs{queue="inbound",state="waiting"}');
    app.child.kill("SIGTERM");
    const { code } = await app.exited;
    expect(code).toBe(0);
    expect(app.output()).toContain('"msg":"stopped"');
  });

  it("runs the real WhatsApp socket: without a network it keeps trying with backoff, never crashes, and stops cleanly", async () => {
    const port = await freePort();
    const key = "5a".repeat(32);
    const app = runEntry("src/main.ts", [], {
      DATABASE_URL: database.url,
      PORT: String(port),
      QUEUE_PREFIX: `${redis.prefix}-wa`,
      LOG_FORMAT: "json",
      WHATSAPP_AUTH_KEY: key,
    });
    await waitReady(port);
    // This machine cannot reach WhatsApp: Baileys' socket fails and the gateway tries again.
    const states = new Set<string>();
    const started = Date.now();
    while (!states.has("reconnecting") && Date.now() - started < 30_000) {
      const ready = (await (await fetch(`http://127.0.0.1:${port}/readyz`)).json()) as {
        whatsapp: { state: string };
      };
      states.add(ready.whatsapp.state);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(states.has("reconnecting"), [...states].join(",")).toBe(true);
    expect([...states].every((s) => ["connecting", "reconnecting"].includes(s))).toBe(true);
    app.child.kill("SIGTERM");
    const { code } = await app.exited;
    expect(code).toBe(0);
    expect(app.output()).toContain('"msg":"whatsapp: holding the number"');
    expect(app.output()).not.toContain(key);
  });

  it("runs a subset of roles with --roles", async () => {
    const port = await freePort();
    const app = runEntry("src/main.ts", ["--roles", "web"], {
      DATABASE_URL: database.url,
      PORT: String(port),
      QUEUE_PREFIX: redis.prefix,
      LOG_FORMAT: "json",
    });
    await waitReady(port);
    expect(app.output()).toContain('"roles":["web"]');
    app.child.kill("SIGINT");
    expect((await app.exited).code).toBe(0);
  });

  it("exits non-zero and says how to start Redis when none answers", async () => {
    const app = runEntry("src/main.ts", [], {
      DATABASE_URL: database.url,
      REDIS_URL: "redis://127.0.0.1:1",
      LOG_LEVEL: "silent",
    });
    const { code } = await app.exited;
    expect(code).toBe(1);
    expect(app.output()).toContain("Redis is not reachable at redis://127.0.0.1:1");
    expect(app.output()).toContain("redis-server");
  });

  it("stops at start with one line naming a wrong variable", async () => {
    const app = runEntry("src/main.ts", [], { PORT: "abc" });
    const { code } = await app.exited;
    expect(code).toBe(78);
    expect(app.output().trim()).toBe(
      'Configuration error: PORT must be a whole number (got "abc")',
    );
  });
});

describe("npm start, stopped as supervisors stop it", () => {
  /** `npm start` on a new embedded database, in its own process group, once ready. */
  async function startedNpm(dataDir: string, port: number) {
    const started = npmStart({
      DATA_DIR: dataDir,
      PORT: String(port),
      QUEUE_PREFIX: `${redis.prefix}-npm-${port}`,
      LOG_LEVEL: "info",
    });
    await waitReady(port, 120_000);
    return started;
  }

  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };

  it("Ctrl-C (SIGINT to npm and the service at once) is one request: a clean stop", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "ijc-npm-"));
    try {
      const port = await freePort();
      const started = await startedNpm(dataDir, port);
      process.kill(-started.child.pid!, "SIGINT");
      await waitFor(() => started.output().includes('"msg":"stopped"'), 30_000, "a clean stop");
      expect(started.output()).not.toContain("second signal");
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 240_000);

  for (const signal of ["SIGTERM", "SIGKILL"] as const) {
    it(`${signal} to npm leaves no process, frees the port and the database`, async () => {
      const dataDir = await mkdtemp(join(tmpdir(), "ijc-npm-"));
      try {
        const port = await freePort();
        const { child } = await startedNpm(dataDir, port);
        const group = child.pid!;
        // Every process npm started (node; and a shell where there is one).
        const pids = execFileSync("pgrep", ["-g", String(group)], { encoding: "utf8" })
          .trim()
          .split("\n")
          .map(Number)
          .filter((p) => p !== group);
        expect(pids.length).toBeGreaterThan(0);
        process.kill(group, signal);
        await waitFor(() => pids.every((p) => !alive(p)), 30_000, "every process to stop");
        // The port and the embedded database are free: a new start works.
        const again = await startedNpm(dataDir, port);
        process.kill(-again.child.pid!, "SIGINT");
        await waitFor(() => !alive(again.child.pid!), 30_000, "the second start to stop");
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    }, 240_000);
  }
});
