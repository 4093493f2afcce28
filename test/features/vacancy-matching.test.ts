/**
 * The SQL that matches a vacancy against every seeker must say exactly what
 * domain/matching.ts says, person by person and score by score.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DISABILITY_CATEGORIES } from "../../src/domain/categories.ts";
import { EDUCATION_LEVELS } from "../../src/domain/education.ts";
import {
  canBePushed,
  matchVacancy,
  vacancySkillTags,
  vacancyTags,
} from "../../src/domain/matching.ts";
import { WORK_MODES } from "../../src/domain/work-mode.ts";
import { countMatches, MATCH_SQL } from "../../src/features/vacancies/match-sql.ts";
import { openTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { rng } from "../helpers/random.ts";
import { createSeeker, type SeekerSpec } from "../helpers/seekers.ts";

const r = rng(7);
const pick = <T>(list: readonly T[]): T => list[Math.floor(r() * list.length)]!;
const some = <T>(list: readonly T[], p: number): T[] => list.filter(() => r() < p);

const CITIES = ["7371", "3578", "1171", "other"];
const SKILLS = ["menjahit", "komputer", "memasak", "administrasi", "mengetik", "pijat", "kasir"];

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase("postgres");
});
afterAll(async () => {
  await database.cleanup();
});

describe("vacancy matching in SQL", () => {
  it("agrees with the domain rules on 300 random seekers and 12 vacancies", async () => {
    const prisma = database.db.prisma;
    const seekers: (SeekerSpec & { personId: string })[] = [];
    for (let i = 0; i < 300; i++) {
      const spec: SeekerSpec = {
        profile: {
          cityCode: pick(CITIES),
          education: pick(EDUCATION_LEVELS),
          disabilityCategories: some(DISABILITY_CATEGORIES, 0.2),
          skills: some(SKILLS, 0.3),
          jobTypes: some(SKILLS, 0.2),
          workModes: some(WORK_MODES, 0.4),
        },
        status: r() < 0.85 ? "active" : pick(["stopped", "unreachable"] as const),
        consent: r() > 0.05,
        reachable: r() > 0.05,
      };
      const { personId } = await createSeeker(prisma, spec);
      seekers.push({ ...spec, personId });
    }
    let checked = 0;
    for (let i = 0; i < 12; i++) {
      const skills = some(SKILLS, 0.3);
      const title = `${pick(["Staf", "Tenaga", ""])} ${pick(SKILLS)} ${pick(["Kantor", "Toko", ""])}`;
      const skillTags = vacancySkillTags(skills);
      const vacancy = await prisma.vacancy.create({
        data: {
          title,
          employer: "PT Uji",
          cityCode: pick(CITIES.slice(0, 3)),
          workMode: pick(WORK_MODES),
          minEducation: pick(EDUCATION_LEVELS),
          skills,
          skillTags,
          tags: vacancyTags(title, skillTags),
          suitableFor: some(DISABILITY_CATEGORIES, 0.5),
          accommodations: [],
          openings: 1,
          deadline: new Date("2027-06-01T00:00:00Z"),
          description: "-",
          howToApply: "-",
          createdBy: "test",
        },
      });
      const rows = await prisma.$queryRawUnsafe<{ personId: string; score: number }[]>(
        MATCH_SQL,
        vacancy.id,
      );
      const inSql = new Map(rows.map((row) => [row.personId, row.score]));
      const expected = new Map<string, number>();
      for (const s of seekers) {
        const pushable = canBePushed({
          status: s.status ?? "active",
          dataConsent: s.consent !== false,
          reachable: s.reachable !== false,
        });
        const match = matchVacancy(s.profile as Parameters<typeof matchVacancy>[0], {
          cityCode: vacancy.cityCode,
          workMode: vacancy.workMode as "onsite",
          minEducation: vacancy.minEducation as "sma",
          suitableFor: vacancy.suitableFor,
          skillTags: vacancy.skillTags,
          tags: vacancy.tags,
        });
        if (pushable && match.ok) expected.set(s.personId, match.score);
      }
      expect(inSql, `vacancy ${i}: ${title}`).toEqual(expected);
      expect(await countMatches(prisma, vacancy.id)).toBe(expected.size);
      checked += expected.size;
    }
    // The population is meant to produce matches, not only misses.
    expect(checked).toBeGreaterThan(50);
  });
});
