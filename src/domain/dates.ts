import { zoneAbbreviation } from "./cities.ts";
import { offsetMinutes } from "./quiet-hours.ts";

/** Locale used for dates per language: British English writes "12 January 2027". */
const DATE_LOCALE: Record<string, string> = { id: "id-ID", en: "en-GB" };

/**
 * A moment as people in a city read it, with the zone name:
 * "Senin, 12 Januari 2027, 09.00 WITA" (or without the time; without the
 * weekday in list lines, where every character is heard once per line).
 */
export function formatLocalDate(
  iso: string,
  timeZone: string,
  language: string,
  withTime = false,
  weekday = true,
): string {
  const locale = DATE_LOCALE[language] ?? language;
  const at = new Date(iso);
  const day = new Intl.DateTimeFormat(locale, {
    ...(weekday ? { weekday: "long" as const } : {}),
    day: "numeric",
    month: "long",
    year: "numeric",
    timeZone,
  }).format(at);
  if (!withTime) return day;
  const time = new Intl.DateTimeFormat(locale, {
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZone,
  }).format(at);
  return `${day}, ${time} ${zoneAbbreviation(timeZone) ?? timeZone}`;
}

/** The calendar day ("2026-11-30") a moment falls on in an Indonesian time zone (no DST). */
export function localDay(at: Date, timeZone: string): string {
  return new Date(at.getTime() + offsetMinutes(timeZone) * 60_000).toISOString().slice(0, 10);
}

/**
 * A time people read at a glance: "07.00 WITA" when it is within a day of
 * `from`, else with its date ("Senin, 12 Januari 2027, 07.00 WITA").
 */
export function formatLocalTime(
  iso: string,
  timeZone: string,
  language: string,
  from: Date,
): string {
  if (Date.parse(iso) - from.getTime() > 86_400_000) {
    return formatLocalDate(iso, timeZone, language, true);
  }
  const locale = DATE_LOCALE[language] ?? language;
  const time = new Intl.DateTimeFormat(locale, {
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZone,
  }).format(new Date(iso));
  return `${time} ${zoneAbbreviation(timeZone) ?? timeZone}`;
}
