import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disableStaffUser } from "../../src/features/staff/accounts.ts";
import {
  LOGIN_FAILURE_WINDOW_S,
  LOGIN_FAILURES_PER_EMAIL,
  LOGIN_FAILURES_PER_IP,
} from "../../src/features/staff/login-limit.ts";
import { fixedClock } from "../../src/lib/clock.ts";
import { createWebServer } from "../../src/web/server.ts";
import { apiCaller } from "../helpers/api.ts";
import { createHarness, type Harness } from "../helpers/harness.ts";
import { createStaffAccount, staffTokens } from "../helpers/staff.ts";

let h: Harness;
let app: ReturnType<typeof createWebServer>;
const clock = fixedClock("2026-03-02T01:00:00Z");
const tokens: Record<string, string> = {};
const call = (...args: Parameters<ReturnType<typeof apiCaller>>) => apiCaller(app, tokens)(...args);

beforeAll(async () => {
  h = await createHarness();
  app = createWebServer({
    prisma: h.prisma,
    redis: h.redis,
    queues: h.queues,
    log: h.deps.log,
    clock,
  });
  Object.assign(tokens, await staffTokens(h.prisma));
});
afterAll(async () => {
  await app.close();
  await h.close();
});

let addresses = 0;
/** Each test signs in from its own address unless told otherwise, so the per-address limit stays apart. */
const newAddress = () => {
  addresses += 1;
  return `10.1.${Math.floor(addresses / 250)}.${(addresses % 250) + 1}`;
};

const login = (email: string, password: string, ip = newAddress()) =>
  app.inject({
    method: "POST",
    url: "/api/v1/auth/login",
    payload: { email, password },
    remoteAddress: ip,
  });

describe("signing in", () => {
  it("answers a session token, stores only its hash, and records the sign-in", async () => {
    const ani = await createStaffAccount(h.prisma, {
      email: "ani@pki.example",
      role: "admin",
      cities: ["7371"],
    });
    const res = await login("  ANI@pki.Example ", ani.password);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.token).toMatch(/^ijs_[A-Za-z0-9_-]{43}$/);
    expect(body.expiresAt).toBe("2026-03-02T13:00:00.000Z");
    expect(body.staff).toEqual({
      id: ani.id,
      name: "ani",
      email: "ani@pki.example",
      role: "admin",
      cities: ["7371"],
    });
    const session = await h.prisma.staffSession.findFirstOrThrow({
      where: { staffUserId: ani.id },
    });
    expect(session.tokenHash).toBe(createHash("sha256").update(body.token).digest("hex"));
    const user = await h.prisma.staffUser.findUniqueOrThrow({ where: { id: ani.id } });
    expect(user.lastLoginAt).toEqual(clock.now());

    const logged = await h.prisma.auditLog.findMany({ where: { action: "auth.login" } });
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ actor: `staff:${ani.id}`, target: ani.id });
    expect(JSON.stringify(logged)).not.toContain(body.token);
    expect(JSON.stringify(logged)).not.toContain(ani.password);

    // The session works as a bearer token, with the account's role and cities.
    const me = await call("GET", "/auth/me", body.token);
    expect(me.statusCode).toBe(200);
    expect(me.json()).toEqual({
      kind: "session",
      id: ani.id,
      actor: `staff:${ani.id}`,
      name: "ani",
      email: "ani@pki.example",
      role: "admin",
      cities: ["7371"],
      expiresAt: "2026-03-02T13:00:00.000Z",
    });
  });

  it("answers a wrong password, an unknown email and a disabled account alike", async () => {
    const budi = await createStaffAccount(h.prisma, { email: "budi@pki.example" });
    const wrong = await login(budi.email, "not the password at all");
    const unknown = await login("nobody@pki.example", budi.password);
    for (const res of [wrong, unknown]) {
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({
        error: { code: "unauthorized", message: "Wrong email or password" },
      });
    }
    await disableStaffUser(h.prisma, budi.email, clock.now());
    const disabled = await login(budi.email, budi.password);
    expect(disabled.statusCode).toBe(401);
    expect(disabled.body).toBe(wrong.body);
  });

  it("takes about as long for an unknown email as for a wrong password", async () => {
    const cici = await createStaffAccount(h.prisma, { email: "cici@pki.example" });
    const time = async (email: string) => {
      const times: number[] = [];
      for (let i = 0; i < 7; i++) {
        const start = performance.now();
        expect((await login(email, "a wrong password")).statusCode).toBe(401);
        times.push(performance.now() - start);
      }
      return times.sort((a, b) => a - b)[3]!;
    };
    const known = await time(cici.email);
    const unknown = await time("nobody-at-all@pki.example");
    // Without the dummy verification an unknown email answers in about a millisecond, against
    // tens for an argon2 check; the margin allows for a machine busy with other tests.
    expect(unknown).toBeGreaterThan(known * 0.25);
  });

  it("rejects malformed input with 400", async () => {
    for (const payload of [{}, { email: "a@b.example" }, { email: "a@b.example", password: "" }]) {
      const res = await app.inject({ method: "POST", url: "/api/v1/auth/login", payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().error.code).toBe("validation_failed");
    }
  });
});

