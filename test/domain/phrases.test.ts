import { describe, expect, it } from "vitest";
import { compileLexicon, scanPhrases } from "../../src/domain/phrases.ts";

describe("scanPhrases", () => {
  const lexicon = compileLexicon<string>([
    ["tuna netra", "netra"],
    ["tuli", "rungu"],
    ["kursi roda", "fisik"],
    ["tidak setuju", "no"],
    ["tidak", "no"],
    ["setuju", "yes"],
    ["tuli bisu", "rungu", "wicara"],
    ["terima kasih"],
    ["batu", "x"],
    ["bato", "y"],
  ]);
  const fillers = new Set(["dan", "saya"]);

  it.each<[string, string[], string[]]>([
    ["tuna netra", ["netra"], []],
    ["tunanetra", ["netra"], []],
    ["tunanetraa", ["netra"], []],
    ["tuli dan kursi roda", ["rungu", "fisik"], []],
    ["kursiroda", ["fisik"], []],
    ["saya tidak setuju", ["no"], []],
    ["tidak, setuju", ["no"], []], // longest phrase wins even across a comma
    ["tuli bisu", ["rungu", "wicara"], []],
    ["tuli tuli", ["rungu"], []],
    ["terima kasih", [], []],
    ["saya tuli sejak lahir", ["rungu"], ["sejak", "lahir"]],
    ["bata", [], ["bata"]], // equally close to two different values: not guessed
    ["", [], []],
  ])("%j → %j, unknown %j", (text, values, unknown) => {
    expect(scanPhrases(text, lexicon, { fillers })).toEqual({ values, unknown });
  });

  it("maps bare numbers when asked", () => {
    const numbered = ["a", "b"];
    expect(scanPhrases("1 dan tuli", lexicon, { fillers, numbered })).toEqual({
      values: ["a", "rungu"],
      unknown: [],
    });
    expect(scanPhrases("3", lexicon, { numbered }).unknown).toEqual(["3"]);
    expect(scanPhrases("1", lexicon).unknown).toEqual(["1"]);
  });

  it("does not fuzz stop words or short words below fuzzyFrom", () => {
    expect(scanPhrases("tulii", lexicon).values).toEqual(["rungu"]); // repeated letters
    expect(scanPhrases("tula", lexicon).values).toEqual(["rungu"]);
    expect(scanPhrases("tula", lexicon, { fuzzyFrom: 5 }).values).toEqual([]);
    expect(scanPhrases("tula", lexicon, { stop: new Set(["tula"]) }).values).toEqual([]);
    expect(scanPhrases("kursi rodi", lexicon).values).toEqual(["fisik"]);
    expect(scanPhrases("kursi rodi", lexicon, { stop: new Set(["rodi"]) }).values).toEqual([]);
  });

  it("bounds the work on very long messages", () => {
    const long = "kata ".repeat(5000);
    expect(scanPhrases(long, lexicon).unknown.length).toBe(200);
  });
});
