/**
 * The registration questions: how each is asked, how answers are read, and
 * which profile fields they fill. The same questions serve registration, the
 * summary's corrections and "my data" changes.
 */
import { ACCOMMODATIONS, parseAccommodations } from "../domain/accommodations.ts";
import { DISABILITY_CATEGORIES, parseCategories } from "../domain/categories.ts";
import {
  CITIES,
  CITIES_WITH_REGENCY,
  cityByCode,
  cleanPlaceName,
  parseCity,
  parseRegencyKind,
} from "../domain/cities.ts";
import { COMMUNICATION_MODES, parseCommunication } from "../domain/communication.ts";
import { EDUCATION_CHOICES, parseEducation } from "../domain/education.ts";
import { normalizeIndonesianPhone } from "../domain/phone.ts";
import { parseTags } from "../domain/tags.ts";
import { parseWorkModes, WORK_MODES } from "../domain/work-mode.ts";
import { parseYesNo } from "../domain/yes-no.ts";
import type { ChoiceRef, Profile, Reply } from "./types.ts";

export type QuestionId =
  | "name"
  | "city"
  | "cityCheck"
  | "cityKind"
  | "cityName"
  | "disabilityConsent"
  | "categories"
  | "education"
  | "skills"
  | "experience"
  | "jobTypes"
  | "workModes"
  | "accommodations"
  | "communication"
  | "phone";

/** A read answer: the profile fields it sets, or why it could not be read. */
export type Answer =
  | { ok: true; fields: Partial<Profile>; consent?: boolean }
  | { ok: false; hint: string };

export interface Question {
  /** The question; `draft` holds the answers so far (some questions name an earlier answer). */
  ask(draft: Partial<Profile>): Reply;
  read(text: string, raw: string): Answer;
  /** "lewati"/"skip" is a valid answer. */
  skippable?: boolean;
}

const SKIP_WORDS = new Set([
  "lewati",
  "lewat",
  "skip",
  "tidak ada",
  "belum ada",
  "gak ada",
  "nggak ada",
  "ga ada",
  "none",
  "nothing",
  "no",
  "tidak",
  "belum",
]);
export const isSkip = (text: string) => SKIP_WORDS.has(text);

const choices = (prefix: string, ids: readonly string[], extra: string[] = []): ChoiceRef[] =>
  [...ids, ...extra].map((id) => ({ id, key: `${prefix}.${id}` }));

const MAX_FREE_TEXT = 300;

/**
 * The profile field each question fills (null: it fills none). Profile fields
 * are named like their questions, so this also tells which fields a draft has.
 */
export const ANSWER_FIELD: Record<QuestionId, keyof Profile | null> = {
  name: "fullName",
  city: "cityCode",
  cityCheck: null,
  cityKind: "cityOtherKind",
  cityName: "cityOtherName",
  disabilityConsent: null,
  categories: "disabilityCategories",
  education: "education",
  skills: "skills",
  experience: "experience",
  jobTypes: "jobTypes",
  workModes: "workModes",
  accommodations: "accommodations",
  communication: "communication",
  phone: "phone",
};

