import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { csvField } from "../../src/features/seekers/data.ts";
import { createToken } from "../../src/features/staff/tokens.ts";
import { AUTH_FAILURES_MAX } from "../../src/web/api/auth.ts";
import { createWebServer } from "../../src/web/server.ts";
import { apiCaller } from "../helpers/api.ts";
import { createHarness, type Harness } from "../helpers/harness.ts";
import { createSeeker } from "../helpers/seekers.ts";
import { staffTokens } from "../helpers/staff.ts";

let h: Harness;
let app: ReturnType<typeof createWebServer>;
const tokens: Record<string, string> = {};
const ids: Record<string, string> = {};
const call = (...args: Parameters<ReturnType<typeof apiCaller>>) => apiCaller(app, tokens)(...args);

beforeAll(async () => {
  h = await createHarness();
  app = createWebServer({ prisma: h.prisma, redis: h.redis, queues: h.queues, log: h.deps.log });
  Object.assign(tokens, await staffTokens(h.prisma));
  tokens.makassarAdmin = (
    await createToken(h.prisma, { name: "mks-admin", role: "admin", cities: ["7371"] })
  ).token;
  const make = async (key: string, spec: Parameters<typeof createSeeker>[1]) => {
    ids[key] = (await createSeeker(h.prisma, spec)).personId;
  };
  await make("ani", {
    profile: { fullName: "Ani Lestari", education: "smk", disabilityCategories: ["rungu"] },
  });
  await make("budi", {
    profile: { fullName: "Budi", education: "smp", disabilityCategories: ["fisik"] },
  });
  await make("citra", {
    profile: { fullName: '=HYPERLINK("x")', cityCode: "3273", education: "s1" },
  });
  await make("gone", { status: "deleted", profile: { fullName: "Dihapus" } });
});
afterAll(async () => {
  await app.close();
  await h.close();
});

const names = (res: { json(): { items: { name: string }[] } }) =>
  res
    .json()
    .items.map((s) => s.name)
    .sort();

