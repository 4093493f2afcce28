import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createToken } from "../../src/features/staff/tokens.ts";
import { createWebServer } from "../../src/web/server.ts";
import { apiCaller } from "../helpers/api.ts";
import { consoleSession } from "../helpers/console.ts";
import { createHarness, type Harness } from "../helpers/harness.ts";
import { createSeeker } from "../helpers/seekers.ts";
import { createStaffAccount, staffTokens } from "../helpers/staff.ts";

let h: Harness;
let app: ReturnType<typeof createWebServer>;
const tokens: Record<string, string> = {};
const call = (...args: Parameters<ReturnType<typeof apiCaller>>) => apiCaller(app, tokens)(...args);

const at = (iso: string) => new Date(iso);
/** The log to read: three actors, several actions, two rows in the same millisecond. */
const ROWS = [
  { actor: "token:a", action: "seekers.list", target: null, createdAt: at("2026-03-01T00:00:00Z") },
  { actor: "token:a", action: "seekers.view", target: "p1", createdAt: at("2026-03-01T01:00:00Z") },
  { actor: "token:b", action: "seekers.view", target: "p2", createdAt: at("2026-03-01T02:00:00Z") },
  {
    actor: "staff:u1",
    action: "vacancies.create",
    target: "v1",
    createdAt: at("2026-03-01T03:00:00Z"),
  },
  {
    actor: "staff:u1",
    action: "vacancies.publish",
    target: "v1",
    createdAt: at("2026-03-01T03:00:00Z"),
  },
  {
    actor: "token:b",
    action: "handoffs.reply",
    target: "h1",
    createdAt: at("2026-03-01T04:00:00Z"),
  },
];

beforeAll(async () => {
  h = await createHarness();
  app = createWebServer({ prisma: h.prisma, redis: h.redis, queues: h.queues, log: h.deps.log });
  Object.assign(tokens, await staffTokens(h.prisma));
  tokens.admin = (await createToken(h.prisma, { name: "adm", role: "admin", cities: [] })).token;
  const admin = (name: string, cities: string[]) =>
    createToken(h.prisma, { name, role: "admin", cities }).then((t) => t.token);
  tokens.mksAdmin = await admin("mks-adm", ["7371"]);
  tokens.twoCities = await admin("two-adm", ["3273", "7371"]);
  await h.prisma.auditLog.createMany({
    data: ROWS.map((r, i) => ({ ...r, details: { n: i } })),
  });
});
afterAll(async () => {
  await app.close();
  await h.close();
});

type Item = { id: string; actor: string; action: string; target: string | null; createdAt: string };
const actions = async (query: string, token = "admin") => {
  const res = await call("GET", `/audit${query}`, token);
  expect(res.statusCode, query).toBe(200);
  return (res.json().items as Item[]).map((i) => i.action);
};

describe("audit log API", () => {
  it("lists the log newest first with every field", async () => {
    const res = await call("GET", "/audit", "admin");
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.nextCursor).toBeNull();
    expect(body.items).toHaveLength(ROWS.length);
    expect(body.items[0]).toEqual({
      id: expect.any(String),
      actor: "token:b",
      action: "handoffs.reply",
      target: "h1",
      details: { n: 5 },
      createdAt: "2026-03-01T04:00:00.000Z",
    });
    expect(body.items.at(-1).action).toBe("seekers.list");
  });

  it("filters by actor, action, target and time", async () => {
    expect(await actions("?actor=token:a")).toEqual(["seekers.view", "seekers.list"]);
    expect(await actions("?action=seekers.view")).toEqual(["seekers.view", "seekers.view"]);
    expect((await actions("?target=v1")).sort()).toEqual(["vacancies.create", "vacancies.publish"]);
    expect(await actions("?actor=token:b&action=seekers.view")).toEqual(["seekers.view"]);
    // since is inclusive, until exclusive; any offset.
    expect(
      await actions(
        `?since=${encodeURIComponent("2026-03-01T09:00:00+08:00")}&until=${encodeURIComponent("2026-03-01T11:00:00+08:00")}`,
      ),
    ).toEqual(["seekers.view", "seekers.view"]);
    expect(await actions("?since=2026-03-01T04:00:00Z")).toEqual(["handoffs.reply"]);
    expect(await actions("?until=2026-03-01T01:00:00Z")).toEqual(["seekers.list"]);
    expect(await actions("?actor=token:nobody")).toEqual([]);
  });

  it("pages with a cursor without skipping or repeating rows of the same moment", async () => {
    const seen: Item[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await call("GET", `/audit?limit=2${cursor ? `&cursor=${cursor}` : ""}`, "admin");
      expect(res.statusCode).toBe(200);
      const body: { items: Item[]; nextCursor: string | null } = res.json();
      seen.push(...body.items);
      cursor = body.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(new Set(seen.map((i) => i.id)).size).toBe(ROWS.length);
    const times = seen.map((i) => i.createdAt);
    expect(times).toEqual([...times].sort().reverse());
  });

  it("is for admins only, and reading it is not recorded", async () => {
    for (const token of ["all", "makassar"]) {
      const res = await call("GET", "/audit", token);
      expect(res.statusCode, token).toBe(403);
      expect(res.json().error.code).toBe("forbidden");
    }
    const before = await h.prisma.auditLog.count();
    expect(await actions("?limit=500")).toHaveLength(before);
    const admin = await createStaffAccount(h.prisma, { email: "admin@pki.example", role: "admin" });
    const login = await app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email: admin.email, password: admin.password },
    });
    const session = login.json().token as string;
    // The sign-in itself is recorded; reading the log is not.
    const afterLogin = await h.prisma.auditLog.count();
    expect(afterLogin).toBe(before + 1);
    expect(await actions("?action=auth.login", session)).toEqual(["auth.login"]);
    expect(await h.prisma.auditLog.count()).toBe(afterLogin);
  });

  it("rejects bad filters with 400", async () => {
    for (const bad of [
      "?since=yesterday",
      "?until=2026-03-01",
      "?limit=0",
      "?limit=501",
      "?cursor=abc",
      `?actor=${"x".repeat(201)}`,
    ]) {
      const res = await call("GET", `/audit${bad}`, "admin");
      expect(res.statusCode, bad).toBe(400);
      expect(res.json().error.code).toBe("validation_failed");
    }
  });
});

