/**
 * Reading the name of a regency or city as people type it: with or without
 * "Kota"/"Kabupaten"/"Kab.", common names ("solo", "jogja", "tangsel"),
 * typos ("surabya"), written together or apart ("gunung kidul"), with the
 * province after it ("Malang, Jawa Timur"). A name that is both a kota and a
 * kabupaten (Bandung, Bogor, Malang, …) gives the choices to ask about.
 */
import { type City, PROVINCES, type Province, REGENCIES, type RegencyKind } from "./cities.ts";
import { prepareWord, type Word, wordCost } from "./fuzzy.ts";
import { normalize } from "./normalize.ts";
import { parseSingleNumber } from "./number-list.ts";
import { compileLexicon, scanPhrases } from "./phrases.ts";

/** One place; several to choose from (kota first); or a province, to ask which place in it. */
export type CityMatch = { code: string } | { choices: string[] } | { province: string };

/** At most this many choices are offered; more means the name says too little. */
const MAX_CHOICES = 6;

const spaced = (c: City) => normalize(c.name.replace(/^(Kota|Kabupaten) /, ""));
const joined = (text: string) => text.replace(/ /g, "");

/** Common names, old names and abbreviations people use (joined spelling → codes). */
const ALIASES: Record<string, string[]> = {
  solo: ["3372"],
  jogja: ["3471"],
  jogjakarta: ["3471"],
  yogya: ["3471"],
  jogya: ["3471"],
  djogja: ["3471"],
  djokja: ["3471"],
  ujungpandang: ["7371"],
  jakpus: ["3173"],
  jakut: ["3175"],
  jakbar: ["3174"],
  jaksel: ["3171"],
  jaktim: ["3172"],
  centraljakarta: ["3173"],
  northjakarta: ["3175"],
  westjakarta: ["3174"],
  southjakarta: ["3171"],
  eastjakarta: ["3172"],
  jakarta: ["3173", "3171", "3172", "3174", "3175"],
  tangsel: ["3674"],
  southtangerang: ["3674"],
};

const NAMES = new Map<string, string[]>();
for (const city of REGENCIES) {
  const key = joined(spaced(city));
  NAMES.set(key, [...(NAMES.get(key) ?? []), city.code]);
}
for (const [alias, codes] of Object.entries(ALIASES)) NAMES.set(alias, codes);
const NAME_WORDS: [Word, string][] = [...NAMES.keys()].map((k) => [prepareWord(k), k]);
const BY_CODE = new Map(REGENCIES.map((c) => [c.code, c]));
const SPACED = REGENCIES.map((c) => [spaced(c), c] as const);

const PROVINCE_ALIASES: Record<string, string> = {
  sumut: "12",
  sumbar: "13",
  sumsel: "16",
  babel: "19",
  kepri: "21",
  dki: "31",
  jabar: "32",
  jateng: "33",
  diy: "34",
  daerahistimewayogyakarta: "34",
  jatim: "35",
  ntb: "52",
  ntt: "53",
  kalbar: "61",
  kalteng: "62",
  kalsel: "63",
  kaltim: "64",
  kaltara: "65",
  sulut: "71",
  sulteng: "72",
  sulsel: "73",
  sultra: "74",
  sulbar: "76",
  malut: "82",
};
const PROVINCE_NAMES = new Map<string, string>([
  ...PROVINCES.map((p): [string, string] => [joined(normalize(p.name)), p.code]),
  ...Object.entries(PROVINCE_ALIASES),
]);
const PROVINCE_WORDS: [Word, string][] = [...PROVINCE_NAMES.keys()].map((k) => [prepareWord(k), k]);

const LEADING = new Set(
  "saya aku sy gue gw tinggal di dari domisili berdomisili asal sekarang kak kakak i live in from im am at the my".split(
    " ",
  ),
);
const TRAILING = new Set("sekarang kak ya saja aja sih".split(" "));
const KOTA_WORDS = new Set(["kota", "kotamadya", "kodya", "city"]);
const KABUPATEN_WORDS = new Set(["kabupaten", "kab", "kabupatan", "kabupten", "regency"]);

