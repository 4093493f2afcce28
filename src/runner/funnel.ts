/**
 * A registration step reached, as stored for the drop-out funnel: the step,
 * the local day, the channel, the language and the place answered so far.
 * Nothing says who: no person, no time of day.
 */
import { cityByCode } from "../domain/cities.ts";
import { localDay } from "../domain/dates.ts";
import type { Effect } from "../engine/types.ts";
import type { Channel } from "../generated/prisma/client.ts";

export interface FunnelRow {
  /** "2026-11-30", in the place's zone (WIB before a place is given). */
  day: string;
  step: string;
  channel: Channel;
  language: string;
  cityCode: string | null;
}

export function funnelRow(
  effect: Extract<Effect, { type: "funnelStep" }>,
  channel: Channel,
  language: string,
  now: Date,
): FunnelRow {
  const zone = cityByCode(effect.cityCode ?? "")?.timeZone ?? "Asia/Jakarta";
  return {
    day: localDay(now, zone),
    step: effect.step,
    channel,
    language,
    cityCode: effect.cityCode ?? null,
  };
}
