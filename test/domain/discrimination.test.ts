import { describe, expect, it } from "vitest";
import { requirementWarnings } from "../../src/domain/discrimination.ts";

describe("discriminatory requirements", () => {
  const flagged: [string, string][] = [
    ["Sehat jasmani dan rohani", "health_requirement"],
    ["Pelamar harus SEHAT JASMANI & ROHANI.", "health_requirement"],
    ["sehat rohani", "health_requirement"],
    ["Physically and mentally healthy", "health_requirement"],
    ["Berbadan sehat", "health_requirement"],
    ["Tidak cacat fisik", "no_disability"],
    ["Tidak memiliki cacat", "no_disability"],
    ["Fisik sempurna", "no_disability"],
    ["Anggota tubuh lengkap", "no_disability"],
    ["Penglihatan normal", "no_disability"],
    ["No physical defects", "no_disability"],
    ["Usia maksimal 25 tahun", "age_limit"],
    ["umur max. 30", "age_limit"],
    ["Usia 18-25 tahun", "age_limit"],
    ["Usia 18 s/d 25 tahun", "age_limit"],
    ["Maksimal 35 tahun", "age_limit"],
    ["Age under 30", "age_limit"],
    ["Berpenampilan menarik", "appearance"],
    ["Good looking", "appearance"],
    ["Tinggi badan minimal 160 cm", "physical_measure"],
    ["Belum menikah", "marital_status"],
    ["Khusus pria", "gender"],
    ["Female only", "gender"],
  ];
  for (const [text, code] of flagged) {
    it(`warns about "${text}"`, () => {
      const warnings = requirementWarnings({ description: text });
      expect(warnings.map((w) => w.code)).toContain(code);
      expect(warnings[0]).toMatchObject({ field: "description" });
      expect(warnings[0]!.message.length).toBeGreaterThan(10);
    });
  }

  const fine = [
    "Mampu mengoperasikan komputer",
    "Pengalaman minimal 1 tahun",
    "Terbuka untuk penyandang disabilitas",
    "Bersedia bekerja shift",
    "Sehat dan semangat kerja", // no "jasmani/rohani": not the blanket clause
    "Usia produktif dipersilakan melamar", // no limit stated
    "Menyediakan juru bahasa isyarat",
  ];
  for (const text of fine) {
    it(`does not warn about "${text}"`, () => {
      expect(requirementWarnings({ description: text })).toEqual([]);
    });
  }

  it("names the field of each finding, also in lists", () => {
    const warnings = requirementWarnings({
      title: "Admin (khusus wanita)",
      skills: ["Excel", "Sehat jasmani"],
      description: "Usia maksimal 30 tahun",
    });
    expect(warnings.map((w) => [w.field, w.code])).toEqual([
      ["title", "gender"],
      ["skills", "health_requirement"],
      ["description", "age_limit"],
    ]);
  });
});
