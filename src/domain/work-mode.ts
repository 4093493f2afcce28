import { normalize } from "./normalize.ts";
import { parseNumberList } from "./number-list.ts";
import { compileLexicon, type Phrases, scanPhrases, tableEntries } from "./phrases.ts";

export const WORK_MODES = ["onsite", "remote", "hybrid"] as const;
export type WorkMode = (typeof WORK_MODES)[number];

/** The number after the modes: "any of them". */
export const ANY_WORK_MODE_CHOICE = WORK_MODES.length + 1;

const ANY = "any";
type Meaning = WorkMode | typeof ANY;

/** What people write for each mode and for "any", per language (a test compares them). */
export const WORK_MODE_WORDS: Readonly<Record<Meaning, Phrases>> = {
  onsite: {
    id: "di kantor, kantor, ke kantor, di tempat, di tempat kerja, luring, tatap muka, kantoran",
    en: "work from office, wfo, onsite, on site, office, in office, in the office, at the workplace, offline",
  },
  remote: {
    id: "dari rumah, rumah, di rumah, jarak jauh, daring, kerja dari rumah",
    en: "work from home, wfh, from home, at home, remote, online, work from anywhere, wfa",
  },
  hybrid: {
    id: "hibrida, hibrid, campuran, kombinasi, gabungan, sebagian dari rumah",
    en: "hybrid, mixed, partly from home",
  },
  any: {
    id: "semua, semuanya, bebas, apa saja, apa aja, mana saja, mana aja, terserah, tidak masalah",
    en: "any, all, anything, any of them, all of them, either, either one, no preference",
  },
};

const LEXICON = compileLexicon<Meaning>(tableEntries(WORK_MODE_WORDS));

/** Left over, these make the answer unclear: "tidak mau di kantor", "bukan remote"; so do numbers off the list. */
const NEGATORS = new Set(
  "tidak tdk gak ga nggak enggak bukan jangan kecuali not no except".split(" "),
);

/**
 * Preferred work modes: numbers 1–3 or a list, 4 (or "semua", "bebas") for
 * all three, or words in either language ("di kantor", "wfh", "hybrid"). Other
 * words are tolerated ("saya lebih suka kerja dari rumah"); a negation is not.
 */
export function parseWorkModes(text: string): WorkMode[] | null {
  const numbers = parseNumberList(text, ANY_WORK_MODE_CHOICE);
  if (numbers) {
    if (numbers.includes(ANY_WORK_MODE_CHOICE)) return [...WORK_MODES];
    return numbers.map((n) => WORK_MODES[n - 1]!);
  }
  const { values, unknown } = scanPhrases(normalize(text), LEXICON, {
    numbered: [...WORK_MODES, ANY],
  });
  if (values.length === 0 || unknown.some((w) => NEGATORS.has(w) || /^\d+$/.test(w))) return null;
  if (values.includes(ANY)) return [...WORK_MODES];
  return WORK_MODES.filter((m) => values.includes(m));
}
