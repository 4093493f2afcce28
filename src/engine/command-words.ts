/**
 * The words people type to tell the service what to do, in Indonesian and
 * English side by side, one place for all of them: global words, menu words,
 * the words around a list, a vacancy, a training, a reminder and the
 * registration. A test reads each back and checks that neither language lags
 * (test/engine/lexicon-parity.test.ts). The answers to questions (education,
 * disability, work mode, ...) have their own lexicons in domain/.
 */
import { normalize } from "../domain/normalize.ts";
import type { Phrases } from "../domain/phrases.ts";

/** The phrases of one comma-separated list, normalised as messages are. */
const phraseList = (list: string): string[] =>
  list
    .split(",")
    .map((w) => normalize(w))
    .filter((w) => w !== "");

/** Every phrase of both languages, normalised as messages are. */
export function phrases(p: Phrases): string[] {
  return [p.id, p.en].flatMap(phraseList);
}

/** A set of the phrases of both languages. */
export const phraseSet = (p: Phrases): ReadonlySet<string> => new Set(phrases(p));

/** Words that work at every step. */
export const GLOBAL_WORDS = {
  menu: { id: "menu, menu utama", en: "main menu, home" },
  repeat: { id: "ulang, ulangi, ulangi pesan", en: "repeat, again, say again" },
  back: { id: "kembali, balik, sebelumnya", en: "back, previous, go back" },
  help: { id: "bantuan, bantu, tolong, info bantuan", en: "help" },
  // Not "admin" or "operator": they are jobs people name when asked what work they want.
  person: {
    id: "petugas, manusia, orang, bicara dengan petugas, bicara dengan orang, hubungi petugas",
    en: "staff, talk to a person, talk to staff, human, agent",
  },
  stop: {
    id: "berhenti, berhenti kirim pesan, jangan kirim pesan",
    en: "stop, unsubscribe, stop messages",
  },
  start: { id: "mulai, mulai lagi", en: "start, subscribe, resume" },
  myData: { id: "data saya, lihat data, data diri", en: "my data, see my data" },
  deleteData: {
    id: "hapus data, hapus data saya, hapus akun",
    en: "delete data, delete my data, delete account",
  },
  language: { id: "bahasa, ganti bahasa", en: "language, change language" },
  plain: {
    id: "bahasa sederhana, sederhana, bahasa mudah",
    en: "plain language, plain, simple, easy language",
  },
} as const satisfies Record<string, Phrases>;

/** Menu items named by a word, common abbreviations too (one slip forgiven). */
export const MENU_WORDS = {
  vacancies: {
    id: "lowongan, lowongan kerja, loker, lowker, info loker, info lowongan, kerja",
    en: "vacancies, vacancy, job vacancies, jobs, job",
  },
  trainings: {
    id: "pelatihan, pelatihan kerja, latihan, kursus",
    en: "training, trainings, course, courses",
  },
  register: { id: "daftar, registrasi, pendaftaran", en: "register, registration, sign up" },
} as const satisfies Record<string, Phrases>;

/** Under "my data": change or delete. */
export const MY_DATA_WORDS = {
  edit: { id: "ubah, ubah data, ganti", en: "edit, change, change data" },
  delete: { id: "hapus", en: "delete" },
} as const satisfies Record<string, Phrases>;

/** Under a list: the next page. */
export const MORE_WORDS: Phrases = {
  id: "lagi, lanjut, berikutnya, selanjutnya, halaman berikutnya",
  en: "more, next, next page",
};

/** The words before a vacancy's number ("minat 12"), and on its details. */
export const VACANCY_WORDS = {
  apply: {
    id: "minat, berminat, saya berminat, lamar",
    en: "interested, i am interested, apply",
  },
  withdraw: {
    id: "batal, batal minat, batalkan, batalkan minat, tidak jadi",
    en: "withdraw, cancel, not interested",
  },
  show: { id: "lowongan, loker, lowker, lihat, detail", en: "vacancy, job, details, show" },
  list: { id: "daftar, kembali ke daftar", en: "list, back to list, back to the list" },
} as const satisfies Record<string, Phrases>;

/** The words before a training's number ("pelatihan 4"), and on its details and reminders. */
export const TRAINING_WORDS = {
  training: { id: "pelatihan, latihan, kursus", en: "training, course" },
  enrol: { id: "daftar, ikut, saya ikut", en: "enrol, enroll, join, sign up" },
  unenrol: { id: "batal, batalkan, keluar, tidak jadi", en: "cancel, withdraw, leave" },
  list: { id: "daftar pelatihan, kembali ke daftar", en: "list, back to list, back to the list" },
  attending: { id: "hadir, saya hadir, datang, bisa", en: "attending, i will come, i will attend" },
  absent: {
    id: "berhalangan, tidak hadir, tidak bisa hadir, tidak bisa",
    en: "absent, cannot come, can not come, i cannot come",
  },
} as const satisfies Record<string, Phrases>;

/** Answers to the registration that are words, not data. */
export const REGISTRATION_WORDS = {
  /** A question that may be left out ("lewati"). */
  skip: {
    id: "lewati, lewat, tidak ada, belum ada, gak ada, nggak ada, ga ada, tidak, belum",
    en: "skip, none, nothing, no, not yet",
  },
  /** Any kind of work. */
  anyJob: { id: "apa saja, semua, bebas", en: "any, anything, any job" },
  /** At the summary: save. */
  save: { id: "simpan, benar, sudah benar", en: "save, correct, all correct" },
  /** "2. Mulai dari awal" when asked whether to continue. */
  restart: {
    id: "mulai, mulai lagi, mulai dari awal, dari awal, ulang dari awal",
    en: "start, start again, start over, restart, start from the beginning",
  },
} as const satisfies Record<string, Phrases>;

/** The first message: a greeting tells which language to greet in. */
export const GREETING_WORDS = {
  id: "halo, hai, helo, selamat pagi, selamat siang, selamat sore, selamat malam, permisi, assalamualaikum, pagi, siang, sore, malam",
  en: "hi, hello, hey, hiya, good morning, good afternoon, good evening, good day, hi there, hello there, greetings, morning, evening",
} as const satisfies Phrases;

const GREETINGS: readonly [string, "id" | "en"][] = [
  ...phraseList(GREETING_WORDS.id).map((w): [string, "id"] => [w, "id"]),
  ...phraseList(GREETING_WORDS.en).map((w): [string, "en"] => [w, "en"]),
].sort((a, b) => b[0].length - a[0].length);

/** The language of the greeting a message starts with ("hello, I need a job": English). */
export function greetingLanguage(text: string): "id" | "en" | undefined {
  const normal = normalize(text);
  return GREETINGS.find(([g]) => normal === g || normal.startsWith(`${g} `))?.[1];
}
