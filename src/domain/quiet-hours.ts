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
