import { normalize } from "./normalize.ts";
import { parseSingleNumber } from "./number-list.ts";
import {
  compileLexicon,
  type LexiconEntry,
  listEntries,
  type Phrases,
  scanPhrases,
  tableEntries,
} from "./phrases.ts";

/** Education levels in API.md order (lowest first). */
export const EDUCATION_LEVELS = [
  "below_sd",
  "sd",
  "smp",
  "sma",
  "smk",
  "d1",
  "d2",
  "d3",
  "d4",
  "s1",
  "s2",
  "s3",
] as const;
export type EducationLevel = (typeof EDUCATION_LEVELS)[number];

const RANK: Record<EducationLevel, number> = {
  below_sd: 0,
  sd: 1,
  smp: 2,
  sma: 3,
  smk: 3,
  d1: 4,
  d2: 5,
  d3: 6,
  d4: 7,
  s1: 7,
  s2: 8,
  s3: 9,
};

/** Ordered rank for "at least" comparisons: SMA = SMK and D4 = S1 share a rank. */
export function educationRank(level: EducationLevel): number {
  return RANK[level];
}

/** True when `level` satisfies a vacancy's minimum ("at least SMA" accepts SMK). */
export function meetsMinimum(level: EducationLevel, minimum: EducationLevel): boolean {
  return RANK[level] >= RANK[minimum];
}

/** The numbered list people see (number = index + 1); D4 and S1 are one choice. */
export const EDUCATION_CHOICES: readonly { level: EducationLevel; label: string }[] = [
  { level: "below_sd", label: "Tidak tamat SD" },
  { level: "sd", label: "SD/MI/SDLB" },
  { level: "smp", label: "SMP/MTs/SMPLB" },
  { level: "sma", label: "SMA/MA/SMALB" },
  { level: "smk", label: "SMK" },
  { level: "d1", label: "D1" },
  { level: "d2", label: "D2" },
  { level: "d3", label: "D3" },
  { level: "s1", label: "D4/S1" },
  { level: "s2", label: "S2" },
  { level: "s3", label: "S3" },
];

/**
 * What people write for each level, per language (comma-separated). A test
 * reads every phrase back and checks that neither language lags.
 */
export const EDUCATION_WORDS: Readonly<Record<EducationLevel, Phrases>> = {
  below_sd: {
    id:
      "tidak sekolah, tidak pernah sekolah, belum pernah sekolah, belum sekolah, " +
      "tidak bersekolah, di bawah sd, dibawah sd, tidak tamat sd",
    en:
      "none, no school, no schooling, no education, no formal education, never went to school, " +
      "did not finish primary school, below primary school",
  },
  sd: {
    id: "sd, sdn, mi, sdlb, sekolah dasar, madrasah ibtidaiyah, paket a",
    en: "elementary, elementary school, primary, primary school, grade school",
  },
  smp: {
    id: "smp, smpn, mts, smplb, sltp, paket b, sekolah menengah pertama, madrasah tsanawiyah",
    en: "junior high, junior high school, middle school, lower secondary school",
  },
  sma: {
    id: "sma, sman, ma, smalb, slta, smu, paket c, sekolah menengah atas, madrasah aliyah",
    en: "high school, senior high, senior high school, upper secondary school",
  },
  smk: {
    id: "smk, smkn, smklb, stm, smea, mak, sekolah menengah kejuruan, madrasah aliyah kejuruan",
    en: "vocational, vocational school, vocational high school, technical high school",
  },
  d1: { id: "d1, diploma satu", en: "diploma 1, diploma one, one year diploma" },
  d2: { id: "d2, diploma dua", en: "diploma 2, diploma two, two year diploma" },
  d3: {
    id: "d3, diploma tiga, sarjana muda, ahli madya",
    en: "diploma 3, diploma three, three year diploma, associate degree",
  },
  d4: {
    id: "d4, diploma empat, sarjana terapan, sarjana sains terapan",
    en: "diploma 4, diploma four, applied bachelor",
  },
  s1: {
    id: "s1, strata satu, sarjana, universitas, perguruan tinggi",
    en: "bachelor, bachelors, bachelor degree, undergraduate, university, university degree, college degree",
  },
  s2: {
    id: "s2, strata dua, magister, pascasarjana",
    en: "master, masters, master degree, postgraduate",
  },
  s3: {
    id: "s3, strata tiga, doktor",
    en: "doctorate, doctoral, phd, ph d, doctor of philosophy",
  },
};

