import type { Held } from "../../domain/quiet-hours.ts";

/** Messages waiting for the end of quiet hours, as the API answers them. */
export function heldJson(held: Held) {
  return {
    held: held.held,
    heldUntil: held.heldUntil?.toISOString() ?? null,
    heldByZone: held.zones.map((z) => ({
      timeZone: z.timeZone,
      held: z.held,
      until: z.until.toISOString(),
    })),
  };
}
