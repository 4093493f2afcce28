import { normalize } from "./normalize.ts";
import { parseNumberList } from "./number-list.ts";
import { compileLexicon, type Phrases, scanPhrases, tableEntries } from "./phrases.ts";

export const COMMUNICATION_MODES = ["text", "voice", "sign_video", "companion"] as const;
export type CommunicationMode = (typeof COMMUNICATION_MODES)[number];

/** What people write for each mode, per language (a test compares them). */
export const COMMUNICATION_WORDS: Readonly<Record<CommunicationMode, Phrases>> = {
  text: {
    id: "tulisan, tertulis, teks, ketik, ketikan, mengetik, pesan teks, pesan tertulis, pesan tulisan",
    en: "text, texting, chat, chatting, text message, written, written messages, sms, typing",
  },
  voice: {
    id: "suara, pesan suara, rekaman suara, lisan, vn",
    en: "voice, voice note, voice notes, voice message, voice messages, audio, audio message",
  },
  sign_video: {
    id: "video bahasa isyarat, bahasa isyarat, bisindo, sibi, isyarat, video isyarat",
    en: "sign language, sign language video, sign, signing, video",
  },
  companion: {
    id:
      "pendamping, lewat pendamping, melalui pendamping, keluarga, dibantu, dibantu keluarga, " +
      "orang tua, ortu, wali",
    en: "companion, through a companion, family, caregiver, helper, guardian, support person",
  },
};

const LEXICON = compileLexicon<CommunicationMode>(tableEntries(COMMUNICATION_WORDS));

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
