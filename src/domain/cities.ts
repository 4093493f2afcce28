import { normalize } from "./normalize.ts";
import { parseSingleNumber } from "./number-list.ts";
import { compileLexicon, type LexiconEntry, scanPhrases } from "./phrases.ts";

export type TimeZone = "Asia/Jakarta" | "Asia/Makassar" | "Asia/Jayapura";
export type ZoneAbbreviation = "WIB" | "WITA" | "WIT";
export type RegencyKind = "kota" | "kabupaten";

export interface City {
  /** BPS code, the id used everywhere else. */
  code: string;
  name: string;
  province: string;
  timeZone: TimeZone;
}

const row = (code: string, name: string, province: string, timeZone: TimeZone): City => ({
  code,
  name,
  province,
  timeZone,
});

/** The 28 APEKSI cities in data/cities.csv order: the numbered list people see. */
export const CITIES: readonly City[] = [
  row("1171", "Kota Banda Aceh", "Aceh", "Asia/Jakarta"),
  row("1371", "Kota Padang", "Sumatera Barat", "Asia/Jakarta"),
  row("1771", "Kota Bengkulu", "Bengkulu", "Asia/Jakarta"),
  row("1571", "Kota Jambi", "Jambi", "Asia/Jakarta"),
  row("1671", "Kota Palembang", "Sumatera Selatan", "Asia/Jakarta"),
  row("1872", "Kota Metro", "Lampung", "Asia/Jakarta"),
  row("3674", "Kota Tangerang Selatan", "Banten", "Asia/Jakarta"),
  row("3271", "Kota Bogor", "Jawa Barat", "Asia/Jakarta"),
  row("3173", "Kota Jakarta Pusat", "DKI Jakarta", "Asia/Jakarta"),
  row("3273", "Kota Bandung", "Jawa Barat", "Asia/Jakarta"),
  row("3374", "Kota Semarang", "Jawa Tengah", "Asia/Jakarta"),
  row("3373", "Kota Salatiga", "Jawa Tengah", "Asia/Jakarta"),
  row("3372", "Kota Surakarta", "Jawa Tengah", "Asia/Jakarta"),
  row("3471", "Kota Yogyakarta", "DI Yogyakarta", "Asia/Jakarta"),
  row("3571", "Kota Kediri", "Jawa Timur", "Asia/Jakarta"),
  row("3576", "Kota Mojokerto", "Jawa Timur", "Asia/Jakarta"),
  row("5171", "Kota Denpasar", "Bali", "Asia/Makassar"),
  row("5371", "Kota Kupang", "Nusa Tenggara Timur", "Asia/Makassar"),
  row("6172", "Kota Singkawang", "Kalimantan Barat", "Asia/Jakarta"),
  row("6171", "Kota Pontianak", "Kalimantan Barat", "Asia/Jakarta"),
  row("6371", "Kota Banjarmasin", "Kalimantan Selatan", "Asia/Makassar"),
  row("6372", "Kota Banjarbaru", "Kalimantan Selatan", "Asia/Makassar"),
  row("6471", "Kota Balikpapan", "Kalimantan Timur", "Asia/Makassar"),
  row("6472", "Kota Samarinda", "Kalimantan Timur", "Asia/Makassar"),
  row("6474", "Kota Bontang", "Kalimantan Timur", "Asia/Makassar"),
  row("6571", "Kota Tarakan", "Kalimantan Utara", "Asia/Makassar"),
  row("7371", "Kota Makassar", "Sulawesi Selatan", "Asia/Makassar"),
  row("8171", "Kota Ambon", "Maluku", "Asia/Jayapura"),
];

/** The number after the cities: "other city/regency". */
export const OTHER_CITY_CHOICE = CITIES.length + 1;

/** Cities whose name is also a regency (kabupaten): ask which one people mean. */
export const CITIES_WITH_REGENCY: ReadonlySet<string> = new Set([
  "3271",
  "3273",
  "3374",
  "3571",
  "3576",
  "5371",
]);

export function cityByCode(code: string): City | undefined {
  return CITIES.find((c) => c.code === code);
}

const ZONES: Record<TimeZone, ZoneAbbreviation> = {
  "Asia/Jakarta": "WIB",
  "Asia/Makassar": "WITA",
  "Asia/Jayapura": "WIT",
};

/** WIB, WITA or WIT, as Indonesians write times ("09.00 WITA"); null for other zones. */
export function zoneAbbreviation(tz: string): ZoneAbbreviation | null {
  return ZONES[tz as TimeZone] ?? null;
}

export type CityAnswer =
  | { code: string; kind?: "kota" }
  | { other: true; name?: string; kind?: RegencyKind };

const OTHER = "other";
const names = (code: string, phrases: string): LexiconEntry<string>[] =>
  phrases.split(",").map((p): LexiconEntry<string> => [p.trim(), code]);

