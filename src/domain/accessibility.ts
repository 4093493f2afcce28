/**
 * Accessibility checks for outgoing chat messages (DESIGN.md "Accessibility rules
 * for every message", DOMAIN.md "Writing messages people can use"). Pure: no I/O.
 */

export const RULES = [
  { rule: "empty", description: "The message is empty or only whitespace." },
  {
    rule: "too-long",
    description: "Over 1,000 characters (600 in plain language): too much to hear in one go.",
  },
  { rule: "emoji-only-line", description: "A line with only emoji or symbols and no words." },
  { rule: "too-many-emoji", description: "More than one emoji; screen readers read each name." },
  { rule: "emoji-not-at-line-end", description: "An emoji before the words of its line." },
  { rule: "chat-abbreviation", description: "A chat abbreviation such as yg, tdk or thx." },
  { rule: "choices-not-numbered", description: "A choice without its numbered line (1. 2. …)." },
  { rule: "plain-sentence-too-long", description: "Plain language: a sentence over 15 words." },
] as const;

export type Rule = (typeof RULES)[number]["rule"];

export interface Violation {
  rule: Rule;
  detail: string;
}

export interface CheckOptions {
  /** The plain-language variant: shorter limits and short sentences. Default `false`. */
  plain?: boolean;
  /** How many choices the message offers; each needs a "N. " line. Default `0`. */
  choices?: number;
  /** The number of the first choice (a list's later page goes on from 6). Default `1`. */
  firstChoice?: number;
}

export const MAX_CHARS = 1000;
export const MAX_CHARS_PLAIN = 600;
export const MAX_PLAIN_SENTENCE_WORDS = 15;

/**
 * Chat abbreviations (lower case) and the words to write instead ("_" is a space,
 * nothing means leave it out).
 * Deliberately left out, because they are real words or accepted short forms:
 * "info", "ok", "asap" in lower case (Indonesian for smoke), "hrs" (English hours),
 * "km" (kilometre), "hp" (handphone), "pt" (PT, company), "wa" (WhatsApp),
 * "dll"/"dsb"/"tsb"/"tgl"/"no." (standard written abbreviations), and informal
 * words that are not abbreviations ("gak", "nggak", "iya").
 */
export const CHAT_ABBREVIATIONS: Readonly<Record<string, string>> = Object.fromEntries(
  `yg:yang sy:saya tdk:tidak gk:tidak ga:tidak dgn:dengan dg:dengan utk:untuk krn:karena
  bgt:sekali gmn:bagaimana sdh:sudah udh:sudah blm:belum jd:jadi jg:juga aja:saja
  tp:tetapi dr:dari dlm:dalam sm:sama/dengan kalo:kalau trs:terus bs:bisa org:orang
  hr:hari sdg:sedang bkn:bukan brp:berapa dpt:dapat msh:masih sbg:sebagai spt:seperti
  bbrp:beberapa lg:lagi pls:please plz:please thx:thank_you ty:thank_you u:you ur:your
  r:are btw:by_the_way asap:as_soon_as_possible lol: omg: idk:I_don't_know
  dm:message`
    .trim()
    .split(/\s+/)
    .map((pair) => {
      const [abbr = "", full = ""] = pair.split(":");
      return [abbr, full.replaceAll("_", " ")];
    }),
);

/** Real acronyms when written in capitals: HR, GA (General Affairs), BKN, SPT, LG. */
const CAPITALS_ARE_FINE = new Set(["hr", "ga", "bkn", "spt", "lg"]);
/** Only a chat abbreviation in capitals; "asap" is an Indonesian word. */
const ONLY_IN_CAPITALS = new Set(["asap"]);
/** Followed by a dot these are titles or initials: "dr. Siti", "R.A. Kartini". */
const DOT_IS_FINE = new Set(["dr", "u", "r"]);

