import { describe, expect, it } from "vitest";
import {
  byBestMatch,
  canBePushed,
  matchVacancy,
  type SeekerForMatching,
  type VacancyForMatching,
  vacancySkillTags,
  vacancyTags,
} from "../../src/domain/matching.ts";

const seeker: SeekerForMatching = {
  cityCode: "7371",
  education: "sma",
  disabilityCategories: ["rungu"],
  skills: ["menjahit", "komputer"],
  jobTypes: ["administrasi"],
  workModes: ["onsite"],
};
const vacancy: VacancyForMatching = {
  cityCode: "7371",
  workMode: "onsite",
  minEducation: "sma",
  suitableFor: [],
  skillTags: ["komputer"],
  tags: ["komputer", "administrasi"],
};

describe("matchVacancy: hard filters", () => {
  const cases: [string, Partial<SeekerForMatching>, Partial<VacancyForMatching>, string | true][] =
    [
      ["same city, on-site", {}, {}, true],
      ["other city, on-site", { cityCode: "3578" }, {}, "city"],
      ["other city, hybrid", { cityCode: "3578" }, { workMode: "hybrid" }, "city"],
      [
        "other city, remote, seeker takes remote",
        { cityCode: "3578", workModes: ["remote"] },
        { workMode: "remote" },
        true,
      ],
      [
        "other city, remote, seeker takes any mode",
        { cityCode: "3578", workModes: [] },
        { workMode: "remote" },
        true,
      ],
      [
        "other city, remote, seeker only on-site",
        { cityCode: "3578", workModes: ["onsite"] },
        { workMode: "remote" },
        "city",
      ],
      ["seeker from 'other', on-site", { cityCode: "other" }, {}, "city"],
      ["same city, remote, seeker only on-site", {}, { workMode: "remote" }, true],
      ["education below the minimum", { education: "smp" }, {}, "education"],
      ["SMK meets 'at least SMA'", { education: "smk" }, {}, true],
      ["D4 meets 'at least S1'", { education: "d4" }, { minEducation: "s1" }, true],
      ["S1 misses 'at least S2'", { education: "s1" }, { minEducation: "s2" }, "education"],
      ["no minimum", { education: "below_sd" }, { minEducation: "below_sd" }, true],
      ["suitable for the seeker's category", {}, { suitableFor: ["rungu", "fisik"] }, true],
      ["not suitable for the seeker's category", {}, { suitableFor: ["fisik"] }, "category"],
      [
        "every category must be suitable",
        { disabilityCategories: ["rungu", "netra"] },
        { suitableFor: ["rungu"] },
        "category",
      ],
      [
        "no categories given: any vacancy",
        { disabilityCategories: [] },
        { suitableFor: ["fisik"] },
        true,
      ],
      [
        "empty suitableFor means all",
        { disabilityCategories: ["mental"] },
        { suitableFor: [] },
        true,
      ],
    ];
  for (const [name, s, v, expected] of cases) {
    it(name, () => {
      const result = matchVacancy({ ...seeker, ...s }, { ...vacancy, ...v });
      if (expected === true) expect(result.ok).toBe(true);
      else expect(result).toEqual({ ok: false, miss: expected });
    });
  }
});

describe("matchVacancy: score", () => {
  const cases: [string, Partial<SeekerForMatching>, Partial<VacancyForMatching>, number][] = [
    ["one skill, the job type and the mode", {}, {}, 3 + 2 + 1],
    ["no shared skill", { skills: ["memasak"] }, {}, 2 + 1],
    [
      "two shared skills",
      {},
      { skillTags: ["komputer", "menjahit"], tags: ["komputer", "menjahit"] },
      6 + 1,
    ],
    ["a repeated skill counts once", { skills: ["komputer", "komputer"] }, {}, 3 + 2 + 1],
    ["any job type wanted: no job-type points", { jobTypes: [] }, {}, 3 + 1],
    ["mode not preferred", { workModes: ["remote"] }, {}, 3 + 2],
    ["any mode", { workModes: [] }, {}, 3 + 2 + 1],
    ["nothing in common", { skills: [], jobTypes: ["kasir"], workModes: ["hybrid"] }, {}, 0],
  ];
  for (const [name, s, v, score] of cases) {
    it(name, () => {
      expect(matchVacancy({ ...seeker, ...s }, { ...vacancy, ...v })).toEqual({ ok: true, score });
    });
  }
});

describe("who may be pushed", () => {
  const cases: [string, Parameters<typeof canBePushed>[0], boolean][] = [
    [
      "active, consented, reachable",
      { status: "active", dataConsent: true, reachable: true },
      true,
    ],
    ["stopped messages", { status: "stopped", dataConsent: true, reachable: true }, false],
    ["deleted", { status: "deleted", dataConsent: true, reachable: true }, false],
    ["unreachable person", { status: "unreachable", dataConsent: true, reachable: true }, false],
    ["no reachable address", { status: "active", dataConsent: true, reachable: false }, false],
    ["consent withdrawn", { status: "active", dataConsent: false, reachable: true }, false],
  ];
  for (const [name, r, expected] of cases) it(name, () => expect(canBePushed(r)).toBe(expected));
});

describe("ranking", () => {
  it("orders by score, then the sooner deadline, then the older vacancy", () => {
    const d = (s: string) => new Date(s);
    const list = [
      { score: 1, deadline: d("2027-01-01"), ref: 1 },
      { score: 5, deadline: d("2027-03-01"), ref: 2 },
      { score: 5, deadline: d("2027-02-01"), ref: 4 },
      { score: 5, deadline: d("2027-02-01"), ref: 3 },
    ];
    expect([...list].sort(byBestMatch).map((x) => x.ref)).toEqual([3, 4, 2, 1]);
  });
});

describe("vacancy tags", () => {
  it("canonicalises skills in either language, without guessing typos", () => {
    expect(vacancySkillTags(["Sewing", "MS Excel", "data entry", "Menjahit"])).toEqual([
      "menjahit",
      "microsoft office",
      "entri data",
    ]);
    expect(vacancySkillTags(["toko"])).toEqual(["toko"]);
  });
  it("takes job words and word pairs from the title, not filler", () => {
    expect(vacancyTags("Staf Administrasi Kantor", [])).toEqual([
      "administrasi",
      "kantor",
      "administrasi kantor",
    ]);
    expect(vacancyTags("Penjahit Garmen (2 orang)", ["menjahit"])).toEqual(
      expect.arrayContaining(["menjahit", "garmen", "penjahit garmen"]),
    );
    expect(vacancyTags("Customer Service", [])).toContain("layanan pelanggan");
  });
  it("lets a seeker's wanted job type meet the title", () => {
    const tags = vacancyTags("Admin Gudang", vacancySkillTags([]));
    const result = matchVacancy(
      { ...seeker, skills: [], jobTypes: ["administrasi"] },
      { ...vacancy, skillTags: [], tags },
    );
    expect(result).toEqual({ ok: true, score: 2 + 1 });
  });
});
