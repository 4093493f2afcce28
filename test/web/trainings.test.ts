import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWebServer } from "../../src/web/server.ts";
import { REGISTRATION_SCRIPT } from "../fixtures/registration.ts";
import { apiCaller } from "../helpers/api.ts";
import { createHarness, type Harness } from "../helpers/harness.ts";
import { createSeeker } from "../helpers/seekers.ts";
import { staffTokens } from "../helpers/staff.ts";
import { trainingBody } from "../helpers/trainings.ts";

let h: Harness;
let app: ReturnType<typeof createWebServer>;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  h = await createHarness();
  await h.startWorkers();
  app = createWebServer({ prisma: h.prisma, redis: h.redis, queues: h.queues, log: h.deps.log });
  Object.assign(tokens, await staffTokens(h.prisma));
});
afterAll(async () => {
  await app.close();
  await h.close();
});

const call = (...args: Parameters<ReturnType<typeof apiCaller>>) => apiCaller(app, tokens)(...args);

async function create(over: Record<string, unknown> = {}, token = "all") {
  const res = await call("POST", "/trainings", token, trainingBody(over));
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; ref: number };
}

const routes = (id: string) =>
  [
    ["GET", `/trainings/${id}`],
    ["PATCH", `/trainings/${id}`],
    ["POST", `/trainings/${id}/cancel`],
    ["GET", `/trainings/${id}/enrollments`],
  ] as const;