describe("sessions", () => {
  it("end when they expire", async () => {
    const dedi = await createStaffAccount(h.prisma, { email: "dedi@pki.example" });
    const { token } = (await login(dedi.email, dedi.password)).json();
    clock.advance(12 * 3_600_000 - 1000);
    expect((await call("GET", "/auth/me", token)).statusCode).toBe(200);
    clock.advance(1000);
    expect((await call("GET", "/auth/me", token)).statusCode).toBe(401);
    clock.set("2026-03-02T01:00:00Z");
  });

  it("stop working when the account is disabled", async () => {
    const eka = await createStaffAccount(h.prisma, { email: "eka@pki.example" });
    const { token } = (await login(eka.email, eka.password)).json();
    expect((await call("GET", "/vacancies", token)).statusCode).toBe(200);
    // Even a session disabling did not end (e.g. set by hand in the database).
    await h.prisma.staffUser.update({ where: { id: eka.id }, data: { disabledAt: clock.now() } });
    expect((await call("GET", "/vacancies", token)).statusCode).toBe(401);
  });

  it("end at logout, which is recorded; an API token cannot log out", async () => {
    const fajar = await createStaffAccount(h.prisma, { email: "fajar@pki.example" });
    const first = (await login(fajar.email, fajar.password)).json().token;
    const second = (await login(fajar.email, fajar.password)).json().token;
    const out = await call("POST", "/auth/logout", first);
    expect(out.statusCode).toBe(200);
    expect(out.json()).toEqual({ status: "signed_out" });
    expect((await call("GET", "/auth/me", first)).statusCode).toBe(401);
    expect((await call("POST", "/auth/logout", first)).statusCode).toBe(401);
    // Only the presented session ends.
    expect((await call("GET", "/auth/me", second)).statusCode).toBe(200);
    const logged = await h.prisma.auditLog.findMany({
      where: { action: "auth.logout", actor: `staff:${fajar.id}` },
    });
    expect(logged).toHaveLength(1);
    expect(JSON.stringify(logged)).not.toContain(first);

    const byToken = await call("POST", "/auth/logout", "all");
    expect(byToken.statusCode).toBe(400);
    expect(byToken.json().error.code).toBe("not_a_session");
  });

  it("follow a change of role and cities at once", async () => {
    const gita = await createStaffAccount(h.prisma, { email: "gita@pki.example", role: "staff" });
    const { token } = (await login(gita.email, gita.password)).json();
    expect((await call("GET", "/seekers.csv", token)).statusCode).toBe(403);
    await h.prisma.staffUser.update({
      where: { id: gita.id },
      data: { role: "admin", cities: ["3273"] },
    });
    expect((await call("GET", "/seekers.csv", token)).statusCode).toBe(200);
    expect((await call("GET", "/auth/me", token)).json()).toMatchObject({
      role: "admin",
      cities: ["3273"],
    });
    await h.prisma.staffUser.update({ where: { id: gita.id }, data: { role: "staff" } });
    expect((await call("GET", "/seekers.csv", token)).statusCode).toBe(403);
  });

  it("are told apart from API tokens by /auth/me; an unknown session token is 401", async () => {
    const me = await call("GET", "/auth/me", "makassar");
    expect(me.statusCode).toBe(200);
    const token = await h.prisma.apiToken.findFirstOrThrow({ where: { name: "mks" } });
    expect(me.json()).toEqual({
      kind: "token",
      id: token.id,
      actor: `token:${token.id}`,
      name: "mks",
      role: "staff",
      cities: ["7371"],
    });
    const forged = `ijs_${"A".repeat(43)}`;
    expect((await call("GET", "/auth/me", forged)).statusCode).toBe(401);
  });
});

