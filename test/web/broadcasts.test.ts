import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWebServer } from "../../src/web/server.ts";
import { apiCaller } from "../helpers/api.ts";
import { waitFor } from "../helpers/fake-channel.ts";
import { createHarness, type Harness } from "../helpers/harness.ts";
import { createSeeker } from "../helpers/seekers.ts";
import { staffTokens } from "../helpers/staff.ts";

let h: Harness;
let app: ReturnType<typeof createWebServer>;
const tokens: Record<string, string> = {};
const call = (...args: Parameters<ReturnType<typeof apiCaller>>) => apiCaller(app, tokens)(...args);

beforeAll(async () => {
  h = await createHarness();
  app = createWebServer({
    prisma: h.prisma,
    redis: h.redis,
    queues: h.queues,
    log: h.deps.log,
    serviceName: "PKI Kota Uji",
  });
  Object.assign(tokens, await staffTokens(h.prisma));
  await createSeeker(h.prisma, { externalId: "mks-1", language: "en" });
  await createSeeker(h.prisma, { externalId: "mks-2", profile: { education: "s1" } });
  await createSeeker(h.prisma, { externalId: "mks-stop", status: "stopped" });
  await createSeeker(h.prisma, { externalId: "bdg", profile: { cityCode: "3273" } });
  // Nobody's night, whenever the suite runs.
  await h.startWorkers({ broadcast: { quiet: { start: 0, end: 0 } } });
});
afterAll(async () => {
  await app.close();
  await h.close();
});

const MESSAGE = {
  id: "Bursa kerja Sabtu ini pukul 09.00 di kantor kami.",
  en: "Job fair on Saturday.",
};

