import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { broadcastTotals } from "../../src/features/broadcasts/data.ts";
import { fanOutBroadcast } from "../../src/features/broadcasts/fanout.ts";
import {
  cancelBroadcast,
  createBroadcast,
  failBroadcast,
  previewBroadcast,
} from "../../src/features/broadcasts/mutations.ts";
import {
  type CreateBroadcast,
  createBody,
  type Segment,
} from "../../src/features/broadcasts/schema.ts";
import type { StaffPrincipal } from "../../src/features/staff/tokens.ts";
import { relayOnce } from "../../src/jobs/workers/relay.ts";
import { fixedClock } from "../../src/lib/clock.ts";
import { waitFor } from "../helpers/fake-channel.ts";
import { createHarness, type Harness } from "../helpers/harness.ts";
import { createSeeker } from "../helpers/seekers.ts";
import { createdTraining } from "../helpers/trainings.ts";
import { draftVacancy, STAFF } from "../helpers/vacancies.ts";

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(async () => {
  await h.close();
});

/** 10:00 WITA, 09:00 WIB: nobody's night. */
const DAYTIME = new Date("2026-12-01T02:00:00Z");
const NO_QUIET = { start: 0, end: 0 };
const deps = () => ({ ...h.deps, clock: fixedClock(DAYTIME) });
const MAKASSAR: StaffPrincipal = { ...STAFF, actor: "token:mks", cities: ["7371"] };

const body = (over: Record<string, unknown> = {}): CreateBroadcast =>
  createBody.parse({ message: { id: "Bursa kerja Sabtu ini pukul 09.00." }, ...over });

async function broadcastTo(
  segment: Segment,
  who: StaffPrincipal = STAFF,
  message: CreateBroadcast["message"] = { id: "Bursa kerja Sabtu ini pukul 09.00." },
) {
  const result = await createBroadcast(deps(), body({ segment, message }), who, DAYTIME);
  if (!result.ok) throw new Error(result.message);
  return result;
}

const rowsOf = (id: string) =>
  h.prisma.outbox.findMany({
    where: { subject: `broadcast:${id}` },
    include: { channelAccount: true },
    orderBy: { createdAt: "asc" },
  });
const recipientsOf = async (id: string) =>
  (await rowsOf(id)).map((r) => r.channelAccount.externalId).sort();