/**
 * The regency or city a message names, the choices when the name fits
 * several, the province when only a province is named; null when nothing fits.
 */
export function resolveCity(text: string): CityMatch | null {
  let words = normalize(text).split(" ").filter(Boolean);
  while (words.length > 0 && LEADING.has(words[0]!)) words = words.slice(1);
  while (words.length > 0 && TRAILING.has(words.at(-1)!)) words = words.slice(0, -1);
  // "Kota Baru", "Kota Mobagu": names that begin with the word kota.
  const whole = words.length > 1 ? named(joined(words.join(" "))) : undefined;
  if (whole) return whole;
  let kind: RegencyKind | undefined;
  const first = words[0];
  if (first && (KOTA_WORDS.has(first) || KABUPATEN_WORDS.has(first))) {
    kind = KOTA_WORDS.has(first) ? "kota" : "kabupaten";
    words = words.slice(words[1] === "of" ? 2 : 1);
  }
  const last = words.at(-1);
  if (last === "city" || last === "regency") {
    kind = last === "city" ? "kota" : "kabupaten";
    words = words.slice(0, -1);
  }
  if (words.length === 0 || words.some((w) => /^\d+$/.test(w))) return null;

  // The whole name first, then a name followed by its province ("malang jawa timur").
  const splits = provinceSplits(words);
  const exact =
    named(joined(words.join(" ")), kind) ??
    splits.map((s) => named(joined(s.name.join(" ")), kind, s.province)).find(Boolean);
  if (exact) return exact;
  const province = provinceOf(words, false);
  if (province) return { province: province.code };
  const near =
    startingWith(words.join(" "), kind) ??
    nearest(words, kind) ??
    splits.map((s) => nearest(s.name, kind, s.province)).find(Boolean);
  if (near) return near;
  const misspelt = provinceOf(words, true);
  return misspelt ? { province: misspelt.code } : null;
}

/** Codes of one name key, narrowed by kind and province, with longer names that start with it. */
function named(key: string, kind?: RegencyKind, province?: string): CityMatch | undefined {
  let codes = NAMES.get(key);
  if (!codes) return undefined;
  if (province) codes = codes.filter((c) => BY_CODE.get(c)!.provinceCode === province);
  if (codes.length === 0) return undefined;
  // "Kota Gowa": people say kota loosely; a kind that fits none is ignored.
  const ofKind = kind ? codes.filter((c) => BY_CODE.get(c)!.kind === kind) : codes;
  if (ofKind.length > 0) codes = ofKind;
  if (codes.length === 1) return { code: codes[0]! };
  // "Bandung": Kota Bandung, Kabupaten Bandung, and Kabupaten Bandung Barat too.
  const longer = kind
    ? []
    : SPACED.filter(
        ([name, c]) =>
          joined(name) !== key &&
          name.startsWith(`${spacedOf(codes[0]!)} `) &&
          (!province || c.provinceCode === province),
      ).map(([, c]) => c.code);
  return { choices: ordered([...codes, ...longer]).slice(0, MAX_CHOICES) };
}

const spacedOf = (code: string) => spaced(BY_CODE.get(code)!);

/** Kota before kabupaten of the same name, otherwise as given. */
function ordered(codes: string[]): string[] {
  const unique = [...new Set(codes)];
  const rank = (c: string) => (BY_CODE.get(c)!.kind === "kota" ? 0 : 1);
  return unique.sort((a, b) => {
    const sameName = spacedOf(a) === spacedOf(b);
    return sameName ? rank(a) - rank(b) : unique.indexOf(a) - unique.indexOf(b);
  });
}

/** "Sumba": the places whose name starts with these words (Sumba Barat, Sumba Timur, …). */
function startingWith(text: string, kind?: RegencyKind): CityMatch | undefined {
  const codes = SPACED.filter(
    ([name, c]) => name.startsWith(`${text} `) && (!kind || c.kind === kind),
  ).map(([, c]) => c.code);
  if (codes.length === 0 || codes.length > MAX_CHOICES) return undefined;
  return codes.length === 1 ? { code: codes[0]! } : { choices: codes };
}

