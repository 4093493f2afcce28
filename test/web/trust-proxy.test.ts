/**
 * Finding 6 of the security review: behind a proxy, only the proxy may name
 * the client (X-Forwarded-For); anyone else is counted under their own address.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadEnv } from "../../src/env.ts";
import { fixedClock } from "../../src/lib/clock.ts";
import { AUTH_FAILURES_MAX } from "../../src/web/api/auth.ts";
import { createWebServer } from "../../src/web/server.ts";
import { createHarness, type Harness } from "../helpers/harness.ts";
import { staffTokens } from "../helpers/staff.ts";

let h: Harness;
let app: ReturnType<typeof createWebServer>;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  h = await createHarness();
  app = createWebServer({
    prisma: h.prisma,
    redis: h.redis,
    queues: h.queues,
    log: h.deps.log,
    clock: fixedClock("2026-03-02T01:00:00Z"),
    // What production accepts: the proxy's own address.
    trustProxy: loadEnv({ NODE_ENV: "production", TRUST_PROXY: "127.0.0.1" }).trustProxy,
  });
  Object.assign(tokens, await staffTokens(h.prisma));
});
afterAll(async () => {
  await app.close();
  await h.close();
});

const guess = (from: string, forwardedFor: string, n: number) =>
  app.inject({
    method: "GET",
    url: "/api/v1/seekers",
    remoteAddress: from,
    headers: { authorization: `Bearer ijc_guess${n}`, "x-forwarded-for": forwardedFor },
  });

describe("TRUST_PROXY with the proxy's addresses", () => {
  it("counts a client that names a new address in every request under its own", async () => {
    for (let i = 0; i < AUTH_FAILURES_MAX; i++)
      expect((await guess("203.0.113.9", `198.51.100.${i + 1}`, i)).statusCode).toBe(401);
    const limited = await guess("203.0.113.9", "198.51.100.200", 99);
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe("too_many_attempts");
  });

  it("believes the proxy about its clients, each counted apart", async () => {
    for (let i = 0; i < AUTH_FAILURES_MAX; i++)
      expect((await guess("127.0.0.1", "192.0.2.1", i)).statusCode).toBe(401);
    expect((await guess("127.0.0.1", "192.0.2.1", 99)).statusCode).toBe(429);
    // Another client behind the same proxy is not held back by the first one's guesses.
    expect((await guess("127.0.0.1", "192.0.2.2", 99)).statusCode).toBe(401);
  });
});
