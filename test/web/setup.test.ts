/**
 * The first admin chosen in the browser from the one-time setup link: single
 * use, one hour, newest link only, refused once an admin exists, audited, and
 * only the token's hash stored.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createStaffUser } from "../../src/features/staff/accounts.ts";
import { runStaffCommand } from "../../src/features/staff/commands.ts";
import { completeSetup, issueSetupLink } from "../../src/features/staff/setup.ts";
import { hashToken } from "../../src/features/staff/tokens.ts";
import type { Clock } from "../../src/lib/clock.ts";
import { createWebServer } from "../../src/web/server.ts";
import { createHarness, type Harness } from "../helpers/harness.ts";

let h: Harness;
let app: ReturnType<typeof createWebServer>;
let now = new Date("2026-03-02T01:00:00Z");
const clock: Clock = { now: () => now } as Clock;

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
beforeEach(async () => {
  now = new Date("2026-03-02T01:00:00Z");
  await h.prisma.staffSession.deleteMany();
  await h.prisma.staffUser.deleteMany();
  await h.prisma.setupLink.deleteMany();
  await h.prisma.auditLog.deleteMany();
});

const cookiesOf = (res: { cookies: { name: string; value: string }[] }) =>
  Object.fromEntries(res.cookies.map((c) => [c.name, c.value]));

/** Opens the link's page and returns what its form sends back (CSRF cookie and field). */
async function openSetup(token: string) {
  const res = await app.inject({
    method: "GET",
    url: `/console/setup?token=${encodeURIComponent(token)}`,
  });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1];
  return { res, csrf, cookies: cookiesOf(res) };
}

async function submit(
  token: string,
  fields: Record<string, string>,
  opened?: { csrf?: string; cookies: Record<string, string> },
) {
  const page = opened ?? (await openSetup(token));
  return app.inject({
    method: "POST",
    url: "/console/setup",
    cookies: page.cookies,
    payload: new URLSearchParams({ _csrf: page.csrf ?? "", token, ...fields }).toString(),
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });
}

const good = {
  name: "Ani Wijaya",
  email: " Ani@PKI.example ",
  password: "a long enough password",
  confirm: "a long enough password",
};

