import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { checkMessage } from "../../src/domain/accessibility.ts";
import { closeVacancy, publishVacancy } from "../../src/features/vacancies/mutations.ts";
import { pushPendingVacancies } from "../../src/features/vacancies/push.ts";
import { relayOnce } from "../../src/jobs/workers/relay.ts";
import { fixedClock } from "../../src/lib/clock.ts";
import { waitFor } from "../helpers/fake-channel.ts";
import { createHarness, type Harness } from "../helpers/harness.ts";
import { createSeeker } from "../helpers/seekers.ts";
import { publishedVacancy, STAFF } from "../helpers/vacancies.ts";

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(async () => {
  await h.close();
});

const SETTINGS = { cap: 3, windowDays: 7, quiet: { start: 21 * 60, end: 7 * 60 } };
/** 10:00 WITA, 09:00 WIB: nobody's night. */
const DAYTIME = "2026-12-01T02:00:00Z";

const pushRows = (vacancyId: string) =>
  h.prisma.outbox.findMany({ where: { subject: `vacancy:${vacancyId}` } });

describe("vacancy pushes", () => {
  it("reach each matching seeker once, in their language, and no one else", async () => {
    const seekers = {
      ani: await createSeeker(h.prisma, {
        externalId: "ani",
        profile: { skills: ["microsoft office"] },
      }),
      ben: await createSeeker(h.prisma, {
        externalId: "ben",
        language: "en",
        plainLanguage: true,
      }),
      surabaya: await createSeeker(h.prisma, { externalId: "sby", profile: { cityCode: "3578" } }),
      stopped: await createSeeker(h.prisma, { externalId: "stop", status: "stopped" }),
      blocked: await createSeeker(h.prisma, { externalId: "blk", reachable: false }),
      withdrew: await createSeeker(h.prisma, { externalId: "wd", consent: false }),
      smp: await createSeeker(h.prisma, { externalId: "smp", profile: { education: "smp" } }),
      netra: await createSeeker(h.prisma, {
        externalId: "netra",
        profile: { disabilityCategories: ["netra"] },
      }),
    };
    await h.startWorkers();
    const { vacancy, matched } = await publishedVacancy(h.deps, {
      suitableFor: ["rungu", "fisik"],
    });
    // Suitable for rungu and fisik: "netra" is out, people who did not say are in.
    expect(matched).toBe(2);
    await waitFor(
      async () => (await pushRows(vacancy.id)).length === 2 && h.channel.sent.length === 2,
    );
    expect(h.channel.textsTo("ani")).toEqual([
      expect.stringContaining(`Ketik "minat ${vacancy.ref}" kalau Anda berminat.`),
    ]);
    expect(h.channel.textsTo("ani")[0]).toContain(
      "Staf Administrasi, PT Maju Bersama. Kota Makassar.",
    );
    expect(h.channel.textsTo("ben")).toEqual([
      expect.stringContaining(`Interested? Type "interested ${vacancy.ref}".`),
    ]);
    // The accessibility rules hold for what people actually receive.
    expect(checkMessage(h.channel.textsTo("ani")[0]!)).toEqual([]);
    expect(checkMessage(h.channel.textsTo("ben")[0]!, { plain: true })).toEqual([]);
    for (const other of ["sby", "stop", "blk", "wd", "smp", "netra"])
      expect(h.channel.textsTo(other)).toEqual([]);
    const matches = await h.prisma.vacancyMatch.findMany({ where: { vacancyId: vacancy.id } });
    expect(matches.map((m) => m.personId).sort()).toEqual(
      [seekers.ani.personId, seekers.ben.personId].sort(),
    );
    expect(matches.find((m) => m.personId === seekers.ani.personId)?.score).toBe(3 + 0 + 1);
  });

  it("never twice: publishing again and re-running the job add nothing", async () => {
    await createSeeker(h.prisma, { externalId: "citra" });
    const clock = fixedClock(DAYTIME);
    const deps = { ...h.deps, clock };
    const { vacancy } = await publishedVacancy(h.deps, {}, clock.now());
    expect(await pushPendingVacancies(deps, "job-1", SETTINGS)).toMatchObject({ pushed: 1 });
    // A double click on "publish", a second job, and a job that forgot it had finished.
    const again = await publishVacancy(h.deps, vacancy.id, STAFF, clock.now());
    expect(again).toMatchObject({ ok: true, matched: 1 });
    expect(await pushPendingVacancies(deps, "job-2", SETTINGS)).toMatchObject({
      vacancies: 0,
      pushed: 0,
    });
    await h.prisma.vacancy.updateMany({ data: { pushedAt: null, pushClaim: null } });
    const rerun = await pushPendingVacancies(deps, "job-3", SETTINGS);
    expect(rerun).toMatchObject({ pushed: 0 });
    expect(await pushRows(vacancy.id)).toHaveLength(1);
  });

  it("at most 3 vacancies per person per 7 days, the best-scoring ones first", async () => {
    const { personId } = await createSeeker(h.prisma, {
      externalId: "dewi",
      profile: { skills: ["menjahit", "memasak", "komputer"], jobTypes: ["kasir"] },
    });
    const clock = fixedClock(DAYTIME);
    const deps = { ...h.deps, clock };
    // Published together: scores 1, 4, 7, 4, 10 (skills 3 each, "kasir" 2, mode 1).
    const published: { id: string }[] = [];
    for (const skills of [
      [],
      ["menjahit"],
      ["menjahit", "memasak"],
      ["komputer"],
      ["menjahit", "memasak", "komputer"],
    ]) {
      published.push(
        (await publishedVacancy(h.deps, { skills, title: "Pekerja" }, clock.now())).vacancy,
      );
    }
    const result = await pushPendingVacancies(deps, "job-1", SETTINGS);
    expect(result).toMatchObject({ vacancies: 5, pushed: 3, capped: 2 });
    const sentFor = async () =>
      (await h.prisma.vacancyMatch.findMany({ where: { personId, via: "push" } }))
        .map((m) => published.findIndex((v) => v.id === m.vacancyId))
        .sort();
    // Scores 10 and 7, then the tie at 4 goes to the earlier deadline, then the older one.
    expect(await sentFor()).toEqual([1, 2, 4]);

    clock.advance(86_400_000);
    const tomorrow = (
      await publishedVacancy(h.deps, { skills: ["menjahit", "memasak", "komputer"] }, clock.now())
    ).vacancy;
    expect(await pushPendingVacancies(deps, "job-2", SETTINGS)).toMatchObject({
      pushed: 0,
      capped: 1,
    });

    clock.advance(7 * 86_400_000);
    const nextWeek = (await publishedVacancy(h.deps, { skills: ["komputer"] }, clock.now()))
      .vacancy;
    expect(await pushPendingVacancies(deps, "job-3", SETTINGS)).toMatchObject({ pushed: 1 });
    expect((await pushRows(nextWeek.id)).length).toBe(1);
    expect((await pushRows(tomorrow.id)).length).toBe(0);
  });

  it("waits for the morning in each seeker's own time zone", async () => {
    // 21:30 WITA (Makassar), 20:30 WIB (Banda Aceh), 22:30 WIT (Ambon).
    const clock = fixedClock("2026-12-01T13:30:00Z");
    const people = {
      makassar: await createSeeker(h.prisma, { externalId: "mks", profile: { cityCode: "7371" } }),
      aceh: await createSeeker(h.prisma, { externalId: "bna", profile: { cityCode: "1171" } }),
      ambon: await createSeeker(h.prisma, { externalId: "amb", profile: { cityCode: "8171" } }),
    };
    const { vacancy } = await publishedVacancy(h.deps, { workMode: "remote" }, clock.now());
    const result = await pushPendingVacancies({ ...h.deps, clock }, "job-1", SETTINGS);
    expect(result).toMatchObject({ pushed: 3, held: 2 });
    const rows = await pushRows(vacancy.id);
    const at = (p: { personId: string }) =>
      rows.find((r) => r.personId === p.personId)?.notBefore?.toISOString() ?? null;
    expect(at(people.makassar)).toBe("2026-12-01T23:00:00.000Z"); // 07:00 WITA
    expect(at(people.aceh)).toBeNull(); // sent now
    expect(at(people.ambon)).toBe("2026-12-01T22:00:00.000Z"); // 07:00 WIT
    const job = await h.queues
      .get("send-console")
      .getJob(rows.find((r) => r.personId === people.makassar.personId)!.id);
    expect(job?.opts.delay).toBe(9.5 * 3_600_000);
  });

  it("does not announce a vacancy that closed while its push was held", async () => {
    const clock = fixedClock("2026-12-01T14:00:00Z"); // 22:00 WITA
    await createSeeker(h.prisma, { externalId: "eka" });
    const { vacancy } = await publishedVacancy(h.deps, {}, clock.now());
    await pushPendingVacancies({ ...h.deps, clock }, "job-1", SETTINGS);
    await closeVacancy(h.prisma, vacancy.id, "filled", STAFF, clock.now());
    await h.startWorkers();
    const [row] = await pushRows(vacancy.id);
    await (await h.queues.get("send-console").getJob(row!.id))!.promote(); // morning comes
    await waitFor(async () => (await pushRows(vacancy.id))[0]!.status === "skipped");
    expect((await pushRows(vacancy.id))[0]!.reason).toBe("vacancy_closed");
    expect(h.channel.sent).toEqual([]);
  });

  it("a crash halfway loses nothing and sends nothing twice", async () => {
    const clock = fixedClock(DAYTIME);
    for (let i = 0; i < 25; i++) await createSeeker(h.prisma, { externalId: `p${i}` });
    const { vacancy } = await publishedVacancy(h.deps, {}, clock.now());
    const queue = h.queues.get("send-console");
    const addBulk = queue.addBulk.bind(queue);
    let calls = 0;
    queue.addBulk = async (jobs) => {
      calls += 1;
      if (calls === 2) throw new Error("connection to Redis lost");
      return addBulk(jobs);
    };
    const settings = { ...SETTINGS, chunk: 10 };
    await expect(pushPendingVacancies({ ...h.deps, clock }, "job-1", settings)).rejects.toThrow(
      "connection to Redis lost",
    );
    expect(await pushRows(vacancy.id)).toHaveLength(20);
    // BullMQ retries the job (same id, so same claim): it writes the rest.
    expect(await pushPendingVacancies({ ...h.deps, clock }, "job-1", settings)).toMatchObject({
      pushed: 5,
    });
    await h.startWorkers();
    // The chunk whose enqueue failed is committed but unqueued: the relay finds it.
    clock.advance(10_000);
    const relayed = await relayOnce({ ...h.deps, clock });
    expect(relayed.outbox).toBe(10);
    await waitFor(() => h.channel.sent.length === 25, 15_000, "25 pushes");
    await new Promise((r) => setTimeout(r, 300));
    const perPerson = new Map<string, number>();
    for (const s of h.channel.sent) perPerson.set(s.to, (perPerson.get(s.to) ?? 0) + 1);
    expect(perPerson.size).toBe(25);
    expect([...perPerson.values()].every((n) => n === 1)).toBe(true);
  });

  it("closes open vacancies after their deadline", async () => {
    const clock = fixedClock(DAYTIME);
    const { vacancy } = await publishedVacancy(h.deps, { deadline: "2026-12-02" }, clock.now());
    clock.set("2026-12-02T15:59:00Z"); // 23:59 WITA on the 2nd: still open
    expect((await relayOnce({ ...h.deps, clock })).expired).toBe(0);
    clock.set("2026-12-02T16:00:00Z");
    expect((await relayOnce({ ...h.deps, clock })).expired).toBe(1);
    const after = await h.prisma.vacancy.findUniqueOrThrow({ where: { id: vacancy.id } });
    expect(after.status).toBe("closed");
  });
});
