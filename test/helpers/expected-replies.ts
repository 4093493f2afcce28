import { step } from "../../src/engine/engine.ts";
import { applyToPerson, newPerson } from "../../src/engine/person.ts";
import type { ConversationState, Reply } from "../../src/engine/types.ts";
import { renderTurn } from "../../src/outbox/render.ts";

/**
 * Messages per inbound message when the pure engine runs the messages one
 * after another for a new person, joined as the runner joins a turn's
 * replies (`renderTurn`): what each message must get, exactly once.
 */
export function expectedReplyCounts(
  texts: readonly string[],
  now = new Date(),
  serviceName = "PKI",
): number[] {
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
    const replies = result.effects.flatMap((e): Reply[] => (e.type === "reply" ? [e.reply] : []));
    return renderTurn(replies, {
      language: person.language,
      plainLanguage: person.plainLanguage,
      serviceName,
    }).length;
  });
}
