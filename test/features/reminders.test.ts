import { describe, expect, it } from "vitest";
import { plannedReminders } from "../../src/features/trainings/reminders.ts";

const settings = { offsets: [1440, 120] };
const starts = new Date("2027-01-11T01:00:00Z"); // 09:00 WITA
const h = (n: number) => new Date(starts.getTime() - n * 3_600_000);

describe("which reminder jobs a training gets", () => {
  const cases: [string, Date, boolean, { offset: number; delayH: number }[]][] = [
    // name, now, catch up, expected (offset, delay in hours)
    [
      "a week before: both",
      h(168),
      false,
      [
        { offset: 1440, delayH: 144 },
        { offset: 120, delayH: 166 },
      ],
    ],
    ["20 hours before: only the 2-hour one", h(20), false, [{ offset: 120, delayH: 18 }]],
    ["1 hour before: none (never after its time)", h(1), false, []],
    ["started: none, even catching up", h(0), true, []],
    [
      "worker back 10 hours before, catching up: the day one now",
      h(10),
      true,
      [
        { offset: 1440, delayH: 0 },
        { offset: 120, delayH: 8 },
      ],
    ],
    [
      "back 1 hour before: both due now (the job sends only the later one)",
      h(1),
      true,
      [
        { offset: 1440, delayH: 0 },
        { offset: 120, delayH: 0 },
      ],
    ],
  ];
  for (const [name, now, catchUp, expected] of cases) {
    it(name, () => {
      const planned = plannedReminders({ id: "t1", startsAt: starts }, now, settings, catchUp);
      expect(
        planned.map((p) => ({ offset: p.job.offsetMinutes, delayH: p.delay / 3_600_000 })),
      ).toEqual(expected);
      for (const p of planned)
        expect(p.job).toMatchObject({ trainingId: "t1", startsAt: starts.getTime() });
    });
  }
});
