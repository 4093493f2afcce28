/**
 * The console's queue monitor (bull-board): read-only for admins of some
 * cities, writes only for admins of all cities, each write with the session's
 * CSRF token (the X-XSRF-TOKEN header bull-board's axios copies from the
 * XSRF-TOKEN cookie) and recorded in the audit log without job data.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CSRF_HEADER } from "../../src/web/console/context.ts";
import { MANAGE_BOARD, VIEW_BOARD, XSRF_COOKIE } from "../../src/web/console/queues.ts";
import { createWebServer } from "../../src/web/server.ts";
import { consoleSession } from "../helpers/console.ts";
import { createHarness, type Harness } from "../helpers/harness.ts";

type Session = Awaited<ReturnType<typeof consoleSession>>;

let h: Harness;
let app: ReturnType<typeof createWebServer>;
let all: Session;
let bandung: Session;
let staff: Session;

beforeAll(async () => {
  h = await createHarness();
  app = createWebServer({ prisma: h.prisma, redis: h.redis, queues: h.queues, log: h.deps.log });
  [all, bandung, staff] = await Promise.all([
    consoleSession(h.prisma, { role: "admin" }),
    consoleSession(h.prisma, { role: "admin", cities: ["3273"] }),
    consoleSession(h.prisma, { role: "staff" }),
  ]);
});
afterAll(async () => {
  await app.close();
  await h.close();
});
beforeEach(async () => {
  await h.queues.get("send-whatsapp").resume();
});

const queueWrites = () => h.prisma.auditLog.count({ where: { action: { startsWith: "queues." } } });
const paused = () => h.queues.get("send-whatsapp").isPaused();

/** A request to the monitor as `who`, with the session's CSRF token in the header unless told. */
const send = (
  who: Session,
  method: "GET" | "PUT" | "PATCH" | "POST" | "DELETE",
  url: string,
  opts: { csrf?: string | null; payload?: object } = {},
) => {
  const csrf = opts.csrf === undefined ? who.csrf : opts.csrf;
  return app.inject({
    method,
    url,
    headers: { cookie: who.cookie, ...(csrf === null ? {} : { [CSRF_HEADER]: csrf }) },
    ...(opts.payload ? { payload: opts.payload } : {}),
  });
};

