import { closest } from "../domain/fuzzy.ts";

/** Words that work at every step, in Indonesian and English. */
export type GlobalWord =
  | "menu"
  | "repeat"
  | "back"
  | "help"
  | "person"
  | "stop"
  | "start"
  | "myData"
  | "deleteData"
  | "language"
  | "plain";

const WORDS: Record<GlobalWord, string[]> = {
  menu: ["menu", "menu utama", "main menu", "home"],
  repeat: ["ulang", "ulangi", "repeat", "again", "ulangi pesan"],
  back: ["kembali", "balik", "back", "sebelumnya", "previous"],
  help: ["bantuan", "bantu", "tolong", "help", "info bantuan"],
  // Not "admin" or "operator": they are jobs people name when asked what work they want.
  person: [
    "petugas",
    "staff",
    "manusia",
    "orang",
    "bicara dengan petugas",
    "bicara dengan orang",
    "hubungi petugas",
    "talk to a person",
    "human",
    "agent",
  ],
  stop: ["berhenti", "stop", "unsubscribe", "berhenti kirim pesan", "jangan kirim pesan"],
  start: ["mulai", "start", "mulai lagi", "subscribe", "resume"],
  myData: ["data saya", "my data", "lihat data", "data diri"],
  deleteData: ["hapus data", "hapus data saya", "delete data", "delete my data", "hapus akun"],
  language: ["bahasa", "language", "ganti bahasa", "change language"],
  plain: ["bahasa sederhana", "sederhana", "plain language", "plain", "simple", "bahasa mudah"],
};

const LOOKUP = new Map<string, GlobalWord>(
  Object.entries(WORDS).flatMap(([word, forms]) => forms.map((f) => [f, word as GlobalWord])),
);
// Six letters or more: shorter words are too close to real answers ("Batu" is a town, not "bantu").
const SINGLE_WORDS = [...LOOKUP.keys()].filter((f) => !f.includes(" ") && f.length >= 6);

/** English words that are also answers people give when asked for free text (jobs, skills). */
const AMBIGUOUS_IN_FREE_TEXT = new Set(["staff", "agent", "home", "human", "help"]);

/**
 * The global word a normalised message is, if any. The whole message must be
 * the word (a name or a skill that merely contains "menu" is not a command);
 * a single long word may have one typo ("bantuab", "kembli").
 */
export function globalWord(
  text: string,
  opts: { fuzzy: boolean; freeText?: boolean },
): GlobalWord | undefined {
  const bare = text.replace(/^\//, "");
  if (opts.freeText && AMBIGUOUS_IN_FREE_TEXT.has(bare)) return undefined;
  const exact = LOOKUP.get(bare);
  if (exact || !opts.fuzzy || text.includes(" ")) return exact;
  const near = closest(text, SINGLE_WORDS, { maxDistance: 1 });
  return near ? LOOKUP.get(near) : undefined;
}
