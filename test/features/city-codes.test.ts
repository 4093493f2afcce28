/**
 * Staff API city codes (issue 16): a vacancy's or training's city is any of
 * the 514 regencies and cities; staff scopes stay the 28 job-center cities.
 */
import { describe, expect, it } from "vitest";
import { REGENCIES } from "../../src/domain/cities.ts";
import { cityCode } from "../../src/features/schema-parts.ts";
import { createBody } from "../../src/features/vacancies/schema.ts";

describe("city codes in the staff API", () => {
  it("accepts every regency and city, and nothing else", () => {
    for (const r of REGENCIES) expect(cityCode.safeParse(r.code).success, r.code).toBe(true);
    for (const bad of ["other", "0000", "73.71", "73710", "7371 ", ""]) {
      const result = cityCode.safeParse(bad);
      expect(result.success, bad).toBe(false);
      expect(result.error?.issues[0]?.message).toContain("regency or city");
    }
  });

  it("lets a vacancy be in a place without a job center", () => {
    const vacancy = {
      title: "Kasir",
      employer: "Toko Surabaya",
      city: "3578",
      workMode: "onsite",
      minEducation: "sma",
      skills: [],
      suitableFor: [],
      accommodations: [],
      openings: 1,
      deadline: "2027-01-20",
      description: "Melayani pembeli.",
      howToApply: "Datang ke toko.",
    };
    expect(createBody.safeParse(vacancy).success).toBe(true);
  });
});
