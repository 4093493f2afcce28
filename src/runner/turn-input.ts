import { initialState } from "../engine/engine.ts";
import type { ConversationState, EngineInput, StepResult } from "../engine/types.ts";

/** A stored inbound payload as the engine's input (anything unexpected reads as empty text). */
export function toEngineInput(payload: unknown): EngineInput {
  const p = (payload ?? {}) as Record<string, unknown>;
  return {
    text: typeof p.text === "string" ? p.text : "",
    ...(typeof p.choice === "string" ? { choice: p.choice } : {}),
    ...(typeof p.media === "string" ? { media: p.media } : {}),
  };
}

/** The turn when the engine failed on a message: an apology, the state kept. */
export function failedStep(state: ConversationState | null, now: Date): StepResult {
  const reply = { key: "error.generic" };
  return {
    state: { ...(state ?? initialState(now)), lastReplies: [reply], updatedAt: now.toISOString() },
    effects: [{ type: "reply", reply }],
  };
}
