import { squeeze, typoDistance } from "../domain/fuzzy.ts";
import { GLOBAL_WORDS, phrases } from "./command-words.ts";

/** Words that work at every step, in Indonesian and English. */
export type GlobalWord = keyof typeof GLOBAL_WORDS;

/** Each global word's forms in both languages (see command-words.ts). */
export const WORDS: Readonly<Record<GlobalWord, readonly string[]>> = Object.fromEntries(
  Object.entries(GLOBAL_WORDS).map(([word, forms]) => [word, phrases(forms)]),
) as unknown as Record<GlobalWord, readonly string[]>;

const LOOKUP = new Map<string, GlobalWord>(
  Object.entries(WORDS).flatMap(([word, forms]) => forms.map((f) => [f, word as GlobalWord])),
);

/** English words that are also answers people give when asked for free text (jobs, skills). */
const AMBIGUOUS_IN_FREE_TEXT = new Set(["staff", "agent", "home", "human", "help"]);
/** Never matched with a typo: "staf" is a job, not "staff". */
const EXACT_ONLY: ReadonlySet<string> = new Set(["staff", "agent", "home", "human"]);

/**
 * The global word a normalised message is, if any. The whole message must be
 * the word (a name or a skill that merely contains "menu" is not a command);
 * with `fuzzy`, one slip is forgiven (see {@link lookupWord}).
 */
export function globalWord(
  text: string,
  opts: { fuzzy: boolean; freeText?: boolean },
): GlobalWord | undefined {
  const bare = text.replace(/^\//, "");
  if (opts.freeText && AMBIGUOUS_IN_FREE_TEXT.has(bare)) return undefined;
  const exact = LOOKUP.get(bare);
  if (exact || !opts.fuzzy) return exact;
  return lookupWord(bare, LOOKUP, { exactOnly: EXACT_ONLY });
}

/** Options for {@link lookupWord}. */
export interface LookupOptions {
  /** Real words one slip from a form ("minta" is not "minat"): never read as that form. */
  stop?: ReadonlySet<string>;
  /** Forms matched only as written. */
  exactOnly?: ReadonlySet<string>;
}

/**
 * A command or menu word looked up with one slip forgiven: a form of six
 * letters or more (spaces aside: "data saya") may have one letter wrong,
 * missing, extra or two swapped ("lowngan", "pelatihn", "dta saya"); a
 * shorter one only two swapped letters or a letter held down ("mneu",
 * "menuu"), because many short words sit one letter from a real answer
 * ("batu" is a town, not "bantu"). Three letters or fewer: exact only. Two
 * forms of different meaning equally near: no match.
 */
export function lookupWord<T>(
  text: string,
  table: ReadonlyMap<string, T>,
  opts: LookupOptions = {},
): T | undefined {
  const exact = table.get(text);
  if (exact !== undefined) return exact;
  const typed = text.replace(/ /g, "");
  if (typed.length < 4 || opts.stop?.has(text)) return undefined;
  const found = new Set<T>();
  for (const [form, value] of table) {
    if (opts.exactOnly?.has(form)) continue;
    const known = form.replace(/ /g, "");
    if (known.length < 4) continue;
    if (squeeze(typed) === squeeze(known) || isSwap(typed, known)) found.add(value);
    else if (known.length >= 6 && Math.abs(known.length - typed.length) <= 1) {
      if (typoDistance(typed, known) <= 1) found.add(value);
    }
  }
  return found.size === 1 ? [...found][0] : undefined;
}

/** Two neighbouring letters swapped, nothing else: "mneu" for "menu". */
function isSwap(a: string, b: string): boolean {
  if (a.length !== b.length || a === b) return false;
  const i = [...a].findIndex((c, k) => c !== b[k]);
  return (
    i >= 0 &&
    i + 1 < a.length &&
    a[i] === b[i + 1] &&
    a[i + 1] === b[i] &&
    a.slice(i + 2) === b.slice(i + 2)
  );
}