describe("broadcast segments", () => {
  it("reach exactly the people every given filter selects, within the creator's cities", async () => {
    const training = await createdTraining(h.prisma);
    const vacancy = await draftVacancy(h.prisma);
    const people = {
      mksSma: await createSeeker(h.prisma, {
        externalId: "mks-sma",
        profile: { disabilityCategories: ["rungu"] },
      }),
      mksS1: await createSeeker(h.prisma, {
        externalId: "mks-s1",
        profile: { education: "s1", disabilityCategories: ["netra", "fisik"] },
      }),
      mksSmp: await createSeeker(h.prisma, {
        externalId: "mks-smp",
        profile: { education: "smp" },
      }),
      mksSmk: await createSeeker(h.prisma, {
        externalId: "mks-smk",
        profile: { education: "smk", disabilityCategories: ["fisik"] },
      }),
      bdg: await createSeeker(h.prisma, {
        externalId: "bdg",
        profile: { cityCode: "3273", disabilityCategories: ["rungu"] },
      }),
      sby: await createSeeker(h.prisma, { externalId: "sby", profile: { cityCode: "3471" } }),
      waiting: await createSeeker(h.prisma, { externalId: "waiting" }),
      cancelled: await createSeeker(h.prisma, { externalId: "cancelled" }),
      withdrawn: await createSeeker(h.prisma, { externalId: "withdrawn" }),
    };
    // A guest (chatted, never registered) is nobody's recipient.
    await h.prisma.person.create({
      data: { channels: { create: { channel: "console", externalId: "guest" } } },
    });
    const enrol = (personId: string, status: "enrolled" | "waitlisted" | "cancelled") =>
      h.prisma.enrollment.create({
        data: { trainingId: training.id, personId, status, channel: "console" },
      });
    await enrol(people.mksSma.personId, "enrolled");
    await enrol(people.bdg.personId, "enrolled");
    await enrol(people.waiting.personId, "waitlisted");
    await enrol(people.cancelled.personId, "cancelled");
    const apply = (personId: string, status: "interested" | "withdrawn") =>
      h.prisma.application.create({
        data: { vacancyId: vacancy.id, personId, status, channel: "console" },
      });
    await apply(people.mksS1.personId, "interested");
    await apply(people.withdrawn.personId, "withdrawn");

    const cases: [string, Segment, StaffPrincipal, string[]][] = [
      [
        "everyone",
        {},
        STAFF,
        [
          "bdg",
          "cancelled",
          "mks-s1",
          "mks-sma",
          "mks-smk",
          "mks-smp",
          "sby",
          "waiting",
          "withdrawn",
        ],
      ],
      ["cities", { cities: ["3273", "3471"] }, STAFF, ["bdg", "sby"]],
      [
        "any of the categories",
        { categories: ["rungu", "netra"] },
        STAFF,
        ["bdg", "mks-s1", "mks-sma"],
      ],
      // SMK counts as SMA: "at least SMA" keeps it; SMP is below.
      [
        "minimum education",
        { minEducation: "sma" },
        STAFF,
        ["bdg", "cancelled", "mks-s1", "mks-sma", "mks-smk", "sby", "waiting", "withdrawn"],
      ],
      ["minimum education S1", { minEducation: "s1" }, STAFF, ["mks-s1"]],
      [
        "enrolled or waiting in a training",
        { trainingId: training.id },
        STAFF,
        ["bdg", "mks-sma", "waiting"],
      ],
      ["interested in a vacancy", { vacancyId: vacancy.id }, STAFF, ["mks-s1"]],
      [
        "filters together",
        { categories: ["fisik"], minEducation: "smk" },
        STAFF,
        ["mks-s1", "mks-smk"],
      ],
      [
        "a city-scoped creator's everyone",
        {},
        MAKASSAR,
        ["cancelled", "mks-s1", "mks-sma", "mks-smk", "mks-smp", "waiting", "withdrawn"],
      ],
      [
        "a city-scoped creator's training",
        { trainingId: training.id },
        MAKASSAR,
        ["mks-sma", "waiting"],
      ],
    ];
    for (const [name, segment, who, expected] of cases) {
      const preview = await previewBroadcast(h.prisma, segment, who);
      expect(preview.ok && preview.count, name).toBe(expected.length);
      const { broadcast } = await broadcastTo(segment, who);
      await fanOutBroadcast(deps(), broadcast.id, { quiet: NO_QUIET });
      expect(await recipientsOf(broadcast.id), name).toEqual(expected);
    }
  });

  it("refuses cities outside the creator's scope, and trainings or vacancies they cannot see", async () => {
    const bandungTraining = await createdTraining(h.prisma, { city: "3273", organizer: "BLK" });
    const outside = await createBroadcast(
      deps(),
      body({ segment: { cities: ["3273"] } }),
      MAKASSAR,
      DAYTIME,
    );
    expect(outside).toMatchObject({ ok: false, status: 403 });
    const training = await previewBroadcast(h.prisma, { trainingId: bandungTraining.id }, MAKASSAR);
    expect(training).toMatchObject({ ok: false, status: 400, code: "validation_failed" });
    const vacancy = await previewBroadcast(
      h.prisma,
      { vacancyId: "00000000-0000-4000-8000-000000000000" },
      STAFF,
    );
    expect(vacancy).toMatchObject({ ok: false, status: 400 });
    expect(await h.prisma.broadcast.count()).toBe(0);
  });
});

