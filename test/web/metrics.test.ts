/**
 * Who may read /metrics: a bearer token (METRICS_TOKEN) on whichever listener
 * serves it, or a listener of its own on loopback (METRICS_PORT) with none on
 * the main port.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, loadEnv } from "../../src/env.ts";
import { createMetricsServer } from "../../src/web/metrics.ts";
import { createWebServer } from "../../src/web/server.ts";
import { createHarness, type Harness } from "../helpers/harness.ts";

const TOKEN = "m".repeat(40);
const QUEUE_LINE = 'ijc_queue_jobs{queue="inbound",state="waiting"}';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h.close();
});

const web = (metrics?: { onMainPort?: boolean; token?: string }) =>
  createWebServer({
    prisma: h.prisma,
    redis: h.redis,
    queues: h.queues,
    log: h.deps.log,
    ...(metrics ? { metrics } : {}),
  });

describe("/metrics with METRICS_TOKEN", () => {
  it("answers only a request with the bearer token", async () => {
    const app = web({ token: TOKEN });
    try {
      for (const authorization of [
        undefined,
        "",
        `Bearer ${"x".repeat(40)}`,
        `Bearer ${TOKEN.slice(1)}`,
        `Bearer ${TOKEN}x`,
        `Basic ${TOKEN}`,
        // Same length in characters, different in bytes: refused, not a 500.
        `Bearer é${TOKEN.slice(1)}`,
      ]) {
        const res = await app.inject({
          url: "/metrics",
          headers: authorization === undefined ? {} : { authorization },
        });
        expect(res.statusCode, authorization).toBe(401);
        expect(res.headers["www-authenticate"]).toBe('Bearer realm="metrics"');
        expect(res.json().error.code).toBe("unauthorized");
        expect(res.body).not.toContain("ijc_");
      }
      const ok = await app.inject({
        url: "/metrics",
        headers: { authorization: `bearer ${TOKEN}` },
      });
      expect(ok.statusCode).toBe(200);
      expect(ok.headers["content-type"]).toContain("text/plain");
      expect(ok.body).toContain(QUEUE_LINE);
    } finally {
      await app.close();
    }
  });
});

describe("/metrics with METRICS_PORT", () => {
  it("is not on the main port; its own listener on 127.0.0.1 serves /metrics alone", async () => {
    const app = web({ onMainPort: false });
    const metrics = createMetricsServer({ queues: h.queues, log: h.deps.log });
    try {
      const main = await app.inject("/metrics");
      expect(main.statusCode).toBe(404);
      expect(main.json().error.code).toBe("not_found");
      // The rest of the main server is unchanged.
      expect((await app.inject("/healthz")).statusCode).toBe(200);

      await metrics.listen({ port: 0, host: "127.0.0.1" });
      const address = metrics.server.address();
      expect(address).toMatchObject({ address: "127.0.0.1" });
      const base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
      const res = await fetch(`${base}/metrics`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain(QUEUE_LINE);
      for (const path of ["/healthz", "/readyz", "/api/v1/audit", "/console"]) {
        expect((await fetch(`${base}${path}`)).status, path).toBe(404);
      }
    } finally {
      await app.close();
      await metrics.close();
    }
  });

  it("asks its listener for the token too when both are set", async () => {
    const metrics = createMetricsServer({ queues: h.queues, log: h.deps.log, token: TOKEN });
    try {
      expect((await metrics.inject("/metrics")).statusCode).toBe(401);
      const ok = await metrics.inject({
        url: "/metrics",
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(ok.statusCode).toBe(200);
      expect(ok.body).toContain(QUEUE_LINE);
    } finally {
      await metrics.close();
    }
  });
});

describe("the default", () => {
  it("serves /metrics openly outside production, and in production only when configured", async () => {
    expect(loadEnv({}).metrics).toEqual({ onMainPort: true });
    expect(loadEnv({ NODE_ENV: "production" }).metrics).toEqual({ onMainPort: false });
    expect(loadEnv({ NODE_ENV: "production", METRICS_TOKEN: TOKEN }).metrics).toEqual({
      onMainPort: true,
      token: TOKEN,
    });
    expect(loadEnv({ NODE_ENV: "production", METRICS_PORT: "9464" }).metrics).toEqual({
      onMainPort: false,
      port: 9464,
    });
    // The default of a server built without settings (tests, tools): served, no token.
    const app = web();
    try {
      expect((await app.inject("/metrics")).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });

  it("refuses a short token without echoing it, and a metrics port that is PORT", () => {
    const error = (env: Record<string, string>) => {
      try {
        loadEnv(env);
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        return (e as Error).message;
      }
      throw new Error("expected a ConfigError");
    };
    const short = error({ METRICS_TOKEN: "geheim-geheim" });
    expect(short).toMatch(/^METRICS_TOKEN must be at least 32 characters/);
    expect(short).not.toContain("geheim");
    expect(error({ METRICS_TOKEN: `${TOKEN} x` })).toMatch(/^METRICS_TOKEN must be printable/);
    expect(error({ PORT: "8080", METRICS_PORT: "8080" })).toMatch(
      /^METRICS_PORT must differ from PORT/,
    );
  });
});
