/**
 * Indonesia's 514 regencies and cities (kabupaten/kota), with their province
 * and time zone, and the 28 among them whose Inclusive Job Center runs this
 * service. Codes are 4 digits ("7371" = Kota Makassar); see regencies-data.ts
 * for the source and how its codes are written.
 */
import { PROVINCE_ROWS, REGENCY_ROWS } from "./regencies-data.ts";

export type TimeZone = "Asia/Jakarta" | "Asia/Makassar" | "Asia/Jayapura";
export type ZoneAbbreviation = "WIB" | "WITA" | "WIT";
export type RegencyKind = "kota" | "kabupaten";

export interface Province {
  code: string;
  name: string;
  timeZone: TimeZone;
}

export interface City {
  /** The id used everywhere else: profiles, vacancies, trainings, staff scopes. */
  code: string;
  /** With its kind: "Kota Makassar", "Kabupaten Gowa". */
  name: string;
  kind: RegencyKind;
  province: string;
  provinceCode: string;
  timeZone: TimeZone;
  /** One of the 28 cities whose job center runs the service (staff work there). */
  jobCenter: boolean;
}

export const PROVINCES: readonly Province[] = PROVINCE_ROWS.map(([code, name, timeZone]) => ({
  code,
  name,
  timeZone: timeZone as TimeZone,
}));
const PROVINCE_BY_CODE = new Map(PROVINCES.map((p) => [p.code, p]));

/** The 28 APEKSI cities with a job center, in data/cities.csv order (the order staff see). */
const JOB_CENTER_CODES = [
  "1171", // Banda Aceh
  "1371", // Padang
  "1771", // Bengkulu
  "1571", // Jambi
  "1671", // Palembang
  "1872", // Metro
  "3674", // Tangerang Selatan
  "3271", // Bogor
  "3173", // Jakarta Pusat
  "3273", // Bandung
  "3374", // Semarang
  "3373", // Salatiga
  "3372", // Surakarta
  "3471", // Yogyakarta
  "3571", // Kediri
  "3576", // Mojokerto
  "5171", // Denpasar
  "5371", // Kupang
  "6172", // Singkawang
  "6171", // Pontianak
  "6371", // Banjarmasin
  "6372", // Banjarbaru
  "6471", // Balikpapan
  "6472", // Samarinda
  "6474", // Bontang
  "6571", // Tarakan
  "7371", // Makassar
  "8171", // Ambon
] as const;
const JOB_CENTER_SET: ReadonlySet<string> = new Set(JOB_CENTER_CODES);

/** Every regency and city, by code. */
export const REGENCIES: readonly City[] = REGENCY_ROWS.map(([code, name]) => {
  const province = PROVINCE_BY_CODE.get(code.slice(0, 2));
  if (!province) throw new Error(`regency ${code} has no province`);
  return {
    code,
    name,
    kind: name.startsWith("Kota ") ? "kota" : "kabupaten",
    province: province.name,
    provinceCode: province.code,
    timeZone: province.timeZone,
    jobCenter: JOB_CENTER_SET.has(code),
  };
});
const BY_CODE = new Map(REGENCIES.map((c) => [c.code, c]));

/** The 28 cities with a job center: staff scopes, the cities staff pick from. */
export const CITIES: readonly City[] = JOB_CENTER_CODES.map((code) => BY_CODE.get(code)!);

/** Any regency or city by its code (undefined for "other" and unknown codes). */
export function cityByCode(code: string): City | undefined {
  return BY_CODE.get(code);
}

/** One of the 28 cities with a job center, by code. */
export function jobCenterByCode(code: string): City | undefined {
  const city = BY_CODE.get(code);
  return city?.jobCenter ? city : undefined;
}

export function provinceByCode(code: string): Province | undefined {
  return PROVINCE_BY_CODE.get(code);
}

/** Job centers in the same province as this place (itself excluded): where to go in person. */
export function jobCentersNear(code: string): City[] {
  const city = BY_CODE.get(code);
  if (!city) return [];
  return CITIES.filter((c) => c.provinceCode === city.provinceCode && c.code !== code);
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
