import { words } from "./normalize.ts";

/** Classic edit distance (insert, delete, substitute), by code point. */
export function levenshtein(a: string, b: string): number {
  return editDistance(a, b, false);
}

/**
 * Edit distance that also counts swapping two neighbouring letters as one edit
 * (optimal string alignment): "tidka" is one slip of the thumb from "tidak".
 */
export function typoDistance(a: string, b: string): number {
  return editDistance(a, b, true);
}

function editDistance(a: string, b: string, transpositions: boolean): number {
  const s = Array.from(a);
  const t = Array.from(b);
  if (s.length === 0) return t.length;
  if (t.length === 0) return s.length;
  let before: number[] = [];
  let previous = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const current = [i];
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (transpositions && i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) {
        best = Math.min(best, before[j - 2]! + 1);
      }
      current.push(best);
    }
    before = previous;
    previous = current;
  }
  return previous[t.length]!;
}

/**
 * Edits tolerated for a word of this length: none for ≤ 3 characters (too many
 * short words sit one letter apart: sd/sma/smp, ya/ga), one for 4–6, two for ≥ 7.
 */
export function maxEdits(length: number): number {
  if (length <= 3) return 0;
  return length <= 6 ? 1 : 2;
}

/** Folds chat spellings with repeated letters: "iyaaa" → "iya", "setujuu" → "setuju". */
export function squeeze(word: string): string {
  return word.replace(/(\p{L})\1+/gu, "$1");
}

const hasDigit = (word: string) => /\p{N}/u.test(word);

/** Limits for {@link wordDistance}. */
export interface DistanceLimits {
  /** Cap on the distance; the allowance by length ({@link maxEdits} of the shorter word) still applies. */
  limit?: number;
  /** Shortest word length where typos are tolerated at all; default 4. */
  minLength?: number;
}

/**
 * How far a typed word is from a known word, or Infinity when too far. Both are
 * compared as typed and with repeated letters folded; the allowance follows the
 * shorter of the two, so a long typo cannot reach a short word. Words with
 * digits ("s1", "d3") must match exactly.
 */
export function wordDistance(typed: string, known: string, limits: DistanceLimits = {}): number {
  if (typed === known) return 0;
  const a = squeeze(typed);
  const b = squeeze(known);
  if (a === b) return 0.25;
  if (hasDigit(typed) || hasDigit(known)) return Number.POSITIVE_INFINITY;
  const shorter = Math.min(Array.from(a).length, Array.from(b).length);
  if (shorter < (limits.minLength ?? 4)) return Number.POSITIVE_INFINITY;
  const allowed = Math.min(limits.limit ?? Number.POSITIVE_INFINITY, maxEdits(shorter));
  const d = Math.min(typoDistance(typed, known), typoDistance(a, b) + 0.25);
  return d <= allowed ? d : Number.POSITIVE_INFINITY;
}

/** Options for {@link closest}. */
export interface ClosestOptions {
  /** Cap on the distance accepted; below it the allowance still scales with length ({@link maxEdits}). */
  maxDistance?: number;
}

/**
 * The candidate nearest to `word`, or undefined when none is close enough or two
 * different candidates are equally close (guessing between them would be worse
 * than asking again).
 */
export function closest(
  word: string,
  candidates: Iterable<string>,
  opts: ClosestOptions = {},
): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  let tie = false;
  for (const candidate of candidates) {
    const d = wordDistance(word, candidate, { limit: opts.maxDistance });
    if (d < bestDistance) {
      [best, bestDistance, tie] = [candidate, d, false];
    } else if (d === bestDistance && d !== Number.POSITIVE_INFINITY && candidate !== best) {
      tie = true;
    }
  }
  return tie ? undefined : best;
}

/** A phrase (normalised on compile) and the code(s) it means. */
export type LexiconEntry<T> = readonly [phrase: string, ...values: T[]];

interface CompiledEntry<T> {
  words: string[];
  joined: string;
  values: readonly T[];
}

/** A lexicon ready for {@link scanPhrases}: compile once, at module load. */
export interface Lexicon<T> {
  entries: CompiledEntry<T>[];
  longest: number;
}

