/**
 * Every kabupaten/kota in the console (issue 16): an admin of every city picks
 * any of the 514 places for a vacancy or training (job-center cities first,
 * the rest under their province) and reaches places without a job center in
 * an announcement by typing their names; a city-scoped account keeps its own.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REGENCIES } from "../../src/domain/cities.ts";
import { namedPlaces } from "../../src/web/console/broadcasts.ts";
import { createWebServer } from "../../src/web/server.ts";
import { consoleSession } from "../helpers/console.ts";
import { createHarness, type Harness } from "../helpers/harness.ts";
import { createSeeker } from "../helpers/seekers.ts";

let h: Harness;
let app: ReturnType<typeof createWebServer>;

beforeAll(async () => {
  h = await createHarness();
  app = createWebServer({ prisma: h.prisma, redis: h.redis, queues: h.queues, log: h.deps.log });
  await createSeeker(h.prisma, { profile: { cityCode: "7306" } }); // Kabupaten Gowa
  await createSeeker(h.prisma, { profile: { cityCode: "3578" } }); // Kota Surabaya
  await createSeeker(h.prisma, { profile: { cityCode: "7371" } }); // Kota Makassar
});
afterAll(async () => {
  await app?.close();
  await h?.close();
});

/** The options of the form's select named `name`: [value, group label or ""]. */
function selectOptions(body: string, name: string): [string, string][] {
  const select = body.match(new RegExp(`<select[^>]* name="${name}"[^>]*>([\\s\\S]*?)</select>`));
  expect(select, `a select named ${name}`).not.toBeNull();
  const found: [string, string][] = [];
  let group = "";
  for (const m of select![1]!.matchAll(/<optgroup label="([^"]*)">|<option value="([^"]*)"/g)) {
    if (m[1] !== undefined) group = m[1];
    else found.push([m[2]!, group]);
  }
  return found;
}

const form = (csrf: string, fields: Record<string, string>) =>
  new URLSearchParams({ _csrf: csrf, ...fields }).toString();
const FORM = { "content-type": "application/x-www-form-urlencoded" };

describe("places in the console", () => {
  it("offers an admin of every city all 514, job-center cities first, the rest by province", async () => {
    const { cookie } = await consoleSession(h.prisma, { role: "admin" });
    for (const path of ["/console/vacancies/new", "/console/trainings"]) {
      const res = await app.inject({ method: "GET", url: path, headers: { cookie } });
      expect(res.statusCode).toBe(200);
      const offered = selectOptions(res.body, "city");
      expect(offered).toHaveLength(REGENCIES.length);
      expect(new Set(offered.map(([code]) => code)).size).toBe(514);
      expect(offered[0]).toEqual(["1171", "Kota dengan Pusat Ketenagakerjaan Inklusif"]);
      expect(offered.slice(0, 28).every(([, g]) => g === offered[0]![1])).toBe(true);
      expect(offered).toContainEqual(["3578", "Jawa Timur"]);
      expect(offered).toContainEqual(["7306", "Sulawesi Selatan"]);
    }
    const seekers = await app.inject({
      method: "GET",
      url: "/console/seekers",
      headers: { cookie },
    });
    expect(selectOptions(seekers.body, "city")).toHaveLength(1 + 514);
  });

  it("offers a city-scoped account its own cities only", async () => {
    const { cookie } = await consoleSession(h.prisma, { role: "staff", cities: ["7371"] });
    const res = await app.inject({
      method: "GET",
      url: "/console/vacancies/new",
      headers: { cookie },
    });
    expect(selectOptions(res.body, "city")).toEqual([["7371", ""]]);
    const broadcasts = await app.inject({
      method: "GET",
      url: "/console/broadcasts",
      headers: { cookie },
    });
    expect(broadcasts.body).not.toContain('name="places"');
  });

  it("creates a vacancy in a regency without a job center for an admin of every city, not for a scoped one", async () => {
    const fields = {
      title: "Operator Produksi",
      employer: "PT Gowa Makmur",
      city: "7306",
      workMode: "onsite",
      minEducation: "smp",
      openings: "2",
      deadline: "2099-03-01",
      description: "Mengemas produk di pabrik.",
      howToApply: "Datang ke kantor HRD.",
    };
    const admin = await consoleSession(h.prisma, { role: "admin" });
    const made = await app.inject({
      method: "POST",
      url: "/console/vacancies",
      headers: { cookie: admin.cookie, ...FORM },
      payload: form(admin.csrf, fields),
    });
    expect(made.statusCode).toBe(201);
    const stored = await h.prisma.vacancy.findFirstOrThrow({
      where: { employer: "PT Gowa Makmur" },
    });
    expect(stored.cityCode).toBe("7306");
    expect(made.body).toContain("Kabupaten Gowa");

    const scoped = await consoleSession(h.prisma, { role: "staff", cities: ["7371"] });
    const refused = await app.inject({
      method: "POST",
      url: "/console/vacancies",
      headers: { cookie: scoped.cookie, ...FORM },
      payload: form(scoped.csrf, { ...fields, employer: "PT Lain" }),
    });
    expect(refused.statusCode).toBe(403);
    expect(await h.prisma.vacancy.count({ where: { employer: "PT Lain" } })).toBe(0);
  });

  it("counts an announcement's recipients in places typed by name or code", async () => {
    const { cookie, csrf } = await consoleSession(h.prisma, { role: "admin" });
    const count = (fields: Record<string, string>) =>
      app.inject({
        method: "POST",
        url: "/console/broadcasts/count",
        headers: { cookie, ...FORM },
        payload: form(csrf, { "message.id": "Bursa kerja", ...fields }),
      });
    const gowa = await count({ places: "kab gowa" });
    expect(gowa.statusCode).toBe(200);
    expect(gowa.json().count).toBe(1);
    // Typo, code and a ticked job-center city together.
    const three = await count({ places: "Kabupaten Gowa, surabya", cities: "7371" });
    expect(three.json().count).toBe(3);
    expect((await count({ places: "35.78" })).json().count).toBe(1);
    const ambiguous = await count({ places: "Malang" });
    expect(ambiguous.statusCode).toBe(400);
    expect(ambiguous.json().text).toContain("Kota Malang");
    expect(ambiguous.json().text).toContain("Kabupaten Malang");
    const unknown = await count({ places: "Atlantis" });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().text).toContain('"Atlantis"');
  });
});

describe("namedPlaces", () => {
  it("reads names, codes and typos, and names the problem of each other entry", () => {
    expect(namedPlaces("Kabupaten Gowa; 3578\nsolo")).toEqual({
      codes: ["7306", "3578", "3372"],
      problems: [],
    });
    expect(namedPlaces(" , ")).toEqual({ codes: [], problems: [] });
    const { problems } = namedPlaces("Bogor, Narnia");
    expect(problems.map((p) => [p.kind, p.place])).toEqual([
      ["placeAmbiguous", "Bogor"],
      ["placeUnknown", "Narnia"],
    ]);
  });
});
