/**
 * Held messages are visible to staff (issue 16): publishing a vacancy or
 * sending an announcement during quiet hours answers how many messages wait
 * and until when, in the API, the console and the Telegram staff chat.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fanOutBroadcast } from "../../src/features/broadcasts/fanout.ts";
import { staffChatTurn } from "../../src/features/staff/chat.ts";
import { fixedClock } from "../../src/lib/clock.ts";
import { createWebServer } from "../../src/web/server.ts";
import { apiCaller } from "../helpers/api.ts";
import { consoleSession } from "../helpers/console.ts";
import { createHarness, type Harness } from "../helpers/harness.ts";
import { createSeeker } from "../helpers/seekers.ts";
import { staffTokens } from "../helpers/staff.ts";
import { draftVacancy, STAFF } from "../helpers/vacancies.ts";

/** 23:00 in Makassar (WITA), 00:00 in Jayapura (WIT); quiet hours 21:00-07:00. */
const NIGHT = new Date("2026-12-01T15:00:00Z");
/** 10:00 WITA. */
const DAY = new Date("2026-12-02T02:00:00Z");

let h: Harness;
const tokens: Record<string, string> = {};
const servers: ReturnType<typeof createWebServer>[] = [];
const server = (at: Date) => {
  const app = createWebServer({
    prisma: h.prisma,
    redis: h.redis,
    queues: h.queues,
    log: h.deps.log,
    clock: fixedClock(at),
    quietHours: { start: 21 * 60, end: 7 * 60 },
  });
  servers.push(app);
  return app;
};

beforeAll(async () => {
  h = await createHarness();
  Object.assign(tokens, await staffTokens(h.prisma));
  // Three in Makassar (WITA) and one in Jayapura (WIT), all fit for remote work.
  for (let i = 0; i < 3; i++) await createSeeker(h.prisma, { profile: { cityCode: "7371" } });
  await createSeeker(h.prisma, { profile: { cityCode: "9171" } });
});
afterAll(async () => {
  for (const app of servers) await app.close();
  await h.close();
});

describe("messages held for the morning", () => {
  it("are counted when a vacancy is published at night, per zone, in the API", async () => {
    const vacancy = await draftVacancy(h.prisma, { workMode: "remote" }, NIGHT);
    const res = await apiCaller(server(NIGHT), tokens)(
      "POST",
      `/vacancies/${vacancy.id}/publish`,
      "all",
    );
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({
      status: "open",
      matched: 4,
      held: 4,
      // 07:00 WITA and 07:00 WIT: the later one (WITA) is the last to go.
      heldUntil: "2026-12-01T23:00:00.000Z",
      heldByZone: [
        { timeZone: "Asia/Jayapura", held: 1, until: "2026-12-01T22:00:00.000Z" },
        { timeZone: "Asia/Makassar", held: 3, until: "2026-12-01T23:00:00.000Z" },
      ],
    });
  });

  it("are none in the daytime", async () => {
    const vacancy = await draftVacancy(h.prisma, { workMode: "remote", title: "Kasir" }, DAY);
    const res = await apiCaller(server(DAY), tokens)(
      "POST",
      `/vacancies/${vacancy.id}/publish`,
      "all",
    );
    expect(res.json()).toMatchObject({ matched: 4, held: 0, heldUntil: null, heldByZone: [] });
  });

  it("are told in the console when publishing: '3 pesan menunggu sampai 07.00 WITA'", async () => {
    const vacancy = await draftVacancy(h.prisma, { title: "Penjahit" }, NIGHT);
    const { cookie, csrf } = await consoleSession(h.prisma);
    const res = await server(NIGHT).inject({
      method: "POST",
      url: `/console/vacancies/${vacancy.id}/publish`,
      headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
      payload: `_csrf=${encodeURIComponent(csrf)}`,
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain("3 pesan menunggu sampai 07.00 WITA.");
    expect(res.body).toContain("Jam tenang");
  });

  it("are counted for an announcement sent at night, in the API and on its console page", async () => {
    const app = server(NIGHT);
    const res = await apiCaller(app, tokens)("POST", "/broadcasts", "all", {
      message: { id: "Bursa kerja besok pukul 09.00." },
      segment: { cities: ["7371"] },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      count: 3,
      held: 3,
      heldUntil: "2026-12-01T23:00:00.000Z",
      heldByZone: [{ timeZone: "Asia/Makassar", held: 3, until: "2026-12-01T23:00:00.000Z" }],
    });
    const { cookie } = await consoleSession(h.prisma);
    const page = await app.inject({
      method: "GET",
      url: `/console/broadcasts/${res.json().id}?lang=en`,
      headers: { cookie },
    });
    expect(page.body).toContain("3 messages wait until 07:00 WITA.");
    // Once written, the totals count the messages actually waiting.
    await fanOutBroadcast({ ...h.deps, clock: fixedClock(NIGHT) }, res.json().id, {
      quiet: { start: 21 * 60, end: 7 * 60 },
    });
    const totals = (
      await apiCaller(app, tokens)("GET", `/broadcasts/${res.json().id}`, "all")
    ).json().totals;
    expect(totals).toMatchObject({
      queued: 3,
      held: 3,
      heldUntil: "2026-12-01T23:00:00.000Z",
      heldByZone: [{ timeZone: "Asia/Makassar", held: 3, until: "2026-12-01T23:00:00.000Z" }],
    });
  });

  it("are told in the Telegram staff chat after a guided broadcast", async () => {
    const deps = { ...h.deps, clock: fixedClock(NIGHT) };
    let turn = await staffChatTurn(deps, STAFF, null, "/broadcast");
    for (const text of ["Pelatihan menjahit dibuka.", "-", "city Makassar", "ya"]) {
      turn = await staffChatTurn(deps, STAFF, turn.state, text);
    }
    expect(turn.replies.map((r) => r.key)).toEqual([
      "staffChat.broadcast.sent",
      "staffChat.broadcast.held",
    ]);
    expect(turn.replies[1]!.params).toEqual({
      count: 3,
      until: { at: "2026-12-01T23:00:00.000Z", timeZone: "Asia/Makassar" },
    });
  });
});
