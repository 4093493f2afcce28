import { normalize } from "../domain/normalize.ts";
import { parseNumberList } from "../domain/number-list.ts";
import { parseYesNo } from "../domain/yes-no.ts";
import { showListPage } from "./browse.ts";
import { fail, pause, showMenu, unpause } from "./flows/common.ts";
import {
  answerDelete,
  answerEditPick,
  answerHandoff,
  answerMenu,
  answerMyData,
  askDelete,
  openHandoff,
  openItem,
  resumeHere,
  setMessaging,
  showMyData,
  togglePlain,
} from "./flows/menu.ts";
import { answerDetail, answerList, backToList } from "./flows/navigation.ts";
import {
  answerDataConsent,
  answerQuestion,
  answerSummary,
  backInRegistration,
  beginRegistration,
} from "./flows/registration.ts";
import {
  answerReminder,
  runTrainingCommand,
  TRAININGS,
  trainingCommand,
} from "./flows/trainings.ts";
import { runVacancyCommand, VACANCIES, vacancyCommand } from "./flows/vacancies.ts";

export { remind } from "./flows/trainings.ts";

import { greetingLanguage, phraseSet, REGISTRATION_WORDS } from "./command-words.ts";
import { currentPrompt, languageReply, resumeReply } from "./prompts.ts";
import { QUESTIONS, type QuestionId } from "./questions.ts";
import { NeedsData, Turn } from "./turn.ts";
import type { ConversationState, EngineContext, EngineInput, StepResult } from "./types.ts";
import { type GlobalWord, globalWord } from "./words.ts";

/** Someone who comes back after this long in the middle of something is asked whether to go on. */
export const RESUME_AFTER_MS = 10 * 60_000;
/** Longer messages are cut before reading (nobody types a 4,000-character answer to a question). */
const MAX_INPUT = 4000;

export function initialState(now: Date): ConversationState {
  return {
    version: 2,
    flow: "onboarding",
    step: "language",
    draft: {},
    history: [],
    lastReplies: [],
    failures: 0,
    updatedAt: now.toISOString(),
  };
}

/** Steps where people type free text: only exact global words count there, no typo matching. */
const FREE_TEXT: ReadonlySet<string> = new Set([
  "name",
  "skills",
  "experience",
  "jobTypes",
  "accommodations",
]);
const LEGACY_CITY_STEPS: ReadonlySet<string> = new Set(["cityCheck", "cityKind", "cityName"]);
/** Flows that are "in the middle of something" for resuming later. */
const RESUMABLE: ReadonlySet<string> = new Set(["consent", "register", "edit", "delete", "myData"]);

/**
 * One turn of the conversation. Pure: no I/O, no clock reads; everything it
 * needs is in the state, the input and the context.
 */
export function step(
  previous: ConversationState | null,
  input: EngineInput,
  ctx: EngineContext,
): StepResult {
  try {
    return turnFor(previous, input, ctx);
  } catch (error) {
    if (!(error instanceof NeedsData)) throw error;
    // Nothing happened: the runner loads the data and runs the same turn again.
    return { state: previous ?? initialState(ctx.now), effects: [], needs: error.what };
  }
}

