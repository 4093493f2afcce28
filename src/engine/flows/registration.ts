import { DISABILITY_CATEGORIES } from "../../domain/categories.ts";
import { normalize } from "../../domain/normalize.ts";
import { parseYesNo } from "../../domain/yes-no.ts";
import { phraseSet, REGISTRATION_WORDS } from "../command-words.ts";
import { CONSENT_TEXT_VERSION } from "../consent-version.ts";
import { fieldChange, pickedField } from "../field-words.ts";
import {
  fieldLine,
  menuReply,
  myDataOptions,
  myDataReplies,
  PROFILE_FIELDS,
  type ProfileField,
  questionFor,
  summaryReply,
  yesNoChoices,
} from "../prompts.ts";
import { ANSWER_FIELD, QUESTIONS, type QuestionId } from "../questions.ts";
import type { Turn } from "../turn.ts";
import { type Profile, QUESTION_IDS } from "../types.ts";
import { fail } from "./common.ts";
import { announceNewMatches } from "./vacancies.ts";

/** Questions that follow an answer even when correcting a single field. */
const FOLLOW_UPS: Partial<Record<QuestionId, QuestionId[]>> = {
  city: ["cityPick"],
  disabilityConsent: ["categories"],
};

function applies(id: QuestionId, turn: Turn): boolean {
  const { draft } = turn.state;
  switch (id) {
    case "cityPick":
      return (draft.cityChoices?.length ?? 0) > 0;
    case "disabilityConsent":
      return turn.person.consents.disability !== true;
    case "categories":
      return turn.person.consents.disability === true;
    case "phone":
      return !turn.person.channelPhone;
    default:
      return true;
  }
}

/** Asks for consent to store data first, unless given; then the first question. */
export function beginRegistration(turn: Turn): void {
  if (turn.person.profile) {
    turn.say({ key: "register.already" }, ...myDataReplies(turn.person)).go("myData", "view");
    return;
  }
  if (turn.person.consents.data !== true) {
    turn.go("consent", "data").say({ key: "consent.data", choices: yesNoChoices() });
    return;
  }
  turn.state.editing = undefined;
  const next = turn.state.draft.fullName ? firstUnanswered(turn) : undefined;
  if (next) {
    // Left halfway (menu, help, a person): go on where they stopped.
    turn
      .go("register", next)
      .say({ key: "register.continue" }, QUESTIONS[next].ask(turn.state.draft));
    return;
  }
  turn.state.draft = {};
  turn.state.history = [];
  turn.go("register", "name").say({ key: "register.intro" }, QUESTIONS.name.ask(turn.state.draft));
}

function firstUnanswered(turn: Turn): QuestionId | undefined {
  const answered = new Set(turn.state.history);
  return QUESTION_IDS.find((id) => {
    if (!applies(id, turn) || answered.has(id)) return false;
    const field = ANSWER_FIELD[id];
    return field === null || turn.state.draft[field] === undefined;
  });
}

export function answerDataConsent(turn: Turn, text: string): void {
  const answer = parseYesNo(text);
  if (!answer) return fail(turn, "hint.yesNo");
  const granted = answer === "yes";
  turn.effect({
    type: "recordConsent",
    purpose: "data",
    granted,
    textVersion: CONSENT_TEXT_VERSION,
  });
  if (granted) return beginRegistration(turn);
  turn.go("menu", "main").say({ key: "consent.declined" }, menuReply(turn.person));
}

/**
 * Asks a question again from the summary or "my data", with its follow-ups;
 * with the new `value` already given ("ganti kota ke Bogor"), reads it as the
 * answer: one turn when it is clear, the question with its hint when not.
 */
export function editField(
  turn: Turn,
  field: ProfileField,
  mode: "summary" | "profile",
  value?: string,
): void {
  const id = questionFor(field, turn.person);
  turn.state.editing = mode;
  turn.state.editingField = field;
  turn.state.history = [];
  turn.go(mode === "summary" ? "register" : "edit", id);
  // Disability data asks for its consent first, whatever was written after the field.
  if (value !== undefined && id === field) return answerQuestion(turn, id, normalize(value), value);
  turn.say(QUESTIONS[id].ask(turn.state.draft));
}

export function answerQuestion(turn: Turn, id: QuestionId, text: string, raw: string): void {
  const question = QUESTIONS[id];
  const answer = question.read(text, raw, turn.state.draft);
  if (!answer.ok) return fail(turn, answer.hint, answer.params);
  Object.assign(turn.state.draft, answer.fields);
  if (answer.consent !== undefined) {
    turn.effect({
      type: "recordConsent",
      purpose: "disability",
      granted: answer.consent,
      textVersion: CONSENT_TEXT_VERSION,
    });
  }
  const note = question.note?.(turn.state.draft);
  if (note) turn.say(note);
  if (question.again?.(turn.state.draft)) {
    turn.go(turn.state.flow, id).say(question.ask(turn.state.draft));
    return;
  }
  turn.state.history.push(id);

  if (turn.state.editing) {
    const follow = (FOLLOW_UPS[id] ?? []).find((q) => applies(q, turn));
    if (follow) {
      turn.go(turn.state.flow, follow).say(QUESTIONS[follow].ask(turn.state.draft));
      return;
    }
    return finishEdit(turn);
  }
  const next = QUESTION_IDS.slice(QUESTION_IDS.indexOf(id) + 1).find((q) => applies(q, turn));
  if (next) turn.go("register", next).say(QUESTIONS[next].ask(turn.state.draft));
  else turn.go("register", "summary").say(summaryReply(turn));
}