/** "diploma" alone: one of four levels, so the question asks which rather than guess. */
export const DIPLOMA_ALONE: ReadonlySet<string> = new Set(["diploma", "d", "diplomas"]);

const ROMAN = ["i", "ii", "iii", "iv"];
const SPELLED = ["satu", "dua", "tiga", "empat"];
/** "D3", "D-3", "D III", "diploma 3", "diploma tiga"; "S1", "strata 1", "strata satu". */
const numbered = (prefixes: string[], n: number, level: EducationLevel) =>
  prefixes.flatMap((p) =>
    [String(n), ROMAN[n - 1]!, SPELLED[n - 1]!].map(
      (x): LexiconEntry<EducationLevel> => [`${p} ${x}`, level],
    ),
  );

/** "Did not finish X" means the level below X is the highest completed. */
const UNFINISHED: [string, EducationLevel][] = [
  ["sd, sekolah dasar, mi, primary school, elementary school", "below_sd"],
  ["smp, mts, sltp, junior high, junior high school", "sd"],
  ["sma, smk, ma, slta, smu, stm, high school, vocational school", "smp"],
  ["kuliah, s1, sarjana, d3, d4, diploma, universitas, university, college", "sma"],
  ["s2, magister, master", "s1"],
];
const NOT_FINISHED = [
  "tidak tamat",
  "tidak lulus",
  "belum tamat",
  "belum lulus",
  "tidak selesai",
  "did not finish",
  "did not complete",
  "not finished",
];

const LEXICON = compileLexicon<EducationLevel>([
  ...listEntries<EducationLevel>("below_sd", "below sd"),
  ...UNFINISHED.flatMap(([targets, level]) =>
    NOT_FINISHED.flatMap((prefix) =>
      listEntries(level, targets.replace(/(^|, )/g, `$1${prefix} `)),
    ),
  ),
  ...tableEntries(EDUCATION_WORDS),
  ...numbered(["d", "diploma"], 1, "d1"),
  ...numbered(["d", "diploma"], 2, "d2"),
  ...numbered(["d", "diploma"], 3, "d3"),
  ...numbered(["d", "diploma"], 4, "d4"),
  ...numbered(["s", "strata"], 1, "s1"),
  ...numbered(["s", "strata"], 2, "s2"),
  ...numbered(["s", "strata"], 3, "s3"),
]);

/** Left over, these mean the answer is not a completed level ("masih kuliah", "kelas 2"). */
const UNSURE = new Set(
  "tidak tdk bukan belum putus sedang masih kuliah kelas semester not no dropout drop dropped still".split(
    " ",
  ),
);

/** Real words one typo from a level word: a "dokter" is not a "doktor". */
const STOP = new Set(["dokter", "diplomat", "small", "mister", "doctor"]);

/**
 * The highest education level in a message: a number from
 * {@link EDUCATION_CHOICES} or words ("lulusan SMK", "D-3", "sarjana",
 * "Paket C", "high school"), typos tolerated ("sarjanaa", "magistr").
 * Several levels → the highest ("SMA lalu S1"). "tidak tamat SMA" → smp.
 * Null when unclear ("masih kuliah", "SMA atau SMK").
 */
export function parseEducation(text: string): EducationLevel | null {
  const n = parseSingleNumber(text, EDUCATION_CHOICES.length);
  if (n !== null) return EDUCATION_CHOICES[n - 1]!.level;
  const { values, unknown } = scanPhrases(normalize(text), LEXICON, { stop: STOP });
  if (values.length === 0 || unknown.some((w) => UNSURE.has(w))) return null;
  const top = Math.max(...values.map(educationRank));
  const highest = values.filter((v) => RANK[v] === top);
  if (highest.length === 1) return highest[0]!;
  // "D4/S1" is one choice on the list; "SMA atau SMK" is a real question.
  return highest.every((v) => v === "d4" || v === "s1") ? "s1" : null;
}
