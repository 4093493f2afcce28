import { describe, expect, it } from "vitest";
import { outsideQuietHours, parseQuietHours } from "../../src/domain/quiet-hours.ts";

const night = parseQuietHours("21:00-07:00")!;

describe("quiet hours in the person's own zone", () => {
  const cases: [string, string, string, string][] = [
    // now (UTC), zone, expected send time (UTC), why
    ["2026-12-01T06:00:00Z", "Asia/Makassar", "2026-12-01T06:00:00Z", "14:00 WITA: now"],
    ["2026-12-01T13:00:00Z", "Asia/Makassar", "2026-12-01T23:00:00Z", "21:00 WITA: next 07:00"],
    ["2026-12-01T12:59:00Z", "Asia/Makassar", "2026-12-01T12:59:00Z", "20:59 WITA: now"],
    ["2026-12-01T18:30:00Z", "Asia/Makassar", "2026-12-01T23:00:00Z", "02:30 WITA: 07:00 today"],
    ["2026-12-01T23:00:00Z", "Asia/Makassar", "2026-12-01T23:00:00Z", "07:00 WITA: now"],
    ["2026-12-01T13:00:00Z", "Asia/Jakarta", "2026-12-01T13:00:00Z", "20:00 WIB: now"],
    ["2026-12-01T14:00:00Z", "Asia/Jakarta", "2026-12-02T00:00:00Z", "21:00 WIB: 07:00 WIB"],
    ["2026-12-01T12:00:00Z", "Asia/Jayapura", "2026-12-01T22:00:00Z", "21:00 WIT: 07:00 WIT"],
    ["2026-12-31T15:00:00Z", "Asia/Makassar", "2026-12-31T23:00:00Z", "23:00 on 31 Dec WITA"],
  ];
  for (const [now, zone, expected, why] of cases) {
    it(why, () => {
      expect(outsideQuietHours(new Date(now), zone, night).toISOString()).toBe(
        new Date(expected).toISOString(),
      );
    });
  }

  it("a window within one day (12:00-13:00)", () => {
    const lunch = parseQuietHours("12:00-13:00")!;
    expect(outsideQuietHours(new Date("2026-12-01T04:30:00Z"), "Asia/Makassar", lunch)).toEqual(
      new Date("2026-12-01T05:00:00Z"),
    );
    expect(outsideQuietHours(new Date("2026-12-01T05:00:00Z"), "Asia/Makassar", lunch)).toEqual(
      new Date("2026-12-01T05:00:00Z"),
    );
  });

  it("equal start and end mean no quiet hours", () => {
    const none = parseQuietHours("00:00-00:00")!;
    const now = new Date("2026-12-01T15:00:00Z");
    expect(outsideQuietHours(now, "Asia/Makassar", none)).toBe(now);
  });

  it("reads the setting", () => {
    expect(parseQuietHours("21:00-07:00")).toEqual({ start: 1260, end: 420 });
    expect(parseQuietHours("21.30 - 6.05")).toEqual({ start: 1290, end: 365 });
    for (const bad of ["", "21-7", "25:00-07:00", "21:00-07:60", "nanti"])
      expect(parseQuietHours(bad)).toBeNull();
  });
});
