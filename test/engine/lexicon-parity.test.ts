/**
 * English parity (issue 16): every lexicon has its words in both languages,
 * side by side, and each word of either language reads back as its meaning
 * through the parser that uses it, so neither language lags.
 */
import { describe, expect, it } from "vitest";
import { ACCOMMODATION_WORDS, parseAccommodations } from "../../src/domain/accommodations.ts";
import { CATEGORY_WORDS, parseCategories } from "../../src/domain/categories.ts";
import { COMMUNICATION_WORDS, parseCommunication } from "../../src/domain/communication.ts";
import { EDUCATION_WORDS, parseEducation } from "../../src/domain/education.ts";
import { normalize } from "../../src/domain/normalize.ts";
import type { Phrases } from "../../src/domain/phrases.ts";
import { parseWorkModes, WORK_MODE_WORDS } from "../../src/domain/work-mode.ts";
import { parseYesNo, YES_NO_WORDS } from "../../src/domain/yes-no.ts";
import {
  GLOBAL_WORDS,
  GREETING_WORDS,
  greetingLanguage,
  MENU_WORDS,
  MORE_WORDS,
  MY_DATA_WORDS,
  REGISTRATION_WORDS,
  TRAINING_WORDS,
  VACANCY_WORDS,
} from "../../src/engine/command-words.ts";
import { FIELD_NAMES, fieldNamed } from "../../src/engine/field-words.ts";
import { itemWord } from "../../src/engine/flows/menu.ts";
import { trainingCommand } from "../../src/engine/flows/trainings.ts";
import { vacancyCommand } from "../../src/engine/flows/vacancies.ts";
import { globalWord } from "../../src/engine/words.ts";

const LANGUAGES = ["id", "en"] as const;
const list = (words: string) =>
  words
    .split(",")
    .map((w) => w.trim())
    .filter((w) => w !== "");

/** A lexicon: its meanings' words, and how a word is read back (undefined: only both languages are checked). */
interface Lexicon {
  words: Readonly<Record<string, Phrases>>;
  read?: (word: string, meaning: string) => unknown;
}

const LEXICONS: Record<string, Lexicon> = {
  education: { words: EDUCATION_WORDS, read: (w) => parseEducation(w) },
  disability: {
    words: CATEGORY_WORDS,
    read: (w) => {
      const a = parseCategories(w);
      return a && ("declined" in a ? "declined" : a.categories.join("+"));
    },
  },
  "work mode": {
    words: WORK_MODE_WORDS,
    read: (w) => {
      const modes = parseWorkModes(w);
      return modes?.length === 3 ? "any" : modes?.join("+");
    },
  },
  accommodations: {
    words: ACCOMMODATION_WORDS,
    read: (w) => {
      const a = parseAccommodations(w);
      return a && ("none" in a ? "none" : a.codes.join("+"));
    },
  },
  communication: { words: COMMUNICATION_WORDS, read: (w) => parseCommunication(w)?.join("+") },
  "yes/no": { words: YES_NO_WORDS, read: (w) => parseYesNo(w) },
  "global words": { words: GLOBAL_WORDS, read: (w) => globalWord(normalize(w), { fuzzy: false }) },
  "menu words": { words: MENU_WORDS, read: (w) => itemWord(normalize(w)) },
  "field names": { words: FIELD_NAMES, read: (w) => fieldNamed(w) },
  "vacancy commands": {
    words: VACANCY_WORDS,
    read: (w, meaning) =>
      meaning === "list" ? "list" : vacancyCommand(`${normalize(w)} 12`)?.verb,
  },
  "training words": {
    words: TRAINING_WORDS,
    read: (w, meaning) =>
      meaning === "training"
        ? trainingCommand(`${normalize(w)} 4`)
          ? "training"
          : undefined
        : meaning,
  },
  "my data": { words: MY_DATA_WORDS },
  "list paging": { words: { more: MORE_WORDS } },
  registration: { words: REGISTRATION_WORDS },
  greetings: {
    words: { greeting: GREETING_WORDS },
    read: (w) => (greetingLanguage(w) ? "greeting" : undefined),
  },
};

describe("Indonesian and English lexicons", () => {
  for (const [name, lexicon] of Object.entries(LEXICONS)) {
    it(`${name}: every meaning has words in both languages`, () => {
      const lagging = Object.entries(lexicon.words).flatMap(([meaning, words]) =>
        LANGUAGES.filter((lang) => list(words[lang]).length === 0).map((l) => `${meaning} (${l})`),
      );
      expect(lagging).toEqual([]);
    });

    if (!lexicon.read) continue;
    const read = lexicon.read;
    it(`${name}: every word of either language reads back as its meaning`, () => {
      const wrong = Object.entries(lexicon.words).flatMap(([meaning, words]) =>
        LANGUAGES.flatMap((lang) =>
          list(words[lang])
            .map((w) => ({ w, got: read(w, meaning) }))
            .filter(({ got }) => got !== meaning)
            .map(({ w, got }) => `${lang} "${w}" → ${String(got)} (want ${meaning})`),
        ),
      );
      expect(wrong).toEqual([]);
    });
  }

  it("greets in the language of the greeting", () => {
    for (const w of list(GREETING_WORDS.en)) expect(greetingLanguage(w), w).toBe("en");
    for (const w of list(GREETING_WORDS.id)) expect(greetingLanguage(w), w).toBe("id");
    expect(greetingLanguage("Hello, I need a job")).toBe("en");
    expect(greetingLanguage("halo kak, mau daftar")).toBe("id");
    expect(greetingLanguage("Siti Rahma")).toBeUndefined();
  });
});
