import type { TFunction } from "i18next";
import { formatLocalTime } from "../../domain/dates.ts";
import { type Html, html } from "./html.ts";

/** Messages waiting for the end of quiet hours, per zone (from features: publish, broadcasts). */
export interface HeldZones {
  held: number;
  zones: readonly { timeZone: string; held: number; until: Date | string }[];
}

/**
 * "3 pesan menunggu sampai 07.00 WITA, 1 sampai 07.00 WIB": what staff see
 * when they publish or send during quiet hours. Empty when nothing waits.
 */
export function heldText(t: TFunction, held: HeldZones, lang: string, from: Date): string {
  if (held.held === 0) return "";
  const until = (z: HeldZones["zones"][number]) =>
    formatLocalTime(new Date(z.until).toISOString(), z.timeZone, lang, from);
  const [first, ...rest] = held.zones;
  if (!first) return "";
  const parts = [
    t("quiet.held", { count: first.held, until: until(first) }),
    ...rest.map((z) => t("quiet.more", { count: z.held, until: until(z) })),
  ];
  return `${parts.join(", ")}. ${t("quiet.why")}`;
}

export const heldLine = (t: TFunction, held: HeldZones, lang: string, from: Date): Html => {
  const text = heldText(t, held, lang, from);
  return text ? html`<p id="held">${text}</p>` : html``;
};
