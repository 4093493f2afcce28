import { prepareWord, type Word, wordCost } from "./fuzzy.ts";
import { words } from "./normalize.ts";

/*
 * A phrase scanner shared by the answer parsers: it finds every known phrase in
 * a message, typos and run-together words included, and reports what it could
 * not read so each parser can decide how strict to be.
 */

const INF = Number.POSITIVE_INFINITY;

/**
 * The words for one meaning in each language, comma-separated: lexicons are
 * written this way so a test can check that neither language lags.
 */
export interface Phrases {
  id: string;
  en: string;
}

/** A comma-separated list of phrases, each meaning `meaning`, as lexicon entries. */
export function listEntries<T>(meaning: T, list: string): LexiconEntry<T>[] {
  return list.split(",").map((p): LexiconEntry<T> => [p.trim(), meaning]);
}

/** A meaning's phrases in every language, as lexicon entries. */
export function phraseEntries<T>(meaning: T, phrases: Phrases): LexiconEntry<T>[] {
  return [phrases.id, phrases.en].flatMap((list) => listEntries(meaning, list));
}

/**
 * A lexicon file's table of words (meaning → phrases), as lexicon entries in
 * the table's order; `meaning` turns a key into what it stands for (default: the key).
 */
export function tableEntries<K extends string, T = K>(
  table: Readonly<Record<K, Phrases>>,
  meaning: (key: K) => T = (key) => key as unknown as T,
): LexiconEntry<T>[] {
  return (Object.entries(table) as [K, Phrases][]).flatMap(([key, phrases]) =>
    phraseEntries(meaning(key), phrases),
  );
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
  for (const e of entries) {
    const list = groups.get(key(e)) ?? [];
    list.push(e);
    groups.set(key(e), list);
  }
  return groups;
}

export function compileLexicon<T>(entries: readonly LexiconEntry<T>[]): Lexicon<T> {
  const vocabulary: Word[] = [];
  const ids = new Map<string, number>();
  const id = (w: string) => {
    if (!ids.has(w)) ids.set(w, vocabulary.push(prepareWord(w)) - 1);
    return ids.get(w)!;
  };
  const compiled = entries.map(([phrase, ...values]) => {
    const w = words(phrase);
    return { words: w.map(id), joined: prepareWord(w.join("")), values };
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
function costTable<T>(
  tokens: Word[],
  lexicon: Lexicon<T>,
  minLength: number,
  stop: ReadonlySet<string> | undefined,
) {
  const perWord = new Map<number, number>();
  const spans = new Map<number, Word>();
  const size = lexicon.vocabulary.length;
  return {
    minLength,
    /** Stop words match only as written: they are real words, not typos. */
    limit: (i: number, length: number) => (length === 1 && stop?.has(tokens[i]!.text) ? 0 : 1),
    word(i: number, id: number): number {
      const key = i * size + id;
      let c = perWord.get(key);
      if (c === undefined) {
        const token = tokens[i]!;
        c = wordCost(token, lexicon.vocabulary[id]!, minLength, stop?.has(token.text) ? 0 : INF);
        perWord.set(key, c);
      }
      return c;
    },
    /** Tokens i..i+length written as one word. */
    span(i: number, length: number): Word {
      const key = i * 64 + length;
      let span = spans.get(key);
      if (!span) {
        span = prepareWord(
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
        const limit = costs.limit(i, length);
        consider(length, 0.1 + wordCost(span, entry.joined, costs.minLength, limit), entry.values);
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
  const tokens = words(text).slice(0, 200).map(prepareWord); // bounds the work on long messages
  const costs = costTable(tokens, lexicon, opts.fuzzyFrom ?? 4, opts.stop);
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
    const found = bestCandidate(i, tokens.length - i, lexicon, costs);
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
