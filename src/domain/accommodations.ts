import { normalize } from "./normalize.ts";
import { parseNumberList } from "./number-list.ts";
import { compileLexicon, type Phrases, scanPhrases, tableEntries } from "./phrases.ts";

export const ACCOMMODATIONS = [
  "sign_interpreter",
  "screen_reader",
  "wheelchair_access",
  "flexible_hours",
  "companion",
] as const;
export type Accommodation = (typeof ACCOMMODATIONS)[number];

/** The number after the options: "none needed". */
export const NO_ACCOMMODATION_CHOICE = ACCOMMODATIONS.length + 1;

/** Longest free-text note kept; staff read it, so a paragraph is plenty. */
export const ACCOMMODATION_NOTE_MAX = 300;

export type AccommodationAnswer = { codes: Accommodation[]; note?: string } | { none: true };

const NONE = "none";
type Meaning = Accommodation | typeof NONE;

/** What people write for each option and for "none", per language (a test compares them). */
export const ACCOMMODATION_WORDS: Readonly<Record<Meaning, Phrases>> = {
  sign_interpreter: {
    id:
      "juru bahasa isyarat, jbi, penerjemah isyarat, penerjemah bahasa isyarat, juru bahasa, " +
      "bahasa isyarat, isyarat, bisindo",
    en: "interpreter, sign interpreter, sign language interpreter, sign language",
  },
  screen_reader: {
    id: "pembaca layar, aplikasi pembaca layar",
    en: "screen reader, talkback, talk back, nvda, jaws, voiceover, voice over",
  },
  wheelchair_access: {
    id: "kursi roda, akses kursi roda, jalur landai, landai, bidang miring, tanpa tangga",
    en: "wheelchair, wheelchair access, ramp, ramps, step free, lift, elevator",
  },
  flexible_hours: {
    id: "jam kerja fleksibel, jam fleksibel, fleksibel, waktu fleksibel, waktu kerja fleksibel, jam kerja lentur",
    en: "flexible, flexible hours, flexible time, flexible working hours, part time",
  },
  companion: {
    id: "pendamping, pendamping kerja",
    en: "companion, job coach, support person, a companion",
  },
  none: {
    id:
      "tidak ada, tidak perlu, tidak butuh, tidak membutuhkan, tidak usah, gak ada, ga ada, " +
      "nggak ada, enggak ada, gak perlu, ga perlu, nggak perlu, tdk ada, tdk perlu, " +
      "belum ada, nihil, tidak, gak, ga, nggak, enggak, tidak ada yang khusus, " +
      "tidak butuh apa apa, tidak perlu apa apa",
    en: "none, no, nothing, not needed, no need, nothing special, i need nothing",
  },
};

const LEXICON = compileLexicon<Meaning>(tableEntries(ACCOMMODATION_WORDS));

/** Words that add nothing to an answer ("tidak ada, terima kasih"). */
const FILLERS = new Set(
  (
    "saya aku sy butuh perlu membutuhkan memerlukan ingin mau minta dan serta atau juga " +
    "and or also i need want a an the yang untuk di tempat kerja kak pak bu terima kasih " +
    "makasih thanks thank you please mohon sih apa apa dong ada akses"
  ).split(" "),
);

const NEGATORS = new Set("tidak tdk gak ga nggak enggak bukan jangan not no without".split(" "));

const noteOf = (text: string) =>
  Array.from(text.normalize("NFKC").replace(/\s+/gu, " ").trim())
    .slice(0, ACCOMMODATION_NOTE_MAX)
    .join("");

/**
 * Workplace accommodations: numbers/lists (6 = none), common options in words,
 * and anything else kept as a short note for staff alongside whatever options
 * were recognised ("1 dan meja yang lebih rendah"). When a negation sits next to
 * an option ("tidak perlu kursi roda") no option is guessed: the text becomes
 * the note.
 */
export function parseAccommodations(text: string): AccommodationAnswer | null {
  const numbers = parseNumberList(text, NO_ACCOMMODATION_CHOICE);
  if (numbers) {
    if (numbers.includes(NO_ACCOMMODATION_CHOICE)) {
      return numbers.length === 1 ? { none: true } : null;
    }
    return { codes: numbers.map((n) => ACCOMMODATIONS[n - 1]!) };
  }
  const normal = normalize(text);
  // Numbers and symbols alone are a mistyped choice, not a note.
  if (!/\p{L}/u.test(normal)) return null;
  const { values, unknown } = scanPhrases(normal, LEXICON, {
    fillers: FILLERS,
    numbered: [...ACCOMMODATIONS, NONE],
    // Short option words (lift, ramp, jaws) sit one letter from everyday ones (left, jams).
    fuzzyFrom: 5,
  });
  const codes = values.filter((v): v is Accommodation => v !== NONE);
  const negated = values.includes(NONE) || unknown.some((w) => NEGATORS.has(w));
  if (codes.length === 0 && values.includes(NONE) && unknown.length === 0) return { none: true };
  if (negated && codes.length > 0) return { codes: [], note: noteOf(text) };
  // Only a number off the list is left ("1 dan 9"): a mistyped choice, not a note.
  if (unknown.every((w) => /^\d+$/.test(w)))
    return codes.length > 0 && unknown.length === 0 ? { codes } : null;
  return { codes, note: noteOf(text) };
}
