import { describe, expect, it } from "vitest";
import {
  CITIES,
  cityByCode,
  jobCenterByCode,
  jobCentersNear,
  PROVINCES,
  REGENCIES,
  type RegencyKind,
  zoneAbbreviation,
} from "../../src/domain/cities.ts";
import {
  type CityMatch,
  parseCity,
  parseRegencyKind,
  resolveCity,
} from "../../src/domain/city-names.ts";

const zone = (code: string) => zoneAbbreviation(cityByCode(code)?.timeZone ?? "");
const name = (code: string) => cityByCode(code)?.name;

describe("REGENCIES", () => {
  it("holds Indonesia's 514 kabupaten/kota in 38 provinces, each code once", () => {
    expect(REGENCIES).toHaveLength(514);
    expect(PROVINCES).toHaveLength(38);
    expect(new Set(REGENCIES.map((r) => r.code)).size).toBe(514);
    expect(new Set(REGENCIES.map((r) => r.name)).size).toBe(514);
    for (const r of REGENCIES) {
      expect(r.code).toMatch(/^\d{4}$/);
      expect(r.code.slice(0, 2)).toBe(r.provinceCode);
      expect(r.name.startsWith(r.kind === "kota" ? "Kota " : "Kabupaten ")).toBe(true);
    }
    expect(REGENCIES.filter((r) => r.kind === "kota")).toHaveLength(98);
  });

  it.each<[string, string, string]>([
    ["3578", "Kota Surabaya", "WIB"],
    ["1271", "Kota Medan", "WIB"],
    ["6171", "Kota Pontianak", "WIB"], // Kalimantan Barat
    ["6271", "Kota Palangkaraya", "WIB"], // Kalimantan Tengah
    ["6371", "Kota Banjarmasin", "WITA"],
    ["5271", "Kota Mataram", "WITA"],
    ["7306", "Kabupaten Gowa", "WITA"],
    ["7171", "Kota Manado", "WITA"],
    ["8271", "Kota Ternate", "WIT"],
    ["9171", "Kota Jayapura", "WIT"],
    ["9671", "Kota Sorong", "WIT"], // Papua Barat Daya
  ])("%s is %s (%s)", (code, expected, abbreviation) => {
    expect(name(code)).toBe(expected);
    expect(zone(code)).toBe(abbreviation);
  });

  it("keeps BPS's codes for Jakarta's cities, as stored before", () => {
    expect(["3171", "3172", "3173", "3174", "3175"].map(name)).toEqual([
      "Kota Jakarta Selatan",
      "Kota Jakarta Timur",
      "Kota Jakarta Pusat",
      "Kota Jakarta Barat",
      "Kota Jakarta Utara",
    ]);
  });
});

