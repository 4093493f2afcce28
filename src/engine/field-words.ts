/**
 * The profile fields by the names people give them ("nama", "kota",
 * "pendidikan", "phone number"): where the numbered fields are shown (the
 * summary, "which one to change"), a field's name means that line, like its number.
 */
import { normalize } from "../domain/normalize.ts";
import { compileLexicon, type LexiconEntry, scanPhrases } from "../domain/phrases.ts";
import type { ProfileField } from "./prompts.ts";

const NAMES: Record<ProfileField, string> = {
  name: "nama, nama lengkap, nama saya, name, full name, my name",
  city: "kota, kabupaten, kota atau kabupaten, tempat tinggal, domisili, city, regency, where i live, place",
  categories:
    "ragam disabilitas, disabilitas, ragam, jenis disabilitas, disability, disabilities, disability type",
  education: "pendidikan, pendidikan terakhir, sekolah, education, school",
  skills: "keahlian, keterampilan, skill, skills",
  experience: "pengalaman, pengalaman kerja, experience, work experience",
  jobTypes:
    "pekerjaan yang dicari, pekerjaan dicari, jenis pekerjaan, jobs wanted, job types, wanted jobs",
  workModes: "cara kerja, mode kerja, tempat bekerja, work mode, work modes, way of working",
  accommodations:
    "akomodasi, kebutuhan akomodasi, kebutuhan, accommodation, accommodations, needs, support",
  communication: "komunikasi, cara berkomunikasi, cara komunikasi, communication",
  phone:
    "nomor hp, hp, no hp, nomor telepon, telepon, nomor handphone, handphone, phone, phone number",
};

const LEXICON = compileLexicon<ProfileField>(
  Object.entries(NAMES).flatMap(([field, names]) =>
    names.split(",").map((n): LexiconEntry<ProfileField> => [n.trim(), field as ProfileField]),
  ),
);

/** The one field a message names (whole message, small typos allowed), else undefined. */
export function fieldNamed(text: string): ProfileField | undefined {
  const { values, unknown } = scanPhrases(normalize(text), LEXICON, { fuzzyFrom: 5 });
  return unknown.length === 0 && values.length === 1 ? values[0] : undefined;
}