export function compileLexicon<T>(entries: readonly LexiconEntry<T>[]): Lexicon<T> {
  const compiled = entries.map(([phrase, ...values]) => {
    const w = words(phrase);
    return { words: w, joined: w.join(""), values };
  });
  return { entries: compiled, longest: Math.max(1, ...compiled.map((e) => e.words.length)) };
}

/** Options for {@link scanPhrases}. */
export interface ScanOptions<T> {
  /** Words that carry no meaning here ("saya", "dan"); skipped unless part of a phrase. */
  fillers?: ReadonlySet<string>;
  /** Real words that look like a typo of a known one ("dokter" vs "doktor"): never fuzzy. */
  stop?: ReadonlySet<string>;
  /** Values for bare numbers 1..n inside a sentence ("1 dan tuli"); default none. */
  numbered?: readonly T[];
  /** Shortest word where typos are tolerated; default 4. Raise it where short words collide. */
  fuzzyFrom?: number;
}

/** What a scan recognised, in order of appearance, and the words it did not. */
export interface ScanResult<T> {
  values: T[];
  unknown: string[];
}

interface Candidate<T> {
  length: number;
  cost: number;
  values: readonly T[];
}

/** Cost of reading tokens[i..i+length) as the entry; Infinity when it does not fit. */
function spanCost<T>(
  tokens: string[],
  i: number,
  length: number,
  entry: CompiledEntry<T>,
  minLength: number,
) {
  if (length === entry.words.length) {
    let cost = 0;
    for (let j = 0; j < length; j++) {
      cost += wordDistance(tokens[i + j]!, entry.words[j]!, { minLength });
    }
    return cost;
  }
  // "tunanetra" for "tuna netra", "kursi roda" for "kursiroda": one small slip at most.
  const joined = tokens.slice(i, i + length).join("");
  return 0.1 + wordDistance(joined, entry.joined, { limit: 1, minLength });
}

function bestCandidate<T>(
  tokens: string[],
  i: number,
  lexicon: Lexicon<T>,
  minLength: number,
): Candidate<T> | "ambiguous" | undefined {
  let best: Candidate<T>[] = [];
  const maxLength = Math.min(lexicon.longest + 1, tokens.length - i);
  for (const entry of lexicon.entries) {
    for (let length = 1; length <= maxLength; length++) {
      const cost = spanCost(tokens, i, length, entry, minLength);
      if (cost === Number.POSITIVE_INFINITY) continue;
      const top = best[0];
      // Longest reading wins ("tidak setuju" over "tidak"), then the closest.
      if (!top || length > top.length || (length === top.length && cost < top.cost)) {
        best = [{ length, cost, values: entry.values }];
      } else if (length === top.length && cost === top.cost) {
        best.push({ length, cost, values: entry.values });
      }
    }
  }
  const [first, ...rest] = best;
  if (!first) return undefined;
  const key = (c: Candidate<T>) => c.values.join("|");
  return rest.every((c) => key(c) === key(first)) ? first : "ambiguous";
}

/**
 * Reads a message left to right, taking at each word the longest phrase of the
 * lexicon that fits (typos tolerated per word), so several answers in one
 * message ("tuli dan kursi roda") are all found.
 */
export function scanPhrases<T>(
  text: string,
  lexicon: Lexicon<T>,
  opts: ScanOptions<T> = {},
): ScanResult<T> {
  const tokens = words(text).slice(0, 200); // bounds the work on very long messages
  const values: T[] = [];
  const unknown: string[] = [];
  const add = (found: readonly T[]) => {
    for (const v of found) if (!values.includes(v)) values.push(v);
  };
  let i = 0;
  while (i < tokens.length) {
    const token = tokens[i]!;
    if (opts.numbered && /^[0-9]+$/.test(token)) {
      const chosen = opts.numbered[Number(token) - 1];
      if (chosen !== undefined) add([chosen]);
      else unknown.push(token);
      i++;
      continue;
    }
    const candidate = opts.stop?.has(token)
      ? undefined
      : bestCandidate(tokens, i, lexicon, opts.fuzzyFrom ?? 4);
    const exact = typeof candidate === "object" && candidate.cost < 0.3;
    if (typeof candidate === "object" && (exact || !opts.fillers?.has(token))) {
      add(candidate.values);
      i += candidate.length;
      continue;
    }
    if (!opts.fillers?.has(token)) unknown.push(token);
    i++;
  }
  return { values, unknown };
}
