import { describe, expect, it } from "vitest";
import { plannedReminders } from "../../src/features/trainings/reminders.ts";

const settings = { offsets: [1440, 120] };
const starts = new Date("2027-01-11T01:00:00Z"); // 09:00 WITA
const h = (n: number) => new Date(starts.getTime() - n * 3_600_000);

describe("which reminders an enrolment gets", () => {
  const cases: [string, Date, Date, boolean, { offset: number; delayH: number }[]][] = [
    // name, enrolled since, now, catch up, expected (offset, delay in hours)
    [
      "enrolled a week before: both",
      h(168),
      h(168),
      false,
      [
        { offset: 1440, delayH: 144 },
        { offset: 120, delayH: 166 },
      ],
    ],
    [
      "enrolled 20 hours before: only the 2-hour one",
      h(20),
      h(20),
      false,
      [{ offset: 120, delayH: 18 }],
    ],
    ["enrolled 1 hour before: none (never after its time)", h(1), h(1), false, []],
    ["started: none", h(48), h(0), true, []],
    [
      "worker down since 30 hours before, back 10 hours before: the day one now",
      h(48),
      h(10),
      true,
      [
        { offset: 1440, delayH: 0 },
        { offset: 120, delayH: 8 },
      ],
    ],
    [
      "back 1 hour before: both due now (the job sends only the later one)",
      h(48),
      h(1),
      true,
      [
        { offset: 1440, delayH: 0 },
        { offset: 120, delayH: 0 },
      ],
    ],
    [
      "promoted 3 hours before, worker back 1 hour before: only the 2-hour one",
      h(3),
      h(1),
      true,
      [{ offset: 120, delayH: 0 }],
    ],
    [
      "without catching up, due ones are not planned",
      h(48),
      h(10),
      false,
      [{ offset: 120, delayH: 8 }],
    ],
  ];
  for (const [name, since, now, catchUp, expected] of cases) {
    it(name, () => {
      const planned = plannedReminders(
        { enrollmentId: "e1", startsAt: starts, since },
        now,
        settings,
        catchUp,
      );
      expect(
        planned.map((p) => ({ offset: p.job.offsetMinutes, delayH: p.delay / 3_600_000 })),
      ).toEqual(expected);
      for (const p of planned)
        expect(p.job).toMatchObject({ enrollmentId: "e1", startsAt: starts.getTime() });
    });
  }
});