describe("broadcast delivery", () => {
  it("gives each person their language, falling back to Indonesian, in the plain variant they chose", async () => {
    await createSeeker(h.prisma, { externalId: "id" });
    await createSeeker(h.prisma, { externalId: "en", language: "en" });
    await createSeeker(h.prisma, { externalId: "en-plain", language: "en", plainLanguage: true });
    const both = await broadcastTo({}, STAFF, {
      id: "Bursa kerja Sabtu ini.",
      en: "Job fair this Saturday.",
    });
    await fanOutBroadcast(deps(), both.broadcast.id, { quiet: NO_QUIET });
    const texts = Object.fromEntries(
      (await rowsOf(both.broadcast.id)).map((r) => [
        r.channelAccount.externalId,
        (r.payload as { text: string }).text,
      ]),
    );
    expect(texts.id).toBe(
      'Pengumuman dari PKI Kota Uji:\nBursa kerja Sabtu ini.\n\nTidak ingin menerima pengumuman? Ketik "berhenti".',
    );
    expect(texts.en).toBe(
      'Announcement from PKI Kota Uji:\nJob fair this Saturday.\n\nDo not want announcements? Type "stop".',
    );
    expect(texts["en-plain"]).toBe(
      'Announcement from PKI Kota Uji:\nJob fair this Saturday.\n\nNo more messages? Type "stop".',
    );

    const onlyId = await broadcastTo({}, STAFF, { id: "Kantor tutup hari Senin." });
    await fanOutBroadcast(deps(), onlyId.broadcast.id, { quiet: NO_QUIET });
    for (const row of await rowsOf(onlyId.broadcast.id)) {
      expect((row.payload as { text: string }).text).toContain(
        "Pengumuman dari PKI Kota Uji:\nKantor tutup hari Senin.",
      );
    }
  });

  it("skips and counts people who stopped messages, cannot be reached or deleted their data", async () => {
    await createSeeker(h.prisma, { externalId: "ok" });
    await createSeeker(h.prisma, { externalId: "stopped", status: "stopped" });
    await createSeeker(h.prisma, { externalId: "blocked", reachable: false });
    await createSeeker(h.prisma, { externalId: "gone-away", status: "unreachable" });
    const leaving = await createSeeker(h.prisma, { externalId: "leaving" });
    const preview = await previewBroadcast(h.prisma, {}, STAFF);
    expect(preview).toMatchObject({ ok: true, count: 2, skipped: { stopped: 1, unreachable: 2 } });

    await h.queues.get("send-console").pause();
    await h.startWorkers({ broadcast: { quiet: NO_QUIET } });
    const { broadcast } = await broadcastTo({});
    await waitFor(
      async () =>
        (await h.prisma.broadcast.findUniqueOrThrow({ where: { id: broadcast.id } }))
          .fannedOutAt !== null,
    );
    // They delete their data after the broadcast was written, before it is sent.
    await h.prisma.person.update({
      where: { id: leaving.personId },
      data: { status: "deleted", deletedAt: new Date() },
    });
    await h.queues.get("send-console").resume();
    await waitFor(async () => (await broadcastTotals(h.prisma, broadcast.id)).queued === 0);
    expect(h.channel.sent.map((s) => s.to)).toEqual(["ok"]);
    expect(await broadcastTotals(h.prisma, broadcast.id)).toEqual({
      recipients: 5,
      queued: 0,
      sent: 1,
      failed: 0,
      skipped: 4,
      skippedBy: { stopped: 1, unreachable: 2, deleted: 1 },
    });
    await relayOnce(h.deps);
    expect(
      (await h.prisma.broadcast.findUniqueOrThrow({ where: { id: broadcast.id } })).status,
    ).toBe("done");
  });

  it("writes in chunks, resumes at its cursor, and never writes a person twice", async () => {
    for (let i = 0; i < 7; i++) await createSeeker(h.prisma, { externalId: `p${i}` });
    const { broadcast } = await broadcastTo({});
    expect(
      await fanOutBroadcast(deps(), broadcast.id, { chunk: 3, quiet: NO_QUIET }),
    ).toMatchObject({ outcome: "written", recipients: 7, queued: 7 });
    // Run again, and again from the start as if the cursor had been lost: nothing new.
    expect(await fanOutBroadcast(deps(), broadcast.id, { chunk: 3 })).toEqual({
      outcome: "nothing-to-do",
    });
    await h.prisma.broadcast.update({
      where: { id: broadcast.id },
      data: { cursor: null, fannedOutAt: null },
    });
    expect(
      await fanOutBroadcast(deps(), broadcast.id, { chunk: 3, quiet: NO_QUIET }),
    ).toMatchObject({ outcome: "written", recipients: 7, queued: 0 });
    expect(await recipientsOf(broadcast.id)).toEqual(["p0", "p1", "p2", "p3", "p4", "p5", "p6"]);
  });

  it("holds messages to people whose night it is until morning in their own zone", async () => {
    await createSeeker(h.prisma, { externalId: "wit", profile: { cityCode: "8171" } }); // Ambon
    await createSeeker(h.prisma, { externalId: "wib", profile: { cityCode: "3273" } }); // Bandung
    // 13:00 UTC: 22:00 WIT (night), 20:00 WIB (evening).
    const at = new Date("2026-12-01T13:00:00Z");
    const result = await createBroadcast(h.deps, body(), STAFF, at);
    if (!result.ok) throw new Error(result.message);
    await fanOutBroadcast({ ...h.deps, clock: fixedClock(at) }, result.broadcast.id, {
      quiet: { start: 21 * 60, end: 7 * 60 },
    });
    const held = Object.fromEntries(
      (await rowsOf(result.broadcast.id)).map((r) => [
        r.channelAccount.externalId,
        r.notBefore?.toISOString() ?? null,
      ]),
    );
    // 07:00 WIT the next day is 22:00 UTC.
    expect(held).toEqual({ wit: "2026-12-01T22:00:00.000Z", wib: null });
  });
});

