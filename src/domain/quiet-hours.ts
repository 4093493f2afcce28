/**
 * Night hours in a person's own time zone, when proactive messages wait for
 * the morning. Indonesia has no daylight saving time, so each zone is a fixed
 * offset from UTC.
 */
const OFFSET_MINUTES: Record<string, number> = {
  "Asia/Jakarta": 7 * 60,
  "Asia/Makassar": 8 * 60,
  "Asia/Jayapura": 9 * 60,
};

export interface QuietHours {
  /** Minutes after local midnight when quiet hours start (e.g. 21:00 → 1260). */
  start: number;
  /** Minutes after local midnight when they end (e.g. 07:00 → 420). */
  end: number;
}

/** "21:00-07:00" → minutes; null when malformed. Equal start and end mean no quiet hours. */
export function parseQuietHours(text: string): QuietHours | null {
  const m = /^\s*(\d{1,2})[:.](\d{2})\s*-\s*(\d{1,2})[:.](\d{2})\s*$/.exec(text);
  if (!m) return null;
  const [h1, m1, h2, m2] = m.slice(1).map(Number) as [number, number, number, number];
  if (h1 > 23 || h2 > 23 || m1 > 59 || m2 > 59) return null;
  return { start: h1 * 60 + m1, end: h2 * 60 + m2 };
}

export function offsetMinutes(timeZone: string): number {
  return OFFSET_MINUTES[timeZone] ?? OFFSET_MINUTES["Asia/Jakarta"]!;
}

/**
 * When a proactive message may go out: `now` itself outside quiet hours,
 * otherwise the end of the quiet hours in the person's zone.
 */
export function outsideQuietHours(now: Date, timeZone: string, quiet: QuietHours): Date {
  if (quiet.start === quiet.end) return now;
  const offset = offsetMinutes(timeZone) * 60_000;
  const local = now.getTime() + offset;
  const dayStart = Math.floor(local / 86_400_000) * 86_400_000;
  const minute = (local - dayStart) / 60_000;
  const wraps = quiet.start > quiet.end; // e.g. 21:00–07:00 crosses midnight
  const inside = wraps
    ? minute >= quiet.start || minute < quiet.end
    : minute >= quiet.start && minute < quiet.end;
  if (!inside) return now;
  const endToday = dayStart + quiet.end * 60_000;
  const end = endToday > local ? endToday : endToday + 86_400_000;
  return new Date(end - offset);
}

/** Messages waiting for the end of quiet hours, per time zone and in all. */
export interface Held {
  /** How many wait. */
  held: number;
  /** When the last of them may go (the latest zone's end of quiet hours); null when none wait. */
  heldUntil: Date | null;
  /** Per zone, earliest first: how many wait there, until when. */
  zones: { timeZone: string; held: number; until: Date }[];
}

/**
 * Which of these messages (counted per recipient time zone) would wait if
 * sent at `at`, and until when: staff publishing at night are told so.
 */
export function heldMessages(
  counts: readonly { timeZone: string; n: number }[],
  at: Date,
  quiet: QuietHours,
): Held {
  const byZone = new Map<string, number>();
  for (const { timeZone, n } of counts) byZone.set(timeZone, (byZone.get(timeZone) ?? 0) + n);
  const zones = [...byZone]
    .map(([timeZone, n]) => ({ timeZone, held: n, until: outsideQuietHours(at, timeZone, quiet) }))
    .filter((z) => z.held > 0 && z.until > at)
    .sort((a, b) => a.until.getTime() - b.until.getTime());
  return {
    held: zones.reduce((sum, z) => sum + z.held, 0),
    heldUntil: zones.at(-1)?.until ?? null,
    zones,
  };
}

/** The quiet hours when none are configured: 21:00 to 07:00 in each person's zone. */
export const DEFAULT_QUIET_HOURS: QuietHours = { start: 21 * 60, end: 7 * 60 };

/** The zone where quiet hours end at this moment (held messages wait until then), if any. */
export function zoneEndingAt(at: Date, quiet: QuietHours): string | undefined {
  return Object.keys(OFFSET_MINUTES).find((zone) => {
    const local = at.getTime() + offsetMinutes(zone) * 60_000;
    return Math.round((local % 86_400_000) / 60_000) === quiet.end;
  });
}
