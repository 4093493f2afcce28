import { describe, expect, it } from "vitest";
import {
  CITIES,
  CITIES_WITH_REGENCY,
  type CityAnswer,
  cityByCode,
  cleanPlaceName,
  parseCity,
  parseRegencyKind,
  type RegencyKind,
  zoneAbbreviation,
} from "../../src/domain/cities.ts";

describe("CITIES", () => {
  it("holds the 28 cities of data/cities.csv in order", () => {
    expect(CITIES).toHaveLength(28);
    expect(CITIES[0]).toEqual({
      code: "1171",
      name: "Kota Banda Aceh",
      province: "Aceh",
      timeZone: "Asia/Jakarta",
    });
    expect(CITIES[26]!.code).toBe("7371");
    expect(CITIES[27]).toMatchObject({ code: "8171", timeZone: "Asia/Jayapura" });
    expect(new Set(CITIES.map((c) => c.code)).size).toBe(28);
  });

  it("knows which names are also regencies", () => {
    const names = CITIES.filter((c) => CITIES_WITH_REGENCY.has(c.code)).map((c) => c.name);
    expect(names).toEqual([
      "Kota Bogor",
      "Kota Bandung",
      "Kota Semarang",
      "Kota Kediri",
      "Kota Mojokerto",
      "Kota Kupang",
    ]);
  });
});

describe("cityByCode and zoneAbbreviation", () => {
  it.each<[string, string | undefined, string | null]>([
    ["7371", "Kota Makassar", "WITA"],
    ["3173", "Kota Jakarta Pusat", "WIB"],
    ["8171", "Kota Ambon", "WIT"],
    ["6372", "Kota Banjarbaru", "WITA"],
    ["9999", undefined, null],
    ["other", undefined, null],
  ])("%s → %s (%s)", (code, name, zone) => {
    const city = cityByCode(code);
    expect(city?.name).toBe(name);
    expect(city ? zoneAbbreviation(city.timeZone) : null).toBe(zone);
  });

  it.each<[string, string | null]>([
    ["Asia/Jakarta", "WIB"],
    ["Asia/Makassar", "WITA"],
    ["Asia/Jayapura", "WIT"],
    ["Asia/Pontianak", null],
    ["UTC", null],
  ])("%s → %s", (tz, abbreviation) => {
    expect(zoneAbbreviation(tz)).toBe(abbreviation);
  });
});

describe("parseCity", () => {
  it.each<[string, CityAnswer]>([
    ["1", { code: "1171" }],
    ["27", { code: "7371" }],
    ["28", { code: "8171" }],
    ["nomor 9", { code: "3173" }],
    ["29", { other: true }],
    ["makassar", { code: "7371" }],
    ["Makassar", { code: "7371" }],
    ["Kota Makassar", { code: "7371", kind: "kota" }],
    ["kota makassar", { code: "7371", kind: "kota" }],
    ["makasar", { code: "7371" }],
    ["Ujung Pandang", { code: "7371" }],
    ["jogja", { code: "3471" }],
    ["jogjakarta", { code: "3471" }],
    ["yogya", { code: "3471" }],
    ["djogja", { code: "3471" }],
    ["Yogyakarta", { code: "3471" }],
    ["yogjakarta", { code: "3471" }],
    ["solo", { code: "3372" }],
    ["Surakarta", { code: "3372" }],
    ["jakpus", { code: "3173" }],
    ["jakarta pusat", { code: "3173" }],
    ["jakarta", { code: "3173" }],
    ["tangsel", { code: "3674" }],
    ["Tangerang Selatan", { code: "3674" }],
    ["palembang", { code: "1671" }],
    ["plembang", { code: "1671" }],
    ["banda aceh", { code: "1171" }],
    ["jambi", { code: "1571" }],
    ["bengkulu", { code: "1771" }],
    ["metro", { code: "1872" }],
    ["bogor", { code: "3271" }],
    ["kota bogor", { code: "3271", kind: "kota" }],
    ["banjar baru", { code: "6372" }],
    ["banjarmasin", { code: "6371" }],
    ["balikpapan", { code: "6471" }],
    ["balik papan", { code: "6471" }],
    ["samarinda", { code: "6472" }],
    ["saya tinggal di makassar", { code: "7371" }],
    ["Makassar, Sulawesi Selatan", { code: "7371" }],
    ["denpasar bali", { code: "5171" }],
    ["lainnya", { other: true }],
    ["lain", { other: true }],
    ["other", { other: true }],
    ["kota lain", { other: true }],
    ["jakarta selatan", { other: true }], // not Jakarta Pusat
    ["jaksel", { other: true }],
    ["kota depok", { other: true, name: "Depok", kind: "kota" }],
    ["kabupaten bogor", { other: true, name: "Bogor", kind: "kabupaten" }],
    ["Kab. Gowa", { other: true, name: "Gowa", kind: "kabupaten" }],
    ["kab bandung barat", { other: true, name: "Bandung Barat", kind: "kabupaten" }],
  ])("%j → %j", (text, expected) => {
    expect(parseCity(text)).toEqual(expected);
  });

  it.each([
    "",
    "0",
    "30",
    "1 dan 2",
    "halo",
    "kota",
    "tangerang", // Kota Tangerang is not Tangerang Selatan: ask again
    "bpn", // an abbreviation with other meanings
    "padang panjang", // another city, not Padang
    "bandung barat", // a regency, not Kota Bandung
    "aceh", // a province
    "bali",
    "depok",
    "makassar atau gowa",
    "👍",
  ])("%j → null", (text) => {
    expect(parseCity(text)).toBeNull();
  });
});

describe("parseRegencyKind", () => {
  it.each<[string, RegencyKind | null]>([
    ["1", "kota"],
    ["2", "kabupaten"],
    ["kota", "kota"],
    ["Kota", "kota"],
    ["city", "kota"],
    ["kotamadya", "kota"],
    ["kabupaten", "kabupaten"],
    ["kab", "kabupaten"],
    ["Kab.", "kabupaten"],
    ["regency", "kabupaten"],
    ["kabupatn", "kabupaten"],
    ["kabupaten bogor", "kabupaten"],
    ["3", null],
    ["", null],
    ["bukan kota", null],
    ["kota atau kabupaten", null],
    ["halo", null],
  ])("%j → %j", (text, expected) => {
    expect(parseRegencyKind(text)).toBe(expected);
  });
});

describe("cleanPlaceName", () => {
  it.each<[string, string | null]>([
    ["  kab. gunung kidul ", "Gunung Kidul"],
    ["Kota depok", "Depok"],
    ["kabupaten   BANDUNG barat", "Bandung Barat"],
    ["Kab.Sleman", "Sleman"],
    ["pangkal-pinang", "Pangkal-Pinang"],
    ["kotabaru", "Kotabaru"], // a regency whose name starts with "kota"
    ["Tangerang 🙂", "Tangerang"],
    ["", null],
    ["   ", null],
    ["123", null],
    ["Kabupaten", null],
    ["🙂", null],
    ["a".repeat(61), null],
    ["a".repeat(60), `A${"a".repeat(59)}`],
  ])("%j → %j", (text, expected) => {
    expect(cleanPlaceName(text)).toBe(expected);
  });
});
