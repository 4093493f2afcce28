import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWebServer } from "../../src/web/server.ts";
import { REGISTRATION_SCRIPT } from "../fixtures/registration.ts";
import { apiCaller } from "../helpers/api.ts";
import { FakeChannel, waitFor } from "../helpers/fake-channel.ts";
import { createHarness, type Harness } from "../helpers/harness.ts";
import { createSeeker } from "../helpers/seekers.ts";
import { staffTokens } from "../helpers/staff.ts";
import { vacancyBody } from "../helpers/vacancies.ts";

let h: Harness;
let app: ReturnType<typeof createWebServer>;
const staffRoom = new FakeChannel("telegram");
const tokens: Record<string, string> = {};

beforeAll(async () => {
  h = await createHarness();
  await h.startWorkers({ staffNotice: { adapter: staffRoom, to: "staff-room" } });
  app = createWebServer({ prisma: h.prisma, redis: h.redis, queues: h.queues, log: h.deps.log });
  Object.assign(tokens, await staffTokens(h.prisma));
  // Ani registers in Makassar (SMK, Tuli and wheelchair user, sewing and computers, admin work).
  await h.chat("ani", ...REGISTRATION_SCRIPT);
});
afterAll(async () => {
  await app.close();
  await h.close();
});

const call = (...args: Parameters<ReturnType<typeof apiCaller>>) => apiCaller(app, tokens)(...args);

/** Every vacancy route on one vacancy id. */
const routes = (id: string) =>
  [
    ["GET", `/vacancies/${id}`],
    ["PATCH", `/vacancies/${id}`],
    ["POST", `/vacancies/${id}/publish`],
    ["POST", `/vacancies/${id}/close`],
    ["GET", `/vacancies/${id}/applications`],
  ] as const;

async function create(over: Parameters<typeof vacancyBody>[0] = {}, token = "all") {
  const res = await call("POST", "/vacancies", token, vacancyBody(over));
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; ref: number; status: string; warnings: { code: string }[] };
}

