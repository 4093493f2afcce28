import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pushPendingVacancies } from "../../src/features/vacancies/push.ts";
import { DEFAULT_PUSH_SETTINGS } from "../../src/jobs/workers/index.ts";
import { REGISTRATION_SCRIPT } from "../fixtures/registration.ts";
import { createHarness, type Harness } from "../helpers/harness.ts";
import { publishedVacancy } from "../helpers/vacancies.ts";

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
  await h.startWorkers();
});
afterEach(async () => {
  await h.close();
});

describe("vacancies in chat, through the runner and the database", () => {
  it("tells a new seeker about open matches once; browsing, 'minat' and deletion are stored", async () => {
    const { vacancy } = await publishedVacancy(h.deps, {
      title: "Penjahit",
      skills: ["menjahit"],
      suitableFor: ["rungu", "fisik"],
    });
    await publishedVacancy(h.deps, { title: "Dosen", minEducation: "s2" });
    const answers = await h.chat("budi", ...REGISTRATION_SCRIPT);
    const done = answers.at(-1)!.join("\n");
    expect(done).toContain("Ada lowongan kerja yang cocok untuk Anda, jumlahnya 1:");
    expect(done).toContain("\nPenjahit, PT Maju Bersama. Kota Makassar.");
    const person = await h.prisma.channelAccount.findFirstOrThrow({
      where: { externalId: "budi" },
    });
    const seen = await h.prisma.vacancyMatch.findMany({ where: { personId: person.personId } });
    expect(seen.map((m) => [m.vacancyId, m.via, m.score])).toEqual([
      [vacancy.id, "chat", 3 + 0 + 1],
    ]);

    // Told in chat already: the push job does not send it again.
    await h.prisma.vacancy.update({ where: { id: vacancy.id }, data: { pushedAt: null } });
    expect(await pushPendingVacancies(h.deps, "again", DEFAULT_PUSH_SETTINGS)).toMatchObject({
      pushed: 0,
    });

    const [list] = await h.chat("budi", "lowongan");
    expect(list!.join("\n")).toContain("1. Penjahit, PT Maju Bersama.");
    expect(list!.join("\n")).not.toContain("Dosen");
    const [detail, applied] = await h.chat("budi", "1", "1");
    expect(detail!.join("\n")).toContain(`Lowongan: Penjahit`);
    expect(applied!.join("\n")).toContain("minat Anda untuk Penjahit");
    expect(await h.prisma.application.count({ where: { personId: person.personId } })).toBe(1);

    await h.chat("budi", "hapus data", "ya");
    expect(await h.prisma.application.count({ where: { personId: person.personId } })).toBe(0);
    expect(await h.prisma.vacancyMatch.count({ where: { personId: person.personId } })).toBe(0);
  });
});
