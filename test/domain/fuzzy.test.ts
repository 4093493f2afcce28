import { describe, expect, it } from "vitest";
import {
  closest,
  compileLexicon,
  levenshtein,
  maxEdits,
  scanPhrases,
  squeeze,
  typoDistance,
  wordDistance,
} from "../../src/domain/fuzzy.ts";

describe("levenshtein", () => {
  it.each<[string, string, number]>([
    ["", "", 0],
    ["", "abc", 3],
    ["abc", "", 3],
    ["tidak", "tidak", 0],
    ["tidak", "tidakk", 1],
    ["kitten", "sitting", 3],
    ["tidka", "tidak", 2], // a swap is two plain edits
    ["sarjana", "sarjanaa", 1],
    ["é", "e", 1],
    ["👍", "👎", 1], // counted by code point, not UTF-16 unit
  ])("%j ↔ %j = %i", (a, b, d) => {
    expect(levenshtein(a, b)).toBe(d);
    expect(levenshtein(b, a)).toBe(d);
  });
});

describe("typoDistance", () => {
  it.each<[string, string, number]>([
    ["tidka", "tidak", 1],
    ["ab", "ba", 1],
    ["setuju", "setujuu", 1],
    ["abc", "xyz", 3],
  ])("%j ↔ %j = %i", (a, b, d) => {
    expect(typoDistance(a, b)).toBe(d);
  });
});

describe("maxEdits", () => {
  it.each<[number, number]>([
    [0, 0],
    [3, 0],
    [4, 1],
    [6, 1],
    [7, 2],
    [20, 2],
  ])("length %i → %i", (length, edits) => {
    expect(maxEdits(length)).toBe(edits);
  });
});

describe("squeeze", () => {
  it.each<[string, string]>([
    ["iyaaa", "iya"],
    ["setujuu", "setuju"],
    ["okeee", "oke"],
    ["s11", "s11"], // digits are not chat spellings
    ["ya", "ya"],
  ])("%j → %j", (input, expected) => {
    expect(squeeze(input)).toBe(expected);
  });
});

describe("wordDistance", () => {
  it.each<[string, string, boolean]>([
    ["setuju", "setuju", true],
    ["setujuuu", "setuju", true],
    ["yaaa", "ya", true],
    ["stuju", "setuju", true],
    ["tidka", "tidak", true],
    ["skizofren", "skizofrenia", true],
    ["s2", "s1", false], // digits must match exactly
    ["sma", "smp", false], // short words must match exactly
    ["ya", "ga", false],
    ["tulis", "tuli", true], // callers raise minLength where this matters
    ["abcdefgh", "abcd", false],
  ])("%j vs %j close: %s", (typed, known, close) => {
    expect(wordDistance(typed, known) < Number.POSITIVE_INFINITY).toBe(close);
  });

  it("honours a cap and a minimum length", () => {
    expect(wordDistance("sarjna", "sarjana", { limit: 0 })).toBe(Number.POSITIVE_INFINITY);
    expect(wordDistance("tulis", "tuli", { minLength: 5 })).toBe(Number.POSITIVE_INFINITY);
  });
});

describe("closest", () => {
  const candidates = ["makassar", "bandung", "bogor", "menu", "mulai", "sma", "smk"];
  it.each<[string, string | undefined]>([
    ["makassar", "makassar"],
    ["makasar", "makassar"],
    ["mkassar", "makassar"],
    ["mkasar", undefined], // two edits, but the shorter word has only 6 letters
    ["bandungg", "bandung"],
    ["bogr", "bogor"],
    ["menuu", "menu"],
    ["sma", "sma"],
    ["smu", undefined], // short: exact only
    ["jakarta", undefined],
    ["", undefined],
  ])("%j → %j", (word, expected) => {
    expect(closest(word, candidates)).toBe(expected);
  });

  it("returns undefined on a tie between different candidates", () => {
    expect(closest("bata", ["batu", "bato"])).toBeUndefined();
    expect(closest("bata", ["batu", "batu"])).toBe("batu");
  });

  it("caps the distance with maxDistance", () => {
    expect(closest("bahcelro", ["bachelor"])).toBe("bachelor"); // 2 edits allowed at 8 letters
    expect(closest("bahcelro", ["bachelor"], { maxDistance: 1 })).toBeUndefined();
    expect(closest("smu", ["sma"], { maxDistance: 1 })).toBeUndefined(); // still exact when short
  });
});

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
  });

  it("bounds the work on very long messages", () => {
    const long = "kata ".repeat(5000);
    expect(scanPhrases(long, lexicon).unknown.length).toBe(200);
  });
});