describe("vacancies API", () => {
  it("answers 401 without a valid token on every route", async () => {
    const id = "00000000-0000-4000-8000-000000000000";
    for (const [method, url] of [
      ["POST", "/vacancies"],
      ["GET", "/vacancies"],
      ...routes(id),
    ] as const) {
      for (const token of [undefined, "ijc_wrong"]) {
        const res = await call(method, url, token, method === "GET" ? undefined : {});
        expect(res.statusCode, `${method} ${url}`).toBe(401);
        expect(res.json().error.code).toBe("unauthorized");
      }
    }
  });

  it("creates a draft and warns about discriminatory requirements without refusing", async () => {
    const clean = await create();
    expect(clean).toMatchObject({ status: "draft", warnings: [] });
    expect(clean.ref).toBeGreaterThan(0);
    const flagged = await create({
      description:
        "Syarat: sehat jasmani dan rohani, usia maksimal 25 tahun, berpenampilan menarik.",
    });
    expect(flagged.status).toBe("draft");
    expect(flagged.warnings.map((w) => w.code)).toEqual([
      "health_requirement",
      "age_limit",
      "appearance",
    ]);
    const log = await h.prisma.auditLog.findFirstOrThrow({
      where: { action: "vacancies.create", target: flagged.id },
    });
    expect(log.actor).toMatch(/^token:/);
  });

  it("rejects bad input with a 400 that names the field", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ title: "" }, "title"],
      [{ title: undefined }, "title"],
      [{ city: "9999" }, "city"],
      [{ city: 7371 }, "city"],
      [{ workMode: "office" }, "workMode"],
      [{ minEducation: "college" }, "minEducation"],
      [{ suitableFor: ["blind"] }, "suitableFor.0"],
      [{ accommodations: ["lift"] }, "accommodations.0"],
      [{ openings: 0 }, "openings"],
      [{ openings: 1.5 }, "openings"],
      [{ deadline: "tomorrow" }, "deadline"],
      [{ deadline: "2027-02-30T10:00" }, "deadline"],
      [{ deadline: "2020-01-01" }, "deadline"],
      [{ skills: "menjahit" }, "skills"],
      [{ description: "x".repeat(2001) }, "description"],
      [{ salary: "1 juta" }, ""],
    ];
    for (const [over, path] of cases) {
      const res = await call("POST", "/vacancies", "all", vacancyBody(over));
      expect(res.statusCode, JSON.stringify(over)).toBe(400);
      const error = res.json().error;
      expect(error.code).toBe("validation_failed");
      if (path) expect(error.details.map((d: { path: string }) => d.path)).toContain(path);
    }
    const notJson = await app.inject({
      method: "POST",
      url: "/api/v1/vacancies",
      payload: "{",
      headers: { authorization: `Bearer ${tokens.all}`, "content-type": "application/json" },
    });
    expect(notJson.statusCode).toBe(400);
    expect((await call("GET", "/vacancies/abc", "all")).statusCode).toBe(400);
    const { id } = await create();
    expect((await call("PATCH", `/vacancies/${id}`, "all", {})).statusCode).toBe(400);
    expect(
      (await call("POST", `/vacancies/${id}/close`, "all", { reason: "done" })).statusCode,
    ).toBe(400);
  });

  it("keeps every token inside its cities", async () => {
    const res = await call("POST", "/vacancies", "bandung", vacancyBody({ city: "7371" }));
    expect(res.statusCode).toBe(403);
    const { id } = await create({}, "makassar");
    for (const [method, url] of routes(id)) {
      const body =
        method === "PATCH" ? { openings: 3 } : method === "POST" ? { reason: "closed" } : undefined;
      expect((await call(method, url, "bandung", body)).statusCode, `${method} ${url}`).toBe(404);
    }
    const moved = await call("PATCH", `/vacancies/${id}`, "makassar", { city: "3273" });
    expect(moved.statusCode).toBe(403);
    const bandungList = (await call("GET", "/vacancies", "bandung")).json();
    expect(bandungList.items).toEqual([]);
  });

  it("edits a vacancy and warns again", async () => {
    const { id } = await create();
    const res = await call("PATCH", `/vacancies/${id}`, "all", {
      title: "Penjahit (khusus wanita)",
      deadline: "2027-07-01T09:00:00+08:00",
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.title).toBe("Penjahit (khusus wanita)");
    expect(body.deadline).toBe("2027-07-01T01:00:00.000Z");
    expect(body.warnings.map((w: { code: string }) => w.code)).toEqual(["gender"]);
    const row = await h.prisma.vacancy.findUniqueOrThrow({ where: { id } });
    expect(row.tags).toContain("menjahit");
  });

  it("lists with filters and pages", async () => {
    await create({ title: "Tukang Kebun Unik", city: "3273" });
    const byQ = (await call("GET", "/vacancies?q=kebun%20unik", "all")).json();
    expect(byQ.items.map((v: { title: string }) => v.title)).toEqual(["Tukang Kebun Unik"]);
    const byCity = (await call("GET", "/vacancies?city=3273", "all")).json();
    expect(byCity.items.every((v: { city: string }) => v.city === "3273")).toBe(true);
    const first = (await call("GET", "/vacancies?status=draft&limit=2", "all")).json();
    expect(first.items).toHaveLength(2);
    const next = (
      await call("GET", `/vacancies?status=draft&limit=2&cursor=${first.nextCursor}`, "all")
    ).json();
    expect(next.items[0].id).not.toBe(first.items[1].id);
    expect((await call("GET", "/vacancies?status=gone", "all")).statusCode).toBe(400);
  });

  it("publishes to the matching seekers; 'minat' reaches staff and the applications list", async () => {
    const { id, ref } = await create({
      title: "Staf Administrasi Gudang",
      skills: ["komputer"],
      suitableFor: ["rungu", "fisik"],
    });
    const published = await call("POST", `/vacancies/${id}/publish`, "makassar");
    expect(published.statusCode).toBe(202);
    // held/heldUntil: how many of the pushes wait for the end of quiet hours (test/web/held.test.ts).
    expect(published.json()).toMatchObject({ status: "open", matched: 1 });
    expect(published.json().held).toBeLessThanOrEqual(1);
    await waitFor(
      () => h.channel.textsTo("ani").some((t) => t.includes(`minat ${ref}`)),
      15_000,
      "push",
    );

    const [reply] = await h.chat("ani", `minat ${ref}`);
    expect(reply!.join("\n")).toContain("minat Anda untuk Staf Administrasi Gudang");
    await waitFor(() => staffRoom.sent.length > 0, 10_000, "staff notice");
    expect(staffRoom.textsTo("staff-room").at(-1)).toBe(
      `Ada peminat baru untuk lowongan nomor ${ref} (Staf Administrasi Gudang). Lihat daftar peminat di konsol petugas.`,
    );

    const list = (await call("GET", `/vacancies/${id}/applications`, "makassar")).json();
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({
      status: "interested",
      channel: "console",
      seeker: { name: "Ani Lestari", city: "7371", education: "smk", phone: "+628123456789" },
    });
    expect(
      await h.prisma.auditLog.count({ where: { action: "vacancies.applications", target: id } }),
    ).toBe(1);
    expect((await call("GET", `/vacancies/${id}`, "all")).json()).toMatchObject({
      status: "open",
      applications: 1,
    });

    await h.chat("ani", `batal minat ${ref}`);
    const withdrawn = (
      await call("GET", `/vacancies/${id}/applications?status=withdrawn`, "all")
    ).json();
    expect(withdrawn.items).toHaveLength(1);
  });

  it("shows applicants of other cities to the vacancy's city only as shared, as they were told at 'minat'", async () => {
    // A remote vacancy of Makassar draws people from Jakarta Pusat.
    const { id, ref } = await create({
      title: "Operator Data Jarak Jauh",
      workMode: "remote",
      minEducation: "sd",
      skills: [],
    });
    expect((await call("POST", `/vacancies/${id}/publish`, "makassar")).statusCode).toBe(202);
    const jakarta = {
      cityCode: "3173",
      education: "s1" as const,
      accommodations: ["screen_reader"],
    };
    const budi = await createSeeker(h.prisma, {
      externalId: "budi-remote",
      profile: {
        ...jakarta,
        fullName: "Budi Santoso",
        disabilityCategories: ["netra"],
        phone: "+628111000111",
      },
    });
    const citra = await createSeeker(h.prisma, {
      externalId: "citra-remote",
      profile: {
        ...jakarta,
        fullName: "Citra Dewi",
        disabilityCategories: ["fisik"],
        phone: "+628111000222",
      },
    });
    await h.prisma.consentRecord.createMany({
      data: [
        {
          personId: budi.personId,
          purpose: "disability",
          granted: true,
          textVersion: "t",
          channel: "console",
        },
        // Citra withdrew it: her categories are not shared even if still stored.
        {
          personId: citra.personId,
          purpose: "disability",
          granted: false,
          textVersion: "t",
          channel: "console",
        },
      ],
    });

    // A first message is greeted with the language question; then the command.
    const [, , budiReplies] = await h.chat("budi-remote", "halo", "1", `minat ${ref}`);
    const told = budiReplies!.join("\n");
    expect(told).toContain("Pusat Ketenagakerjaan Inklusif Kota Makassar: nama, nomor telepon");
    expect(told).toContain("ragam disabilitas");
    const [, , citraReplies] = await h.chat("citra-remote", "halo", "1", `minat ${ref}`);
    expect(citraReplies!.join("\n")).toContain("Pusat Ketenagakerjaan Inklusif Kota Makassar");
    expect(citraReplies!.join("\n")).not.toContain("ragam disabilitas");

    const seen = (await call("GET", `/vacancies/${id}/applications`, "makassar")).json().items;
    const of = (name: string) =>
      seen.find((a: { seeker: { name: string } }) => a.seeker.name === name)?.seeker;
    expect(of("Budi Santoso")).toEqual({
      id: budi.personId,
      view: "shared",
      language: "id",
      name: "Budi Santoso",
      city: null,
      education: null,
      disabilityCategories: ["netra"],
      accommodations: ["screen_reader"],
      accommodationNote: null,
      communication: ["text"],
      phone: "+628111000111",
    });
    expect(of("Citra Dewi")).toMatchObject({
      view: "shared",
      disabilityCategories: [],
      city: null,
    });
    // Staff of every city see them in full, as their own city's center would.
    const all = (await call("GET", `/vacancies/${id}/applications`, "all")).json().items;
    expect(
      all.map((a: { seeker: { view: string; city: string } }) => [a.seeker.view, a.seeker.city]),
    ).toEqual([
      ["full", "3173"],
      ["full", "3173"],
    ]);
    const views = await h.prisma.auditLog.findMany({
      where: { action: "vacancies.applications", target: id },
      orderBy: { createdAt: "asc" },
    });
    expect(views.map((v) => v.details)).toEqual([
      { count: 2, shared: 2 },
      { count: 2, shared: 0 },
    ]);
  });

  it("closes, refuses to close twice, reopens; refuses to publish past the deadline", async () => {
    const { id } = await create();
    const closed = await call("POST", `/vacancies/${id}/close`, "all", { reason: "filled" });
    expect(closed.statusCode).toBe(200);
    expect(closed.json().status).toBe("filled");
    expect(
      (await call("POST", `/vacancies/${id}/close`, "all", { reason: "closed" })).statusCode,
    ).toBe(409);
    expect((await call("POST", `/vacancies/${id}/publish`, "all")).statusCode).toBe(202);
    await h.prisma.vacancy.update({
      where: { id },
      data: { deadline: new Date(Date.now() - 1000) },
    });
    const late = await call("POST", `/vacancies/${id}/publish`, "all");
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe("deadline_passed");
  });
});