/** Entries of one day of their own, so the rows above do not mix in. */
const DAY = `?since=2026-04-01T00:00:00Z&until=2026-04-02T00:00:00Z`;
const SCOPED = [
  { target: "p-mks", cities: ["7371"], createdAt: at("2026-04-01T01:00:00Z") },
  { target: "p-bdg", cities: ["3273"], createdAt: at("2026-04-01T02:00:00Z") },
  { target: "both", cities: ["3273", "7371"], createdAt: at("2026-04-01T03:00:00Z") },
  { target: "service", cities: [], createdAt: at("2026-04-01T04:00:00Z") },
];
const targets = async (token: string, query = "") => {
  const res = await call("GET", `/audit${DAY}${query}`, token);
  expect(res.statusCode, token).toBe(200);
  return (res.json().items as Item[]).map((i) => i.target);
};

describe("audit log scoped to the reader's cities", () => {
  beforeAll(async () => {
    await h.prisma.auditLog.createMany({
      data: SCOPED.map((r) => ({ ...r, actor: `token:${r.target}`, action: "seekers.view" })),
    });
  });

  it("shows an admin of some cities only the entries that concern theirs alone", async () => {
    expect(await targets("admin")).toEqual(["service", "both", "p-bdg", "p-mks"]);
    expect(await targets("bandung")).toEqual(["p-bdg"]);
    expect(await targets("mksAdmin")).toEqual(["p-mks"]);
    // An entry for Makassar and Bandung is for a reader of both; service-wide ones never.
    expect(await targets("twoCities")).toEqual(["both", "p-bdg", "p-mks"]);
    // Filters do not reach past the scope.
    expect(await targets("bandung", "&target=p-mks")).toEqual([]);
    expect(await targets("bandung", "&actor=token:service")).toEqual([]);
    // Before this change, entries written without cities were the whole log: now all-cities only.
    expect(await actions("?until=2026-03-02T00:00:00Z", "bandung")).toEqual([]);
  });

  it("scopes the console's audit page the same way", async () => {
    const page = async (cities: string[]) => {
      const { cookie } = await consoleSession(h.prisma, { role: "admin", cities });
      const res = await app.inject({
        url: "/console/audit?action=seekers.view",
        headers: { cookie },
      });
      expect(res.statusCode).toBe(200);
      return ["p-mks", "p-bdg", "both", "service"].filter((t) =>
        res.body.includes(`<td>${t}</td>`),
      );
    };
    expect(await page([])).toEqual(["p-mks", "p-bdg", "both", "service"]);
    expect(await page(["3273"])).toEqual(["p-bdg"]);
  });

  it("pages within the scope", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await call(
        "GET",
        `/audit${DAY}&limit=1${cursor ? `&cursor=${cursor}` : ""}`,
        "twoCities",
      );
      const body: { items: Item[]; nextCursor: string | null } = res.json();
      seen.push(...body.items.map((i) => i.target ?? ""));
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(["both", "p-bdg", "p-mks"]);
  });

  it("records the cities an entry concerns: the record's city, else the actor's scope", async () => {
    const seeker = await createSeeker(h.prisma);
    const tokenId = async (name: string) =>
      `token:${(await h.prisma.apiToken.findFirstOrThrow({ where: { name } })).id}`;
    // A Makassar staff token lists seekers: an entry of Makassar.
    expect((await call("GET", "/seekers", "makassar")).statusCode).toBe(200);
    // A token of all cities lists them (no one city), then views a Makassar seeker.
    expect((await call("GET", "/seekers", "all")).statusCode).toBe(200);
    expect((await call("GET", `/seekers/${seeker.personId}`, "all")).statusCode).toBe(200);
    const cities = async (actor: string, action: string) =>
      (await h.prisma.auditLog.findFirstOrThrow({ where: { actor, action } })).cities;
    const mks = await tokenId("mks");
    const all = await tokenId("all");
    expect(await cities(mks, "seekers.list")).toEqual(["7371"]);
    expect(await cities(all, "seekers.list")).toEqual([]);
    expect(await cities(all, "seekers.view")).toEqual(["7371"]);

    const seen = async (token: string, actor: string) =>
      (await actions(`?actor=${actor}`, token)).sort();
    expect(await seen("mksAdmin", mks)).toEqual(["seekers.list"]);
    expect(await seen("bandung", mks)).toEqual([]);
    // Makassar's admin sees who looked at a Makassar seeker, not what an all-cities token listed.
    expect(await seen("mksAdmin", all)).toEqual(["seekers.view"]);
    expect(await seen("bandung", all)).toEqual([]);
    expect(await seen("admin", all)).toEqual(["seekers.list", "seekers.view"]);
  });
});
