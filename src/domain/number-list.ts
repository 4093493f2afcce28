import { squeeze } from "./fuzzy.ts";

/** Number words people type instead of digits, in both languages. */
const NUMBER_WORDS: Record<string, number> = {
  satu: 1,
  dua: 2,
  tiga: 3,
  empat: 4,
  lima: 5,
  enam: 6,
  tujuh: 7,
  delapan: 8,
  sembilan: 9,
  sepuluh: 10,
  sebelas: 11,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
};

/** Joining words: a list means all of them, "atau" included (multi-select answers). */
const SEPARATORS = new Set(["dan", "and", "serta", "atau", "or", "juga", "also"]);
const RANGE_WORDS = new Set(["sampai", "hingga", "sd", "to", "through", "thru", "until"]);
/** Words around the numbers that change nothing: "nomor 2", "no. 2", "saya pilih 3". */
const FILLERS = new Set([
  "nomor",
  "nomer",
  "nmr",
  "no",
  "number",
  "num",
  "angka",
  "pilih",
  "pilihan",
  "opsi",
  "option",
  "options",
  "choice",
  "choose",
  "pick",
  "saya",
  "aku",
  "i",
  "yang",
]);

type Token = number | "range";

function tokenize(text: string): Token[] | null {
  const spaced = text
    .normalize("NFKC")
    .toLowerCase()
    // "s/d", "s.d." (sampai dengan) and dashes between numbers are ranges.
    .replace(/(^|[\s\d])s\s*[./]\s*d\b\.?/gu, "$1 sampai ")
    .replace(/(\d)\s*[-–—~]\s*(?=\d)/gu, "$1 sampai ")
    // "no2", "1dan4": split digits from letters.
    .replace(/(\d)(?=\p{L})|(\p{L})(?=\d)/gu, "$1$2 ")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
  if (spaced === "") return null;
  const tokens: Token[] = [];
  for (const word of spaced.split(" ")) {
    if (/^[0-9]+$/.test(word)) tokens.push(Number(word));
    else if (NUMBER_WORDS[squeeze(word)] !== undefined) tokens.push(NUMBER_WORDS[squeeze(word)]!);
    else if (RANGE_WORDS.has(word)) tokens.push("range");
    else if (!SEPARATORS.has(word) && !FILLERS.has(word)) return null;
  }
  return tokens;
}

/**
 * The choices in a numbered answer, in the order given, without repeats:
 * "1 dan 4", "1,4", "1 & 4", "1-3", "nomor 2", "dua". Null when a number is
 * outside 1..max or other words remain ("saya 25 tahun"): those are not a list.
 */
export function parseNumberList(text: string, max: number): number[] | null {
  const tokens = tokenize(text);
  if (!tokens) return null;
  const result: number[] = [];
  const add = (n: number) => {
    if (!result.includes(n)) result.push(n);
  };
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token === "range") {
      const from = tokens[i - 1];
      const to = tokens[i + 1];
      if (typeof from !== "number" || typeof to !== "number") return null;
      if (from < 1 || to < 1 || from > max || to > max) return null;
      const step = from <= to ? 1 : -1;
      for (let n = from; n !== to + step; n += step) add(n);
      i++;
      continue;
    }
    if (token < 1 || token > max) return null;
    add(token);
  }
  return result.length > 0 ? result : null;
}

/** Exactly one number in 1..max ("3", "nomor 3", "tiga"), else null. */
export function parseSingleNumber(text: string, max: number): number | null {
  const list = parseNumberList(text, max);
  return list?.length === 1 ? list[0]! : null;
}