describe("trainings API", () => {
  it("answers 401 without a valid token, and keeps tokens inside their cities", async () => {
    const { id } = await create({}, "makassar");
    for (const [method, url] of [
      ["POST", "/trainings"],
      ["GET", "/trainings"],
      ...routes(id),
    ] as const) {
      for (const token of [undefined, "ijc_wrong", "revoked"]) {
        const res = await call(method, url, token, method === "GET" ? undefined : {});
        expect(res.statusCode, `${method} ${url}`).toBe(401);
      }
    }
    expect((await call("POST", "/trainings", "bandung", trainingBody())).statusCode).toBe(403);
    for (const [method, url] of routes(id)) {
      const body = method === "PATCH" ? { capacity: 20 } : method === "POST" ? {} : undefined;
      expect((await call(method, url, "bandung", body)).statusCode, `${method} ${url}`).toBe(404);
    }
    expect((await call("GET", "/trainings", "bandung")).json().items).toEqual([]);
  });

  it("rejects bad input with a 400 that names the field", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ title: "" }, "title"],
      [{ city: "0000" }, "city"],
      [{ online: "yes" }, "online"],
      [{ startsAt: "2027-01-11 09:00" }, "startsAt"],
      [{ startsAt: "2027-01-11T09:00:00" }, "startsAt"],
      [{ startsAt: "2020-01-11T09:00:00+08:00" }, "startsAt"],
      [{ registrationDeadline: "2027-01-12T09:00:00+08:00" }, "registrationDeadline"],
      [{ durationMinutes: 5 }, "durationMinutes"],
      [{ capacity: 0 }, "capacity"],
      [{ accommodations: ["lift"] }, "accommodations.0"],
      [{ extra: 1 }, ""],
    ];
    for (const [over, path] of cases) {
      const res = await call("POST", "/trainings", "all", trainingBody(over));
      expect(res.statusCode, JSON.stringify(over)).toBe(400);
      const error = res.json().error;
      expect(error.code).toBe("validation_failed");
      if (path) expect(error.details.map((d: { path: string }) => d.path)).toContain(path);
    }
    const { id } = await create();
    expect((await call("PATCH", `/trainings/${id}`, "all", {})).statusCode).toBe(400);
    expect((await call("GET", "/trainings/not-a-uuid", "all")).statusCode).toBe(400);
  });

  it("lists upcoming trainings, shows seats, enrolments with attendance and the waitlist in order", async () => {
    const { id, ref } = await create({ title: "Kelas Kecil", capacity: 1 });
    await h.chat("ani", ...REGISTRATION_SCRIPT, `pelatihan ${ref}`, "1");
    await h.chat("budi", ...REGISTRATION_SCRIPT, `pelatihan ${ref}`, "1");
    await h.chat("citra", ...REGISTRATION_SCRIPT, `pelatihan ${ref}`, "1");
    const one = (await call("GET", `/trainings/${id}`, "all")).json();
    expect(one).toMatchObject({ title: "Kelas Kecil", capacity: 1, enrolled: 1, waitlisted: 2 });
    const list = (await call("GET", "/trainings?city=7371", "all")).json();
    expect(list.items.map((t: { id: string }) => t.id)).toContain(id);
    const enrolments = (await call("GET", `/trainings/${id}/enrollments`, "makassar")).json().items;
    expect(
      enrolments.map(
        (e: { status: string; waitlistPosition: number | null; seeker: { name: string } }) => [
          e.status,
          e.waitlistPosition,
          e.seeker.name,
        ],
      ),
    ).toEqual([
      ["enrolled", null, "Ani Lestari"],
      ["waitlisted", 1, "Ani Lestari"],
      ["waitlisted", 2, "Ani Lestari"],
    ]);
    expect(
      await h.prisma.auditLog.count({ where: { action: "trainings.enrollments", target: id } }),
    ).toBe(1);

    // More seats: the waitlist moves up, in order.
    const bigger = await call("PATCH", `/trainings/${id}`, "all", { capacity: 2 });
    expect(bigger.json()).toMatchObject({ enrolled: 2, waitlisted: 1 });
  });

  it("shows people of other cities in an online training to its city only as shared, as they were told", async () => {
    const { id, ref } = await create({
      title: "Kelas Daring",
      online: true,
      venue: "https://meet.example/k",
    });
    const dewi = await createSeeker(h.prisma, {
      externalId: "dewi-online",
      profile: {
        fullName: "Dewi Jakarta",
        cityCode: "3173",
        education: "s1",
        disabilityCategories: ["rungu"],
        accommodations: ["sign_interpreter"],
        phone: "+628111000333",
      },
    });
    // No disability consent on record: the categories stay with her own city.
    const [, , told] = await h.chat("dewi-online", "halo", "1", `pelatihan ${ref}`);
    expect(told!.join("\n")).toContain("pelatihan");
    const [enrolled] = await h.chat("dewi-online", "1");
    expect(enrolled!.join("\n")).toContain(
      "Yang kami bagikan ke Pusat Ketenagakerjaan Inklusif Kota Makassar",
    );
    expect(enrolled!.join("\n")).not.toContain("ragam disabilitas");
    const items = (await call("GET", `/trainings/${id}/enrollments`, "makassar")).json().items;
    expect(items.map((e: { seeker: object }) => e.seeker)).toEqual([
      {
        id: dewi.personId,
        view: "shared",
        language: "id",
        name: "Dewi Jakarta",
        city: null,
        education: null,
        disabilityCategories: [],
        accommodations: ["sign_interpreter"],
        accommodationNote: null,
        communication: ["text"],
        phone: "+628111000333",
      },
    ]);
    const view = await h.prisma.auditLog.findFirstOrThrow({
      where: { action: "trainings.enrollments", target: id },
    });
    expect(view.details).toEqual({ count: 1, shared: 1 });
  });

  it("moves a training and cancels it; a cancelled one cannot change", async () => {
    const { id } = await create();
    const moved = await call("PATCH", `/trainings/${id}`, "all", {
      startsAt: "2027-02-01T10:00:00+08:00",
    });
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toMatchObject({
      startsAt: "2027-02-01T02:00:00.000Z",
      registrationDeadline: "2027-02-01T02:00:00.000Z",
    });
    const past = await call("PATCH", `/trainings/${id}`, "all", {
      startsAt: "2020-01-01T10:00:00+08:00",
    });
    expect(past.statusCode).toBe(400);
    const cancelled = await call("POST", `/trainings/${id}/cancel`, "all", {});
    expect(cancelled.json()).toEqual({ status: "cancelled", told: 0 });
    expect((await call("POST", `/trainings/${id}/cancel`, "all", {})).statusCode).toBe(409);
    expect((await call("PATCH", `/trainings/${id}`, "all", { capacity: 3 })).statusCode).toBe(409);
    const audit = await h.prisma.auditLog.findMany({
      where: { target: id },
      orderBy: { createdAt: "asc" },
    });
    expect(audit.map((a) => a.action)).toEqual([
      "trainings.create",
      "trainings.update",
      "trainings.cancel",
    ]);
  });
});
