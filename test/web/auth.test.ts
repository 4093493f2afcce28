import { createHash } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { disableStaffUser } from "../../src/features/staff/accounts.ts";
import {
  ADDRESS_FAILURE_CEILING,
  ADDRESS_GATE_S,
  EMAIL_FAILURE_CEILING,
  LOGIN_MAX_DELAY_S,
  loginLimit,
  PAIR_FREE_FAILURES,
  SLOWED_FIRST_DELAY_S,
} from "../../src/features/staff/login-limit.ts";
import { fixedClock } from "../../src/lib/clock.ts";
import { AUTH_FAILURES_MAX } from "../../src/web/api/auth.ts";
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
      expiresAt: null,
    });
    const forged = `ijs_${"A".repeat(43)}`;
    expect((await call("GET", "/auth/me", forged)).statusCode).toBe(401);
  });
});

const START = "2026-03-02T01:00:00Z";

/** Signs in through the console's form (its page first, for the CSRF cookie and field). */
async function consoleSignIn(email: string, password: string, ip: string) {
  const page = await app.inject({ method: "GET", url: "/console/login", remoteAddress: ip });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? "";
  return app.inject({
    method: "POST",
    url: "/console/login",
    remoteAddress: ip,
    cookies: Object.fromEntries(page.cookies.map((c) => [c.name, c.value])),
    payload: new URLSearchParams({
      _csrf: csrf,
      email,
      password,
      next: "/console/vacancies",
    }).toString(),
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });
}

/** Attempts counted by the limiter alone (no password check): the many guesses of a test. */
const guesses = async (count: number, email: (i: number) => string, ip: (i: number) => string) => {
  const limit = loginLimit(h.queues);
  for (let i = 0; i < count; i++) await limit.attempt(email(i), ip(i), clock.now());
};

