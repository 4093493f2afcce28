import { parseNumberList } from "../../domain/number-list.ts";
import { parseYesNo } from "../../domain/yes-no.ts";
import { MENU_WORDS, MY_DATA_WORDS, phrases } from "../command-words.ts";
import { type FieldChange, fieldChange, pickedField } from "../field-words.ts";
import {
  currentPrompt,
  editPickReply,
  languageReply,
  type MenuItem,
  menuItems,
  myDataReplies,
  yesNoChoices,
} from "../prompts.ts";
import type { Turn } from "../turn.ts";
import { lookupWord } from "../words.ts";
import { fail, pause, showMenu, unpause } from "./common.ts";
import { beginRegistration, editField } from "./registration.ts";
import { openTrainings } from "./trainings.ts";
import { openVacancies } from "./vacancies.ts";

/** Words that open a menu item from the menu, besides its number (common abbreviations too). */
export const ITEM_WORDS: ReadonlyMap<string, MenuItem> = new Map<string, MenuItem>(
  Object.entries(MENU_WORDS).flatMap(([item, forms]) =>
    phrases(forms).map((w): [string, MenuItem] => [w, item as MenuItem]),
  ),
);

/** A menu item named by a word ("lowongan", "daftar"; one slip forgiven): they work on every menu-like screen. */
export function itemWord(text: string): MenuItem | undefined {
  return lookupWord(text, ITEM_WORDS);
}

export function answerMenu(turn: Turn, text: string, raw: string): void {
  const items = menuItems(turn.person);
  const numbers = parseNumberList(text, items.length);
  const item = numbers?.length === 1 ? items[numbers[0]! - 1] : itemWord(text);
  if (item) return openItem(turn, item);
  // "ganti kota ke Bogor", "my name is Siti": a change of the profile, from anywhere at the top.
  const change = numbers ? undefined : fieldChange(raw);
  if (change) return changeProfile(turn, change);
  fail(turn, "unclear.menu");
}

/** A change of one field asked for in words: made at once when the new value is given. */
function changeProfile(turn: Turn, change: FieldChange): void {
  if (!turn.person.profile) {
    turn.say({ key: "myData.noProfile" }).go("menu", "main");
    return;
  }
  turn.state.draft = { ...turn.person.profile };
  editField(turn, change.field, "profile", change.value);
}

export function openItem(turn: Turn, item: MenuItem): void {
  switch (item) {
    case "vacancies":
      return openVacancies(turn);
    case "trainings":
      return openTrainings(turn);
    case "register":
      return beginRegistration(turn);
    case "myData":
      return showMyData(turn);
    case "person":
      return openHandoff(turn);
    case "language":
      pause(turn, "language", "choose");
      turn.say(languageReply());
      return;
    case "plain":
      return togglePlain(turn);
    case "help":
      turn.say({ key: "help.text" }).go("menu", "main");
      return;
    case "stop":
    case "start":
      return setMessaging(turn, item === "start");
  }
}

export function showMyData(turn: Turn): void {
  turn.effect({ type: "logDataRequest", kind: "view" });
  turn.go("myData", "view").say(...myDataReplies(turn.person, turn.state.draft));
}

/** "my data" options: 1 change, 2 delete, 3 menu; or a change in words ("ubah kota ke Bogor"). */
export function answerMyData(turn: Turn, text: string, raw: string): void {
  const numbers = parseNumberList(text, 3);
  const choice =
    numbers?.length === 1
      ? (["edit", "delete", "menu"] as const)[numbers[0]! - 1]
      : MY_DATA_CHOICES[text];
  const item = choice ? undefined : itemWord(text);
  if (item) return openItem(turn, item);
  const change = choice || numbers ? undefined : fieldChange(raw, { loose: true });
  if (change) {
    if (!turn.person.profile) return beginRegistration(turn);
    return changeProfile(turn, change);
  }
  if (choice === "menu") return showMenu(turn);
  if (choice === "delete") return askDelete(turn);
  if (choice !== "edit") return fail(turn, "hint.chooseNumber");
  if (!turn.person.profile) return beginRegistration(turn);
  turn.go("myData", "pick").say(editPickReply(turn.person));
}

export function answerEditPick(turn: Turn, text: string, raw: string): void {
  const { field, numbered } = pickedField(text);
  const change = field || numbered ? undefined : fieldChange(raw, { loose: true });
  if (change && turn.person.profile) return changeProfile(turn, change);
  if (!field || !turn.person.profile) return fail(turn, "hint.chooseNumber");
  turn.state.draft = { ...turn.person.profile };
  editField(turn, field, "profile");
}

/** Words for the options under "my data". */
const MY_DATA_CHOICES: Readonly<Record<string, "edit" | "delete">> = Object.fromEntries(
  Object.entries(MY_DATA_WORDS).flatMap(([choice, forms]) =>
    phrases(forms).map((w) => [w, choice as "edit" | "delete"]),
  ),
);

export function askDelete(turn: Turn): void {
  pause(turn, "delete", "confirm");
  turn.say({ key: "delete.confirm", choices: yesNoChoices("delete.yes", "delete.no") });
}

export function answerDelete(turn: Turn, text: string): void {
  const answer = parseYesNo(text);
  if (!answer) return fail(turn, "hint.yesNo");
  if (answer === "no") {
    turn.say({ key: "delete.kept" });
    return unpause(turn);
  }
  turn.effect({ type: "logDataRequest", kind: "delete" });
  turn.effect({ type: "deleteData" });
  turn.state.draft = {};
  turn.state.history = [];
  turn.state.paused = undefined;
  turn.state.editing = undefined;
  turn.go("deleted", "done").say({ key: "delete.done" });
}

export function openHandoff(turn: Turn): void {
  if (turn.person.handoffOpen) {
    turn.go("handoff", "open").say({ key: "handoff.already" });
    return;
  }
  turn.effect({ type: "openHandoff" });
  turn.state.handoffNoticeAt = turn.now.toISOString();
  turn.go("handoff", "open").say({ key: "handoff.opened" });
}

/** A message while waiting for staff: it is kept for them; say so briefly. */
export function answerHandoff(turn: Turn): void {
  turn.say({ key: "handoff.received" });
}

export function togglePlain(turn: Turn): void {
  const plain = !turn.person.plainLanguage;
  turn.effect({ type: "setPlainLanguage", plain });
  turn.say({ key: plain ? "plain.on" : "plain.off" });
  resumeHere(turn);
}

export function setMessaging(turn: Turn, active: boolean): void {
  if (turn.person.messagingActive !== active) {
    turn.effect({ type: "setMessaging", active });
    turn.effect({ type: "logDataRequest", kind: active ? "start" : "stop" });
  }
  turn.say({ key: active ? "messages.started" : "messages.stopped" });
  resumeHere(turn);
}

/**
 * After a side remark (help, plain language, stop), show the current question
 * again; at the main menu, only the short "menu" line (see `Turn.result`).
 */
export function resumeHere(turn: Turn): void {
  if (turn.state.flow === "menu" && turn.state.step === "main") return;
  turn.say(...currentPrompt(turn));
}
