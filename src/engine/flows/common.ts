import { currentPrompt, menuReply } from "../prompts.ts";
import type { Turn } from "../turn.ts";
import type { Reply } from "../types.ts";

/** The main menu, leaving any side trip or correction. */
export function showMenu(turn: Turn): void {
  turn.state.paused = undefined;
  turn.state.editing = undefined;
  turn.go("menu", "main").say(menuReply(turn.person));
}

/** After this many failed answers to one question, a person is offered. */
export const MAX_FAILURES = 3;

/**
 * An answer that could not be read: say what is expected and ask again; offer
 * a person after 3 (before the question, so its choices end the message).
 */
export function fail(turn: Turn, hint: string, params?: Reply["params"]): void {
  turn.state.failures += 1;
  turn.say(params ? { key: hint, params } : { key: hint });
  if (turn.state.failures >= MAX_FAILURES) turn.say({ key: "offerPerson" });
  turn.say(...promptAfterFailure(turn));
}

/**
 * What is asked again after an unclear answer: the question, except where it
 * is long to hear again: a list (its hint says "ulangi" reads it again) or a
 * vacancy's or training's details (only their numbered choices).
 */
function promptAfterFailure(turn: Turn): Reply[] {
  switch (`${turn.state.flow}.${turn.state.step}`) {
    case "vacancies.list":
    case "trainings.list":
      return [];
    case "vacancies.detail":
    case "trainings.detail": {
      const choices = currentPrompt(turn).at(-1)?.choices;
      return choices ? [{ key: "browse.choose", choices }] : currentPrompt(turn);
    }
    default:
      return currentPrompt(turn);
  }
}

/** Remembers where the person is, to come back after a side trip (language, resume). */
export function pause(turn: Turn, flow: string, step: string): void {
  const { flow: fromFlow, step: fromStep } = turn.state;
  if (fromFlow !== flow) turn.state.paused = { flow: fromFlow, step: fromStep };
  turn.go(flow, step);
}

/**
 * Goes back to where the person was before the side trip, and asks that
 * again; back at the main menu, the turn ends with the short "menu" line
 * rather than the whole menu (see `Turn.result`).
 */
export function unpause(turn: Turn): void {
  const paused = turn.state.paused;
  turn.state.paused = undefined;
  if (paused && paused.flow !== "menu") {
    turn.go(paused.flow, paused.step);
    turn.say(...currentPrompt(turn));
    return;
  }
  turn.go("menu", "main");
  // Nothing said yet ("kembali" out of the language question): the menu is the answer.
  if (turn.replies.length === 0) turn.say(...currentPrompt(turn));
}
