import { normalize } from "./normalize.ts";
import { parseNumberList } from "./number-list.ts";
import { compileLexicon, type LexiconEntry, scanPhrases } from "./phrases.ts";

export const WORK_MODES = ["onsite", "remote", "hybrid"] as const;
export type WorkMode = (typeof WORK_MODES)[number];

/** The number after the modes: "any of them". */
export const ANY_WORK_MODE_CHOICE = WORK_MODES.length + 1;

const ANY = "any";
type Meaning = WorkMode | typeof ANY;

const phrases = (meaning: Meaning, list: string): LexiconEntry<Meaning>[] =>
  list.split(",").map((p): LexiconEntry<Meaning> => [p.trim(), meaning]);

const LEXICON = compileLexicon<Meaning>([
  ...phrases(
    "onsite",
    "di kantor, kantor, ke kantor, di tempat, wfo, work from office, onsite, on site, " +
      "office, in office, in the office, luring, offline, tatap muka, kantoran",
  ),
  ...phrases(
    "remote",
    "dari rumah, rumah, di rumah, wfh, work from home, from home, at home, remote, " +
      "jarak jauh, online, daring, wfa, work from anywhere",
  ),
  ...phrases("hybrid", "hybrid, hibrida, hibrid, campuran, kombinasi, gabungan, mixed"),
  ...phrases(
    ANY,
    "semua, semuanya, bebas, apa saja, apa aja, mana saja, mana aja, terserah, any, all, " +
      "anything, any of them, all of them, either, either one, tidak masalah, no preference",
  ),
]);

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
