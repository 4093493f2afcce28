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

/** Scratch rows reused across calls: allocation, not arithmetic, dominated the cost. */
let rows = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];

/**
 * With a finite `bound` only cells within `bound` of the diagonal are computed
 * and the result is only exact up to `bound` (anything larger means "too far"):
 * the scanner compares every word of a message with every known word.
 */
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
      current[j] = Math.min(best, far);
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

/** A word prepared once for many comparisons (see {@link prepareWord}). */
export interface Word {
  text: string;
  chars: string[];
  folded: string[];
  foldedText: string;
  digit: boolean;
}

export function prepareWord(text: string): Word {
  const foldedText = squeeze(text);
  return {
    text,
    chars: Array.from(text),
    folded: Array.from(foldedText),
    foldedText,
    digit: /\p{N}/u.test(text),
  };
}

/** {@link wordDistance} on prepared words; `limit` caps the allowance by length. */
export function wordCost(typed: Word, known: Word, minLength: number, limit: number): number {
  if (typed.text === known.text) return 0;
  if (typed.foldedText === known.foldedText) return 0.25;
  if (typed.digit || known.digit) return INF;
  // As typed, and with repeated letters folded ("piie" is "pidie" less a letter, though
  // folded it is "pie"): each with the allowance of its own length.
  const allowance = (a: string[], b: string[]) => {
    const shorter = Math.min(a.length, b.length);
    return shorter < minLength ? 0 : Math.min(limit, maxEdits(shorter));
  };
  let d = INF;
  const asTyped = allowance(typed.chars, known.chars);
  if (asTyped > 0 && Math.abs(typed.chars.length - known.chars.length) <= asTyped) {
    const e = distance(typed.chars, known.chars, true, asTyped);
    if (e <= asTyped) d = e;
  }
  const folded = allowance(typed.folded, known.folded);
  if (folded > 0 && Math.abs(typed.folded.length - known.folded.length) < folded) {
    const e = distance(typed.folded, known.folded, true, folded) + 0.25;
    if (e <= folded) d = Math.min(d, e);
  }
  return d;
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
  return wordCost(
    prepareWord(typed),
    prepareWord(known),
    limits.minLength ?? 4,
    limits.limit ?? INF,
  );
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
  const typed = prepareWord(word);
  let best: string | undefined;
  let bestDistance = INF;
  let tie = false;
  for (const candidate of candidates) {
    const d = wordCost(typed, prepareWord(candidate), 4, opts.maxDistance ?? INF);
    if (d < bestDistance) {
      [best, bestDistance, tie] = [candidate, d, false];
    } else if (d === bestDistance && d !== INF && candidate !== best) {
      tie = true;
    }
  }
  return tie ? undefined : best;
}
