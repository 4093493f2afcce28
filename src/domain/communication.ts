import { normalize } from "./normalize.ts";
import { parseNumberList } from "./number-list.ts";
import { compileLexicon, type LexiconEntry, scanPhrases } from "./phrases.ts";

export const COMMUNICATION_MODES = ["text", "voice", "sign_video", "companion"] as const;
export type CommunicationMode = (typeof COMMUNICATION_MODES)[number];

const phrases = (mode: CommunicationMode, list: string): LexiconEntry<CommunicationMode>[] =>
  list.split(",").map((p): LexiconEntry<CommunicationMode> => [p.trim(), mode]);

const LEXICON = compileLexicon<CommunicationMode>([
  ...phrases(
    "text",
    "tulisan, tertulis, teks, text, texting, chat, chatting, ketik, ketikan, mengetik, " +
      "pesan teks, pesan tertulis, text message, written, sms",
  ),
  ...phrases(
    "voice",
    "suara, voice note, voice notes, vn, pesan suara, voice, voice message, rekaman suara, " +
      "audio, lisan, audio message",
  ),
  ...phrases(
    "sign_video",
    "video bahasa isyarat, bahasa isyarat, bisindo, sibi, isyarat, sign language, " +
      "sign language video, sign, signing, video, video isyarat",
  ),
  ...phrases(
    "companion",
    "pendamping, lewat pendamping, melalui pendamping, keluarga, dibantu, dibantu keluarga, " +
      "orang tua, ortu, wali, companion, family, caregiver, helper, guardian, support person",
  ),
]);

const NEGATORS = new Set(
  "tidak tdk gak ga nggak enggak bukan jangan kecuali not no except".split(" "),
);

/**
 * How someone wants to receive messages: numbers/lists (1 text, 2 voice,
 * 3 sign-language video, 4 via a companion) or words ("vn", "bisindo",
 * "dibantu keluarga"). Other words are tolerated; a negation makes it null.
 */
export function parseCommunication(text: string): CommunicationMode[] | null {
  const numbers = parseNumberList(text, COMMUNICATION_MODES.length);
  if (numbers) return numbers.map((n) => COMMUNICATION_MODES[n - 1]!);
  const { values, unknown } = scanPhrases(normalize(text), LEXICON, {
    numbered: COMMUNICATION_MODES,
  });
  if (values.length === 0 || unknown.some((w) => NEGATORS.has(w) || /^\d+$/.test(w))) return null;
  return values;
}