/** The closest names within the typo allowance of their length ("surabya", "plembang"). */
function nearest(words: string[], kind?: RegencyKind, province?: string): CityMatch | undefined {
  const typed = prepareWord(joined(words.join(" ")));
  let best = Number.POSITIVE_INFINITY;
  let keys: string[] = [];
  for (const [word, key] of NAME_WORDS) {
    const d = wordCost(typed, word, 4, 2);
    if (d < best) [best, keys] = [d, [key]];
    else if (d === best && d !== Number.POSITIVE_INFINITY) keys.push(key);
  }
  if (keys.length === 0) return undefined;
  if (keys.length === 1) return named(keys[0]!, kind, province);
  const codes = [...new Set(keys.flatMap((k) => NAMES.get(k)!))];
  const inProvince = province
    ? codes.filter((c) => BY_CODE.get(c)!.provinceCode === province)
    : codes;
  if (inProvince.length === 0 || inProvince.length > MAX_CHOICES) return undefined;
  return inProvince.length === 1 ? { code: inProvince[0]! } : { choices: ordered(inProvince) };
}

/** Ways to read the last words as a province: "surabaya jawa timur" → surabaya + 35. */
function provinceSplits(words: string[]): { name: string[]; province: string }[] {
  const splits: { name: string[]; province: string }[] = [];
  for (let n = 1; n <= Math.min(4, words.length - 1); n++) {
    const province = provinceOf(words.slice(-n));
    if (province) splits.push({ name: words.slice(0, -n), province: province.code });
  }
  return splits;
}

/** A province named by these words; with `typos`, one or two slips in a long name too. */
function provinceOf(words: string[], typos = true): Province | undefined {
  const key = joined(words.join(" "));
  const exact = PROVINCE_NAMES.get(key);
  if (exact) return PROVINCES.find((p) => p.code === exact);
  if (!typos || key.length < 7) return undefined; // "bali" and "riau" only as written
  const typed = prepareWord(key);
  const near = PROVINCE_WORDS.filter(([word]) => wordCost(typed, word, 7, 2) <= 2);
  const codes = new Set(near.map(([, k]) => PROVINCE_NAMES.get(k)));
  return codes.size === 1 ? PROVINCES.find((p) => p.code === [...codes][0]) : undefined;
}

/**
 * A place as staff name it (broadcast segments): one place, or among several
 * of that name the one with a job center ("Bandung" is Kota Bandung); else null.
 */
export function parseCity(text: string): { code: string } | null {
  const match = resolveCity(text);
  if (!match || "province" in match) return null;
  if ("code" in match) return match;
  // The kota and kabupaten of the typed name only: "Tangerang" is not Tangerang Selatan.
  const name = spacedOf(match.choices[0]!);
  const centers = match.choices.filter((c) => spacedOf(c) === name && BY_CODE.get(c)!.jobCenter);
  return centers.length === 1 ? { code: centers[0]! } : null;
}

const KIND = compileLexicon<RegencyKind>([
  ["kota", "kota"],
  ["kotamadya", "kota"],
  ["kota madya", "kota"],
  ["kodya", "kota"],
  ["city", "kota"],
  ["kabupaten", "kabupaten"],
  ["kab", "kabupaten"],
  ["regency", "kabupaten"],
]);

/** "Kota or Kabupaten?": 1/kota/city or 2/kabupaten/kab/regency; place names may follow. */
export function parseRegencyKind(text: string): RegencyKind | null {
  const n = parseSingleNumber(text, 2);
  if (n !== null) return n === 1 ? "kota" : "kabupaten";
  const { values, unknown } = scanPhrases(normalize(text), KIND);
  if (values.length !== 1 || unknown.some((w) => /^(bukan|tidak|not)$/.test(w))) return null;
  return values[0]!;
}
