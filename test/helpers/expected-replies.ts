import { step } from "../../src/engine/engine.ts";
import { applyToPerson, newPerson } from "../../src/engine/person.ts";
import type { ConversationState } from "../../src/engine/types.ts";

/**
 * Replies per message when the pure engine runs the messages one after
 * another for a new person: what each message must get, exactly once.
 */
export function expectedReplyCounts(texts: readonly string[], now = new Date()): number[] {
  let state: ConversationState | null = null;
  const person = newPerson();
  return texts.map((text, i) => {
    const result = step(
      state,
      { text },
      { now: new Date(now.getTime() + i * 1000), person: structuredClone(person) },
    );
    for (const e of result.effects) applyToPerson(person, e);
    state = result.state;
    return result.effects.filter((e) => e.type === "reply").length;
  });
}