describe("seekers API", () => {
  it("needs a token on every route, and the admin role for the export", async () => {
    for (const url of ["/seekers", `/seekers/${ids.ani}`, "/seekers.csv"]) {
      expect((await call("GET", url)).statusCode, url).toBe(401);
      expect((await call("GET", url, "revoked")).statusCode, url).toBe(401);
    }
    const staffExport = await call("GET", "/seekers.csv", "all");
    expect(staffExport.statusCode).toBe(403);
    expect(staffExport.json().error.code).toBe("forbidden");
  });

  it("lists registered seekers by city, category, education and name, within the token's cities", async () => {
    expect(names(await call("GET", "/seekers", "all"))).toEqual([
      '=HYPERLINK("x")',
      "Ani Lestari",
      "Budi",
    ]);
    expect(names(await call("GET", "/seekers", "makassar"))).toEqual(["Ani Lestari", "Budi"]);
    expect(names(await call("GET", "/seekers?city=3273", "makassar"))).toEqual([]);
    expect(names(await call("GET", "/seekers?category=rungu", "all"))).toEqual(["Ani Lestari"]);
    expect(names(await call("GET", "/seekers?education=sma", "all"))).toEqual([
      '=HYPERLINK("x")',
      "Ani Lestari",
    ]);
    expect(names(await call("GET", "/seekers?q=lest", "all"))).toEqual(["Ani Lestari"]);
    const first = (await call("GET", "/seekers?limit=2", "all")).json();
    const next = (await call("GET", `/seekers?limit=2&cursor=${first.nextCursor}`, "all")).json();
    expect([...first.items, ...next.items].map((s: { id: string }) => s.id).sort()).toEqual(
      [ids.ani, ids.budi, ids.citra].sort(),
    );
    for (const bad of ["?category=blind", "?education=college", "?city=Makassar", "?limit=0"])
      expect((await call("GET", `/seekers${bad}`, "all")).statusCode, bad).toBe(400);
    expect(await h.prisma.auditLog.count({ where: { action: "seekers.list" } })).toBeGreaterThan(5);
  });

  it("shows one seeker in full, audited; outside the token's cities is 404", async () => {
    const res = await call("GET", `/seekers/${ids.ani}`, "makassar");
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      id: ids.ani,
      status: "active",
      profile: { fullName: "Ani Lestari", education: "smk", disabilityCategories: ["rungu"] },
      channels: [{ channel: "console", reachable: true }],
      consent: { data: { granted: true, textVersion: "t" }, disability: null },
      enrollments: [],
      applications: [],
    });
    expect(
      await h.prisma.auditLog.count({ where: { action: "seekers.view", target: ids.ani } }),
    ).toBe(1);
    expect((await call("GET", `/seekers/${ids.citra}`, "makassar")).statusCode).toBe(404);
    expect((await call("GET", `/seekers/${ids.gone}`, "all")).statusCode).toBe(404);
  });

  it("exports a report without names or contacts, safe to open in a spreadsheet", async () => {
    const res = await call("GET", "/seekers.csv", "bandung");
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toContain("text/csv");
    const lines = res.body.trim().split("\r\n");
    expect(lines[0]).toBe(
      "id,registered_at,city_code,city_name,disability_categories,education,work_modes,status,language,channels,applications,enrolments",
    );
    expect(lines).toHaveLength(2); // Bandung's admin sees Bandung only
    expect(lines[1]).toContain(`${ids.citra},`);
    expect(lines[1]).toContain(",3273,Kota Bandung,,s1,,active,id,console,0,0");
    expect(res.body).not.toContain("HYPERLINK");
    const mks = (await call("GET", "/seekers.csv?category=rungu", "makassarAdmin")).body
      .trim()
      .split("\r\n");
    expect(mks.slice(1).map((l) => l.split(",")[0])).toEqual([ids.ani]);
    expect(await h.prisma.auditLog.count({ where: { action: "seekers.export" } })).toBe(2);
  });

  it("quotes CSV fields and defuses formulas", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField('say "hi", ok')).toBe('"say ""hi"", ok"');
    expect(csvField("=1+1")).toBe("'=1+1");
    expect(csvField("-5")).toBe("'-5");
    expect(csvField("a;b")).toBe('"a;b"');
  });
});

describe("staff API protections", () => {
  it("sends security headers, and no caching of personal data", async () => {
    const res = await call("GET", "/seekers", "all");
    expect(res.headers).toMatchObject({
      "x-content-type-options": "nosniff",
      "x-frame-options": "DENY",
      "referrer-policy": "no-referrer",
      "cache-control": "no-store",
    });
    expect(res.headers["content-security-policy"]).toContain("default-src 'none'");
  });

  it("tells an address that keeps guessing tokens to wait, but never refuses it a good token", async () => {
    const guess = (n: number) =>
      app.inject({
        method: "GET",
        url: "/api/v1/seekers",
        remoteAddress: "10.9.8.7",
        headers: { authorization: `Bearer ijc_guess${n}` },
      });
    for (let i = 0; i < AUTH_FAILURES_MAX; i++) expect((await guess(i)).statusCode).toBe(401);
    const blocked = await guess(99);
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().error.code).toBe("too_many_attempts");
    expect(Number(blocked.headers["retry-after"])).toBeGreaterThan(0);
    const good = await app.inject({
      method: "GET",
      url: "/api/v1/seekers",
      remoteAddress: "10.9.8.7",
      headers: { authorization: `Bearer ${tokens.all}` },
    });
    // Checked first: a valid token is never refused for others' guesses (everyone behind one NAT).
    expect(good.statusCode).toBe(200);
    // Other addresses are not affected.
    expect((await call("GET", "/seekers", "all")).statusCode).toBe(200);
  });
});
