import { parseNumberList } from "../../domain/number-list.ts";
import { parseYesNo } from "../../domain/yes-no.ts";
import { type Listing, openListItem, showListPage } from "../browse.ts";
import { phraseSet, phrases, TRAINING_WORDS as WORDS } from "../command-words.ts";
import { sharingNotice } from "../sharing.ts";
import {
  reminderReply,
  type Standing,
  standing,
  trainingChoices,
  trainingDetailReply,
  trainingPageReply,
  upcomingTrainings,
  whenParam,
} from "../training-replies.ts";
import { Turn } from "../turn.ts";
import type {
  ConversationState,
  EngineContext,
  ProactiveEvent,
  StepResult,
  TrainingView,
} from "../types.ts";
import { lookupWord } from "../words.ts";
import { fail, pause, unpause } from "./common.ts";

const ENROL_WORDS = phraseSet(WORDS.enrol);
const UNENROL_WORDS = phraseSet(WORDS.unenrol);
const LIST_WORDS = phraseSet(WORDS.list);
const ATTENDING_WORDS = phraseSet(WORDS.attending);
const ABSENT_WORDS = phraseSet(WORDS.absent);

export const TRAINING_WORDS: ReadonlyMap<string, true> = new Map(
  phrases(WORDS.training).map((w) => [w, true] as const),
);

/** "pelatihan 4" / "training 4" (one slip forgiven): the details of training number 4, from anywhere. */
export function trainingCommand(text: string): number | undefined {
  const m = /^(\S+) (?:nomor |no |number |#)?(\d{1,7})$/u.exec(text);
  return m && lookupWord(m[1]!, TRAINING_WORDS) ? Number(m[2]) : undefined;
}

export function runTrainingCommand(turn: Turn, ref: number): void {
  const training = find(turn, { ref });
  if (!training) {
    turn.say({ key: "training.notFound", params: { ref } }).go("menu", "main");
    return;
  }
  showTraining(turn, training);
}

/** The menu item: upcoming trainings in the person's city and online, soonest first. */
export function openTrainings(turn: Turn): void {
  const list = upcomingTrainings(turn.person, turn.catalog(), turn.now);
  if (list.length === 0) {
    turn.state.trainings = undefined;
    turn.say({ key: "training.none" }).go("menu", "main");
    return;
  }
  turn.state.trainings = { ids: list.map((t) => t.id), offset: 0 };
  if (!turn.person.profile) turn.say({ key: "training.unregistered" });
  showListPage(turn, TRAININGS);
}

const taken = (s: Standing) => s === "enrolled" || s === "waitlisted";

/** Trainings as people browse them: the list and details answered in flows/navigation.ts. */
export const TRAININGS: Listing<TrainingView> = {
  flow: "trainings",
  slot: "trainings",
  open: openTrainings,
  pageReply: trainingPageReply,
  find,
  show: showTraining,
  noMore: "training.noMore",
  listHint: "training.hintList",
  taken: (turn, training) => taken(standing(training, turn.catalog())),
  take: enrol,
  giveUp: unenrol,
  takeWords: ENROL_WORDS,
  giveUpWords: UNENROL_WORDS,
  listWords: LIST_WORDS,
};

/** An upcoming training open for registration (in any city), by id or by the number people type. */
function find(turn: Turn, key: { id: string } | { ref: number }): TrainingView | undefined {
  return upcomingTrainings({ ...turn.person, profile: null }, turn.catalog(), turn.now).find((t) =>
    "id" in key ? t.id === key.id : t.ref === key.ref,
  );
}

function showTraining(turn: Turn, training: TrainingView): void {
  openListItem(turn, TRAININGS, training);
  turn.say(trainingDetailReply(training, turn));
}

function enrol(turn: Turn, training: TrainingView): void {
  if (!turn.person.profile) {
    turn.say({ key: "training.registerFirst" }).go("menu", "main");
    return;
  }
  const s = standing(training, turn.catalog());
  if (taken(s)) {
    turn.say({
      key: `training.already.${s}`,
      params: { title: training.title },
      choices: trainingChoices(s),
    });
    return;
  }
  const expect = s === "full" ? "waitlisted" : "enrolled";
  turn.effect({ type: "enrol", trainingId: training.id, expect });
  turn.say(
    {
      key: expect === "enrolled" ? "training.enrolled" : "training.waitlisted",
      params: {
        title: training.title,
        when: whenParam(training, turn.person),
        position: training.waiting + 1,
      },
    },
    sharingNotice(turn.person, training.cityCode, trainingChoices(expect)),
  );
}

function unenrol(turn: Turn, training: TrainingView): void {
  const s = standing(training, turn.catalog());
  if (!taken(s)) {
    turn.say({
      key: "training.notEnrolled",
      params: { title: training.title },
      choices: trainingChoices(s),
    });
    return;
  }
  turn.effect({ type: "unenrol", trainingId: training.id });
  turn.say({
    key: s === "enrolled" ? "training.unenrolled" : "training.leftWaitlist",
    params: { title: training.title, ref: training.ref },
    choices: trainingChoices(standing(training, turn.catalog())),
  });
}

/**
 * A reminder, as a turn of its own: it interrupts whatever the person was
 * doing (they come back to it after answering) and waits for "1 hadir /
 * 2 berhalangan". Pure, like `step`.
 */
export function remind(
  state: ConversationState,
  event: ProactiveEvent,
  ctx: EngineContext,
): StepResult {
  const turn = new Turn(state, ctx);
  const reply = reminderReply(event.training, turn.person);
  if (turn.state.flow !== "reminder") pause(turn, "reminder", "answer");
  turn.state.reminder = { trainingId: event.training.id, reply };
  turn.say(reply);
  return turn.result();
}

export function answerReminder(turn: Turn, text: string): void {
  const pending = turn.state.reminder;
  if (!pending) return unpause(turn);
  const numbers = parseNumberList(text, 2);
  const yesNo = parseYesNo(text);
  const attending =
    numbers?.length === 1
      ? numbers[0] === 1
      : ATTENDING_WORDS.has(text) || yesNo === "yes"
        ? true
        : ABSENT_WORDS.has(text) || yesNo === "no"
          ? false
          : undefined;
  if (attending === undefined) return fail(turn, "training.hintReminder");
  turn.effect({ type: "answerReminder", trainingId: pending.trainingId, attending });
  turn.state.reminder = undefined;
  turn.say({ key: attending ? "training.thanksAttending" : "training.thanksAbsent" });
  unpause(turn);
}
