import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { step } from "../../src/engine/engine.ts";
import type {
  Catalog,
  ConversationState,
  PersonView,
  VacancyView,
} from "../../src/engine/types.ts";
import { render } from "../../src/outbox/render.ts";
import { BASE_PERSON } from "../helpers/conversation.ts";
import { BASE_PROFILE } from "../helpers/seekers.ts";

const VACANCIES: VacancyView[] = JSON.parse(
  readFileSync(join(import.meta.dirname, "../fixtures/vacancies.json"), "utf8"),
);
const now = new Date("2026-11-30T01:00:00Z");
const person: PersonView = {
  ...structuredClone(BASE_PERSON),
  consents: { data: true },
  profile: { ...BASE_PROFILE, cityCode: "7371", education: "smk", workModes: ["onsite", "remote"] },
};
const catalog = (vacancies: VacancyView[]): Catalog => ({
  vacancies,
  trainings: [],
  enrollments: [],
  applied: [],
  seen: [],
});

function turn(state: ConversationState | null, text: string, vacancies = VACANCIES) {
  const result = step(state, { text }, { now, person, catalog: catalog(vacancies) });
  const texts = result.effects.flatMap((e) =>
    e.type === "reply"
      ? [render(e.reply, { language: "id", plainLanguage: false, serviceName: "PKI" }).text]
      : [],
  );
  return { state: result.state, text: texts.join("\n") };
}

describe("a list whose items close while it is open", () => {
  it("shows and reads the same numbers once a listed vacancy has closed", () => {
    let s = turn(null, "halo").state;
    s = turn(s, "1").state;
    const list = turn(s, "1");
    expect(list.text).toContain("2. Penjahit, Konveksi Sejahtera.");
    expect(list.text).toContain("4. Entri Data Jarak Jauh, CV Data Nusantara.");
    // The sewing vacancy closes; "ulangi" shows the list again, without it.
    const open = VACANCIES.filter((v) => v.ref !== 12);
    const again = turn(list.state, "ulangi", open);
    expect(again.text).not.toContain("Penjahit");
    expect(again.text).toContain("3. Entri Data Jarak Jauh, CV Data Nusantara.");
    // "3" is what the person was just shown as 3.
    expect(turn(again.state, "3", open).text).toContain("Lowongan: Entri Data Jarak Jauh");
  });

  it("starts afresh when everything on the list has closed", () => {
    let s = turn(null, "halo").state;
    s = turn(s, "1").state;
    const list = turn(s, "1");
    expect(turn(list.state, "ulangi", []).text).toContain("Saat ini belum ada lowongan yang cocok");
  });
});