describe("CITIES (the 28 with a job center)", () => {
  // The list as it was before every regency was known: codes, names, provinces and zones unchanged.
  const BEFORE =
    "1171 Banda Aceh|Aceh|WIB, 1371 Padang|Sumatera Barat|WIB, 1771 Bengkulu|Bengkulu|WIB, " +
    "1571 Jambi|Jambi|WIB, 1671 Palembang|Sumatera Selatan|WIB, 1872 Metro|Lampung|WIB, " +
    "3674 Tangerang Selatan|Banten|WIB, 3271 Bogor|Jawa Barat|WIB, 3173 Jakarta Pusat|DKI Jakarta|WIB, " +
    "3273 Bandung|Jawa Barat|WIB, 3374 Semarang|Jawa Tengah|WIB, 3373 Salatiga|Jawa Tengah|WIB, " +
    "3372 Surakarta|Jawa Tengah|WIB, 3471 Yogyakarta|DI Yogyakarta|WIB, 3571 Kediri|Jawa Timur|WIB, " +
    "3576 Mojokerto|Jawa Timur|WIB, 5171 Denpasar|Bali|WITA, 5371 Kupang|Nusa Tenggara Timur|WITA, " +
    "6172 Singkawang|Kalimantan Barat|WIB, 6171 Pontianak|Kalimantan Barat|WIB, " +
    "6371 Banjarmasin|Kalimantan Selatan|WITA, 6372 Banjarbaru|Kalimantan Selatan|WITA, " +
    "6471 Balikpapan|Kalimantan Timur|WITA, 6472 Samarinda|Kalimantan Timur|WITA, " +
    "6474 Bontang|Kalimantan Timur|WITA, 6571 Tarakan|Kalimantan Utara|WITA, " +
    "7371 Makassar|Sulawesi Selatan|WITA, 8171 Ambon|Maluku|WIT";

  it("are the APEKSI cities in data/cities.csv order, as before", () => {
    const now = CITIES.map(
      (c) =>
        `${c.code} ${c.name.replace(/^Kota /, "")}|${c.province}|${zoneAbbreviation(c.timeZone)}`,
    );
    expect(now.join(", ")).toBe(BEFORE);
    expect(CITIES.every((c) => c.jobCenter && c.kind === "kota")).toBe(true);
    expect(REGENCIES.filter((r) => r.jobCenter)).toHaveLength(28);
  });

  it("tell job centers from other places", () => {
    expect(jobCenterByCode("7371")?.name).toBe("Kota Makassar");
    expect(jobCenterByCode("3578")).toBeUndefined();
    expect(cityByCode("3578")?.jobCenter).toBe(false);
    expect(cityByCode("other")).toBeUndefined();
    expect(cityByCode("9999")).toBeUndefined();
  });

  it("name the job centers in the same province", () => {
    expect(jobCentersNear("3578").map((c) => c.name)).toEqual(["Kota Kediri", "Kota Mojokerto"]);
    expect(jobCentersNear("7306").map((c) => c.name)).toEqual(["Kota Makassar"]);
    expect(jobCentersNear("7171")).toEqual([]); // Sulawesi Utara has none
    expect(jobCentersNear("9999")).toEqual([]);
  });
});