describe("the first-admin setup link", () => {
  it("makes the first admin from the browser, signs them in, and works only once", async () => {
    const link = await issueSetupLink(h.prisma, now);
    expect(link?.token).toMatch(/^ijx_[\w-]{43}$/);
    const stored = await h.prisma.setupLink.findFirstOrThrow();
    expect(stored.tokenHash).toBe(hashToken(link!.token));
    expect(JSON.stringify(stored)).not.toContain(link!.token);

    const opened = await openSetup(link!.token);
    expect(opened.res.statusCode).toBe(200);
    expect(opened.res.body).toContain('autocomplete="new-password"');
    const res = await submit(link!.token, good, opened);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe("/console");
    const session = cookiesOf(res).ijc_console;
    expect(session).toMatch(/^ijs_/);

    const admin = await h.prisma.staffUser.findUniqueOrThrow({
      where: { email: "ani@pki.example" },
    });
    expect(admin).toMatchObject({ name: "Ani Wijaya", role: "admin", cities: [] });
    const dashboard = await app.inject({
      method: "GET",
      url: "/console",
      cookies: { ijc_console: session! },
    });
    expect(dashboard.statusCode).toBe(200);
    expect(dashboard.body).toContain("Ani Wijaya");

    const actions = (await h.prisma.auditLog.findMany({ orderBy: { createdAt: "asc" } })).map(
      (a) => [a.actor, a.action],
    );
    expect(actions).toEqual([
      ["service", "setup.link"],
      [`staff:${admin.id}`, "staff.create"],
      [`staff:${admin.id}`, "auth.login"],
    ]);

    // Used: the page and the form both refuse it, and no second admin is made.
    expect((await openSetup(link!.token)).res.statusCode).toBe(410);
    const again = await submit(link!.token, { ...good, email: "other@pki.example" }, opened);
    expect(again.statusCode).toBe(410);
    expect(again.body).toContain("npm run staff -- setup-link");
    expect(await h.prisma.staffUser.count()).toBe(1);
    // And no new link while an admin exists.
    expect(await issueSetupLink(h.prisma, now)).toBeNull();
  });

  it("expires after one hour", async () => {
    const link = await issueSetupLink(h.prisma, now);
    const opened = await openSetup(link!.token);
    now = new Date(now.getTime() + 60 * 60_000);
    expect((await openSetup(link!.token)).res.statusCode).toBe(410);
    expect((await submit(link!.token, good, opened)).statusCode).toBe(410);
    expect(await h.prisma.staffUser.count()).toBe(0);
  });

  it("ends earlier links when a new one is issued", async () => {
    const first = await issueSetupLink(h.prisma, now);
    const second = await issueSetupLink(h.prisma, now);
    expect((await openSetup(first!.token)).res.statusCode).toBe(410);
    expect((await openSetup(second!.token)).res.statusCode).toBe(200);
  });

  it("stops working once an admin exists some other way", async () => {
    const link = await issueSetupLink(h.prisma, now);
    const opened = await openSetup(link!.token);
    await createStaffUser(h.prisma, { ...good, role: "admin", cities: [] });
    expect((await openSetup(link!.token)).res.statusCode).toBe(410);
    expect(
      (await submit(link!.token, { ...good, email: "b@pki.example" }, opened)).statusCode,
    ).toBe(410);
    expect(await h.prisma.staffUser.count()).toBe(1);
  });

  it("makes one admin when the same link is used twice at once", async () => {
    const link = await issueSetupLink(h.prisma, now);
    const results = await Promise.all(
      ["a@pki.example", "b@pki.example", "c@pki.example"].map((email) =>
        completeSetup(
          h.prisma,
          { token: link!.token, email, name: "X", password: good.password },
          now,
        ),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(await h.prisma.staffUser.count()).toBe(1);
  });

  it("explains each problem in the form and keeps the link usable", async () => {
    const link = await issueSetupLink(h.prisma, now);
    const res = await submit(link!.token, {
      name: "",
      email: "not an email",
      password: "short",
      confirm: "short",
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('role="alert"');
    expect(res.body).toContain('href="#f-name"');
    expect(res.body).toContain('href="#f-email"');
    expect(res.body).toContain('href="#f-password"');
    const mismatch = await submit(link!.token, { ...good, confirm: "another long password" });
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.body).toContain('href="#f-confirm"');
    // A staff (not admin) account with that email already exists: said so, link still works.
    await createStaffUser(h.prisma, { ...good, role: "staff", cities: ["7371"] });
    const taken = await submit(link!.token, good);
    expect(taken.statusCode).toBe(409);
    expect((await submit(link!.token, { ...good, email: "ani2@pki.example" })).statusCode).toBe(
      303,
    );
  });

  it("refuses a form without its CSRF token, and bad or missing tokens", async () => {
    const link = await issueSetupLink(h.prisma, now);
    const noCsrf = await submit(link!.token, good, { csrf: "", cookies: {} });
    expect(noCsrf.statusCode).toBe(403);
    for (const token of ["", "ijx_nope", "x".repeat(5000), "é".repeat(30)]) {
      expect((await openSetup(token)).res.statusCode).toBe(410);
    }
    // A CSRF field of the same length in characters but not in bytes is refused, not a crash.
    const opened = await openSetup(link!.token);
    const wrong = "é".repeat(opened.csrf!.length);
    expect(
      (await submit(link!.token, good, { csrf: wrong, cookies: opened.cookies })).statusCode,
    ).toBe(403);
    expect(await h.prisma.staffUser.count()).toBe(0);
  });

  it("is what `npm run staff -- setup-link` prints, only while no admin exists", async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = {
      out: (l: string) => out.push(l),
      err: (l: string) => err.push(l),
      readLine: async () => "",
    };
    expect(
      await runStaffCommand(h.prisma, ["setup-link"], io, "http://localhost:4000/console"),
    ).toBe(0);
    const url = new URL(out.at(-1)!);
    expect(url.origin + url.pathname).toBe("http://localhost:4000/console/setup");
    expect((await openSetup(url.searchParams.get("token")!)).res.statusCode).toBe(200);
    expect(await h.prisma.auditLog.count({ where: { actor: "cli", action: "setup.link" } })).toBe(
      1,
    );
    await createStaffUser(h.prisma, { ...good, role: "admin", cities: [] });
    expect(await runStaffCommand(h.prisma, ["setup-link"], io)).toBe(2);
    expect(err.at(-1)).toContain("an admin account exists already");
  });
});