function finishEdit(turn: Turn): void {
  const mode = turn.state.editing;
  turn.state.editing = undefined;
  if (mode === "summary") {
    turn.go("register", "summary").say(summaryReply(turn));
    return;
  }
  const field = turn.state.editingField ?? "profile";
  turn.state.editingField = undefined;
  const { cityChoices: _asked, ...fields } = turn.state.draft;
  turn.effect({ type: "updateProfile", fields });
  turn.effect({ type: "logDataRequest", kind: "correct", detail: field });
  turn.state.draft = {};
  turn.state.history = [];
  // The line changed, not all of "my data" again ("ulangi" reads it all).
  const changed = PROFILE_FIELDS.find((f) => f === field);
  turn.go("myData", "view").say(
    changed && turn.person.profile
      ? {
          key: "myData.savedLine",
          params: { line: fieldLine(changed, turn.person.profile, turn.person) },
        }
      : { key: "myData.saved" },
  );
  announceNewMatches(turn);
  turn.say(myDataOptions());
}

/**
 * The summary: its lines are numbered, so a number (or a field's name) is that
 * line, to correct it; "ya" saves. Numbers come first: "1" is the name, not "yes".
 * A change in words ("ganti kota ke Bogor", "nama saya Siti") is made at once.
 */
export function answerSummary(turn: Turn, text: string, raw: string): void {
  const { field, numbered } = pickedField(text);
  if (field) return editField(turn, field, "summary");
  if (!numbered && (parseYesNo(text) === "yes" || SAVE_WORDS.has(text))) {
    return confirmRegistration(turn);
  }
  const change = numbered ? undefined : fieldChange(raw, { loose: true });
  if (change) return editField(turn, change.field, "summary", change.value);
  fail(turn, "register.summaryHint");
}

const SAVE_WORDS = phraseSet(REGISTRATION_WORDS.save);

function confirmRegistration(turn: Turn): void {
  const d = turn.state.draft;
  const missing = QUESTION_IDS.find(
    (id) =>
      applies(id, turn) &&
      ((id === "name" && !d.fullName) ||
        (id === "city" && !d.cityCode) ||
        (id === "education" && !d.education) ||
        (id === "workModes" && !d.workModes) ||
        (id === "communication" && !d.communication)),
  );
  if (missing) {
    turn.go("register", missing).say(QUESTIONS[missing].ask(turn.state.draft));
    return;
  }
  const profile: Profile = {
    fullName: d.fullName!,
    cityCode: d.cityCode!,
    cityOtherKind: d.cityOtherKind,
    cityOtherName: d.cityOtherName,
    disabilityCategories: turn.person.consents.disability
      ? (d.disabilityCategories ?? []).filter((c) =>
          (DISABILITY_CATEGORIES as readonly string[]).includes(c),
        )
      : [],
    disabilityDeclined: turn.person.consents.disability ? (d.disabilityDeclined ?? false) : true,
    education: d.education!,
    skills: d.skills ?? [],
    skillsWritten: d.skillsWritten ?? [],
    experience: d.experience,
    jobTypes: d.jobTypes ?? [],
    jobTypesWritten: d.jobTypesWritten ?? [],
    workModes: d.workModes!,
    accommodations: d.accommodations ?? [],
    accommodationNote: d.accommodationNote,
    communication: d.communication!,
    phone: d.phone ?? turn.person.channelPhone,
  };
  turn.effect({ type: "saveProfile", profile });
  turn.reachStep("done");
  turn.state.funnel = undefined;
  turn.state.draft = {};
  turn.state.history = [];
  turn.go("menu", "main").say({ key: "register.done" });
  announceNewMatches(turn);
  turn.say(menuReply(turn.person));
}

/** `kembali`: the previous question, or out of a correction back to the summary or "my data". */
export function backInRegistration(turn: Turn): boolean {
  if (turn.state.editing) {
    turn.state.history = [];
    const mode = turn.state.editing;
    turn.state.editing = undefined;
    turn.state.editingField = undefined;
    if (mode === "summary") turn.go("register", "summary").say(summaryReply(turn));
    else {
      turn.state.draft = {};
      turn.go("myData", "view").say(...myDataReplies(turn.person));
    }
    return true;
  }
  let previous = turn.state.history.pop();
  // A choice among places is not asked again once made: back to the name instead.
  while (previous && !applies(previous as QuestionId, turn)) previous = turn.state.history.pop();
  if (!previous) return false;
  turn.go("register", previous).say(QUESTIONS[previous as QuestionId].ask(turn.state.draft));
  return true;
}
