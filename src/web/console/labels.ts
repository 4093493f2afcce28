/** Names staff read for the codes the data uses. */
import type { TFunction } from "i18next";
import { ACCOMMODATIONS } from "../../domain/accommodations.ts";
import { DISABILITY_CATEGORIES } from "../../domain/categories.ts";
import { CITIES, cityByCode, PROVINCES, REGENCIES, zoneAbbreviation } from "../../domain/cities.ts";
import { EDUCATION_LEVELS } from "../../domain/education.ts";
import { WORK_MODES } from "../../domain/work-mode.ts";
import { type Html, html } from "./html.ts";

export type Option = { value: string; label: string };
/** Options under a heading (an optgroup): screen readers say the heading with each option. */
export type OptionGroup = { label: string; options: Option[] };

export const cityName = (code: string | null | undefined) =>
  code ? (cityByCode(code)?.name ?? code) : "";

export const options = {
  cities: (cities: string[]) =>
    CITIES.filter((c) => cities.length === 0 || cities.includes(c.code)).map((c) => ({
      value: c.code,
      label: c.name,
    })),
  /**
   * The places a record may be in: a city-scoped account's own cities; for an
   * account of every city, the 28 with a job center first, then every other
   * regency and city of Indonesia under its province.
   */
  places: (t: TFunction, cities: string[]): { options: Option[]; groups: OptionGroup[] } =>
    cities.length > 0
      ? { options: options.cities(cities), groups: [] }
      : {
          options: [],
          groups: [
            { label: t("places.jobCenters"), options: options.cities([]) },
            ...PROVINCES.map((p) => ({
              label: p.name,
              options: REGENCIES.filter((r) => r.provinceCode === p.code && !r.jobCenter)
                .map((r) => ({ value: r.code, label: r.name }))
                .sort((a, b) => a.label.localeCompare(b.label, "id")),
            })).filter((g) => g.options.length > 0),
          ],
        },
  categories: (t: TFunction) =>
    DISABILITY_CATEGORIES.map((c) => ({ value: c, label: t(`category.${c}`) })),
  education: (t: TFunction) =>
    EDUCATION_LEVELS.map((e) => ({ value: e, label: t(`education.${e}`) })),
  accommodations: (t: TFunction) =>
    ACCOMMODATIONS.map((a) => ({ value: a, label: t(`accommodation.${a}`) })),
  workModes: (t: TFunction) => WORK_MODES.map((m) => ({ value: m, label: t(`workMode.${m}`) })),
};

/** A channel as staff read it ("WhatsApp", not "whatsapp"). */
export const channelName = (t: TFunction, channel: string) =>
  t(`channelName.${channel}`, { defaultValue: channel });

/** A language as staff read it ("Bahasa Indonesia", not "id"). */
export const languageName = (t: TFunction, language: string) =>
  t(`languageName.${language}`, { defaultValue: language });

/** Choices with an "all" choice first (a filter). */
export const withAll = (c: { options: Option[]; groups: OptionGroup[] }, all: string) => ({
  options: [{ value: "", label: all }, ...c.options],
  groups: c.groups,
});

/**
 * A time as staff read it, in the zone of the city it belongs to (default WITA),
 * named as Indonesians name it in both languages ("09:00 WITA", not "GMT+8").
 */
export function when(
  date: Date | string | null | undefined,
  lang: string,
  timeZone = "Asia/Makassar",
) {
  if (!date) return "";
  const local = new Intl.DateTimeFormat(lang === "en" ? "en-GB" : "id-ID", {
    weekday: "long",
    day: "numeric",
    month: "long",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZone,
  }).format(new Date(date));
  return `${local} ${zoneAbbreviation(timeZone) ?? timeZone}`;
}

/** Form values: one string, or several for checkboxes. */
export const list = (value: unknown): string[] =>
  value === undefined || value === null || value === ""
    ? []
    : (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === "string");
export const one = (value: unknown): string =>
  typeof value === "string"
    ? value
    : Array.isArray(value) && typeof value[0] === "string"
      ? value[0]
      : "";

export const isUuid = (id: string) =>
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);

/** Indonesia's zones as staff name them, and their offsets (no daylight saving). */
export const ZONE_OFFSETS = { WIB: "+07:00", WITA: "+08:00", WIT: "+09:00" } as const;
export type ZoneName = keyof typeof ZONE_OFFSETS;
export const ZONE_OF_TZ: Record<string, ZoneName> = {
  "Asia/Jakarta": "WIB",
  "Asia/Makassar": "WITA",
  "Asia/Jayapura": "WIT",
};

/** A datetime-local value ("2027-01-11T09:00") in a zone, as ISO 8601 with its offset; "" stays "". */
export const localTime = (local: string, zone: ZoneName) =>
  local ? `${local.length === 16 ? `${local}:00` : local}${ZONE_OFFSETS[zone]}` : "";

/**
 * A seeker's name in a list of applicants or enrolments: a link to their page
 * when they are of the viewer's cities, else the name and "shared with you".
 */
export function seekerName(
  t: TFunction,
  seeker: { id: string; name: string | null; view: "full" | "shared" },
): Html {
  if (seeker.view === "full")
    return html`<a href="/console/seekers/${seeker.id}">${seeker.name ?? "-"}</a>`;
  return html`${seeker.name ?? "-"} <span class="hint">(${t("seekers.sharedWithYou")})</span>`;
}