describe("failed sign-in limits", () => {
  afterEach(() => clock.set(START));

  it("slow one email from one address with growing waits, never the owner elsewhere", async () => {
    const hana = await createStaffAccount(h.prisma, { email: "hana@pki.example" });
    const guesser = newAddress();
    for (let i = 0; i < PAIR_FREE_FAILURES; i++)
      expect((await login(hana.email, `wrong ${i}`, guesser)).statusCode).toBe(401);
    const waits: number[] = [];
    for (let i = 0; i < 3; i++) {
      // Held back, even with the right password: it is not checked at all.
      const held = await login(hana.email, hana.password, guesser);
      expect(held.statusCode).toBe(429);
      expect(held.json().error.code).toBe("too_many_attempts");
      waits.push(Number(held.headers["retry-after"]));
      clock.advance(waits.at(-1)! * 1000);
      expect((await login(hana.email, "wrong again", guesser)).statusCode).toBe(401);
    }
    expect(waits).toEqual([1, 2, 4]);
    // The owner, from their own address, is not held back by any of it.
    expect((await login(hana.email, hana.password)).statusCode).toBe(200);
  });

  it(`let the waits grow to at most ${LOGIN_MAX_DELAY_S / 60} minutes`, async () => {
    const limit = loginLimit(h.queues);
    const ip = newAddress();
    const waits: number[] = [];
    for (let i = 0; i < 20; i++) {
      expect((await limit.attempt("ira@pki.example", ip, clock.now())).waitS).toBe(0);
      const held = await limit.attempt("ira@pki.example", ip, clock.now());
      if (held.waitS > 0) {
        waits.push(held.waitS);
        clock.advance(held.waitS * 1000);
      }
    }
    expect(waits.slice(0, 4)).toEqual([1, 2, 4, 8]);
    expect(waits).toEqual([...waits].sort((a, b) => a - b));
    expect(waits.at(-1)).toBe(LOGIN_MAX_DELAY_S);
    expect(Math.max(...waits)).toBe(LOGIN_MAX_DELAY_S);
  });

  it("count every attempt of a parallel burst from one address before checking any password", async () => {
    const lia = await createStaffAccount(h.prisma, { email: "lia@pki.example" });
    const ip = newAddress();
    const answers = await Promise.all(
      Array.from({ length: 25 }, (_, i) => login(lia.email, `guess ${i}`, ip)),
    );
    const codes = answers.map((a) => a.statusCode);
    // Only as many passwords as the pair's free failures were checked; the rest waited.
    expect(codes.filter((c) => c === 401)).toHaveLength(PAIR_FREE_FAILURES);
    expect(codes.filter((c) => c === 429)).toHaveLength(25 - PAIR_FREE_FAILURES);
  });

  it("forget a pair's failures after a success", async () => {
    const joko = await createStaffAccount(h.prisma, { email: "joko@pki.example" });
    const ip = newAddress();
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < PAIR_FREE_FAILURES - 1; i++)
        expect((await login(joko.email, "wrong", ip)).statusCode).toBe(401);
      expect((await login(joko.email, joko.password, ip)).statusCode).toBe(200);
    }
  });

  it(`slow, not lock, an email guessed from many addresses (over ${EMAIL_FAILURE_CEILING} failures an hour)`, async () => {
    const nadia = await createStaffAccount(h.prisma, { email: "nadia@pki.example" });
    const home = newAddress();
    expect((await login(nadia.email, nadia.password, home)).statusCode).toBe(200);
    // A distributed guess: every address tries once.
    await guesses(
      EMAIL_FAILURE_CEILING,
      () => nadia.email,
      (i) => `198.18.${i >> 8}.${i & 255}`,
    );
    // A new guessing address is checked once, then waits.
    const guesser = newAddress();
    expect((await login(nadia.email, "guess", guesser)).statusCode).toBe(401);
    const held = await login(nadia.email, "another guess", guesser);
    expect(held.statusCode).toBe(429);
    expect(Number(held.headers["retry-after"])).toBe(SLOWED_FIRST_DELAY_S);
    // The owner signs in at once from where they signed in before, and from a new address.
    const fromHome = await login(nadia.email, nadia.password, home);
    expect(fromHome.statusCode).toBe(200);
    expect(fromHome.json().failedSignIns).toMatchObject({ count: 1, lastFrom: guesser });
    expect(fromHome.json().failedSignIns.slowedSince).not.toBeNull();
    expect((await login(nadia.email, nadia.password, newAddress())).statusCode).toBe(200);
  });

  it(`slow an address trying many accounts (over ${ADDRESS_FAILURE_CEILING} failures), except for accounts signed in from it before`, async () => {
    const kiki = await createStaffAccount(h.prisma, { email: "kiki@pki.example" });
    const lina = await createStaffAccount(h.prisma, { email: "lina@pki.example" });
    const office = newAddress();
    expect((await login(kiki.email, kiki.password, office)).statusCode).toBe(200);
    await guesses(
      ADDRESS_FAILURE_CEILING,
      (i) => `guess-${i}@pki.example`,
      () => office,
    );
    // One attempt per gate interval for accounts the address does not know.
    expect((await login("guess-a@pki.example", "wrong", office)).statusCode).toBe(401);
    const held = await login("guess-b@pki.example", "wrong", office);
    expect(held.statusCode).toBe(429);
    expect(Number(held.headers["retry-after"])).toBeLessThanOrEqual(ADDRESS_GATE_S);
    // Kiki has signed in from there before: not held back.
    expect((await login(kiki.email, kiki.password, office)).statusCode).toBe(200);
    // Lina has not: she waits for the gate, then gets in.
    expect((await login(lina.email, lina.password, office)).statusCode).toBe(429);
    clock.advance(ADDRESS_GATE_S * 1000);
    expect((await login(lina.email, lina.password, office)).statusCode).toBe(200);
  });

  it("tell the owner at the next sign-in what happened since the last one, once", async () => {
    const omar = await createStaffAccount(h.prisma, { email: "omar@pki.example" });
    const guesser = newAddress();
    for (let i = 0; i < 3; i++) {
      clock.advance(60_000);
      expect((await login(omar.email, `guess ${i}`, guesser)).statusCode).toBe(401);
    }
    const lastGuess = clock.now().toISOString();
    clock.advance(3_600_000);
    const first = await login(omar.email, omar.password);
    expect(first.statusCode).toBe(200);
    expect(first.json().failedSignIns).toEqual({
      count: 3,
      lastAt: lastGuess,
      lastFrom: guesser,
      slowedSince: null,
    });
    const logged = await h.prisma.auditLog.findFirstOrThrow({
      where: { action: "auth.login", actor: `staff:${omar.id}` },
    });
    expect(logged.details).toMatchObject({ failedSinceLastSignIn: 3 });
    // Told once: the next sign-in has nothing to tell.
    expect((await login(omar.email, omar.password)).json().failedSignIns).toBeNull();

    // A slowdown is told too (the owner's sign-ins elsewhere do not reset the guesser's waits).
    const next = newAddress();
    expect((await login(omar.email, "guess", guesser)).statusCode).toBe(401);
    for (let i = 0; i < PAIR_FREE_FAILURES; i++)
      expect((await login(omar.email, "guess", next)).statusCode).toBe(401);
    const slowed = clock.now().toISOString();
    expect((await login(omar.email, "guess", next)).statusCode).toBe(429);
    const second = await login(omar.email, omar.password);
    expect(second.json().failedSignIns).toEqual({
      count: PAIR_FREE_FAILURES + 1,
      lastAt: slowed,
      lastFrom: next,
      slowedSince: slowed,
    });
  });

  it("tell the owner in the console after signing in, before going on", async () => {
    const pia = await createStaffAccount(h.prisma, { email: "pia@pki.example" });
    const guesser = newAddress();
    for (let i = 0; i < 2; i++)
      expect((await login(pia.email, `guess ${i}`, guesser)).statusCode).toBe(401);
    const told = await consoleSignIn(pia.email, pia.password, newAddress());
    expect(told.statusCode).toBe(200);
    expect(told.cookies.map((c) => c.name)).toContain("ijc_console");
    expect(told.body).toContain('role="alert"');
    expect(told.body).toMatch(/sejak Anda terakhir masuk: 2\./);
    expect(told.body).toContain(guesser);
    expect(told.body).toContain('href="/console/vacancies"');
    // Nothing to tell: straight on.
    const again = await consoleSignIn(pia.email, pia.password, newAddress());
    expect(again.statusCode).toBe(303);
    expect(again.headers.location).toBe("/console/vacancies");
  });
});

describe("wrong token limits", () => {
  it(`answer an address past ${AUTH_FAILURES_MAX} wrong tokens 429, yet let its valid tokens through`, async () => {
    const ip = newAddress();
    const me = (token?: string) =>
      app.inject({
        method: "GET",
        url: "/api/v1/auth/me",
        remoteAddress: ip,
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
    for (let i = 0; i < AUTH_FAILURES_MAX; i++)
      expect((await me(`ijc_guess${i}`)).statusCode).toBe(401);
    const limited = await me("ijc_guess-again");
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe("too_many_attempts");
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
    // Someone else behind the same address (a shared NAT) with a valid token or session.
    expect((await me(tokens.all)).statusCode).toBe(200);
    const rani = await createStaffAccount(h.prisma, { email: "rani@pki.example" });
    const { token } = (await login(rani.email, rani.password)).json();
    expect((await me(token)).statusCode).toBe(200);
    // No token guesses nothing: a plain 401.
    expect((await me()).statusCode).toBe(401);
  });
});