export const QUESTIONS: Record<QuestionId, Question> = {
  name: {
    ask: () => ({ key: "register.name" }),
    read(_text, raw) {
      const name = raw.trim().replace(/\s+/g, " ");
      if (!/\p{L}/u.test(name) || name.length < 2)
        return { ok: false, hint: "register.nameInvalid" };
      if (name.length > 100) return { ok: false, hint: "register.nameTooLong" };
      return { ok: true, fields: { fullName: name } };
    },
  },
  city: {
    ask: () => ({
      key: "register.city",
      choices: [
        ...CITIES.map((c) => ({ id: c.code, key: "city.name", params: { name: c.name } })),
        { id: "other", key: "city.other" },
      ],
      buttons: false,
    }),
    read(_text, raw) {
      const city = parseCity(raw);
      if (!city) return { ok: false, hint: "register.cityInvalid" };
      if ("other" in city) {
        // "Kabupaten Gowa" answers the follow-up questions too.
        const name = city.name ? cleanPlaceName(city.name) : null;
        return {
          ok: true,
          fields: { cityCode: "other", cityOtherKind: city.kind, cityOtherName: name ?? undefined },
        };
      }
      // Bogor, Bandung, Semarang, Kediri, Mojokerto and Kupang are also regencies: a bare name
      // is asked about (cityCheck); a number or "Kota ..." is the city itself.
      const unsure =
        CITIES_WITH_REGENCY.has(city.code) && city.kind !== "kota" && !/^\s*\d+\s*$/.test(raw);
      const name = cityByCode(city.code)!.name.replace(/^Kota /, "");
      return {
        ok: true,
        fields: {
          cityCode: city.code,
          cityOtherKind: undefined,
          cityOtherName: unsure ? name : undefined,
        },
      };
    },
  },
  cityCheck: {
    ask: (draft) => ({
      key: "register.cityCheck",
      params: { name: draft.cityOtherName ?? "" },
      choices: [
        { id: "kota", key: "cityCheck.kota", params: { name: draft.cityOtherName ?? "" } },
        {
          id: "kabupaten",
          key: "cityCheck.kabupaten",
          params: { name: draft.cityOtherName ?? "" },
        },
      ],
    }),
    read(_text, raw) {
      const kind = parseRegencyKind(raw);
      if (!kind) return { ok: false, hint: "hint.chooseNumber" };
      // Kabupaten: not one of the 28 cities' job centers; kept as "other" with its name.
      return kind === "kota"
        ? { ok: true, fields: { cityOtherName: undefined } }
        : { ok: true, fields: { cityCode: "other", cityOtherKind: "kabupaten" } };
    },
  },
  cityKind: {
    ask: () => ({ key: "register.cityKind", choices: choices("cityKind", ["kota", "kabupaten"]) }),
    read(_text, raw) {
      const kind = parseRegencyKind(raw);
      return kind
        ? { ok: true, fields: { cityOtherKind: kind } }
        : { ok: false, hint: "hint.chooseNumber" };
    },
  },
  cityName: {
    ask: () => ({ key: "register.cityName" }),
    read(_text, raw) {
      const name = cleanPlaceName(raw);
      return name
        ? { ok: true, fields: { cityOtherName: name } }
        : { ok: false, hint: "register.cityNameInvalid" };
    },
  },
  disabilityConsent: {
    ask: () => ({ key: "consent.disability", choices: choices("consent.answer", ["yes", "no"]) }),
    read(_text, raw) {
      const answer = parseYesNo(raw);
      if (!answer) return { ok: false, hint: "hint.yesNo" };
      return answer === "yes"
        ? { ok: true, fields: {}, consent: true }
        : {
            ok: true,
            fields: { disabilityCategories: [], disabilityDeclined: true },
            consent: false,
          };
    },
  },
  categories: {
    ask: () => ({
      key: "register.categories",
      choices: choices("category", DISABILITY_CATEGORIES, ["declined"]),
    }),
    read(_text, raw) {
      const parsed = parseCategories(raw);
      if (!parsed) return { ok: false, hint: "register.categoriesInvalid" };
      // Not saying means keeping nothing: the consent to disability data ends too.
      if ("declined" in parsed) {
        return {
          ok: true,
          fields: { disabilityCategories: [], disabilityDeclined: true },
          consent: false,
        };
      }
      return {
        ok: true,
        fields: { disabilityCategories: parsed.categories, disabilityDeclined: false },
      };
    },
  },
  education: {
    ask: () => ({
      key: "register.education",
      choices: EDUCATION_CHOICES.map(({ level }) => ({ id: level, key: `education.${level}` })),
      buttons: false,
    }),
    read(_text, raw) {
      const level = parseEducation(raw);
      return level
        ? { ok: true, fields: { education: level } }
        : { ok: false, hint: "register.educationInvalid" };
    },
  },
  skills: {
    skippable: true,
    ask: () => ({ key: "register.skills" }),
    read(text, raw) {
      if (isSkip(text)) return { ok: true, fields: { skills: [] } };
      const tags = parseTags(raw);
      return tags.length > 0
        ? { ok: true, fields: { skills: tags } }
        : { ok: false, hint: "register.tagsInvalid" };
    },
  },
  experience: {
    skippable: true,
    ask: () => ({ key: "register.experience" }),
    read(text, raw) {
      if (isSkip(text)) return { ok: true, fields: { experience: undefined } };
      const value = raw.trim().replace(/\s+/g, " ");
      if (!/\p{L}/u.test(value)) return { ok: false, hint: "register.experienceInvalid" };
      if (value.length > MAX_FREE_TEXT) return { ok: false, hint: "hint.tooLong" };
      return { ok: true, fields: { experience: value } };
    },
  },
  jobTypes: {
    skippable: true,
    ask: () => ({ key: "register.jobTypes" }),
    read(text, raw) {
      if (isSkip(text) || ["apa saja", "semua", "bebas", "any", "anything"].includes(text)) {
        return { ok: true, fields: { jobTypes: [] } };
      }
      const tags = parseTags(raw);
      return tags.length > 0
        ? { ok: true, fields: { jobTypes: tags } }
        : { ok: false, hint: "register.tagsInvalid" };
    },
  },
  workModes: {
    ask: () => ({ key: "register.workModes", choices: choices("workMode", WORK_MODES, ["any"]) }),
    read(_text, raw) {
      const modes = parseWorkModes(raw);
      return modes
        ? { ok: true, fields: { workModes: modes } }
        : { ok: false, hint: "hint.chooseNumbers" };
    },
  },
  accommodations: {
    ask: () => ({
      key: "register.accommodations",
      choices: choices("accommodation", ACCOMMODATIONS, ["none"]),
    }),
    read(_text, raw) {
      const parsed = parseAccommodations(raw);
      if (!parsed) return { ok: false, hint: "register.accommodationsInvalid" };
      if ("none" in parsed)
        return { ok: true, fields: { accommodations: [], accommodationNote: undefined } };
      return { ok: true, fields: { accommodations: parsed.codes, accommodationNote: parsed.note } };
    },
  },
  communication: {
    ask: () => ({
      key: "register.communication",
      choices: choices("communication", COMMUNICATION_MODES),
    }),
    read(_text, raw) {
      const modes = parseCommunication(raw);
      return modes
        ? { ok: true, fields: { communication: modes } }
        : { ok: false, hint: "hint.chooseNumbers" };
    },
  },
  phone: {
    skippable: true,
    ask: () => ({ key: "register.phone" }),
    read(text, raw) {
      if (isSkip(text)) return { ok: true, fields: { phone: undefined } };
      const phone = normalizeIndonesianPhone(raw);
      return phone ? { ok: true, fields: { phone } } : { ok: false, hint: "register.phoneInvalid" };
    },
  },
};
