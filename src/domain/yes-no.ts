import { normalize } from "./normalize.ts";
import {
  compileLexicon,
  type LexiconEntry,
  type Phrases,
  phraseEntries,
  scanPhrases,
  tableEntries,
} from "./phrases.ts";

export type YesNo = "yes" | "no";

/** Yes and no as people write them, per language (a test compares them). */
export const YES_NO_WORDS: Readonly<Record<YesNo, Phrases>> = {
  yes: {
    id:
      "ya, iya, iye, y, oke, okey, okeh, boleh, setuju, sip, siap, benar, bener, betul, mau, " +
      "bersedia, lanjut, lanjutkan, baik, baiklah, tentu, pasti, terima, yoi, tentu saja, " +
      "boleh saja",
    en:
      "yes, yup, yups, yep, yeah, yea, ok, okay, sure, agree, accept, continue, of course, " +
      "i agree, i do, go ahead, correct, right",
  },
  no: {
    id:
      "tidak, tdk, gak, ga, gk, nggak, ngga, nggk, enggak, engga, ndak, kagak, tak, jangan, " +
      "tolak, menolak, belum, belom, blm, ogah, batal, tidak jadi, ga jadi, gak jadi, nggak jadi",
    en: "no, n, nope, disagree, decline, refuse, not, do not, dont, don t, no thanks, no thank you",
  },
};

const YES_WORDS = phraseEntries("yes", YES_NO_WORDS.yes)
  .map(([w]) => w)
  .filter((w) => !w.includes(" "));

/** Negations that turn a following yes-word into a no: "tidak mau", "gak setuju", "not ok". */
const NEGATORS = ["tidak", "tdk", "gak", "ga", "gk", "nggak", "ngga", "enggak", "engga", "belum"];

const LEXICON = compileLexicon<YesNo>([
  ...tableEntries(YES_NO_WORDS),
  ...NEGATORS.flatMap((n) => YES_WORDS.map((w): LexiconEntry<YesNo> => [`${n} ${w}`, "no"])),
  // Thanks carry no answer; listed so "terima" (accept) inside them is not read as yes.
  ["terima kasih"],
  ["makasih"],
  ["thank you"],
  ["thanks"],
  ["trims"],
  ["thx"],
]);

/** Real words one typo away from an answer word: "besar" is not "benar". */
const STOP = new Set(["besar"]);

/** Politeness and chat particles that do not change the answer ("kasih": "tidak, terima kasih"). */
const FILLERS = new Set(
  (
    "saya aku sy kak kakak pak bu bang mas mbak min admin dong deh sih aja saja kok lah " +
    "sudah udah please pls i am im it is that yang itu nya kasih"
  ).split(" "),
);

/**
 * A yes/no answer in Indonesian or English, chat spellings and small typos
 * included ("iyaaa", "gak", "setujuu"); "1" is yes and "2" is no, matching the
 * numbered choices. Mixed ("ya tidak") or anything else → null: for consent we
 * would rather ask again than guess.
 */
export function parseYesNo(text: string): YesNo | null {
  const normal = normalize(text);
  if (normal === "1") return "yes";
  if (normal === "2") return "no";
  const { values, unknown } = scanPhrases(normal, LEXICON, {
    fillers: FILLERS,
    stop: STOP,
    // Short answer words sit one letter from ordinary words (baik/balik, siap/siapa).
    fuzzyFrom: 5,
  });
  if (unknown.length > 0 || values.length !== 1) return null;
  return values[0]!;
}
