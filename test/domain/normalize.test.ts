import { describe, expect, it } from "vitest";
import { normalize, words } from "../../src/domain/normalize.ts";

describe("normalize", () => {
  it.each<[string, string]>([
    ["Halo", "halo"],
    ["  Ya,   SAYA setuju!!  ", "ya saya setuju"],
    ["Tuna-Netra", "tuna netra"],
    ["no. 2", "no 2"],
    ["1,4", "1 4"],
    ["Ｓ１", "s1"], // full-width letters and digits from some keyboards
    ["ﬁsik", "fisik"], // ligature
    ["D.III", "d iii"],
    ["kursi\troda\n", "kursi roda"],
    ["👍", ""],
    ["Tuli 🙂 dan netra", "tuli dan netra"],
    ["ꦗꦮ", "ꦗꦮ"], // Javanese script keeps its letters and vowel signs
    ["हिन्दी", "हिन्दी"],
    ["日本語", "日本語"],
    ["", ""],
    ["...", ""],
  ])("%j → %j", (input, expected) => {
    expect(normalize(input)).toBe(expected);
  });
});

describe("words", () => {
  it.each<[string, string[]]>([
    ["Tuli, dan kursi-roda", ["tuli", "dan", "kursi", "roda"]],
    ["  one  ", ["one"]],
    ["", []],
    ["?!", []],
  ])("%j → %j", (input, expected) => {
    expect(words(input)).toEqual(expected);
  });
});