describe("the queue monitor", () => {
  it("sends each admin to the board they may use, and keeps staff out", async () => {
    const to = async (who: Session) => {
      const res = await send(who, "GET", "/console/queues");
      return [res.statusCode, res.headers.location];
    };
    expect(await to(all)).toEqual([303, MANAGE_BOARD]);
    expect(await to(bandung)).toEqual([303, VIEW_BOARD]);
    expect((await send(staff, "GET", "/console/queues")).statusCode).toBe(403);
    expect((await send(staff, "GET", VIEW_BOARD)).statusCode).toBe(403);
    const page = await send(bandung, "GET", VIEW_BOARD);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("IJC queues (read-only)");
    // bull-board's page reads each queue's mode from its API: read-only here.
    const queues = await send(bandung, "GET", `${VIEW_BOARD}/api/queues`);
    expect(queues.statusCode).toBe(200);
    const modes = (queues.json().queues as { readOnlyMode: boolean }[]).map((q) => q.readOnlyMode);
    expect(modes.length).toBeGreaterThan(0);
    expect(new Set(modes)).toEqual(new Set([true]));
    const managed = await send(all, "GET", `${MANAGE_BOARD}/api/queues`);
    expect(
      new Set((managed.json().queues as { readOnlyMode: boolean }[]).map((q) => q.readOnlyMode)),
    ).toEqual(new Set([false]));
  });

  it("lets an admin of some cities change nothing, on any path, even with the CSRF token", async () => {
    for (const url of [
      "/console/queues/api/queues/send-whatsapp/pause",
      `${VIEW_BOARD}/api/queues/send-whatsapp/pause`,
      `${MANAGE_BOARD}/api/queues/send-whatsapp/pause`,
      `${VIEW_BOARD}/api/queues/pause`,
      `${MANAGE_BOARD}/api/queues/pause`,
    ]) {
      for (const csrf of [null, bandung.csrf]) {
        const res = await send(bandung, "PUT", url, { csrf });
        expect(res.statusCode, `${url} ${csrf}`).toBeGreaterThanOrEqual(400);
        expect(res.statusCode, `${url} ${csrf}`).toBeLessThan(500);
      }
    }
    const manage = await send(bandung, "PUT", `${MANAGE_BOARD}/api/queues/send-whatsapp/pause`);
    expect(manage.statusCode).toBe(403);
    expect(manage.body).toContain("admin semua kota");
    const view = await send(bandung, "PUT", `${VIEW_BOARD}/api/queues/send-whatsapp/pause`);
    expect(view.statusCode).toBe(405);
    expect(await paused()).toBe(false);
    expect(await queueWrites()).toBe(0);
  });

  it("refuses a write without the session's CSRF token, whatever the method", async () => {
    const url = `${MANAGE_BOARD}/api/queues/send-whatsapp/pause`;
    for (const csrf of [
      null,
      "",
      "x".repeat(all.csrf.length),
      `é${all.csrf.slice(1)}`,
      bandung.csrf,
    ]) {
      const res = await send(all, "PUT", url, { csrf });
      expect(res.statusCode, String(csrf)).toBe(403);
      expect(res.body).toContain("kedaluwarsa");
    }
    for (const method of ["PATCH", "POST", "DELETE"] as const) {
      const res = await send(all, method, `${MANAGE_BOARD}/api/queues/send-whatsapp/1/delay`, {
        csrf: null,
        payload: { delay: 1 },
      });
      expect(res.statusCode, method).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, method).not.toBe(200);
    }
    expect(
      (
        await send(all, "PATCH", `${MANAGE_BOARD}/api/queues/send-whatsapp/1/delay`, {
          csrf: null,
          payload: { delay: 1 },
        })
      ).statusCode,
    ).toBe(403);
    expect(await paused()).toBe(false);
    expect(await queueWrites()).toBe(0);
  });

  it("gives the manage board's page the token in a cookie its script can read, for that board only", async () => {
    const res = await send(all, "GET", MANAGE_BOARD);
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === XSRF_COOKIE);
    expect(cookie).toMatchObject({ value: all.csrf, path: MANAGE_BOARD, sameSite: "Strict" });
    expect(cookie?.httpOnly).toBeFalsy();
    const view = await send(bandung, "GET", VIEW_BOARD);
    expect(view.cookies.find((c) => c.name === XSRF_COOKIE)).toBeUndefined();
  });

  it("lets an admin of all cities act with the token, and records each action without job data", async () => {
    const pause = await send(all, "PUT", `${MANAGE_BOARD}/api/queues/send-whatsapp/pause`);
    expect(pause.statusCode).toBe(200);
    expect(await paused()).toBe(true);

    // A push held for the quiet hours, released by hand.
    const marker = "data-yang-tidak-boleh-dicatat";
    const job = await h.queues
      .get("reminder")
      .add(
        "reminder",
        { trainingId: marker, offsetMinutes: 60, startsAt: 1 },
        { delay: 3_600_000 },
      );
    const promote = await send(all, "PUT", `${MANAGE_BOARD}/api/queues/reminder/${job.id}/promote`);
    expect(promote.statusCode).toBeLessThan(300);
    expect(await job.getState()).toBe("waiting");
    const clean = await send(all, "PUT", `${MANAGE_BOARD}/api/queues/reminder/clean/delayed`);
    expect(clean.statusCode).toBeLessThan(300);

    const rows = await h.prisma.auditLog.findMany({
      where: { action: { startsWith: "queues." } },
      orderBy: { createdAt: "asc" },
    });
    expect(rows.map((r) => [r.actor, r.action, r.target, r.details, r.cities])).toEqual([
      [`staff:${all.account.id}`, "queues.pause", "send-whatsapp", { queue: "send-whatsapp" }, []],
      [
        `staff:${all.account.id}`,
        "queues.promote",
        `reminder/${job.id}`,
        { queue: "reminder", job: job.id },
        [],
      ],
      [
        `staff:${all.account.id}`,
        "queues.clean_all",
        "reminder",
        { queue: "reminder", status: "delayed" },
        [],
      ],
    ]);
    expect(JSON.stringify(rows)).not.toContain(marker);
    // Service-wide: not in the log of an admin of some cities.
    const seen = await app.inject({
      url: "/api/v1/audit?action=queues.pause",
      headers: { authorization: `Bearer ${bandung.token}` },
    });
    expect(seen.json().items).toEqual([]);
  });

  it("refuses adding a job or changing a job's data from the monitor", async () => {
    const before = await queueWrites();
    const jobs = () => h.queues.get("reminder").getJobCounts("waiting", "delayed");
    const counts = await jobs();
    const add = await send(all, "POST", `${MANAGE_BOARD}/api/queues/reminder/add`, {
      payload: { name: "x", data: { trainingId: "t" } },
    });
    expect(add.statusCode).toBe(403);
    const job = await h.queues
      .get("reminder")
      .add("reminder", { trainingId: "t", offsetMinutes: 60, startsAt: 1 }, { delay: 3_600_000 });
    const edit = await send(
      all,
      "PATCH",
      `${MANAGE_BOARD}/api/queues/reminder/${job.id}/update-data`,
      {
        payload: { data: { trainingId: "other" } },
      },
    );
    expect(edit.statusCode).toBe(403);
    expect((await h.queues.get("reminder").getJob(job.id!))?.data.trainingId).toBe("t");
    expect(await jobs()).toEqual({ ...counts, delayed: counts.delayed! + 1 });
    expect(await queueWrites()).toBe(before);
  });
});
