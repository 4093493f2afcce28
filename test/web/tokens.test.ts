/**
 * Finding 9 of the security review: API tokens that expire, refused with 401
 * from then on, and the list of tokens with their last use in the console.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createToken, rotateToken } from "../../src/features/staff/tokens.ts";
import { fixedClock } from "../../src/lib/clock.ts";
import { createWebServer } from "../../src/web/server.ts";
import { createHarness, type Harness } from "../helpers/harness.ts";
import { createStaffAccount } from "../helpers/staff.ts";

let h: Harness;
let app: ReturnType<typeof createWebServer>;
const START = "2026-03-02T01:00:00Z";
const clock = fixedClock(START);
const HOUR = 3_600_000;

beforeAll(async () => {
  h = await createHarness();
  app = createWebServer({
    prisma: h.prisma,
    redis: h.redis,
    queues: h.queues,
    log: h.deps.log,
    clock,
  });
});
afterAll(async () => {
  await app.close();
  await h.close();
});

const me = (token: string) =>
  app.inject({
    method: "GET",
    url: "/api/v1/auth/me",
    headers: { authorization: `Bearer ${token}` },
  });

/** Signs in to the console; answers the session cookie. */
async function consoleCookies(email: string, password: string) {
  const page = await app.inject({ method: "GET", url: "/console/login" });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? "";
  const res = await app.inject({
    method: "POST",
    url: "/console/login",
    cookies: Object.fromEntries(page.cookies.map((c) => [c.name, c.value])),
    payload: new URLSearchParams({ _csrf: csrf, email, password }).toString(),
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });
  expect(res.statusCode).toBe(303);
  return Object.fromEntries(res.cookies.map((c) => [c.name, c.value]));
}

describe("API tokens that expire", () => {
  it("work until their expiry, which /auth/me tells, and get 401 from then on", async () => {
    clock.set(START);
    const { token } = await createToken(h.prisma, {
      name: "laporan",
      role: "staff",
      cities: [],
      expiresAt: new Date(clock.now().getTime() + 24 * HOUR),
    });
    const ok = await me(token);
    expect(ok.statusCode).toBe(200);
    expect(ok.json().expiresAt).toBe("2026-03-03T01:00:00.000Z");
    clock.advance(24 * HOUR - 1000);
    expect((await me(token)).statusCode).toBe(200);
    clock.advance(1000);
    const expired = await me(token);
    expect(expired.statusCode).toBe(401);
    expect(expired.json().error.code).toBe("unauthorized");
  });

  it("keep a rotated token working through the grace, then 401; the new one works", async () => {
    clock.set(START);
    const old = await createToken(h.prisma, { name: "dasbor", role: "staff", cities: ["7371"] });
    const fresh = await rotateToken(h.prisma, old.id, clock.now(), { graceMs: 2 * HOUR });
    expect((await me(old.token)).statusCode).toBe(200);
    expect((await me(fresh.token)).json()).toMatchObject({ name: "dasbor", cities: ["7371"] });
    clock.advance(2 * HOUR);
    expect((await me(old.token)).statusCode).toBe(401);
    expect((await me(fresh.token)).statusCode).toBe(200);
  });
});

describe("the console's list of API tokens", () => {
  it("shows admins each token's state, last use and expiry, within their cities", async () => {
    clock.set(START);
    const used = await createToken(h.prisma, {
      name: "Integrasi Makassar",
      role: "staff",
      cities: ["7371"],
      expiresAt: new Date("2026-06-01T00:00:00Z"),
    });
    await me(used.token);
    await createToken(h.prisma, { name: "Integrasi Bandung", role: "staff", cities: ["3273"] });
    const admin = await createStaffAccount(h.prisma, { email: "admin@pki.example", role: "admin" });
    const page = await app.inject({
      method: "GET",
      url: "/console/tokens?lang=en",
      cookies: await consoleCookies(admin.email, admin.password),
    });
    expect(page.statusCode).toBe(200);
    const row = /<tr><td>Integrasi Makassar<\/td>.*?<\/tr>/.exec(page.body)?.[0] ?? "";
    expect(row).toContain("Active");
    // Last used at sign-in time (WITA), expiring on 1 June.
    expect(row).toMatch(/2 March 2026.*09[.:]00/);
    expect(row).toContain("1 June 2026");
    expect(page.body).toContain("Integrasi Bandung");
    expect(page.body).toContain('href="/console/tokens" aria-current="page"');

    // An admin of Makassar only sees Makassar's tokens; staff do not see the page.
    const mks = await createStaffAccount(h.prisma, {
      email: "admin-mks@pki.example",
      role: "admin",
      cities: ["7371"],
    });
    const limited = await app.inject({
      method: "GET",
      url: "/console/tokens",
      cookies: await consoleCookies(mks.email, mks.password),
    });
    expect(limited.body).toContain("Integrasi Makassar");
    expect(limited.body).not.toContain("Integrasi Bandung");
    const staff = await createStaffAccount(h.prisma, { email: "staf@pki.example" });
    const refused = await app.inject({
      method: "GET",
      url: "/console/tokens",
      cookies: await consoleCookies(staff.email, staff.password),
    });
    expect(refused.statusCode).toBe(403);
  });
});
