import { describe, expect, it } from "vitest";
import { parseNumberList, parseSingleNumber } from "../../src/domain/number-list.ts";

describe("parseNumberList (max 6)", () => {
  it.each<[string, number[]]>([
    ["1", [1]],
    [" 6 ", [6]],
    ["1 dan 4", [1, 4]],
    ["1,4", [1, 4]],
    ["1, 4", [1, 4]],
    ["1 & 4", [1, 4]],
    ["1 4", [1, 4]],
    ["1 and 4", [1, 4]],
    ["1 serta 3", [1, 3]],
    ["1 atau 2", [1, 2]],
    ["1;2;3", [1, 2, 3]],
    ["1/2", [1, 2]],
    ["1-3", [1, 2, 3]],
    ["1 - 3", [1, 2, 3]],
    ["2–4", [2, 3, 4]], // en dash from autocorrect
    ["1 sampai 3", [1, 2, 3]],
    ["1 s/d 3", [1, 2, 3]],
    ["1 s.d. 3", [1, 2, 3]],
    ["3-1", [3, 2, 1]],
    ["1-3, 5", [1, 2, 3, 5]],
    ["nomor 2", [2]],
    ["Nomer 2", [2]],
    ["no. 2", [2]],
    ["no2", [2]],
    ["#2", [2]],
    ["saya pilih 3", [3]],
    ["4, 1", [4, 1]], // order given, not sorted
    ["1 1 2", [1, 2]],
    ["2, 1, 2", [2, 1]],
    ["dua", [2]],
    ["satu dan tiga", [1, 3]],
    ["duaa", [2]],
    ["two and five", [2, 5]],
    ["01", [1]],
    ["２", [2]], // full-width digit
    ["1.", [1]],
    ["1)", [1]],
  ])("%j → %j", (text, expected) => {
    expect(parseNumberList(text, 6)).toEqual(expected);
  });

  it.each([
    "",
    "   ",
    "0",
    "7",
    "1 dan 7",
    "1-9",
    "saya 25 tahun",
    "tuli",
    "1 tuli",
    "ya",
    "no",
    "nomor",
    "sd",
    "08123456789",
    "1.5 juta",
    "lima puluh",
    "lama", // one letter from "lima", but only exact number words count
    "👍",
  ])("%j → null", (text) => {
    expect(parseNumberList(text, 6)).toBeNull();
  });
});

describe("parseSingleNumber", () => {
  it.each<[string, number, number | null]>([
    ["3", 6, 3],
    ["nomor 29", 29, 29],
    ["tiga", 6, 3],
    ["1 dan 2", 6, null],
    ["1-2", 6, null],
    ["2 2", 6, 2],
    ["30", 29, null],
    ["halo", 6, null],
  ])("%j (max %i) → %j", (text, max, expected) => {
    expect(parseSingleNumber(text, max)).toBe(expected);
  });
});
