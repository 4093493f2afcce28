import { normalize } from "./normalize.ts";
import { parseNumberList } from "./number-list.ts";
import { compileLexicon, type Phrases, scanPhrases, tableEntries } from "./phrases.ts";

/** Ragam disabilitas (UU 8/2016 Pasal 4); this order is the numbered list people see. */
export const DISABILITY_CATEGORIES = [
  "fisik",
  "intelektual",
  "mental",
  "netra",
  "rungu",
  "wicara",
] as const;
export type DisabilityCategory = (typeof DISABILITY_CATEGORIES)[number];

/** The number after the categories: "I prefer not to say". */
export const DECLINE_CATEGORY_CHOICE = DISABILITY_CATEGORIES.length + 1;

export type CategoryAnswer = { categories: DisabilityCategory[] } | { declined: true };

const DECLINE = "decline";
type Meaning = DisabilityCategory | typeof DECLINE;

/**
 * What people write for each category and for "I prefer not to say", per
 * language. Examples follow the elucidation of UU 8/2016 Pasal 4 plus what
 * people type; "tuna X" is listed once: the scanner also reads "tunaX".
 */
export const CATEGORY_WORDS: Readonly<Record<DisabilityCategory | "declined", Phrases>> = {
  fisik: {
    id:
      "fisik, disabilitas fisik, cacat fisik, daksa, tuna daksa, kursi roda, pengguna kursi roda, " +
      "amputasi, diamputasi, lumpuh, kelumpuhan, lumpuh layu, lumpuh kaku, polio, cp, " +
      "palsi serebral, paraplegi, stroke, kusta, orang kecil, kaki palsu, tangan palsu, " +
      "prostesis, kruk, tidak bisa berjalan, tidak bisa jalan",
    en:
      "physical, physical disability, wheelchair, wheelchair user, amputee, amputation, " +
      "cerebral palsy, paraplegia, paraplegic, tetraplegia, quadriplegia, leprosy, dwarfism, " +
      "achondroplasia, paralysis, paralyzed, crutches, cannot walk",
  },
  intelektual: {
    id:
      "intelektual, disabilitas intelektual, grahita, tuna grahita, disabilitas grahita, " +
      "lambat belajar, sindrom down, sindroma down, retardasi mental, keterbelakangan mental",
    en: "intellectual, intellectual disability, slow learner, down syndrome, down syndrom, learning disability",
  },
  mental: {
    id:
      "mental, disabilitas mental, psikososial, disabilitas psikososial, skizofrenia, bipolar, " +
      "depresi, anxietas, kecemasan, gangguan kecemasan, gangguan kepribadian, gangguan jiwa, " +
      "autis, autisme, hiperaktif",
    en:
      "psychosocial, psychosocial disability, schizophrenia, depression, anxiety, autism, " +
      "autistic, adhd, ptsd, ocd, mental health, mental illness",
  },
  netra: {
    id:
      "netra, tuna netra, disabilitas netra, sensorik netra, buta, rabun, gangguan penglihatan, " +
      "lemah penglihatan, penglihatan terbatas, tidak bisa melihat",
    en: "blind, low vision, visually impaired, visual impairment, partially sighted, cannot see",
  },
  rungu: {
    id:
      "rungu, tuna rungu, tuli, disabilitas rungu, sensorik rungu, gangguan pendengaran, " +
      "tidak bisa mendengar, budek, budeg",
    en: "deaf, hard of hearing, hearing impaired, hearing impairment, hearing loss, cannot hear",
  },
  wicara: {
    id:
      "wicara, tuna wicara, disabilitas wicara, sensorik wicara, bisu, gagap, gangguan bicara, " +
      "tidak bisa bicara, tidak bisa berbicara",
    en: "speech, speech impairment, speech disability, mute, stutter, cannot speak",
  },
  declined: {
    id:
      "tidak mau menjawab, tidak ingin menjawab, tidak mau, tidak ingin, tidak mau jawab, " +
      "gak mau, nggak mau, ga mau, rahasia, privasi, lewati, lewat, tidak mau memberitahu, " +
      "tidak mau bilang, tidak mau kasih tahu, tidak mau memberi tahu, gak mau jawab, " +
      "ga mau jawab, nggak mau jawab",
    en:
      "skip, prefer not to say, rather not say, i prefer not to say, i would rather not say, " +
      "no comment, private, confidential",
  },
};

const LEXICON = compileLexicon<Meaning>([
  ...tableEntries(CATEGORY_WORDS, (code): Meaning => (code === "declined" ? DECLINE : code)),
  // Not disability categories: read whole so "buta" inside them is not taken as netra.
  ["buta warna"],
  ["buta huruf"],
  ["color blind"],
  ["colour blind"],
  ["tuli bisu", "rungu", "wicara"],
  ["bisu tuli", "rungu", "wicara"],
  ["tuna rungu wicara", "rungu", "wicara"],
  ["deaf mute", "rungu", "wicara"],
]);

/**
 * Words that say nothing about the category. "ganda"/"multi" mean "more than
 * one" and need the person to say which, so alone they leave nothing behind.
 */
const FILLERS = new Set(
  (
    "saya aku sy adalah penyandang disabilitas difabel ragam jenis kategori dan serta atau " +
    "juga and or also with dengan i am im a an have has the is my punya memiliki mengalami " +
    "pengguna user ganda multi multiple majemuk kaki tangan mata telinga kanan kiri sebelah " +
    "total sejak lahir kecil karena kecelakaan sensorik tuna gangguan kak pak bu"
  ).split(" "),
);

/** Left over after the phrases, these turn "saya tidak buta" into a question, not an answer. */
const NEGATORS = new Set(
  "tidak tdk bukan gak ga nggak enggak tanpa not no non belum sembuh".split(" "),
);

/** Real words one typo from a category word: "bisa bicara" must not read as wicara. */
const STOP = new Set(["rental", "dental", "mentah", "fisika", "bicara", "berbicara"]);

/**
 * The disability categories in a message: numbers ("1 dan 4"), words in either
 * language, several at once ("tuli dan kursi roda"), typos ("tunanetraa").
 * Other words around them are tolerated ("saya tuli sejak lahir"), but not a
 * negation ("bukan tuli"): that is null, and the question is asked again.
 * "7" or "rahasia" declines. "ganda" alone is null: ask which ones.
 */
export function parseCategories(text: string): CategoryAnswer | null {
  const numbers = parseNumberList(text, DECLINE_CATEGORY_CHOICE);
  if (numbers) {
    if (numbers.includes(DECLINE_CATEGORY_CHOICE)) {
      return numbers.length === 1 ? { declined: true } : null;
    }
    return { categories: numbers.map((n) => DISABILITY_CATEGORIES[n - 1]!) };
  }
  const normal = normalize(text);
  const { values, unknown } = scanPhrases(normal, LEXICON, {
    fillers: FILLERS,
    stop: STOP,
    numbered: [...DISABILITY_CATEGORIES, DECLINE],
    // Four-letter words (tuli, buta, bisu) sit one letter from everyday ones (tulis, buat).
    fuzzyFrom: 5,
  });
  // A number off the list ("1 dan 9") is a mistyped choice, not a detail to skip.
  if (unknown.some((w) => NEGATORS.has(w) || /^\d+$/.test(w))) return null;
  const categories = values.filter((v): v is DisabilityCategory => v !== DECLINE);
  if (values.includes(DECLINE)) {
    return categories.length === 0 && unknown.length === 0 ? { declined: true } : null;
  }
  return categories.length > 0 ? { categories } : null;
}
