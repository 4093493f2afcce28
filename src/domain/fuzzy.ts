import { words } from "./normalize.ts";

const INF = Number.POSITIVE_INFINITY;

/** Classic edit distance (insert, delete, substitute), by code point. */
export function levenshtein(a: string, b: string): number {
  return distance(Array.from(a), Array.from(b), false, INF);
}

/**
 * Edit distance that also counts swapping two neighbouring letters as one edit
 * (optimal string alignment): "tidka" is one slip of the thumb from "tidak".
 */
export function typoDistance(a: string, b: string): number {
  return distance(Array.from(a), Array.from(b), true, INF);
}

/**
 * With a finite `bound` only cells within `bound` of the diagonal are computed
 * and the result is only exact up to `bound` (anything larger means "too far"):
 * the scanner compares every word of a message with every known word.
 */
/** Scratch rows reused across calls: allocation, not arithmetic, dominated the cost. */
let rows = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];

function distance(s: string[], t: string[], transpositions: boolean, bound: number): number {
  const n = s.length;
  const m = t.length;
  if (n === 0 || m === 0 || Math.abs(n - m) > bound) return Math.max(n, m, Math.abs(n - m));
  const far = Number.isFinite(bound) ? bound + 1 : n + m;
  if (rows[0]!.length <= m) rows = rows.map(() => new Int32Array(2 * m + 2));
  let [before, previous, current] = rows as [Int32Array, Int32Array, Int32Array];
  before.fill(far, 0, m + 1);
  for (let j = 0; j <= m; j++) previous[j] = Math.min(j, far);
  let previousMin = 0;
  for (let i = 1; i <= n; i++) {
    const lo = Math.max(1, i - bound);
    const hi = Math.min(m, i + bound);
    current.fill(far, 0, m + 1);
    current[0] = Math.min(i, far);
    let rowMin = far;
    for (let j = lo; j <= hi; j++) {
      let best = previous[j - 1]! + (s[i - 1] === t[j - 1] ? 0 : 1);
      if (previous[j]! + 1 < best) best = previous[j]! + 1;
      if (current[j - 1]! + 1 < best) best = current[j - 1]! + 1;
      if (transpositions && i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) {
        if (before[j - 2]! + 1 < best) best = before[j - 2]! + 1;
      }
      current[j] = best < far ? best : far;
      if (best < rowMin) rowMin = best;
    }
    // A swap reaches back two rows, so two rows over the bound settle it.
    if (rowMin > bound && previousMin > bound) return far;
    const spare = before;
    before = previous;
    previous = current;
    current = spare;
    previousMin = rowMin;
  }
  return previous[m]!;
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

/** A word prepared once for many comparisons. */
interface Word {
  text: string;
  chars: string[];
  folded: string[];
  foldedText: string;
  digit: boolean;
}

function prepare(text: string): Word {
  const foldedText = squeeze(text);
  return {
    text,
    chars: Array.from(text),
    folded: Array.from(foldedText),
    foldedText,
    digit: /\p{N}/u.test(text),
  };
}

function cost(typed: Word, known: Word, minLength: number, limit: number): number {
  if (typed.text === known.text) return 0;
  if (typed.foldedText === known.foldedText) return 0.25;
  if (typed.digit || known.digit) return INF;
  const shorter = Math.min(typed.folded.length, known.folded.length);
  if (shorter < minLength) return INF;
  const allowed = Math.min(limit, maxEdits(shorter));
  if (allowed <= 0) return INF;
  let d = INF;
  if (Math.abs(typed.chars.length - known.chars.length) <= allowed) {
    d = distance(typed.chars, known.chars, true, allowed);
  }
  if (Math.abs(typed.folded.length - known.folded.length) < allowed) {
    d = Math.min(d, distance(typed.folded, known.folded, true, allowed) + 0.25);
  }
  return d <= allowed ? d : INF;
}

/** Limits for {@link wordDistance}. */
export interface DistanceLimits {
  /** Cap on the distance; the allowance by length ({@link maxEdits}) still applies. Default none. */
  limit?: number;
  /** Shortest word length where typos are tolerated at all; default 4. */
  minLength?: number;
}

/**
 * How far a typed word is from a known word, or Infinity when too far. Both are
 * compared as typed and with repeated letters folded (a folded match costs a
 * little, so an exact one wins); the allowance follows the shorter of the two,
 * so a long typo cannot reach a short word. Words with digits ("s1", "d3")
 * must match exactly.
 */
export function wordDistance(typed: string, known: string, limits: DistanceLimits = {}): number {
  return cost(prepare(typed), prepare(known), limits.minLength ?? 4, limits.limit ?? INF);
}

/** Options for {@link closest}. */
export interface ClosestOptions {
  /** Cap on the distance; below it the allowance still scales with length. Default none. */
  maxDistance?: number;
}

/**
 * The candidate nearest to `word` (see {@link wordDistance}), or undefined when
 * none is close enough or two different candidates are equally close: guessing
 * between them would be worse than asking again.
 */
export function closest(
  word: string,
  candidates: Iterable<string>,
  opts: ClosestOptions = {},
): string | undefined {
  const typed = prepare(word);
  let best: string | undefined;
  let bestDistance = INF;
  let tie = false;
  for (const candidate of candidates) {
    const d = cost(typed, prepare(candidate), 4, opts.maxDistance ?? INF);
    if (d < bestDistance) {
      [best, bestDistance, tie] = [candidate, d, false];
    } else if (d === bestDistance && d !== INF && candidate !== best) {
      tie = true;
    }
  }
  return tie ? undefined : best;
}

/** A phrase (normalised on compile) and the code(s) it means; none = a phrase to skip whole. */
export type LexiconEntry<T> = readonly [phrase: string, ...values: T[]];

interface CompiledEntry<T> {
  words: number[]; // indexes into the vocabulary
  joined: Word; // "tuna netra" as typed without the space
  values: readonly T[];
}

/** A lexicon ready for {@link scanPhrases}: compile once, at module load. */
export interface Lexicon<T> {
  vocabulary: Word[];
  longest: number;
  /** Entries by number of words, and by length of the joined phrase, so a scan tries few. */
  byWords: Map<number, CompiledEntry<T>[]>;
  byJoinedLength: Map<number, CompiledEntry<T>[]>;
}

function group<T>(entries: CompiledEntry<T>[], key: (e: CompiledEntry<T>) => number) {
  const groups = new Map<number, CompiledEntry<T>[]>();
  for (const e of entries) groups.set(key(e), [...(groups.get(key(e)) ?? []), e]);
  return groups;
}

export function compileLexicon<T>(entries: readonly LexiconEntry<T>[]): Lexicon<T> {
  const vocabulary: Word[] = [];
  const ids = new Map<string, number>();
  const id = (w: string) => {
    if (!ids.has(w)) ids.set(w, vocabulary.push(prepare(w)) - 1);
    return ids.get(w)!;
  };
  const compiled = entries.map(([phrase, ...values]) => {
    const w = words(phrase);
    return { words: w.map(id), joined: prepare(w.join("")), values };
  });
  return {
    vocabulary,
    longest: Math.max(1, ...compiled.map((e) => e.words.length)),
    byWords: group(compiled, (e) => e.words.length),
    byJoinedLength: group(compiled, (e) => e.joined.chars.length),
  };
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

/** Memoised costs for one message: the same token meets the same word many times. */
function costTable<T>(tokens: Word[], lexicon: Lexicon<T>, minLength: number) {
  const perWord = new Map<number, number>();
  const spans = new Map<number, Word>();
  const size = lexicon.vocabulary.length;
  return {
    minLength,
    word(i: number, id: number): number {
      const key = i * size + id;
      let c = perWord.get(key);
      if (c === undefined) {
        c = cost(tokens[i]!, lexicon.vocabulary[id]!, minLength, INF);
        perWord.set(key, c);
      }
      return c;
    },
    /** Tokens i..i+length written as one word. */
    span(i: number, length: number): Word {
      const key = i * 64 + length;
      let span = spans.get(key);
      if (!span) {
        span = prepare(
          tokens
            .slice(i, i + length)
            .map((t) => t.text)
            .join(""),
        );
        spans.set(key, span);
      }
      return span;
    },
  };
}

function bestCandidate<T>(
  i: number,
  available: number,
  lexicon: Lexicon<T>,
  costs: ReturnType<typeof costTable<T>>,
): Candidate<T> | "ambiguous" | undefined {
  let best: Candidate<T>[] = [];
  const consider = (length: number, c: number, values: readonly T[]) => {
    if (c === INF) return;
    const top = best[0];
    // Longest reading wins ("tidak setuju" over "tidak"), then the closest.
    if (!top || length > top.length || (length === top.length && c < top.cost)) {
      best = [{ length, cost: c, values }];
    } else if (length === top.length && c === top.cost) {
      best.push({ length, cost: c, values });
    }
  };
  const maxLength = Math.min(lexicon.longest + 1, available);
  for (let length = 1; length <= maxLength; length++) {
    for (const entry of lexicon.byWords.get(length) ?? []) {
      let c = 0;
      for (let j = 0; j < length && c < INF; j++) c += costs.word(i + j, entry.words[j]!);
      consider(length, c, entry.values);
    }
    // "tunanetra" for "tuna netra", "kursi roda" for "kursiroda": one small slip at most.
    const span = costs.span(i, length);
    for (let size = span.chars.length - 1; size <= span.chars.length + 1; size++) {
      for (const entry of lexicon.byJoinedLength.get(size) ?? []) {
        if (entry.words.length === length) continue;
        consider(length, 0.1 + cost(span, entry.joined, costs.minLength, 1), entry.values);
      }
    }
  }
  const [first, ...rest] = best;
  if (!first) return undefined;
  const key = (x: Candidate<T>) => x.values.join("|");
  return rest.every((x) => key(x) === key(first)) ? first : "ambiguous";
}

/**
 * Reads a message left to right, taking at each word the longest phrase of the
 * lexicon that fits (typos tolerated per word), so several answers in one
 * message ("tuli dan kursi roda") are all found. Fillers are skipped unless a
 * phrase matches them exactly.
 */
export function scanPhrases<T>(
  text: string,
  lexicon: Lexicon<T>,
  opts: ScanOptions<T> = {},
): ScanResult<T> {
  const tokens = words(text).slice(0, 200).map(prepare); // bounds the work on long messages
  const costs = costTable(tokens, lexicon, opts.fuzzyFrom ?? 4);
  const values: T[] = [];
  const unknown: string[] = [];
  let i = 0;
  while (i < tokens.length) {
    const token = tokens[i]!.text;
    const filler = opts.fillers?.has(token) ?? false;
    if (opts.numbered && /^[0-9]+$/.test(token)) {
      const chosen = opts.numbered[Number(token) - 1];
      if (chosen !== undefined && !values.includes(chosen)) values.push(chosen);
      if (chosen === undefined) unknown.push(token);
      i++;
      continue;
    }
    const found = opts.stop?.has(token)
      ? undefined
      : bestCandidate(i, tokens.length - i, lexicon, costs);
    if (typeof found === "object" && (found.cost < 0.3 || !filler)) {
      for (const v of found.values) if (!values.includes(v)) values.push(v);
      i += found.length;
      continue;
    }
    if (!filler) unknown.push(token);
    i++;
  }
  return { values, unknown };
}
