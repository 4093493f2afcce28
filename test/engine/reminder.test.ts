import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkMessage } from "../../src/domain/accessibility.ts";
import { remind, step } from "../../src/engine/engine.ts";
import type { ConversationState, PersonView, TrainingView } from "../../src/engine/types.ts";
import { render } from "../../src/outbox/render.ts";
import { BASE_PERSON } from "../helpers/conversation.ts";
import { BASE_PROFILE } from "../helpers/seekers.ts";

const [sewing, online] = JSON.parse(
  readFileSync(join(import.meta.dirname, "../fixtures/trainings.json"), "utf8"),
) as TrainingView[];
const now = new Date("2027-01-10T01:00:00Z");

function person(cityCode: string, language = "id"): PersonView {
  return {
    ...structuredClone(BASE_PERSON),
    language,
    consents: { data: true },
    profile: { ...BASE_PROFILE, fullName: "Rina", cityCode },
  };
}

/** The person was looking at the menu when the reminder came. */
function atMenu(p: PersonView): ConversationState {
  return step(
    step(null, { text: "halo" }, { now, person: p }).state,
    { text: "1" },
    { now, person: p },
  ).state;
}

const text = (p: PersonView, r: ReturnType<typeof remind>) =>
  r.effects.flatMap((e) =>
    e.type === "reply"
      ? [
          render(e.reply, {
            language: p.language,
            plainLanguage: p.plainLanguage,
            serviceName: "PKI",
          }).text,
        ]
      : [],
  );

describe("reminders in the conversation", () => {
  it("says when and where in the training's zone, and asks 1 hadir / 2 berhalangan", () => {
    const p = person("7371");
    const result = remind(
      atMenu(p),
      { type: "reminder", training: sewing!, offsetMinutes: 120 },
      { now, person: p },
    );
    const [message] = text(p, result);
    expect(message).toBe(
      "Pengingat dari PKI: pelatihan Menjahit Tingkat Dasar mulai Senin, 11 Januari 2027, 09.00 WITA.\n" +
        "Tempat: Jl. Urip Sumoharjo 5, Kota Makassar.\n" +
        "Apakah Anda akan hadir? Ketik 1 atau 2:\n1. Saya hadir\n2. Saya berhalangan",
    );
    expect(checkMessage(message!, { choices: 2 })).toEqual([]);
    expect(result.state).toMatchObject({ flow: "reminder", step: "answer" });
  });

  it("shows an online training in each person's own zone: WIB, WITA, WIT", () => {
    for (const [city, expected] of [
      ["1171", "Selasa, 5 Januari 2027, 09.00 WIB"],
      ["7371", "Selasa, 5 Januari 2027, 10.00 WITA"],
      ["8171", "Selasa, 5 Januari 2027, 11.00 WIT"],
      ["other", "Selasa, 5 Januari 2027, 09.00 WIB"],
    ] as const) {
      const p = person(city);
      const result = remind(
        atMenu(p),
        { type: "reminder", training: online!, offsetMinutes: 1440 },
        { now, person: p },
      );
      expect(text(p, result)[0]).toContain(`mulai ${expected}.`);
    }
    const en = person("8171", "en");
    const result = remind(
      atMenu(en),
      { type: "reminder", training: online!, offsetMinutes: 1440 },
      { now, person: en },
    );
    expect(text(en, result)[0]).toContain("starts Tuesday, 5 January 2027, 11:00 WIT.");
  });

  it("records the answer, then goes back to where the person was", () => {
    const p = person("7371");
    const reminded = remind(
      atMenu(p),
      { type: "reminder", training: sewing!, offsetMinutes: 120 },
      { now, person: p },
    );
    for (const [answer, attending] of [
      ["1", true],
      ["hadir", true],
      ["ya", true],
      ["2", false],
      ["berhalangan", false],
      ["tidak bisa hadir", false],
    ] as const) {
      const result = step(reminded.state, { text: answer }, { now, person: p });
      expect(result.effects[0]).toEqual({
        type: "answerReminder",
        trainingId: sewing!.id,
        attending,
      });
      expect(result.state.flow).toBe("menu");
    }
    const pressed = step(reminded.state, { text: "", choice: "absent" }, { now, person: p });
    expect(pressed.effects[0]).toMatchObject({ type: "answerReminder", attending: false });
    const unclear = step(reminded.state, { text: "mungkin" }, { now, person: p });
    expect(unclear.effects.filter((e) => e.type !== "reply")).toEqual([]);
    expect(unclear.state).toMatchObject({ flow: "reminder", step: "answer" });
    const again = step(reminded.state, { text: "ulangi" }, { now, person: p });
    expect(again.effects).toEqual([{ type: "reply", reply: reminded.state.reminder!.reply }]);
  });

  it("does not change the state it was given", () => {
    const p = person("7371");
    const state = Object.freeze(structuredClone(atMenu(p)));
    expect(() =>
      remind(
        state,
        { type: "reminder", training: sewing!, offsetMinutes: 120 },
        { now, person: p },
      ),
    ).not.toThrow();
  });
});
