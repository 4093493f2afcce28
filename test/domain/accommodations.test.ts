import { describe, expect, it } from "vitest";
import {
  type Accommodation,
  type AccommodationAnswer,
  parseAccommodations,
} from "../../src/domain/accommodations.ts";

describe("parseAccommodations", () => {
  it.each<[string, Accommodation[]]>([
    ["1", ["sign_interpreter"]],
    ["1 dan 3", ["sign_interpreter", "wheelchair_access"]],
    ["2,4,5", ["screen_reader", "flexible_hours", "companion"]],
    ["juru bahasa isyarat", ["sign_interpreter"]],
    ["JBI", ["sign_interpreter"]],
    ["penerjemah isyarat", ["sign_interpreter"]],
    ["interpreter", ["sign_interpreter"]],
    ["pembaca layar", ["screen_reader"]],
    ["screen reader", ["screen_reader"]],
    ["TalkBack", ["screen_reader"]],
    ["NVDA", ["screen_reader"]],
    ["JAWS", ["screen_reader"]],
    ["kursi roda", ["wheelchair_access"]],
    ["akses kursi roda", ["wheelchair_access"]],
    ["ramp", ["wheelchair_access"]],
    ["wheelchair", ["wheelchair_access"]],
    ["jam kerja fleksibel", ["flexible_hours"]],
    ["jam fleksibel", ["flexible_hours"]],
    ["flexible", ["flexible_hours"]],
    ["pendamping", ["companion"]],
    ["companion", ["companion"]],
    ["saya butuh juru bahasa isyarat dan jam fleksibel", ["sign_interpreter", "flexible_hours"]],
    ["pembaca layarr", ["screen_reader"]],
    ["flexibel", ["flexible_hours"]],
  ])("%j → %j", (text, codes) => {
    expect(parseAccommodations(text)).toEqual({ codes });
  });

  it.each([
    "6",
    "tidak ada",
    "Tidak perlu",
    "none",
    "no",
    "tidak",
    "gak ada kak",
    "tidak ada, terima kasih",
    "tidak butuh apa apa",
  ])("%j → none", (text) => {
    expect(parseAccommodations(text)).toEqual({ none: true });
  });

  it.each<[string, AccommodationAnswer]>([
    ["meja yang lebih rendah", { codes: [], note: "meja yang lebih rendah" }],
    [
      "1, 3 dan meja yang lebih rendah",
      { codes: ["sign_interpreter", "wheelchair_access"], note: "1, 3 dan meja yang lebih rendah" },
    ],
    [
      "kursi roda, dan   toilet\nyang luas",
      { codes: ["wheelchair_access"], note: "kursi roda, dan toilet yang luas" },
    ],
    // Negated options are not guessed: staff read the note.
    ["tidak perlu kursi roda", { codes: [], note: "tidak perlu kursi roda" }],
    ["braille", { codes: [], note: "braille" }],
  ])("%j → %j", (text, expected) => {
    expect(parseAccommodations(text)).toEqual(expected);
  });

  it("cuts the note at 300 characters", () => {
    const answer = parseAccommodations(`kursi roda ${"dan meja rendah ".repeat(40)}`);
    expect(answer).toMatchObject({ codes: ["wheelchair_access"] });
    expect(answer && "note" in answer && Array.from(answer.note ?? "").length).toBe(300);
  });

  it.each(["", "   ", "0", "7", "1 dan 6", "🙂", "saya butuh", "?"])("%j → null", (text) => {
    expect(parseAccommodations(text)).toBeNull();
  });
});
