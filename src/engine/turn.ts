import { applyToPerson } from "./person.ts";
import type {
  ConversationState,
  Effect,
  EngineContext,
  PersonView,
  Reply,
  StepResult,
} from "./types.ts";

/**
 * One turn being built: the replies and effects so far, and the person as
 * they will be once the effects are applied (a language change applies to
 * the rest of the turn).
 */
export class Turn {
  readonly replies: Reply[] = [];
  readonly effects: Effect[] = [];
  readonly person: PersonView;
  readonly now: Date;
  state: ConversationState;

  constructor(state: ConversationState, ctx: EngineContext) {
    this.state = { ...state, draft: { ...state.draft }, history: [...state.history] };
    this.person = { ...ctx.person, consents: { ...ctx.person.consents } };
    this.now = ctx.now;
  }

  say(...replies: Reply[]): this {
    this.replies.push(...replies);
    return this;
  }

  effect(effect: Effect): this {
    this.effects.push(effect);
    applyToPerson(this.person, effect);
    return this;
  }

  go(flow: string, step: string): this {
    this.state.flow = flow;
    this.state.step = step;
    this.state.failures = 0;
    return this;
  }

  result(): StepResult {
    const state: ConversationState = {
      ...this.state,
      lastReplies: this.replies.length > 0 ? this.replies : this.state.lastReplies,
      updatedAt: this.now.toISOString(),
    };
    return {
      state,
      effects: [
        ...this.effects,
        ...this.replies.map((reply): Effect => ({ type: "reply", reply })),
      ],
    };
  }
}