describe("failed sign-in limits", () => {
  it(`stop an email after ${LOGIN_FAILURES_PER_EMAIL} failures, from any address, until the window ends`, async () => {
    const hana = await createStaffAccount(h.prisma, { email: "hana@pki.example" });
    const other = await createStaffAccount(h.prisma, { email: "indra@pki.example" });
    for (let i = 0; i < LOGIN_FAILURES_PER_EMAIL; i++)
      expect((await login(hana.email, `wrong ${i}`)).statusCode).toBe(401);
    // Now even the right password is refused, from a new address too.
    const limited = await login(hana.email, hana.password);
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe("too_many_attempts");
    const wait = Number(limited.headers["retry-after"]);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(LOGIN_FAILURE_WINDOW_S);
    // Another account is not affected.
    expect((await login(other.email, other.password)).statusCode).toBe(200);
  });

  it("count every attempt of a parallel burst before checking any password", async () => {
    const lia = await createStaffAccount(h.prisma, { email: "lia@pki.example" });
    const answers = await Promise.all(
      Array.from({ length: 25 }, (_, i) => login(lia.email, `guess ${i}`)),
    );
    const codes = answers.map((a) => a.statusCode);
    // Only as many passwords as the limit allows were checked; the rest waited.
    expect(codes.filter((c) => c === 401)).toHaveLength(LOGIN_FAILURES_PER_EMAIL);
    expect(codes.filter((c) => c === 429)).toHaveLength(25 - LOGIN_FAILURES_PER_EMAIL);
  });

  it("forget an email's failures after a success", async () => {
    const joko = await createStaffAccount(h.prisma, { email: "joko@pki.example" });
    for (let i = 0; i < LOGIN_FAILURES_PER_EMAIL - 1; i++)
      expect((await login(joko.email, "wrong")).statusCode).toBe(401);
    expect((await login(joko.email, joko.password)).statusCode).toBe(200);
    for (let i = 0; i < LOGIN_FAILURES_PER_EMAIL - 1; i++)
      expect((await login(joko.email, "wrong")).statusCode).toBe(401);
    expect((await login(joko.email, joko.password)).statusCode).toBe(200);
  });

  it(`stop an address after ${LOGIN_FAILURES_PER_IP} failures, whatever emails it tries`, async () => {
    const kiki = await createStaffAccount(h.prisma, { email: "kiki@pki.example" });
    const ip = newAddress();
    for (let i = 0; i < LOGIN_FAILURES_PER_IP; i++)
      expect((await login(`guess-${i}@pki.example`, "wrong", ip)).statusCode).toBe(401);
    const limited = await login(kiki.email, kiki.password, ip);
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
    expect((await login(kiki.email, kiki.password)).statusCode).toBe(200);
  });
});