describe("resolveCity", () => {
  const c = (code: string): CityMatch => ({ code });
  it.each<[string, CityMatch]>([
    ["makassar", c("7371")],
    ["Kota Makassar", c("7371")],
    ["makasar", c("7371")],
    ["Ujung Pandang", c("7371")],
    ["saya tinggal di makassar", c("7371")],
    ["Makassar, Sulawesi Selatan", c("7371")],
    ["palembang sumsel", c("1671")],
    ["denpasar bali", c("5171")],
    ["surabaya", c("3578")],
    ["surabya", c("3578")],
    ["kab bandung", c("3204")],
    ["Kab. Bandung", c("3204")],
    ["kabupaten malang", c("3507")],
    ["Bandung regency", c("3204")],
    ["Bandung city", c("3273")],
    ["kota bogor", c("3271")],
    ["solo", c("3372")],
    ["Surakarta", c("3372")],
    ["jogja", c("3471")],
    ["Yogyakarta", c("3471")],
    ["yogjakarta", c("3471")],
    ["jakpus", c("3173")],
    ["jakarta selatan", c("3171")],
    ["jaksel", c("3171")],
    ["tangsel", c("3674")],
    ["kota depok", c("3276")],
    ["Kab. Gowa", c("7306")],
    ["kota gowa", c("7306")], // kota said loosely
    ["gunung kidul", c("3403")],
    ["gunungkidul", c("3403")],
    ["balik papan", c("6471")],
    ["pekan baru", c("1471")],
    ["toli toli", c("7204")],
    ["kota baru", c("6302")], // Kabupaten Kotabaru, not "Kota Baru"
    ["kota mobagu", c("7174")],
    ["lima puluh kota", c("1307")],
    ["padang", c("1371")],
    ["padang panjang", c("1374")],
    ["jambi", c("1571")],
    ["batu", c("3579")],
    ["bandung barta", c("3217")],
    ["bandung", { choices: ["3273", "3204", "3217"] }],
    ["bogor", { choices: ["3271", "3201"] }],
    ["Malang, Jawa Timur", { choices: ["3573", "3507"] }],
    ["tangerang", { choices: ["3671", "3603", "3674"] }],
    ["jakarta", { choices: ["3173", "3171", "3172", "3174", "3175"] }],
    ["sumba", { choices: ["5311", "5312", "5317", "5318"] }],
    ["aceh", { province: "11" }],
    ["jawa timur", { province: "35" }],
    ["sumatra utara", { province: "12" }],
    ["lampung", { province: "18" }],
  ])("%j → %j", (text, expected) => {
    expect(resolveCity(text)).toEqual(expected);
  });

  it.each(["", "29", "1", "kota", "halo", "lainnya", "menu", "bpn", "makassar atau gowa", "👍"])(
    "%j → null",
    (text) => {
      expect(resolveCity(text)).toBeNull();
    },
  );

  const fits = (m: CityMatch | null, code: string) =>
    m !== null && ("code" in m ? m.code === code : "choices" in m && m.choices.includes(code));

  it("finds every one of the 514 by its full name, its name alone and with a typo", () => {
    for (const r of REGENCIES) {
      const base = r.name.replace(/^(Kota|Kabupaten) /, "");
      expect(resolveCity(r.name), r.name).toEqual({ code: r.code });
      expect(fits(resolveCity(base), r.code), base).toBe(true);
      expect(fits(resolveCity(base.toLowerCase()), r.code), base).toBe(true);
      // One letter swapped or dropped in the longest word (5 letters or more: a typo in a
      // 4-letter name leaves 3 letters, too alike to guess: Pati, Batu, Siak ask again).
      const word = base.split(" ").sort((a, b) => b.length - a.length)[0]!;
      if (word.length < 5) continue;
      const i = Math.floor(word.length / 2);
      const swapped = base.replace(
        word,
        word.slice(0, i - 1) + word[i] + word[i - 1] + word.slice(i + 1),
      );
      const dropped = base.replace(word, word.slice(0, i) + word.slice(i + 1));
      expect(fits(resolveCity(swapped), r.code), swapped).toBe(true);
      expect(
        fits(resolveCity(`${r.kind === "kota" ? "kota" : "kab"} ${dropped}`), r.code),
        dropped,
      ).toBe(true);
    }
  });
});

describe("parseCity (staff: one place, or the job center of that name)", () => {
  it.each<[string, string | null]>([
    ["Makassar", "7371"],
    ["bandung", "3273"],
    ["kabupaten bandung", "3204"],
    ["jakarta", "3173"],
    ["surabaya", "3578"],
    ["tangerang", null], // Kota or Kabupaten Tangerang: neither has a job center
    ["malang", null],
    ["jawa timur", null],
    ["halo", null],
  ])("%j → %j", (text, code) => {
    expect(parseCity(text)).toEqual(code ? { code } : null);
  });
});

describe("parseRegencyKind", () => {
  it.each<[string, RegencyKind | null]>([
    ["1", "kota"],
    ["2", "kabupaten"],
    ["kota", "kota"],
    ["city", "kota"],
    ["kotamadya", "kota"],
    ["kabupaten", "kabupaten"],
    ["Kab.", "kabupaten"],
    ["regency", "kabupaten"],
    ["kabupatn", "kabupaten"],
    ["3", null],
    ["", null],
    ["bukan kota", null],
    ["kota atau kabupaten", null],
    ["halo", null],
  ])("%j → %j", (text, expected) => {
    expect(parseRegencyKind(text)).toBe(expected);
  });
});

describe("zoneAbbreviation", () => {
  it.each<[string, string | null]>([
    ["Asia/Jakarta", "WIB"],
    ["Asia/Makassar", "WITA"],
    ["Asia/Jayapura", "WIT"],
    ["UTC", null],
  ])("%s → %s", (tz, abbreviation) => {
    expect(zoneAbbreviation(tz)).toBe(abbreviation);
  });
});
