import { describe, expect, it } from "vitest";
import {
  EDUCATION_CHOICES,
  EDUCATION_LEVELS,
  type EducationLevel,
  educationRank,
  meetsMinimum,
  parseEducation,
} from "../../src/domain/education.ts";

describe("education levels", () => {
  it("follow API.md order and rank", () => {
    const ranks = EDUCATION_LEVELS.map(educationRank);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(educationRank("sma")).toBe(educationRank("smk"));
    expect(educationRank("d4")).toBe(educationRank("s1"));
    expect(educationRank("d3")).toBeLessThan(educationRank("d4"));
  });

  it("number the choices as people see them", () => {
    expect(EDUCATION_CHOICES.map((c) => c.level)).toEqual([
      "below_sd",
      "sd",
      "smp",
      "sma",
      "smk",
      "d1",
      "d2",
      "d3",
      "s1",
      "s2",
      "s3",
    ]);
    expect(EDUCATION_CHOICES[8]!.label).toBe("D4/S1");
  });
});

describe("meetsMinimum", () => {
  it.each<[EducationLevel, EducationLevel, boolean]>([
    ["sma", "sma", true],
    ["smk", "sma", true],
    ["sma", "smk", true],
    ["d4", "s1", true],
    ["s1", "d4", true],
    ["s2", "sma", true],
    ["smp", "sma", false],
    ["d3", "s1", false],
    ["below_sd", "sd", false],
    ["below_sd", "below_sd", true],
  ])("%s meets %s: %s", (level, minimum, expected) => {
    expect(meetsMinimum(level, minimum)).toBe(expected);
  });
});

describe("parseEducation", () => {
  it.each<[string, EducationLevel]>([
    ["1", "below_sd"],
    ["2", "sd"],
    ["5", "smk"],
    ["9", "s1"],
    ["11", "s3"],
    ["nomor 4", "sma"],
    ["tidak tamat sd", "below_sd"],
    ["Tidak tamat SD", "below_sd"],
    ["tidak sekolah", "below_sd"],
    ["tidak pernah sekolah", "below_sd"],
    ["SD", "sd"],
    ["MI", "sd"],
    ["SDLB", "sd"],
    ["paket a", "sd"],
    ["Paket A", "sd"],
    ["SMP", "smp"],
    ["MTs", "smp"],
    ["SMPLB", "smp"],
    ["SLTP", "smp"],
    ["paket b", "smp"],
    ["SMA", "sma"],
    ["MA", "sma"],
    ["SMALB", "sma"],
    ["SLTA", "sma"],
    ["SMU", "sma"],
    ["paket c", "sma"],
    ["SMK", "smk"],
    ["STM", "smk"],
    ["SMEA", "smk"],
    ["D1", "d1"],
    ["D2", "d2"],
    ["D3", "d3"],
    ["D4", "d4"],
    ["diploma 3", "d3"],
    ["Diploma tiga", "d3"],
    ["D-3", "d3"],
    ["d iii", "d3"],
    ["D.III", "d3"],
    ["D 1", "d1"],
    ["S1", "s1"],
    ["S-1", "s1"],
    ["s 1", "s1"],
    ["sarjana", "s1"],
    ["strata 1", "s1"],
    ["Strata satu", "s1"],
    ["bachelor", "s1"],
    ["S2", "s2"],
    ["magister", "s2"],
    ["master", "s2"],
    ["S3", "s3"],
    ["doktor", "s3"],
    ["doctorate", "s3"],
    ["PhD", "s3"],
    ["Ph.D.", "s3"],
    ["high school", "sma"],
    ["senior high school", "sma"],
    ["vocational school", "smk"],
    ["elementary school", "sd"],
    ["primary school", "sd"],
    ["junior high", "smp"],
    ["junior high school", "smp"],
    ["sarjanaa", "s1"],
    ["magistr", "s2"],
    ["diplomaa 3", "d3"],
    ["lulusan SMK", "smk"],
    ["tamat SMA tahun 2010", "sma"],
    ["S1 Teknik Informatika", "s1"],
    ["SMA lalu S1", "s1"], // the highest counts
    ["D4/S1", "s1"],
    ["sarjana muda", "d3"],
    ["tidak tamat SMA", "smp"], // highest completed is the level below
    ["belum lulus kuliah", "sma"],
  ])("%j → %s", (text, level) => {
    expect(parseEducation(text)).toBe(level);
  });

  it.each([
    "",
    "0",
    "12",
    "1 dan 2",
    "halo",
    "sma atau smk", // a real question, not an answer
    "masih kuliah",
    "sedang kuliah S1",
    "sma kelas 2",
    "bukan sarjana",
    "tidak tamat",
    "dokter", // a profession, not "doktor"
    "doctor",
    "diplomat",
    "sekolah",
    "d",
    "s",
    "smu1", // unknown token with a digit: no guessing
    "👍",
  ])("%j → null", (text) => {
    expect(parseEducation(text)).toBeNull();
  });
});