const LEXICON = compileLexicon<string>([
  ...CITIES.map((c): LexiconEntry<string> => [c.name.replace(/^Kota /, ""), c.code]),
  ...names("3173", "jakarta, jakpus, jakarta pusat, central jakarta"),
  ...names("3674", "tangsel, south tangerang"),
  ...names("3471", "jogja, jogjakarta, yogya, djogja, jogya, djokja, yogyakarta"),
  ...names("3372", "solo"),
  ...names("7371", "makasar, ujung pandang"),
  // Other Jakarta cities are not members: recognise them so they are not read as Jakarta Pusat.
  ...names(
    OTHER,
    "jakarta barat, jakarta timur, jakarta selatan, jakarta utara, jakbar, jaktim, jaksel, " +
      "jakut, kepulauan seribu, lainnya, lain, lain lain, yang lain, other, others, " +
      "other city, another city, kota lain, kota lainnya, kabupaten lain, daerah lain, " +
      "tempat lain, luar daftar, di luar daftar, tidak ada di daftar, not listed, not in the list",
  ),
  // Provinces add nothing (people append them); those sharing a city's name are left out.
  ...(
    "aceh, sumatera barat, sumatra barat, sumatera selatan, sumatra selatan, lampung, banten, " +
    "jawa barat, jawa tengah, jawa timur, bali, nusa tenggara timur, kalimantan barat, " +
    "kalimantan selatan, kalimantan timur, kalimantan utara, sulawesi selatan, maluku, " +
    "jabar, jateng, jatim, kalbar, kalsel, kaltim, kaltara, sulsel, sumbar, sumsel, ntt, " +
    "dki, indonesia"
  )
    .split(",")
    .map((p): LexiconEntry<string> => [p.trim()]),
]);

const FILLERS = new Set(
  "saya aku sy tinggal di dari domisili berdomisili asal sekarang kota city of in the i live from kak provinsi prov".split(
    " ",
  ),
);

/**
 * The city someone lives in: its number on the list, its name with or without
 * "Kota", common names ("jogja", "solo", "jakpus", "tangsel") and typos
 * ("makasar"). "29", "lainnya" or a place not on the list named with
 * "kota"/"kabupaten" ("kab. Gowa") → other. Unknown words → null: a wrong city
 * would route the person to the wrong office.
 */
export function parseCity(text: string): CityAnswer | null {
  const n = parseSingleNumber(text, OTHER_CITY_CHOICE);
  if (n !== null) return n === OTHER_CITY_CHOICE ? { other: true } : { code: CITIES[n - 1]!.code };
  const normal = normalize(text);
  const { values, unknown } = scanPhrases(normal, LEXICON, { fillers: FILLERS });
  if (unknown.length === 0 && values.length === 1) {
    const [value] = values as [string];
    if (value === OTHER) return { other: true };
    return /(?:^|\s)kota\s/u.test(normal) ? { code: value, kind: "kota" } : { code: value };
  }
  // "kab. Bogor": the regency, not the member city of the same name.
  const regency = /(?:^|\s)(?:kabupaten|kab)\s+(.*\p{L}.*)$/u.exec(normal);
  if (regency) {
    const name = cleanPlaceName(regency[1]!);
    return name ? { other: true, name, kind: "kabupaten" } : { other: true, kind: "kabupaten" };
  }
  // "kota Depok": a city not on the list, named as such.
  const explicit = /^kota\s+(.+)$/u.exec(normal);
  const name = explicit && values.length === 0 ? cleanPlaceName(explicit[1]!) : null;
  return name && name.split(" ").length <= 4 ? { other: true, name, kind: "kota" } : null;
}

const KIND = compileLexicon<RegencyKind>([
  ["kota", "kota"],
  ["kotamadya", "kota"],
  ["kota madya", "kota"],
  ["kodya", "kota"],
  ["city", "kota"],
  ["kabupaten", "kabupaten"],
  ["kab", "kabupaten"],
  ["regency", "kabupaten"],
]);

/** "Kota or Kabupaten?": 1/kota/city or 2/kabupaten/kab/regency; place names may follow. */
export function parseRegencyKind(text: string): RegencyKind | null {
  const n = parseSingleNumber(text, 2);
  if (n !== null) return n === 1 ? "kota" : "kabupaten";
  const { values, unknown } = scanPhrases(normalize(text), KIND);
  if (values.length !== 1 || unknown.some((w) => /^(bukan|tidak|not)$/.test(w))) return null;
  return values[0]!;
}

/**
 * A place name typed for "other city", tidied for display: "  kab. gunung kidul "
 * → "Gunung Kidul". Null when empty, longer than 60 characters or without letters.
 */
export function cleanPlaceName(text: string): string | null {
  const cleaned = text
    .normalize("NFKC")
    .replace(/[^\p{L}\p{M}\p{N}\s.'’()-]/gu, " ")
    .replace(/\s+/gu, " ")
    .trim()
    .replace(/^(?:kota|kabupaten|kab)(?:\.\s*|\s+|$)/iu, "")
    .replace(/^[\s.'’()-]+|[\s.'’-]+$/gu, "");
  if (cleaned === "" || Array.from(cleaned).length > 60 || !/\p{L}/u.test(cleaned)) return null;
  return cleaned
    .toLowerCase()
    .replace(
      /(^|[\s(-])(\p{L})/gu,
      (_, before: string, letter: string) => before + letter.toUpperCase(),
    );
}
