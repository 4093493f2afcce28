import { applyToPerson } from "./person.ts";
import {
  type Catalog,
  type ConversationState,
  type Effect,
  type EngineContext,
  FUNNEL_STEPS,
  type FunnelStep,
  type PersonView,
  type Reply,
  type StepResult,
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

  /**
   * The funnel: a registration step reached for the first time in this attempt is
   * counted once (going back, corrections and resuming count nothing new).
   */
  reachStep(step: FunnelStep): void {
    const reached = this.state.funnel ?? [];
    if (reached.includes(step)) return;
    this.state.funnel = [...reached, step];
    this.effect({ type: "funnelStep", step, cityCode: this.state.draft.cityCode });
  }

  private countFunnelStep(): void {
    const step = funnelStepOf(this.state);
    if (step) this.reachStep(step);
  }

  go(flow: string, step: string): this {
    this.state.flow = flow;
    this.state.step = step;
    this.state.failures = 0;
    return this;
  }

  result(): StepResult {
    // Back at the main menu without it on the screen: one short line says how to see it
    // (the menu itself is shown when asked, after a task is done, after an unclear answer).
    const last = this.replies.at(-1);
    if (
      this.state.flow === "menu" &&
      this.state.step === "main" &&
      last &&
      !last.choices?.length &&
      !this.replies.some((r) => r.key === MENU_KEY)
    ) {
      this.replies.push({ key: MENU_HINT_KEY });
    }
    this.countFunnelStep();
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

/** Where a registration stands when a turn ends there (the consent, a question, the summary). */
function funnelStepOf(state: ConversationState): FunnelStep | undefined {
  if (state.editing) return undefined; // a correction from the summary is no new step
  if (state.flow === "consent" && state.step === "data") return "consent";
  if (state.flow !== "register") return undefined;
  return REGISTER_STEPS.has(state.step) ? (state.step as FunnelStep) : undefined;
}

/** The steps of the "register" flow that count: every funnel step but the consent and done. */
const REGISTER_STEPS: ReadonlySet<string> = new Set<FunnelStep>(
  FUNNEL_STEPS.filter((s) => s !== "consent" && s !== "done"),
);

/** The main menu's message, and the line that ends a turn at the menu without it. */
export const MENU_KEY = "menu.title";
export const MENU_HINT_KEY = "menu.hint";

/** Thrown inside a turn that needs data the context lacks; `step` turns it into `needs`. */
export class NeedsData extends Error {
  constructor(readonly what: "catalog") {
    super(`turn needs ${what}`);
  }
}
