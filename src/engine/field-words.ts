/**
 * The profile fields by the names people give them ("nama", "kota",
 * "pendidikan", "phone number"): where the numbered fields are shown (the
 * summary, "which one to change"), a field's name means that line, like its number.
 */
import { normalize } from "../domain/normalize.ts";
import { parseNumberList } from "../domain/number-list.ts";
import { compileLexicon, type Phrases, scanPhrases, tableEntries } from "../domain/phrases.ts";
import { PROFILE_FIELDS, type ProfileField } from "./prompts.ts";

/** Each field's names per language (a test compares them). */
export const FIELD_NAMES: Readonly<Record<ProfileField, Phrases>> = {
  name: { id: "nama, nama lengkap, nama saya", en: "name, full name, my name" },
  city: {
    id: "kota, kabupaten, kota atau kabupaten, tempat tinggal, domisili",
    en: "city, regency, where i live, place, where you live",
  },
  categories: {
    id: "ragam disabilitas, disabilitas, ragam, jenis disabilitas",
    en: "disability, disabilities, disability type",
  },
  education: {
    id: "pendidikan, pendidikan terakhir, sekolah",
    en: "education, school, highest education",
  },
  skills: { id: "keahlian, keterampilan", en: "skill, skills" },
  experience: { id: "pengalaman, pengalaman kerja", en: "experience, work experience" },
  jobTypes: {
    id: "pekerjaan yang dicari, pekerjaan dicari, jenis pekerjaan",
    en: "jobs wanted, job types, wanted jobs",
  },
  workModes: {
    id: "cara kerja, mode kerja, tempat bekerja",
    en: "work mode, work modes, way of working",
  },
  accommodations: {
    id: "akomodasi, kebutuhan akomodasi, kebutuhan",
    en: "accommodation, accommodations, needs, support, accommodation needs",
  },
  communication: {
    id: "komunikasi, cara berkomunikasi, cara komunikasi",
    en: "communication, how to communicate",
  },
  phone: {
    id: "nomor hp, hp, no hp, nomor telepon, telepon, nomor handphone, handphone",
    en: "phone, phone number, mobile number, mobile",
  },
};

const LEXICON = compileLexicon<ProfileField>(tableEntries(FIELD_NAMES));

/** The one field a message names (whole message, small typos allowed), else undefined. */
export function fieldNamed(text: string): ProfileField | undefined {
  const { values, unknown } = scanPhrases(normalize(text), LEXICON, { fuzzyFrom: 5 });
  return unknown.length === 0 && values.length === 1 ? values[0] : undefined;
}

/** Words that say "change": Indonesian and English, with the polite and "I want to" forms. */
const CHANGE_VERBS = [
  "ubah",
  "ganti",
  "ubah data",
  "ganti data",
  "perbaiki",
  "betulkan",
  "koreksi",
  "edit",
  "tolong ubah",
  "tolong ganti",
  "mau ubah",
  "mau ganti",
  "saya mau ubah",
  "saya mau ganti",
  "saya ingin mengubah",
  "change",
  "update",
  "correct",
  "fix",
  "set",
  "please change",
  "i want to change",
].map((v) => v.split(" "));
/** Before or after the field's name: "my city", "pendidikan saya". */
const OWNERS = new Set(["my", "the", "saya", "aku", "sy"]);
/** Between the field and the new value: "ke Bogor", "jadi S1", "to Bogor", "is Siti". */
const SEPARATORS = new Set(["ke", "jadi", "menjadi", "to", "into", "is", "adalah", "yaitu", "now"]);
/** Longest field name, in words ("pekerjaan yang dicari"). */
const LONGEST_NAME = 4;

/** A change a person asked for in words: the field, and its new value when they gave one. */
export interface FieldChange {
  field: ProfileField;
  /** The new value as they wrote it (case kept: it may be a name). */
  value?: string;
}

/**
 * "ubah nama", "ganti kota ke Bogor", "pendidikan saya S1", "change my city to
 * Bogor", "my name is Siti Rahma": the field named (small typos allowed) and
 * what follows as its new value. Something must say it is a change: a verb
 * ("ubah", "change"), an owner ("saya", "my") or a joining word ("ke", "to",
 * "is"); with `loose` (where the fields are on the screen) a field's name and
 * a value are enough ("kota Bogor").
 */
export function fieldChange(raw: string, opts: { loose?: boolean } = {}): FieldChange | undefined {
  const tokens = raw
    .trim()
    .split(/\s+/u)
    .filter((t) => normalize(t) !== "");
  const norm = tokens.map((t) => normalize(t));
  let at = 0;
  let marked = false;
  const verb = CHANGE_VERBS.filter((v) => v.every((w, k) => norm[k] === w)).sort(
    (a, b) => b.length - a.length,
  )[0];
  if (verb) {
    at = verb.length;
    marked = true;
  }
  if (OWNERS.has(norm[at] ?? "")) {
    at += 1;
    marked = true;
  }
  let field: ProfileField | undefined;
  for (let n = Math.min(LONGEST_NAME, norm.length - at); n >= 1 && !field; n--) {
    const name = norm.slice(at, at + n);
    field = fieldNamed(name.join(" "));
    if (!field) continue;
    // "nama saya", "my name" (names with an owner in them), "nama:" (a colon after it).
    if (name.some((w) => OWNERS.has(w)) || /[:=]$/u.test(tokens[at + n - 1]!)) marked = true;
    at += n;
  }
  if (!field) return undefined;
  if (OWNERS.has(norm[at] ?? "")) {
    at += 1;
    marked = true;
  }
  while (SEPARATORS.has(norm[at] ?? "")) {
    at += 1;
    marked = true;
  }
  const value = tokens
    .slice(at)
    .join(" ")
    .replace(/^[\s:=,.-]+/u, "")
    .trim();
  if (value === "") return verb ? { field } : undefined;
  return marked || opts.loose ? { field, value } : undefined;
}

/**
 * A line of the profile's numbered list (the summary, "which field to change"):
 * a single line number, or a field's name. `numbered` says the answer was
 * numbers (then never a word, a yes or a change in words).
 */
export function pickedField(text: string): { field?: ProfileField; numbered: boolean } {
  const numbers = parseNumberList(text, PROFILE_FIELDS.length);
  if (!numbers) {
    const field = fieldNamed(text);
    return field ? { field, numbered: false } : { numbered: false };
  }
  const field = numbers.length === 1 ? PROFILE_FIELDS[numbers[0]! - 1] : undefined;
  return field ? { field, numbered: true } : { numbered: true };
}
