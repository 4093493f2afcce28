import { describe, expect, it } from "vitest";
import {
  closest,
  levenshtein,
  maxEdits,
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
    // A slip in a word with a double letter: the typed word's own length counts ("piie" folds to "pie").
    ["piie", "pidie", true],
    ["boor", "bogor", true],
    ["kuus", "kudus", true],
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

describe("wordDistance agrees with the full computation", () => {
  // The scanner's distance is banded and stops early; check it against the plain one.
  it("on 2000 pseudo-random pairs", () => {
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return Math.floor((seed / 2147483648) * n);
    };
    const word = () => Array.from({ length: 3 + random(7) }, () => "aabt"[random(4)]).join("");
    // b is a with up to three random edits (insert, delete, change, swap).
    const mutate = (w: string) => {
      let out = w;
      for (let e = random(4); e > 0; e--) {
        const at = random(out.length);
        const c = "abt"[random(3)]!;
        const edits = [
          () => out.slice(0, at) + c + out.slice(at),
          () => out.slice(0, at) + out.slice(at + 1),
          () => out.slice(0, at) + c + out.slice(at + 1),
          () =>
            out.slice(0, at) +
            out.slice(at + 1, at + 2) +
            out.slice(at, at + 1) +
            out.slice(at + 2),
        ];
        out = edits[random(4)]!();
      }
      return out;
    };
    let close = 0;
    for (let k = 0; k < 2000; k++) {
      const a = word();
      const b = k % 4 === 0 ? word() : mutate(a);
      // As typed and folded, each within the allowance of its own shorter length.
      const within = (x: string, y: string, extra: number) => {
        const d = typoDistance(x, y) + extra;
        const shorter = Math.min(Array.from(x).length, Array.from(y).length);
        return d <= maxEdits(shorter) ? d : Number.POSITIVE_INFINITY;
      };
      let expected = Math.min(within(a, b, 0), within(squeeze(a), squeeze(b), 0.25));
      if (a === b) expected = 0;
      else if (squeeze(a) === squeeze(b)) expected = 0.25;
      if (expected < Number.POSITIVE_INFINITY) close++;
      expect(wordDistance(a, b, { minLength: 0 }), `${a} vs ${b}`).toBe(expected);
    }
    expect(close).toBeGreaterThan(500); // the sample does exercise near misses
  });
});
