import { applyToPerson } from "./person.ts";
import type {
  Catalog,
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
  private readonly givenCatalog?: Catalog;

  constructor(state: ConversationState, ctx: EngineContext) {
    // Copies of everything a flow changes in place: the caller's state stays as it was
    // (a turn that asks for more data is run again from the same state).
    this.state = {
      ...state,
      draft: { ...state.draft },
      history: [...state.history],
      ...(state.browse ? { browse: { ...state.browse, ids: [...state.browse.ids] } } : {}),
      ...(state.trainings
        ? { trainings: { ...state.trainings, ids: [...state.trainings.ids] } }
        : {}),
    };
    this.person = { ...ctx.person, consents: { ...ctx.person.consents } };
    this.now = ctx.now;
    if (ctx.catalog) {
      const c = ctx.catalog;
      this.givenCatalog = {
        ...c,
        applied: [...c.applied],
        seen: [...c.seen],
        enrollments: c.enrollments.map((e) => ({ ...e })),
      };
    }
  }

  /** Open vacancies; asks the runner for them (and this turn is run again) when not given. */
  catalog(): Catalog {
    if (!this.givenCatalog) throw new NeedsData("catalog");
    return this.givenCatalog;
  }

  say(...replies: Reply[]): this {
    this.replies.push(...replies);
    return this;
  }

  effect(effect: Effect): this {
    this.effects.push(effect);
    applyToPerson(this.person, effect);
    const c = this.givenCatalog;
    if (c && effect.type === "apply") c.applied.push(effect.vacancyId);
    if (c && effect.type === "withdraw")
      c.applied = c.applied.filter((id) => id !== effect.vacancyId);
    if (c && effect.type === "markSeen") c.seen.push(...effect.matches.map((m) => m.vacancyId));
    if (c && effect.type === "enrol")
      c.enrollments.push({ trainingId: effect.trainingId, status: effect.expect });
    if (c && (effect.type === "unenrol" || (effect.type === "answerReminder" && !effect.attending)))
      c.enrollments = c.enrollments.filter((e) => e.trainingId !== effect.trainingId);
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

/** Thrown inside a turn that needs data the context lacks; `step` turns it into `needs`. */
export class NeedsData extends Error {
  constructor(readonly what: "catalog") {
    super(`turn needs ${what}`);
  }
}
