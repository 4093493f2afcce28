import { closest } from "./fuzzy.ts";
import { normalize } from "./normalize.ts";

/** Longest tag kept, in characters; longer ones are cut at a word boundary. */
export const TAG_MAX_LENGTH = 40;

/** Canonical Indonesian tag → the ways people write it (either language). */
const SYNONYMS: Record<string, string[]> = {
  komputer: ["computer", "computers", "komputer dasar", "basic computer"],
  mengetik: ["ketik", "ngetik", "typing", "mengetik cepat", "fast typing"],
  menjahit: ["jahit", "jahit menjahit", "sewing", "penjahit", "tailor", "tailoring"],
  memasak: ["masak", "cooking", "cook", "tata boga", "boga"],
  "desain grafis": ["desain grafis", "design grafis", "graphic design", "graphic designer"],
  akuntansi: ["accounting", "akunting", "pembukuan", "bookkeeping"],
  administrasi: ["admin", "administration", "administrasi perkantoran", "administrative"],
  pemasaran: ["marketing"],
  penjualan: ["sales", "jualan", "berjualan", "menjual", "selling", "dagang", "berdagang"],
  "bahasa inggris": ["english", "inggris", "b inggris", "bhs inggris", "english language"],
  pijat: ["massage", "pijit", "urut", "masase", "terapis pijat", "massage therapist"],
  kerajinan: ["craft", "crafts", "handicraft", "kerajinan tangan", "prakarya", "crafting"],
  "layanan pelanggan": [
    "customer service",
    "cs",
    "pelayanan pelanggan",
    "customer care",
    "call center",
  ],
  "entri data": ["data entry", "input data", "entry data", "entri data"],
  "microsoft office": [
    "ms office",
    "office",
    "excel",
    "word",
    "ms word",
    "ms excel",
    "microsoft word",
    "microsoft excel",
    "powerpoint",
    "power point",
    "ms powerpoint",
  ],
  pemrograman: ["programming", "coding", "koding", "ngoding", "programmer", "coder"],
  fotografi: ["photography", "foto", "photo", "memotret", "fotografer", "photographer"],
  musik: ["music", "bermain musik", "main musik", "musisi", "musician"],
  kebersihan: [
    "cleaning",
    "cleaning service",
    "bersih bersih",
    "membersihkan",
    "cleaner",
    "petugas kebersihan",
    "housekeeping",
  ],
  mengemudi: ["driving", "menyetir", "nyetir", "setir", "sopir", "supir", "driver"],
};

const CANONICAL = new Map<string, string>();
for (const [tag, variants] of Object.entries(SYNONYMS)) {
  for (const v of [tag, ...variants]) CANONICAL.set(normalize(v), tag);
}

/** The canonical tag of an exact synonym, or the normalised text: no typo guessing. */
export function exactTag(tag: string): string {
  const normal = normalize(tag);
  return CANONICAL.get(normal) ?? normal;
}

/**
 * One tag for the ways a skill is written, so "sewing", "jahit" and "menjahitt"
 * all match a vacancy asking for "menjahit". Unknown tags come back normalised.
 */
export function canonicalTag(tag: string): string {
  const normal = normalize(tag);
  const exact = CANONICAL.get(normal);
  if (exact) return exact;
  // Typos only on single words: a long phrase is a skill we do not know, not a slip.
  if (normal.includes(" ")) return normal;
  const near = closest(
    normal,
    [...CANONICAL.keys()].filter((k) => !k.includes(" ")),
  );
  return near ? CANONICAL.get(near)! : normal;
}

/** Leading words that introduce a skill rather than name it ("saya bisa menjahit"). */
const LEADING_FILLERS = new Set(
  (
    "saya aku sy bisa suka mampu dapat pandai jago ahli menguasai keahlian kemampuan " +
    "keterampilan skill skills hobi hobby pengalaman i can am good at like know how to " +
    "able sedikit juga"
  ).split(" "),
);
const TRAILING_FILLERS = new Set(["juga", "sedikit", "dikit", "also", "too", "saja", "aja"]);

function cleanTag(segment: string): string {
  const w = normalize(segment.replace(/^\s*(?:\d+[.)]|[-*•])\s+/u, "")).split(" ");
  while (w.length > 0 && LEADING_FILLERS.has(w[0]!)) w.shift();
  while (w.length > 0 && TRAILING_FILLERS.has(w[w.length - 1]!)) w.pop();
  let tag = w.join(" ");
  if (tag.length > TAG_MAX_LENGTH) {
    const cut = tag.slice(0, TAG_MAX_LENGTH + 1);
    tag = cut.includes(" ") ? cut.slice(0, cut.lastIndexOf(" ")) : cut.slice(0, TAG_MAX_LENGTH);
  }
  return tag;
}

/** Longest item kept as written, in characters (cut at a word boundary). */
export const WRITTEN_MAX_LENGTH = 60;

const SPLIT = /[,;\n\r&/+•|]|\s(?:dan|and|serta|atau|or)\s/iu;

/**
 * Skills or job types from free text: "menjahit, memasak dan komputer" →
 * ["menjahit", "memasak", "komputer"]. Splits on commas, semicolons, new lines,
 * "&", "/", "+", "dan", "and", "serta", "atau"; drops filler, single letters and
 * bare numbers; returns canonical tags, without repeats, at most `max`.
 */
export function parseTags(text: string, max = 15): string[] {
  return parseTagsAsWritten(text, max).tags;
}

/**
 * The tags (for matching: "Sewing" and "jahit" are both "menjahit") and the
 * items as the person wrote them (to show back: "Sewing", not "menjahit").
 */
export function parseTagsAsWritten(text: string, max = 15): { tags: string[]; written: string[] } {
  const tags: string[] = [];
  const written: string[] = [];
  for (const part of text.normalize("NFKC").split(SPLIT)) {
    const segment = cleanTag(part);
    if (Array.from(segment).length < 2 || /^\p{N}+$/u.test(segment)) continue;
    const tag = canonicalTag(segment);
    if (!tags.includes(tag)) tags.push(tag);
    const shown = asWritten(part);
    if (!written.some((w) => w.toLowerCase() === shown.toLowerCase())) written.push(shown);
    if (tags.length >= max || written.length >= max) break;
  }
  return { tags, written };
}

/** One item as typed: spaces tidied, a list marker ("1.", "-") left out, long ones cut. */
function asWritten(part: string): string {
  const text = part
    .replace(/^\s*(?:\d+[.)]|[-*•])\s+/u, "")
    .replace(/\s+/gu, " ")
    .trim();
  if (text.length <= WRITTEN_MAX_LENGTH) return text;
  const cut = text.slice(0, WRITTEN_MAX_LENGTH + 1);
  return cut.includes(" ") ? cut.slice(0, cut.lastIndexOf(" ")) : cut.slice(0, WRITTEN_MAX_LENGTH);
}
