/**
 * The engine's vocabulary. The engine is pure: it gets the conversation
 * state, one input and a context (with the time), and returns the new state
 * and effects as data. The runner applies the effects.
 */

/** A message to send, as locale keys: the runner renders it in the person's language. */
export interface Reply {
  key: string;
  params?: Record<string, ReplyParam>;
  /** Numbered options, shown as numbered lines (and buttons where a channel has them). */
  choices?: ChoiceRef[];
}

/** A value to fill in; `{ key }` is itself translated first. */
export type ReplyParam = string | number | { key: string };

export interface ChoiceRef {
  id: string;
  key: string;
}

export type Effect = { type: "reply"; reply: Reply } | { type: "setLanguage"; language: string };

export interface EngineInput {
  text: string;
  /** Id of a pressed button. */
  choice?: string;
  /** Set when the message is a voice note, picture, sticker, ... */
  media?: string;
}

export interface EngineContext {
  now: Date;
  person: { language: string; plainLanguage: boolean };
}

export interface ConversationState {
  version: 1;
  flow: string;
  step: string;
  /** The replies of the last turn, for `ulangi` (repeat exactly). */
  lastReplies: Reply[];
  /** Failed answers to the current question. */
  failures: number;
  updatedAt: string;
}

export interface StepResult {
  state: ConversationState;
  effects: Effect[];
}