const PLACEHOLDER = /\{\{[^}]*\}\}/g;
// Links, e-mail addresses and bare domains ("kemnaker.go.id/lowongan").
const LINK =
  /\b(?:https?:\/\/|www\.)\S+|\S+@\S+\.\S+|\b[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.[a-z]{2,}\b(?:\/\S*)?/gu;
// Letters joined by "-" or "&" are one word: "R&D", "e-KTP".
const WORD_CHAR = String.raw`[\p{L}\p{N}_&-]`;
const ABBREVIATION = new RegExp(
  `(?<!${WORD_CHAR})(?:${Object.keys(CHAT_ABBREVIATIONS).join("|")})(?!${WORD_CHAR})`,
  "giu",
);

// One emoji = one cluster: a flag (two regional indicators), a keycap, or a
// pictograph with its variation selectors, skin tones, tags and ZWJ joins.
const PART = String.raw`(?:\p{Extended_Pictographic}|\p{Emoji_Modifier}|\p{Regional_Indicator})`;
const TRAIL = String.raw`[\uFE0E\uFE0F\p{Emoji_Modifier}\u{E0020}-\u{E007F}]*`;
const EMOJI_SOURCE = String.raw`\p{Regional_Indicator}{2}|[#*0-9]\uFE0F?\u20E3|${PART}${TRAIL}(?:\u200D${PART}${TRAIL})*`;
const emojiRegex = () => new RegExp(EMOJI_SOURCE, "gu");

const HAS_TEXT = /[\p{L}\p{N}]/u;

/** Number of emoji in `text`; a ZWJ family, a flag or a skin-toned emoji counts once. */
export function countEmoji(text: string): number {
  return text.match(emojiRegex())?.length ?? 0;
}

/** Every accessibility rule `text` breaks, in the order of {@link RULES}. */
export function checkMessage(text: string, opts: CheckOptions = {}): Violation[] {
  if (text.trim() === "") return [{ rule: "empty", detail: "The message has no text." }];
  const plain = opts.plain ?? false;
  const lines = text.split(/\r?\n/);
  return [
    ...checkLength(text, plain),
    ...checkEmoji(text, lines),
    ...checkAbbreviations(text),
    ...checkChoices(lines, opts.choices ?? 0, opts.firstChoice ?? 1),
    ...(plain ? checkSentences(lines) : []),
  ];
}

function checkLength(text: string, plain: boolean): Violation[] {
  const max = plain ? MAX_CHARS_PLAIN : MAX_CHARS;
  const length = [...text].length;
  if (length <= max) return [];
  const detail = `${length} characters; keep ${plain ? "plain-language " : ""}messages to ${max}.`;
  return [{ rule: "too-long", detail }];
}

function checkEmoji(text: string, lines: string[]): Violation[] {
  const found: Violation[] = [];
  lines.forEach((line, i) => {
    if (line.trim() !== "" && !hasText(line)) {
      found.push({ rule: "emoji-only-line", detail: `Line ${i + 1} has no words: "${line}".` });
    }
  });
  const count = countEmoji(text);
  if (count > 1) {
    found.push({ rule: "too-many-emoji", detail: `${count} emoji; use at most one.` });
  }
  lines.forEach((line, i) => {
    for (const match of line.matchAll(emojiRegex())) {
      if (hasText(line.slice(match.index + match[0].length))) {
        const detail = `Line ${i + 1}: move ${match[0]} to the end of the line.`;
        found.push({ rule: "emoji-not-at-line-end", detail });
      }
    }
  });
  return found;
}

/** Words, numbers or a placeholder once emoji are taken out. */
function hasText(line: string): boolean {
  return HAS_TEXT.test(line.replace(emojiRegex(), ""));
}

function checkAbbreviations(text: string): Violation[] {
  const blank = (part: string) => " ".repeat(part.length);
  const masked = text.replace(PLACEHOLDER, blank).replace(LINK, blank);
  const found: Violation[] = [];
  for (const match of masked.matchAll(ABBREVIATION)) {
    const word = match[0];
    const lower = word.toLowerCase();
    const capitals = word === word.toUpperCase();
    if (capitals && CAPITALS_ARE_FINE.has(lower)) continue;
    if (!capitals && ONLY_IN_CAPITALS.has(lower)) continue;
    if (DOT_IS_FINE.has(lower) && masked[match.index + word.length] === ".") continue;
    const line = masked.slice(0, match.index).split("\n").length;
    const full = CHAT_ABBREVIATIONS[lower];
    const fix = full ? `write "${full}" instead of "${word}"` : `leave out "${word}"`;
    const detail = `Line ${line}: ${fix}.`;
    found.push({ rule: "chat-abbreviation", detail });
  }
  return found;
}

function checkChoices(lines: string[], choices: number, first: number): Violation[] {
  const missing: string[] = [];
  for (let n = first; n < first + choices; n++) {
    if (!lines.some((line) => new RegExp(`^[ \\t]*${n}\\. +\\S`).test(line))) missing.push(`${n}.`);
  }
  if (missing.length === 0) return [];
  const detail = `Missing numbered line(s) ${missing.join(", ")} at the start of a line.`;
  return [{ rule: "choices-not-numbered", detail }];
}

function checkSentences(lines: string[]): Violation[] {
  const found: Violation[] = [];
  lines.forEach((line, i) => {
    // A numbered choice line is its own sentence; its number is not a word.
    const body = line.replace(PLACEHOLDER, "X").replace(/^[ \t]*\d+\.[ \t]+/, "");
    // Split only where the mark ends a sentence, so "4.500.000", "08:00" and links stay whole.
    for (const sentence of body.split(/[.!?:]+(?=\s|$)/)) {
      const words = sentence.split(/\s+/).filter((word) => HAS_TEXT.test(word));
      if (words.length > MAX_PLAIN_SENTENCE_WORDS) {
        const start = words.slice(0, 5).join(" ");
        const detail = `Line ${i + 1}: ${words.length} words in "${start} …"; split it.`;
        found.push({ rule: "plain-sentence-too-long", detail });
      }
    }
  });
  return found;
}