function turnFor(
  previous: ConversationState | null,
  input: EngineInput,
  ctx: EngineContext,
): StepResult {
  if (!previous) {
    const turn = new Turn(initialState(ctx.now), ctx);
    // "hi", "good morning": greeted in English (the language question still follows).
    if (!input.choice && greetingLanguage(input.text) === "en" && turn.person.language !== "en")
      turn.effect({ type: "setLanguage", language: "en" });
    return turn.say({ key: "greeting" }, languageReply()).result();
  }
  const turn = new Turn(previous, ctx);
  const text = input.choice
    ? choiceAsNumber(previous, input.choice)
    : normalize(input.text.slice(0, MAX_INPUT));
  const raw = input.choice ? text : input.text.slice(0, MAX_INPUT);

  if (turn.state.flow === "handoff" && !turn.person.handoffOpen) turn.go("menu", "main");
  // The "other city" steps of before every regency was known: the city question now.
  if (LEGACY_CITY_STEPS.has(turn.state.step)) turn.state.step = "city";
  if (turn.state.flow === "deleted") {
    // Data was deleted; a new message starts afresh.
    return turnFor(null, input, ctx);
  }

  // An option on the screen wins over a global word that sounds like it: "mulai" under
  // "2. Mulai dari awal" starts again (the global "mulai" would only open the menu).
  if (turn.state.flow === "resume" && RESTART_WORDS.has(text)) {
    answerResume(turn, text);
    return turn.result();
  }
  const freeText = FREE_TEXT.has(turn.state.step);
  // Exact global words first; then a valid answer to the question (so "Batu" is a city, not
  // "bantu" with a typo); then global words with a typo.
  const exact = globalWord(text, { fuzzy: false, freeText });
  if (exact) {
    handleGlobal(turn, exact);
    return turn.result();
  }
  const command = vacancyCommand(text);
  if (command) {
    runVacancyCommand(turn, command);
    return turn.result();
  }
  const trainingRef = trainingCommand(text);
  if (trainingRef !== undefined) {
    runTrainingCommand(turn, trainingRef);
    return turn.result();
  }
  const question = questionAt(turn.state);
  if (question && !input.media && question.read(text, raw, turn.state.draft).ok) {
    answerQuestion(turn, turn.state.step as QuestionId, text, raw);
    return turn.result();
  }
  const near = freeText ? undefined : globalWord(text, { fuzzy: true, freeText });
  if (near) {
    handleGlobal(turn, near);
    return turn.result();
  }
  const idle = ctx.now.getTime() - Date.parse(previous.updatedAt);
  if (RESUMABLE.has(turn.state.flow) && idle > RESUME_AFTER_MS) {
    pause(turn, "resume", "ask");
    turn.say({ key: "resume.welcomeBack" }, resumeReply());
    return turn.result();
  }
  if (turn.state.flow === "handoff") {
    answerHandoff(turn);
    return turn.result();
  }
  if (input.media || raw.trim() === "") {
    fail(turn, input.media ? "unclear.media" : "unclear.empty");
    return turn.result();
  }
  answer(turn, text, raw);
  return turn.result();
}

/** The registration question being asked, if any. */
function questionAt(state: ConversationState) {
  const asking = (state.flow === "register" || state.flow === "edit") && state.step in QUESTIONS;
  return asking ? QUESTIONS[state.step as QuestionId] : undefined;
}

/** A pressed button: the number of that choice in the last message, so every path reads numbers. */
function choiceAsNumber(state: ConversationState, choice: string): string {
  for (const reply of state.lastReplies) {
    const index = reply.choices?.findIndex((c) => c.id === choice) ?? -1;
    if (index >= 0) return String(index + (reply.firstNumber ?? 1));
  }
  return normalize(choice);
}

function answer(turn: Turn, text: string, raw: string): void {
  const { flow, step: current } = turn.state;
  if ((flow === "register" || flow === "edit") && current in QUESTIONS) {
    return answerQuestion(turn, current as QuestionId, text, raw);
  }
  switch (`${flow}.${current}`) {
    case "onboarding.language":
    case "language.choose":
      return answerLanguage(turn, text);
    case "consent.data":
      return answerDataConsent(turn, text);
    case "register.summary":
      return answerSummary(turn, text, raw);
    case "myData.view":
      return answerMyData(turn, text, raw);
    case "myData.pick":
      return answerEditPick(turn, text, raw);
    case "delete.confirm":
      return answerDelete(turn, text);
    case "resume.ask":
      return answerResume(turn, text);
    case "vacancies.list":
      return answerList(turn, text, VACANCIES);
    case "vacancies.detail":
      return answerDetail(turn, text, VACANCIES);
    case "trainings.list":
      return answerList(turn, text, TRAININGS);
    case "trainings.detail":
      return answerDetail(turn, text, TRAININGS);
    case "reminder.answer":
      return answerReminder(turn, text);
    default:
      return answerMenu(turn, text, raw);
  }
}

