/**
 * The registration questions: how each is asked, how answers are read, and
 * which profile fields they fill. The same questions serve registration, the
 * summary's corrections and "my data" changes.
 */
import { ACCOMMODATIONS, parseAccommodations } from "../domain/accommodations.ts";
import { DISABILITY_CATEGORIES, parseCategories } from "../domain/categories.ts";
import { cityByCode, jobCentersNear, provinceByCode } from "../domain/cities.ts";
import { parseRegencyKind, resolveCity } from "../domain/city-names.ts";
import { COMMUNICATION_MODES, parseCommunication } from "../domain/communication.ts";
import { DIPLOMA_ALONE, EDUCATION_CHOICES, parseEducation } from "../domain/education.ts";
import { parseNumberList } from "../domain/number-list.ts";
import { normalizeIndonesianPhone } from "../domain/phone.ts";
import { parseTagsAsWritten } from "../domain/tags.ts";
import { parseWorkModes, WORK_MODES } from "../domain/work-mode.ts";
import { parseYesNo } from "../domain/yes-no.ts";
import { phraseSet, REGISTRATION_WORDS } from "./command-words.ts";
import type { ChoiceRef, Draft, Profile, QuestionId, Reply, ReplyParam } from "./types.ts";

export type { QuestionId };

/** A read answer: the draft fields it sets, or why it could not be read. */
export type Answer =
  | { ok: true; fields: Draft; consent?: boolean }
  | { ok: false; hint: string; params?: Record<string, ReplyParam> };

export interface Question {
  /** The question; `draft` holds the answers so far (some questions name an earlier answer). */
  ask(draft: Draft): Reply;
  /** `draft` is given to questions whose answers depend on what was asked (a choice among places). */
  read(text: string, raw: string, draft: Draft): Answer;
  /** "lewati"/"skip" is a valid answer. */
  skippable?: boolean;
  /** After a valid answer: something to tell before the next question. */
  note?(draft: Draft): Reply | undefined;
  /** After a valid answer: ask this question again (a new choice among places). */
  again?(draft: Draft): boolean;
}

const SKIP_WORDS = phraseSet(REGISTRATION_WORDS.skip);
const ANY_JOB_WORDS = phraseSet(REGISTRATION_WORDS.anyJob);
export const isSkip = (text: string) => SKIP_WORDS.has(text);

const choices = (prefix: string, ids: readonly string[], extra: string[] = []): ChoiceRef[] =>
  [...ids, ...extra].map((id) => ({ id, key: `${prefix}.${id}` }));

const MAX_FREE_TEXT = 300;

/** A place chosen (the old "other city" fields cleared), or the places to ask about. */
function placeFields(match: { code: string } | { choices: string[] }): Draft {
  const other = { cityOtherKind: undefined, cityOtherName: undefined };
  if ("code" in match) return { cityCode: match.code, cityChoices: undefined, ...other };
  return { cityCode: undefined, cityChoices: match.choices, ...other };
}

/** A place without a job center: what the person can do and who helps, told once chosen. */
function noJobCenterNote(draft: Draft): Reply | undefined {
  const city = draft.cityCode ? cityByCode(draft.cityCode) : undefined;
  if (!city || city.jobCenter) return undefined;
  const near = jobCentersNear(city.code);
  return near.length > 0
    ? {
        key: "register.noJobCenterNear",
        params: { city: city.name, centers: { list: near.map((c) => c.name) } },
      }
    : { key: "register.noJobCenter", params: { city: city.name } };
}

/**
 * The profile field each question fills (null: it fills none). Profile fields
 * are named like their questions, so this also tells which fields a draft has.
 */
export const ANSWER_FIELD = {
  name: "fullName",
  city: "cityCode",
  cityPick: null,
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
} as const satisfies Record<QuestionId, keyof Profile | null>;

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
    ask: () => ({ key: "register.city" }),
    read(_text, raw) {
      const match = resolveCity(raw);
      if (!match) return { ok: false, hint: "register.cityInvalid" };
      if ("province" in match) {
        const province = provinceByCode(match.province)?.name ?? "";
        return { ok: false, hint: "register.cityProvince", params: { province } };
      }
      return { ok: true, fields: placeFields(match) };
    },
    note: noJobCenterNote,
  },
  cityPick: {
    ask: (draft) => ({
      key: "register.cityPick",
      choices: (draft.cityChoices ?? []).map((code) => ({
        id: code,
        key: "city.name",
        params: { name: cityByCode(code)?.name ?? code },
      })),
      buttons: false,
    }),
    read(_text, raw, draft) {
      const choices = draft.cityChoices ?? [];
      const n = parseNumberList(raw, choices.length);
      if (n?.length === 1) return { ok: true, fields: placeFields({ code: choices[n[0]! - 1]! }) };
      // "kabupaten" between Kota and Kabupaten Bogor; or the name typed again, more exactly.
      const kind = parseRegencyKind(raw);
      const ofKind = choices.filter((c) => cityByCode(c)?.kind === kind);
      if (kind && ofKind.length === 1)
        return { ok: true, fields: placeFields({ code: ofKind[0]! }) };
      if (kind && ofKind.length > 1 && ofKind.length < choices.length) {
        return { ok: true, fields: { cityChoices: ofKind } };
      }
      const match = resolveCity(raw);
      if (match && !("province" in match)) return { ok: true, fields: placeFields(match) };
      return { ok: false, hint: "register.cityPickHint" };
    },
    note: noJobCenterNote,
    again: (draft) => (draft.cityChoices?.length ?? 0) > 0,
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
    read(text, raw) {
      // "diploma" is four levels: ask which, rather than guess.
      if (DIPLOMA_ALONE.has(text)) return { ok: false, hint: "register.educationDiploma" };
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
      if (isSkip(text)) return { ok: true, fields: { skills: [], skillsWritten: [] } };
      const { tags, written } = parseTagsAsWritten(raw);
      return tags.length > 0
        ? { ok: true, fields: { skills: tags, skillsWritten: written } }
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
      if (isSkip(text) || ANY_JOB_WORDS.has(text)) {
        return { ok: true, fields: { jobTypes: [], jobTypesWritten: [] } };
      }
      const { tags, written } = parseTagsAsWritten(raw);
      return tags.length > 0
        ? { ok: true, fields: { jobTypes: tags, jobTypesWritten: written } }
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
      // "ya" says whether, not which: ask which, rather than keep "ya" as the need. A number
      // is a choice from the list, never a yes (parseYesNo reads "1" as yes).
      if (!/^\d/.test(raw.trim()) && parseYesNo(raw) === "yes")
        return { ok: false, hint: "register.accommodationsWhich" };
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
