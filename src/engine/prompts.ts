/**
 * What the person is shown for each place in the conversation: the menu, the
 * summary, "my data", and the current question again (after help, a
 * language change, an unclear answer, ...).
 */
import { cityByCode } from "../domain/cities.ts";
import { ANSWER_FIELD, QUESTIONS, type QuestionId } from "./questions.ts";
import { trainingDetailReply, trainingPageReply } from "./training-replies.ts";
import type { Turn } from "./turn.ts";
import {
  type ChoiceRef,
  type PersonView,
  type Profile,
  QUESTION_IDS,
  type Reply,
  type ReplyParam,
} from "./types.ts";
import { detailReply, pageReply } from "./vacancy-replies.ts";

export type MenuItem =
  | "vacancies"
  | "trainings"
  | "register"
  | "myData"
  | "person"
  | "language"
  | "plain"
  | "help"
  | "stop"
  | "start";

/** The main menu; people without a profile also see "register". */
export function menuItems(person: PersonView): MenuItem[] {
  return [
    "vacancies",
    "trainings",
    ...(person.profile ? [] : (["register"] as const)),
    "myData",
    "person",
    "language",
    "plain",
    "help",
    person.messagingActive ? "stop" : "start",
  ];
}

export function menuReply(person: PersonView): Reply {
  return {
    key: "menu.title",
    // The plain-language item says what choosing it does now: turn it on, or back off.
    choices: menuItems(person).map((id) => ({
      id,
      key: id === "plain" && person.plainLanguage ? "menu.plainOff" : `menu.${id}`,
    })),
  };
}

/** A profile field, named like the question that fills it. */
export type ProfileField = {
  [Q in QuestionId]: (typeof ANSWER_FIELD)[Q] extends null ? never : Q;
}[QuestionId];

/**
 * The profile fields in the order of the summary and "my data": the order the
 * questions are asked in, without those that fill no field of their own.
 */
export const PROFILE_FIELDS: readonly ProfileField[] = QUESTION_IDS.filter(
  (id): id is ProfileField => ANSWER_FIELD[id] !== null,
);

/** The question that changes a field (disability data needs its consent first). */
export function questionFor(field: ProfileField, person: PersonView): QuestionId {
  if (field === "categories")
    return person.consents.disability ? "categories" : "disabilityConsent";
  return field;
}

const none: ReplyParam = { key: "value.none" };
const list = (values: string[] | undefined, prefix?: string): ReplyParam =>
  values && values.length > 0
    ? { list: values.map((v) => (prefix ? { key: `${prefix}.${v}` } : v)) }
    : none;

export function fieldValue(
  field: ProfileField,
  p: Partial<Profile>,
  person: PersonView,
): ReplyParam {
  switch (field) {
    case "name":
      return p.fullName ?? none;
    case "city":
      if (p.cityCode === "other") {
        return {
          key: "value.otherCity",
          params: {
            kind: { key: `cityKindName.${p.cityOtherKind ?? "kota"}` },
            name: p.cityOtherName ?? "",
          },
        };
      }
      return (p.cityCode && cityByCode(p.cityCode)?.name) || none;
    case "categories":
      if (!person.consents.disability) return { key: "value.noDisabilityConsent" };
      if (p.disabilityDeclined) return { key: "value.declined" };
      // Short names: the full ones were read when choosing.
      return list(p.disabilityCategories, "category.short");
    case "education":
      return p.education ? { key: `education.${p.education}` } : none;
    // As the person wrote them ("Sewing", not the tag "menjahit"); tags for older profiles.
    case "skills":
      return list(p.skillsWritten?.length ? p.skillsWritten : p.skills);
    case "experience":
      return p.experience ?? none;
    case "jobTypes": {
      const jobs = p.jobTypesWritten?.length ? p.jobTypesWritten : p.jobTypes;
      return jobs && jobs.length > 0 ? list(jobs) : { key: "value.anyJob" };
    }
    case "workModes":
      return list(p.workModes, "workMode");
    case "accommodations": {
      const codes = (p.accommodations ?? []).map(
        (c): ReplyParam => ({ key: `accommodation.${c}` }),
      );
      const all = p.accommodationNote ? [...codes, p.accommodationNote] : codes;
      return all.length > 0 ? { list: all } : none;
    }
    case "communication":
      return list(p.communication, "communication");
    case "phone":
      return p.phone ?? person.channelPhone ?? none;
  }
}

function fieldChoices(p: Partial<Profile>, person: PersonView): ChoiceRef[] {
  return PROFILE_FIELDS.map((field) => ({
    id: field,
    key: "field.line",
    params: { field: { key: `field.${field}` }, value: fieldValue(field, p, person) },
  }));
}

export function summaryReply(turn: Turn): Reply {
  return {
    key: "register.summary",
    choices: fieldChoices(turn.state.draft, turn.person),
    buttons: false,
  };
}

