import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiOperations } from "../../src/web/api/openapi.ts";
import { createWebServer } from "../../src/web/server.ts";
import { createHarness } from "../helpers/harness.ts";
import { createStaffAccount, staffTokens } from "../helpers/staff.ts";

/**
 * Every API route, present and future (as the server collects them from the
 * routes' own descriptions): without a valid token it answers 401, and an
 * admin-only route answers a staff-role caller 403. It runs before any
 * handler, so an empty body and a random id are enough.
 */
// Built while the tests are collected: they are one per operation the server has.
const h = await createHarness();
const app = createWebServer({
  prisma: h.prisma,
  redis: h.redis,
  queues: h.queues,
  log: h.deps.log,
});
await app.ready();
const operations = apiOperations(app);
const tokens: Record<string, string> = {};

beforeAll(async () => {
  Object.assign(tokens, await staffTokens(h.prisma));
  const login = async (email: string) => {
    const account = await createStaffAccount(h.prisma, { email, role: "staff" });
    const res = await app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email: account.email, password: account.password },
    });
    return res.json().token as string;
  };
  tokens.staffSession = await login("staff@pki.example");
  tokens.endedSession = await login("ended@pki.example");
  await app.inject({
    method: "POST",
    url: "/api/v1/auth/logout",
    headers: { authorization: `Bearer ${tokens.endedSession}` },
  });
});
afterAll(async () => {
  await app.close();
  await h.close();
});

let calls = 0;
/** Each call from its own address, so the failed-token limit (429) never answers instead. */
function request(method: "GET" | "POST" | "PATCH", path: string, token?: string) {
  calls += 1;
  const url = `/api/v1${path.replaceAll("{id}", randomUUID())}`;
  return app.inject({
    method,
    url,
    ...(method === "GET" ? {} : { payload: {} }),
    headers: token ? { authorization: `Bearer ${tokens[token]}` } : {},
    remoteAddress: `10.2.${Math.floor(calls / 250)}.${(calls % 250) + 1}`,
  });
}

const guarded = operations.filter((e) => !e.public);

describe("authorization of every API route", () => {
  it("leaves only signing in open", () => {
    expect(operations.filter((e) => e.public).map((e) => `${e.method} ${e.path}`)).toEqual([
      "POST /auth/login",
    ]);
    expect(guarded.length).toBeGreaterThan(20);
  });

  it.each(guarded.map((e) => [`${e.method} ${e.path}`, e] as const))(
    "%s needs a valid token",
    async (_name, e) => {
      for (const token of [undefined, "revoked", "endedSession"]) {
        const res = await request(e.method, e.path, token);
        expect(res.statusCode, `${token ?? "no token"}`).toBe(401);
        expect(res.json().error.code).toBe("unauthorized");
      }
    },
  );

  it.each(
    guarded.filter((e) => e.role === "admin").map((e) => [`${e.method} ${e.path}`, e] as const),
  )("%s is refused to the staff role", async (_name, e) => {
    for (const token of ["all", "staffSession"]) {
      const res = await request(e.method, e.path, token);
      expect(res.statusCode, token).toBe(403);
      expect(res.json().error.code).toBe("forbidden");
    }
  });
});