describe("broadcasts API", () => {
  it("previews how many people a segment reaches, inside the caller's cities", async () => {
    const all = await call("POST", "/broadcasts/preview", "all", { segment: {} });
    expect(all.statusCode).toBe(200);
    expect(all.json()).toEqual({ count: 3, skipped: { stopped: 1, unreachable: 0 } });
    const mks = await call("POST", "/broadcasts/preview", "makassar", {});
    expect(mks.json()).toEqual({ count: 2, skipped: { stopped: 1, unreachable: 0 } });
    const s1 = await call("POST", "/broadcasts/preview", "all", {
      segment: { minEducation: "s1" },
    });
    expect(s1.json().count).toBe(1);
    const outside = await call("POST", "/broadcasts/preview", "makassar", {
      segment: { cities: ["3273"] },
    });
    expect(outside.statusCode).toBe(403);
  });

  it("validates what is sent", async () => {
    const cases: [unknown, string][] = [
      [{}, "message"],
      [{ message: { id: "   " } }, "message.id"],
      [{ message: { id: "x".repeat(1001) } }, "message.id"],
      [{ message: { en: "only English" } }, "message.id"],
      [{ message: MESSAGE, segment: { cities: ["9999"] } }, "segment.cities.0"],
      [{ message: MESSAGE, segment: { categories: ["tall"] } }, "segment.categories.0"],
      [{ message: MESSAGE, segment: { minEducation: "phd" } }, "segment.minEducation"],
      [{ message: MESSAGE, segment: { trainingId: "nope" } }, "segment.trainingId"],
      [{ message: MESSAGE, segment: { age: 30 } }, "segment"],
      [{ message: MESSAGE, sendAt: "tomorrow" }, "sendAt"],
      [{ message: MESSAGE, sendAt: "2027-01-15T09:00:00" }, "sendAt"],
      [{ message: MESSAGE, sendAt: "2099-01-15T09:00:00+08:00" }, "sendAt"],
      // A mistyped year must not send to everyone at once.
      [{ message: MESSAGE, sendAt: "2020-01-15T09:00:00+08:00" }, "sendAt"],
      [{ message: MESSAGE, priority: "high" }, ""],
    ];
    for (const [body, path] of cases) {
      const res = await call("POST", "/broadcasts", "all", body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.code).toBe("validation_failed");
      const paths = (res.json().error.details as { path: string }[]).map((d) => d.path);
      expect(paths, JSON.stringify(body)).toContain(path);
    }
    expect(await h.prisma.broadcast.count()).toBe(0);
  });

  it("sends now, reports totals until done, lists recipients, and refuses to cancel a finished one", async () => {
    const res = await call("POST", "/broadcasts", "makassar", { message: MESSAGE });
    expect(res.statusCode).toBe(201);
    const created = res.json();
    expect(created).toMatchObject({ status: "sending", count: 2, warnings: [] });

    await waitFor(
      async () =>
        (await call("GET", `/broadcasts/${created.id}`, "makassar")).json().status === "done",
    );
    const got = (await call("GET", `/broadcasts/${created.id}`, "makassar")).json();
    expect(got.totals).toEqual({
      recipients: 3,
      queued: 0,
      sent: 2,
      failed: 0,
      skipped: 1,
      skippedBy: { stopped: 1 },
      held: 0,
      heldUntil: null,
      heldByZone: [],
    });
    expect(got.message).toEqual(MESSAGE);
    expect(h.channel.textsTo("mks-1")).toEqual([expect.stringContaining("Job fair on Saturday.")]);
    expect(h.channel.textsTo("mks-2")).toEqual([
      expect.stringContaining("Bursa kerja Sabtu ini pukul 09.00 di kantor kami."),
    ]);
    expect(h.channel.textsTo("bdg")).toEqual([]);

    const recipients = await call(
      "GET",
      `/broadcasts/${created.id}/recipients?status=skipped`,
      "makassar",
    );
    expect(recipients.json().items).toEqual([
      expect.objectContaining({ status: "skipped", reason: "stopped", name: "Seeker" }),
    ]);
    const audit = await h.prisma.auditLog.findMany({ where: { target: created.id } });
    expect(audit.map((a) => a.action).sort()).toEqual([
      "broadcasts.create",
      "broadcasts.recipients",
    ]);

    const cancel = await call("POST", `/broadcasts/${created.id}/cancel`, "makassar");
    expect(cancel.statusCode).toBe(409);
  });

  it("schedules for later, lists, and cancels before the time", async () => {
    const sendAt = new Date(Date.now() + 3_600_000).toISOString();
    const res = await call("POST", "/broadcasts", "all", {
      message: { id: "Kantor tutup hari Senin 👍🙏" },
      segment: { cities: ["3273"] },
      sendAt,
    });
    expect(res.statusCode).toBe(201);
    const created = res.json();
    expect(created).toMatchObject({ status: "scheduled", sendAt: new Date(sendAt).toISOString() });
    // Two emoji: read out by name by screen readers. Staff are told, not refused.
    expect(created.warnings.map((w: { rule: string }) => w.rule)).toContain("too-many-emoji");

    const list = (await call("GET", "/broadcasts?status=scheduled", "all")).json();
    expect(list.items.map((b: { id: string }) => b.id)).toEqual([created.id]);
    // Made by someone of every city: not for a Makassar-only token to see or stop.
    expect((await call("GET", `/broadcasts/${created.id}`, "makassar")).statusCode).toBe(404);
    expect((await call("POST", `/broadcasts/${created.id}/cancel`, "makassar")).statusCode).toBe(
      404,
    );
    expect((await call("GET", "/broadcasts", "makassar")).json().items).toHaveLength(1);

    const cancel = await call("POST", `/broadcasts/${created.id}/cancel`, "all");
    expect(cancel.statusCode).toBe(200);
    expect(cancel.json()).toMatchObject({ status: "cancelled", unsent: 0 });
    expect(h.channel.textsTo("bdg")).toEqual([]);
  });

  it("needs a token on every route", async () => {
    const id = "00000000-0000-4000-8000-000000000000";
    for (const [method, url] of [
      ["POST", "/broadcasts/preview"],
      ["POST", "/broadcasts"],
      ["GET", "/broadcasts"],
      ["GET", `/broadcasts/${id}`],
      ["GET", `/broadcasts/${id}/recipients`],
      ["POST", `/broadcasts/${id}/cancel`],
    ] as const) {
      expect((await call(method, url)).statusCode, url).toBe(401);
      expect((await call(method, url, "revoked")).statusCode, url).toBe(401);
    }
    expect((await call("GET", `/broadcasts/${id}`, "all")).statusCode).toBe(404);
  });
});
