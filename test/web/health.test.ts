import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createRedis } from "../../src/jobs/redis.ts";
import { createWebServer } from "../../src/web/server.ts";
import { createHarness, type Harness } from "../helpers/harness.ts";
import { TEST_REDIS_URL } from "../helpers/redis.ts";

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(async () => {
  await h.close();
});

describe("health endpoints", () => {
  it("answers /healthz, /readyz and /metrics", async () => {
    const app = createWebServer({
      prisma: h.prisma,
      redis: h.redis,
      queues: h.queues,
      log: h.deps.log,
    });
    expect((await app.inject("/healthz")).json()).toEqual({ status: "ok" });
    const ready = await app.inject("/readyz");
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({
      status: "ready",
      checks: { database: "ok", redis: "ok" },
    });
    await h.queues
      .get("inbound")
      .add("inbound", { personId: "p", inboundId: "i" }, { delay: 60_000 });
    const metrics = await app.inject("/metrics");
    expect(metrics.headers["content-type"]).toContain("text/plain");
    expect(metrics.body).toContain('ijc_queue_jobs{queue="inbound",state="delayed"} 1');
    await app.close();
  });

  it("says not ready, and which dependency is down, when Redis is gone", async () => {
    const redis = createRedis(TEST_REDIS_URL);
    redis.on("error", () => {});
    const app = createWebServer({ prisma: h.prisma, redis, queues: h.queues, log: h.deps.log });
    redis.disconnect();
    const ready = await app.inject("/readyz");
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({
      status: "unready",
      checks: { database: "ok", redis: "down" },
    });
    await app.close();
  });

  it("answers malformed URLs and bodies with the API's error shape", async () => {
    const app = createWebServer({
      prisma: h.prisma,
      redis: h.redis,
      queues: h.queues,
      log: h.deps.log,
    });
    const badUrl = await app.inject("/api/v1/handoffs/%zz");
    expect(badUrl.statusCode).toBe(400);
    expect(badUrl.json().error.code).toBe("bad_request");
    const badJson = await app.inject({
      method: "POST",
      url: "/api/v1/handoffs/00000000-0000-0000-0000-000000000000/close",
      payload: "{oops",
      headers: { "content-type": "application/json" },
    });
    expect(badJson.statusCode).toBe(400);
    expect(badJson.json().error.code).toBe("bad_request");
    await app.close();
  });

  it("answers unknown routes with a JSON 404", async () => {
    const app = createWebServer({
      prisma: h.prisma,
      redis: h.redis,
      queues: h.queues,
      log: h.deps.log,
    });
    const res = await app.inject("/nope");
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe("not_found");
    await app.close();
  });
});
