/**
 * Where people drop out (issue 16): registration steps recorded by the
 * message path (the batched one: no extra statement) and the funnel the
 * staff API shows, scoped to the caller's cities, with nothing personal in it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWebServer } from "../../src/web/server.ts";
import { REGISTRATION_SCRIPT } from "../fixtures/registration.ts";
import { apiCaller } from "../helpers/api.ts";
import { consoleSession } from "../helpers/console.ts";
import { createHarness, type Harness } from "../helpers/harness.ts";
import { staffTokens } from "../helpers/staff.ts";

let h: Harness;
let app: ReturnType<typeof createWebServer>;
const tokens: Record<string, string> = {};
const call = (...args: Parameters<ReturnType<typeof apiCaller>>) => apiCaller(app, tokens)(...args);

beforeAll(async () => {
  h = await createHarness();
  await h.startWorkers();
  app = createWebServer({ prisma: h.prisma, redis: h.redis, queues: h.queues, log: h.deps.log });
  Object.assign(tokens, await staffTokens(h.prisma));
  // Ani registers in Makassar; Budi stops at the disability question; Citra declines consent.
  await h.chat("ani", ...REGISTRATION_SCRIPT);
  await h.chat("budi", "halo", "1", "ya", "Budi Santoso", "makasar");
  await h.chat("citra", "halo", "1", "tidak");
  // Budi and Citra have been silent for two days.
  await h.prisma.$executeRawUnsafe(
    `UPDATE "Conversation" SET "updatedAt" = "updatedAt" - interval '48 hours'
     WHERE "personId" IN (SELECT "personId" FROM "ChannelAccount" WHERE "externalId" IN ('budi', 'citra'))`,
  );
});
afterAll(async () => {
  await app.close();
  await h.close();
});

type Step = { step: string; reached: number | null; abandoned: number | null };
const funnel = async (query = "", token = "all") => {
  const res = await call("GET", `/stats/registration-funnel${query}`, token);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { steps: Step[]; cities: string[] | null; from: string; to: string };
};
const at = (steps: Step[], step: string) => steps.find((s) => s.step === step)!;

describe("the registration funnel", () => {
  it("records each step once per person, with no one's identity", async () => {
    const rows = await h.prisma.registrationStep.findMany();
    expect(Object.keys(rows[0]!).sort()).toEqual(
      ["channel", "cityCode", "day", "id", "language", "step"].sort(),
    );
    expect(rows.filter((r) => r.step === "consent")).toHaveLength(3);
    expect(rows.filter((r) => r.step === "done")).toHaveLength(1);
    expect(rows.find((r) => r.step === "education")).toMatchObject({
      channel: "console",
      language: "id",
      cityCode: "7371",
    });
  });

  it("shows per step how many reached it and how many stopped there", async () => {
    const { steps } = await funnel();
    expect(steps.map((s) => s.step)).toEqual([
      "consent",
      "name",
      "city",
      "cityPick",
      "disabilityConsent",
      "categories",
      "education",
      "skills",
      "experience",
      "jobTypes",
      "workModes",
      "accommodations",
      "communication",
      "phone",
      "summary",
      "done",
    ]);
    expect(at(steps, "consent")).toEqual({ step: "consent", reached: 3, abandoned: 1 });
    expect(at(steps, "name")).toEqual({ step: "name", reached: 2, abandoned: 0 });
    expect(at(steps, "disabilityConsent")).toEqual({
      step: "disabilityConsent",
      reached: 2,
      abandoned: 1,
    });
    expect(at(steps, "categories")).toEqual({ step: "categories", reached: 1, abandoned: 0 });
    expect(at(steps, "done")).toEqual({ step: "done", reached: 1, abandoned: 0 });
    // Still typing a day ago is not abandoned: only after idleHours.
    const strict = await funnel("?idleHours=72");
    expect(at(strict.steps, "consent").abandoned).toBe(0);
  });

  it("counts a city's steps once the place is known, for staff of that city only", async () => {
    const makassar = await funnel("", "makassar");
    expect(makassar.cities).toEqual(["7371"]);
    expect(at(makassar.steps, "consent")).toEqual({
      step: "consent",
      reached: null,
      abandoned: null,
    });
    expect(at(makassar.steps, "disabilityConsent")).toMatchObject({ reached: 2, abandoned: 1 });
    const bandung = await funnel("", "bandung");
    expect(at(bandung.steps, "disabilityConsent")).toMatchObject({ reached: 0, abandoned: 0 });
    // A city outside the caller's scope counts nothing.
    const asked = await funnel("?cities=7371", "bandung");
    expect(asked.cities).toEqual([]);
    expect(at(asked.steps, "done").reached).toBe(0);
  });

  it("filters by channel, language and days, and holds nothing personal", async () => {
    expect(at((await funnel("?channel=telegram")).steps, "consent").reached).toBe(0);
    expect(at((await funnel("?language=en")).steps, "consent").reached).toBe(0);
    expect(at((await funnel("?from=2020-01-01&to=2020-01-31")).steps, "consent").reached).toBe(0);
    const body = JSON.stringify(await funnel());
    for (const name of ["Ani", "Budi", "Citra", "ani", "budi"]) expect(body).not.toContain(name);
    // Counts only: reading them is not written to the audit log.
    expect(await h.prisma.auditLog.count({ where: { action: { contains: "funnel" } } })).toBe(0);
  });

  it("shows staff the same funnel in the console, per their cities", async () => {
    const get = async (cities: string[], query = "") => {
      const { cookie } = await consoleSession(h.prisma, { cities });
      const res = await app.inject({
        method: "GET",
        url: `/console/funnel${query}`,
        headers: { cookie },
      });
      expect(res.statusCode).toBe(200);
      return res.body;
    };
    const all = await get([], "?lang=en");
    expect(all).toContain("Where people drop out of registration");
    expect(all).toMatch(/Consent to keep data<\/th><td>3 \(100%\)<\/td><td>1<\/td>/);
    expect(all).toMatch(/Consent to disability data<\/th><td>2 \(67%\)<\/td><td>1<\/td>/);
    expect(all).toMatch(/Registered<\/th><td>1 \(33%\)<\/td><td>0<\/td>/);
    const makassar = await get(["7371"], "?lang=en");
    expect(makassar).toMatch(/Consent to keep data<\/th><td>not known per city<\/td>/);
    expect(makassar).toContain("only staff of all cities see them");
    for (const name of ["Ani", "Budi", "Citra"]) expect(all).not.toContain(name);
  });

  it("refuses a bad period or city, and callers without a token", async () => {
    expect(
      (await call("GET", "/stats/registration-funnel?from=2027-02-01&to=2027-01-01", "all"))
        .statusCode,
    ).toBe(400);
    expect((await call("GET", "/stats/registration-funnel?cities=9999", "all")).statusCode).toBe(
      400,
    );
    expect((await call("GET", "/stats/registration-funnel?from=yesterday", "all")).statusCode).toBe(
      400,
    );
    expect((await call("GET", "/stats/registration-funnel")).statusCode).toBe(401);
  });
});
