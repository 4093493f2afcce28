import { currentPrompt } from "../prompts.ts";
import type { Turn } from "../turn.ts";
import type { Reply } from "../types.ts";

/** After this many failed answers to one question, a person is offered. */
export const MAX_FAILURES = 3;

/** An answer that could not be read: say what is expected and ask again; offer a person after 3. */
export function fail(turn: Turn, hint: string, params?: Reply["params"]): void {
  turn.state.failures += 1;
  turn.say(params ? { key: hint, params } : { key: hint }, ...currentPrompt(turn));
  if (turn.state.failures >= MAX_FAILURES) turn.say({ key: "offerPerson" });
}

/** Remembers where the person is, to come back after a side trip (language, resume). */
export function pause(turn: Turn, flow: string, step: string): void {
  const { flow: fromFlow, step: fromStep } = turn.state;
  if (fromFlow !== flow) turn.state.paused = { flow: fromFlow, step: fromStep };
  turn.go(flow, step);
}

/** Goes back to where the person was before the side trip, and asks that again. */
export function unpause(turn: Turn): void {
  const paused = turn.state.paused;
  turn.state.paused = undefined;
  if (paused && paused.flow !== "menu") turn.go(paused.flow, paused.step);
  else turn.go("menu", "main");
  turn.say(...currentPrompt(turn));
}