function answerLanguage(turn: Turn, text: string): void {
  const numbers = parseNumberList(text, 2);
  const language =
    numbers?.length === 1
      ? (["id", "en"] as const)[numbers[0]! - 1]
      : (
          {
            indonesia: "id",
            "bahasa indonesia": "id",
            indonesian: "id",
            english: "en",
            inggris: "en",
            "bahasa inggris": "en",
          } as Record<string, "id" | "en">
        )[text];
  // Not chosen yet: the hint is in both languages.
  if (!language) return fail(turn, "language.hint");
  turn.effect({ type: "setLanguage", language });
  // "bahasa" typed at the very first question is still the first question.
  if (turn.state.paused?.flow === "onboarding") {
    turn.state.paused = undefined;
    turn.go("onboarding", "language");
  }
  // At the first question the next message, in the language chosen, says it well enough.
  if (turn.state.flow === "onboarding") {
    return turn.person.profile ? showMenu(turn) : beginRegistration(turn);
  }
  turn.say({ key: "language.set" });
  unpause(turn);
}

/** The words of "2. Mulai dari awal" / "2. Start from the beginning". */
const RESTART_WORDS = phraseSet(REGISTRATION_WORDS.restart);

function answerResume(turn: Turn, text: string): void {
  const numbers = parseNumberList(text, 3);
  const yes = parseYesNo(text);
  const choice =
    numbers?.length === 1
      ? (["continue", "restart", "menu"] as const)[numbers[0]! - 1]
      : RESTART_WORDS.has(text)
        ? "restart"
        : yes === "yes"
          ? "continue"
          : yes === "no"
            ? "menu"
            : undefined;
  const paused = turn.state.paused;
  if (!choice) return fail(turn, "hint.chooseNumber");
  if (choice === "menu" || !paused) return showMenu(turn);
  if (choice === "continue") return unpause(turn);
  turn.state.paused = undefined;
  if (paused.flow === "register" || paused.flow === "consent") {
    // A new attempt: its steps are counted again in the funnel.
    turn.state.funnel = undefined;
    turn.state.editing = undefined;
    turn.state.draft = {};
    turn.state.history = [];
    return beginRegistration(turn);
  }
  showMenu(turn);
}

function handleGlobal(turn: Turn, word: GlobalWord): void {
  switch (word) {
    case "repeat":
      // The question or list of this step, not what was said around it ("Perubahan sudah
      // disimpan", a hint): that is what people ask to hear again.
      if (turn.state.flow === "vacancies" && turn.state.step === "list") {
        return showListPage(turn, VACANCIES);
      }
      if (turn.state.flow === "trainings" && turn.state.step === "list") {
        return showListPage(turn, TRAININGS);
      }
      turn.say(...currentPrompt(turn));
      return;
    case "menu":
      return showMenu(turn);
    case "back":
      if (
        (turn.state.flow === "register" || turn.state.flow === "edit") &&
        backInRegistration(turn)
      )
        return;
      // On details, "2. Kembali ke daftar" is what "kembali" means: the list, not the menu.
      if (turn.state.flow === "vacancies" && turn.state.step === "detail") {
        return backToList(turn, VACANCIES);
      }
      if (turn.state.flow === "trainings" && turn.state.step === "detail") {
        return backToList(turn, TRAININGS);
      }
      if (turn.state.paused) return unpause(turn);
      return showMenu(turn);
    case "help":
      turn.say({ key: "help.text" });
      return resumeHere(turn);
    case "person":
      return openHandoff(turn);
    case "stop":
      return setMessaging(turn, false);
    case "start":
      if (!turn.person.messagingActive) return setMessaging(turn, true);
      if (turn.state.flow === "onboarding") return resumeHere(turn);
      return showMenu(turn);
    case "myData":
      return showMyData(turn);
    case "deleteData":
      return askDelete(turn);
    case "language":
      return openItem(turn, "language");
    case "plain":
      return togglePlain(turn);
  }
}
