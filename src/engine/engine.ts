import { normalize } from "./normalize.ts";
import type {
  ChoiceRef,
  ConversationState,
  Effect,
  EngineContext,
  EngineInput,
  Reply,
  StepResult,
} from "./types.ts";

/** The main menu, in the order people see it. */
export const MAIN_MENU: ChoiceRef[] = [
  { id: "vacancies", key: "menu.vacancies" },
  { id: "trainings", key: "menu.trainings" },
  { id: "my_data", key: "menu.myData" },
  { id: "person", key: "menu.person" },
  { id: "language", key: "menu.language" },
  { id: "plain", key: "menu.plain" },
  { id: "help", key: "menu.help" },
  { id: "stop", key: "menu.stop" },
];

const REPEAT_WORDS = new Set(["ulang", "ulangi", "repeat", "again"]);
const MENU_WORDS = new Set(["menu", "menu utama", "main menu"]);
/** Words that open a menu item directly, in both languages. */
const ITEM_WORDS: Record<string, string> = {
  lowongan: "vacancies",
  vacancies: "vacancies",
  pelatihan: "trainings",
  trainings: "trainings",
  "data saya": "my_data",
  "my data": "my_data",
  petugas: "person",
  staff: "person",
  bahasa: "language",
  language: "language",
  bantuan: "help",
  help: "help",
  berhenti: "stop",
  stop: "stop",
};

const menuReply = (): Reply => ({ key: "menu.title", choices: MAIN_MENU });

export function initialState(now: Date): ConversationState {
  return {
    version: 1,
    flow: "menu",
    step: "main",
    lastReplies: [],
    failures: 0,
    updatedAt: now.toISOString(),
  };
}

/** Finds the menu item a person meant: by button, number or word. */
function pickMenuItem(input: EngineInput, text: string): ChoiceRef | undefined {
  const id = input.choice ?? ITEM_WORDS[text];
  if (id) return MAIN_MENU.find((c) => c.id === id);
  const n = Number(text);
  if (Number.isInteger(n) && n >= 1 && n <= MAIN_MENU.length) return MAIN_MENU[n - 1];
  return undefined;
}

/**
 * One turn of the conversation. Pure: no I/O, no clock reads.
 * Until the registration flow lands, it greets, shows the menu and says
 * honestly that the items are not available yet.
 */
export function step(
  previous: ConversationState | null,
  input: EngineInput,
  ctx: EngineContext,
): StepResult {
  const text = normalize(input.text);
  const state = previous ?? initialState(ctx.now);
  const reply = (replies: Reply[], failures = 0): StepResult => ({
    state: { ...state, lastReplies: replies, failures, updatedAt: ctx.now.toISOString() },
    effects: replies.map((r): Effect => ({ type: "reply", reply: r })),
  });

  if (!previous) return reply([{ key: "greeting" }, menuReply()]);
  if (REPEAT_WORDS.has(text) && state.lastReplies.length > 0) return reply(state.lastReplies);
  if (MENU_WORDS.has(text)) return reply([menuReply()]);

  const item = pickMenuItem(input, text);
  if (item) return reply([{ key: "notReady", params: { item: { key: item.key } } }, menuReply()]);

  const failures = state.failures + 1;
  const unclear: Reply = { key: input.media ? "unclear.media" : "unclear.text" };
  return reply(
    failures >= 3 ? [unclear, { key: "offerPerson" }, menuReply()] : [unclear, menuReply()],
    failures,
  );
}