/** One field as a line: "Tempat tinggal: Kota Bogor". */
export function fieldLine(
  field: ProfileField,
  p: Partial<Profile>,
  person: PersonView,
): ReplyParam {
  return {
    key: "field.line",
    params: { field: { key: `field.${field}` }, value: fieldValue(field, p, person) },
  };
}

/** "What next?" under "my data": change, delete, menu. */
export const myDataOptions = (): Reply => ({
  key: "myData.options",
  choices: [
    { id: "edit", key: "myData.edit" },
    { id: "delete", key: "myData.delete" },
    { id: "menu", key: "myData.menu" },
  ],
});

/** Profile fields as unnumbered lines (the only numbers on the screen are the options). */
function profileLines(
  p: Partial<Profile>,
  person: PersonView,
  only?: (f: ProfileField) => boolean,
) {
  return PROFILE_FIELDS.filter((f) => !only || only(f)).map((field) => fieldLine(field, p, person));
}

/**
 * Everything stored about the person: the profile, or the answers of an
 * unfinished registration (they are stored too), and their settings.
 */
export function myDataReplies(person: PersonView, draft: Partial<Profile> = {}): Reply[] {
  const settings: Reply = {
    key: "myData.settings",
    params: {
      language: { key: `language.${person.language}` },
      plain: { key: person.plainLanguage ? "value.on" : "value.off" },
      messages: { key: person.messagingActive ? "value.on" : "value.off" },
      dataConsent: { key: consentValue(person.consents.data) },
      disabilityConsent: { key: consentValue(person.consents.disability) },
    },
  };
  const options = myDataOptions();
  if (person.profile) {
    const lines = profileLines(person.profile, person);
    return [{ key: "myData.profile", params: { lines: { lines } } }, settings, options];
  }
  const answered = (f: ProfileField) => {
    const key = ANSWER_FIELD[f];
    return key !== null && draft[key] !== undefined;
  };
  if (PROFILE_FIELDS.some(answered)) {
    const lines = profileLines(draft, person, answered);
    return [{ key: "myData.draft", params: { lines: { lines } } }, settings, options];
  }
  return [{ key: "myData.noProfile" }, settings, options];
}

const consentValue = (granted: boolean | undefined) =>
  granted === undefined ? "value.notAsked" : granted ? "value.yes" : "value.no";

export function editPickReply(person: PersonView): Reply {
  return {
    key: "myData.pick",
    choices: fieldChoices(person.profile ?? {}, person),
    buttons: false,
  };
}

export const languageReply = (): Reply => ({
  key: "language.ask",
  choices: [
    { id: "id", key: "language.id" },
    { id: "en", key: "language.en" },
  ],
});

export const yesNoChoices = (yes = "consent.answer.yes", no = "consent.answer.no"): ChoiceRef[] => [
  { id: "yes", key: yes },
  { id: "no", key: no },
];

/** The question or menu of the current step, to show again. */
export function currentPrompt(turn: Turn): Reply[] {
  const { flow, step } = turn.state;
  if (step in QUESTIONS) return [QUESTIONS[step as QuestionId].ask(turn.state.draft)];
  switch (`${flow}.${step}`) {
    case "onboarding.language":
    case "language.choose":
      return [languageReply()];
    case "consent.data":
      return [{ key: "consent.data", choices: yesNoChoices() }];
    case "register.summary":
      return [summaryReply(turn)];
    case "myData.view":
      return myDataReplies(turn.person, turn.state.draft);
    case "myData.pick":
      return [editPickReply(turn.person)];
    case "delete.confirm":
      return [{ key: "delete.confirm", choices: yesNoChoices("delete.yes", "delete.no") }];
    case "resume.ask":
      return [resumeReply()];
    case "handoff.open":
      return [{ key: "handoff.waiting" }];
    case "vacancies.list":
      return [pageReply(turn)];
    case "trainings.list":
      return [trainingPageReply(turn)];
    case "trainings.detail": {
      const open = turn.catalog().trainings.find((t) => t.id === turn.state.trainings?.open);
      return open ? [trainingDetailReply(open, turn)] : [menuReply(turn.person)];
    }
    case "reminder.answer":
      return turn.state.reminder ? [turn.state.reminder.reply] : [menuReply(turn.person)];
    case "vacancies.detail": {
      const catalog = turn.catalog();
      const open = catalog.vacancies.find((v) => v.id === turn.state.browse?.open);
      return open ? [detailReply(open, catalog)] : [menuReply(turn.person)];
    }
    default:
      return [menuReply(turn.person)];
  }
}

export const resumeReply = (): Reply => ({
  key: "resume.ask",
  choices: [
    { id: "continue", key: "resume.continue" },
    { id: "restart", key: "resume.restart" },
    { id: "menu", key: "resume.menu" },
  ],
});
