/**
 * Input that used to answer 500 (issue 17, finding 8): a NUL byte in a query
 * filter reached PostgreSQL, a same-length multibyte webhook secret made
 * timingSafeEqual throw, and /readyz answered raw error messages.
 */
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TelegramGateway } from "../../src/channels/telegram/gateway.ts";
import { createRedis } from "../../src/jobs/redis.ts";
import { createWebServer } from "../../src/web/server.ts";
import { consoleSession } from "../helpers/console.ts";
import { createHarness, type Harness } from "../helpers/harness.ts";
import { TEST_REDIS_URL } from "../helpers/redis.ts";
import { createSeeker } from "../helpers/seekers.ts";
import { staffTokens } from "../helpers/staff.ts";

let h: Harness;
let app: ReturnType<typeof createWebServer>;
let tokens: Record<string, string>;
const updates: unknown[] = [];
const SECRET = "a".repeat(64);

beforeAll(async () => {
  h = await createHarness();
  const gateway = {
    handleUpdate: async (u: unknown) => {
      updates.push(u);
    },
  } as unknown as TelegramGateway;
  app = createWebServer({
    prisma: h.prisma,
    redis: h.redis,
    queues: h.queues,
    log: h.deps.log,
    telegram: { gateway, secret: SECRET },
  });
  await app.ready();
  tokens = await staffTokens(h.prisma);
  await createSeeker(h.prisma, { profile: { fullName: "Andi Saputra" } });
});
afterAll(async () => {
  await app.close();
  await h.close();
});

const get = (url: string, token: string) =>
  app.inject({ method: "GET", url, headers: { authorization: `Bearer ${tokens[token]}` } });

describe("NUL and broken characters in query strings", () => {
  it.each([
    ["/api/v1/seekers?q=%00", "all"],
    ["/api/v1/seekers?city=%00", "all"],
    ["/api/v1/seekers.csv?q=%00", "bandung"],
    ["/api/v1/vacancies?q=%00", "all"],
    ["/api/v1/audit?actor=%00", "bandung"],
    ["/api/v1/audit?action=%00&target=%00", "bandung"],
    ["/api/v1/trainings?status=%00", "all"],
  ])("answers %s with a 4xx, not a 500", async (url, token) => {
    const res = await get(url, token);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe("validation_failed");
  });

  it("drops NUL and unpaired surrogates from a filter, as from a body", async () => {
    const res = await get("/api/v1/seekers?q=An%00di", "all");
    expect(res.statusCode).toBe(200);
    expect(res.json().items.map((s: { name: string }) => s.name)).toEqual(["Andi Saputra"]);
    // %ED%A0%80 is a lone surrogate in UTF-8: not valid text, nothing PostgreSQL can take.
    const broken = await get("/api/v1/vacancies?q=a%ED%A0%80", "all");
    expect(broken.statusCode).toBe(200);
    const csv = await get("/api/v1/seekers.csv?q=Andi%00", "bandung");
    expect(csv.statusCode).toBe(200);
  });

  it("cleans the console's search and its forms the same way", async () => {
    const { cookie, csrf } = await consoleSession(h.prisma, { role: "admin" });
    const search = await app.inject({
      method: "GET",
      url: "/console/seekers?q=%00&city=%00",
      headers: { cookie },
    });
    expect(search.statusCode).toBe(200);
    const found = await app.inject({
      method: "GET",
      url: "/console/seekers?q=Andi%00",
      headers: { cookie },
    });
    expect(found.statusCode).toBe(200);
    expect(found.body).toContain("Andi Saputra");
    const audit = await app.inject({
      method: "GET",
      url: "/console/audit?actor=%00&action=%00",
      headers: { cookie },
    });
    expect(audit.statusCode).toBeLessThan(500);
    const count = await app.inject({
      method: "POST",
      url: "/console/broadcasts/count",
      payload: `_csrf=${csrf}&cities=%00&minEducation=%00&trainingId=%00`,
      headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
    });
    expect(count.statusCode).toBeLessThan(500);
  });
});

describe("bodies the framework refuses", () => {
  it("answers JSON nested deeper than it reads with 400, not a stack overflow", async () => {
    const deep = await app.inject({
      method: "POST",
      url: "/api/v1/vacancies",
      payload: `{"title":${"[".repeat(5000)}${"]".repeat(5000)}}`,
      headers: { "content-type": "application/json", authorization: `Bearer ${tokens.all}` },
    });
    expect(deep.statusCode).toBe(400);
    expect(deep.json().error.message).toContain("nested more than 32 levels");
    const form = await app.inject({
      method: "POST",
      url: "/console/login",
      payload: `_csrf=x&${"a[".repeat(5000)}=1`,
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(form.statusCode).toBeLessThan(500);
  });

  it("names an unsupported media type and a body too large in the error code", async () => {
    const xml = await app.inject({
      method: "POST",
      url: "/api/v1/vacancies",
      payload: "<vacancy/>",
      headers: { "content-type": "application/xml", authorization: `Bearer ${tokens.all}` },
    });
    expect(xml.statusCode).toBe(415);
    expect(xml.json().error.code).toBe("unsupported_media_type");
    const big = await app.inject({
      method: "POST",
      url: "/api/v1/vacancies",
      payload: JSON.stringify({ title: "x".repeat(1024 * 1024) }),
      headers: { "content-type": "application/json", authorization: `Bearer ${tokens.all}` },
    });
    expect(big.statusCode).toBe(413);
    expect(big.json().error.code).toBe("payload_too_large");
  });
});

describe("NUL in a body field no schema cleans", () => {
  it("refuses a sign-in with NUL in the email as a wrong email (401), in the API and the console", async () => {
    const api = await app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email: "\u0000admin@pki.example", password: "kata sandi apa saja" },
    });
    expect(api.statusCode).toBe(401);
    const csrf = "login-csrf-token-0123456789abcdef";
    const form = await app.inject({
      method: "POST",
      url: "/console/login",
      payload: `_csrf=${csrf}&email=%00admin%40pki.example&password=kata+sandi`,
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        cookie: `ijc_login_csrf=${csrf}`,
      },
    });
    expect(form.statusCode).toBe(401);
  });
});

describe("Telegram webhook secret", () => {
  it("refuses a same-length secret with a multibyte character (401, not 500)", async () => {
    const res = await app.inject({
      method: "POST",
      url: "/telegram/webhook",
      payload: { update_id: 1 },
      headers: { "x-telegram-bot-api-secret-token": `\u00e9${"a".repeat(63)}` },
    });
    expect(res.statusCode).toBe(401);
    expect(updates).toEqual([]);
    const right = await app.inject({
      method: "POST",
      url: "/telegram/webhook",
      payload: { update_id: 2 },
      headers: { "x-telegram-bot-api-secret-token": SECRET },
    });
    expect(right.statusCode).toBe(200);
    expect(updates).toEqual([{ update_id: 2 }]);
  });
});

describe("/readyz", () => {
  it("answers a short code per dependency, never an error's text", async () => {
    const redis = createRedis(TEST_REDIS_URL);
    redis.on("error", () => {});
    const lines: string[] = [];
    const log = pino({ level: "info" }, { write: (line: string) => lines.push(line) });
    const unready = createWebServer({ prisma: h.prisma, redis, queues: h.queues, log });
    redis.disconnect();
    const res = await unready.inject("/readyz");
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({
      status: "unready",
      checks: { database: "ok", redis: "down" },
      whatsapp: { state: "unknown" },
    });
    expect(res.body).not.toMatch(/connection|closed|error/i);
    expect(lines.join("\n")).toContain("redis");
    await unready.close();
  });
});