describe("scheduling and cancelling", () => {
  it("waits for its time, survives the loss of its job, and then sends", async () => {
    await createSeeker(h.prisma, { externalId: "a" });
    const now = new Date();
    const sendAt = new Date(now.getTime() + 2500);
    const result = await createBroadcast(
      h.deps,
      body({ sendAt: sendAt.toISOString() }),
      STAFF,
      now,
    );
    if (!result.ok) throw new Error(result.message);
    expect(result.broadcast.status).toBe("scheduled");
    const job = await h.queues.get("broadcast").getJob(`broadcast-${result.broadcast.id}`);
    expect(await job?.getState()).toBe("delayed");
    // Too early: nothing happens.
    expect(await fanOutBroadcast(h.deps, result.broadcast.id)).toEqual({
      outcome: "not-due",
      sendAt,
    });

    // Redis loses every job (a restart without persistence); the relay rebuilds it from the database.
    await h.queues.get("broadcast").obliterate({ force: true });
    await relayOnce({ ...h.deps, clock: fixedClock(new Date(now.getTime() + 6000)) });
    expect(
      await (
        await h.queues.get("broadcast").getJob(`broadcast-${result.broadcast.id}`)
      )?.getState(),
    ).toBeDefined();

    await h.startWorkers({ broadcast: { quiet: NO_QUIET } });
    await waitFor(() => h.channel.sent.length === 1, 15_000, "the scheduled broadcast");
    expect(h.channel.sent[0]!.at).toBeGreaterThanOrEqual(sendAt.getTime() - 50);
  });

  it("cancels: nothing more is sent, what was waiting is skipped, and a second cancel is a conflict", async () => {
    for (let i = 0; i < 4; i++) await createSeeker(h.prisma, { externalId: `p${i}` });
    await h.queues.get("send-console").pause();
    const { broadcast } = await broadcastTo({});
    await fanOutBroadcast(deps(), broadcast.id, { quiet: NO_QUIET });

    const cancelled = await cancelBroadcast(deps(), broadcast.id, STAFF, DAYTIME);
    expect(cancelled).toMatchObject({ ok: true, unsent: 4, broadcast: { status: "cancelled" } });
    await h.startWorkers();
    await h.queues.get("send-console").resume();
    await waitFor(async () => (await h.queues.get("send-console").getJobCounts("wait")).wait === 0);
    await new Promise((r) => setTimeout(r, 200));
    expect(h.channel.sent).toEqual([]);
    expect(await broadcastTotals(h.prisma, broadcast.id)).toMatchObject({
      recipients: 4,
      sent: 0,
      skipped: 4,
      skippedBy: { cancelled: 4 },
    });
    expect(await cancelBroadcast(deps(), broadcast.id, STAFF, DAYTIME)).toMatchObject({
      ok: false,
      status: 409,
    });
    const audits = await h.prisma.auditLog.findMany({ where: { target: broadcast.id } });
    expect(audits.map((a) => a.action).sort()).toEqual(["broadcasts.cancel", "broadcasts.create"]);
  });

  it("a cancelled scheduled broadcast never starts; a fan-out that gave up ends failed", async () => {
    await createSeeker(h.prisma, { externalId: "a" });
    const later = await createBroadcast(
      deps(),
      body({ sendAt: new Date(DAYTIME.getTime() + 3_600_000).toISOString() }),
      STAFF,
      DAYTIME,
    );
    if (!later.ok) throw new Error(later.message);
    await cancelBroadcast(deps(), later.broadcast.id, STAFF, DAYTIME);
    expect(
      await h.queues.get("broadcast").getJob(`broadcast-${later.broadcast.id}`),
    ).toBeUndefined();
    const afterwards = { ...h.deps, clock: fixedClock(new Date(DAYTIME.getTime() + 7_200_000)) };
    expect(await fanOutBroadcast(afterwards, later.broadcast.id)).toEqual({
      outcome: "nothing-to-do",
    });
    expect(await rowsOf(later.broadcast.id)).toEqual([]);

    const { broadcast } = await broadcastTo({});
    await failBroadcast(h.prisma, broadcast.id, "fan-out gave up: Error", DAYTIME);
    const failed = await h.prisma.broadcast.findUniqueOrThrow({ where: { id: broadcast.id } });
    expect(failed).toMatchObject({ status: "failed", reason: "fan-out gave up: Error" });
    // What a failed broadcast wrote may still be waiting (held until morning): cancel stops it.
    expect(await cancelBroadcast(deps(), broadcast.id, STAFF, DAYTIME)).toMatchObject({
      ok: true,
      broadcast: { status: "cancelled" },
    });
  });

  it("a message a worker held during the cancel is skipped when it is tried again", async () => {
    for (let i = 0; i < 3; i++) await createSeeker(h.prisma, { externalId: `p${i}` });
    await h.queues.get("send-console").pause();
    const { broadcast } = await broadcastTo({});
    await fanOutBroadcast(deps(), broadcast.id, { quiet: NO_QUIET });
    // A worker took one row and died before sending it: its claim outlives the cancel.
    const [held] = await rowsOf(broadcast.id);
    await h.prisma.outbox.update({
      where: { id: held!.id },
      data: { lockedUntil: new Date(DAYTIME.getTime() + 60_000) },
    });
    const cancelled = await cancelBroadcast(deps(), broadcast.id, STAFF, DAYTIME);
    expect(cancelled).toMatchObject({ ok: true, unsent: 2 });
    // The claim expires; the send is retried and finds the broadcast cancelled.
    await h.prisma.outbox.update({ where: { id: held!.id }, data: { lockedUntil: null } });
    await h.startWorkers();
    await h.queues.get("send-console").resume();
    await waitFor(async () => (await broadcastTotals(h.prisma, broadcast.id)).queued === 0);
    expect(h.channel.sent).toEqual([]);
    expect(await broadcastTotals(h.prisma, broadcast.id)).toMatchObject({
      sent: 0,
      skipped: 3,
      skippedBy: { cancelled: 3 },
    });
  });
});
