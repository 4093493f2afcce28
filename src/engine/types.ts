import type { EducationLevel } from "../domain/education.ts";
import type { WorkMode } from "../domain/work-mode.ts";

/**
 * The engine's vocabulary. The engine is pure: it gets the conversation
 * state, one input and a context (with the time and what is stored about the
 * person), and returns the new state and effects as data. The runner applies
 * the effects in one transaction.
 */

/** A value to fill into a message. `{ key }` is translated first; `{ list }` is joined with commas, `{ lines }` with line breaks. */
export type ReplyParam =
  | string
  | number
  | { key: string; params?: Record<string, ReplyParam> }
  | { list: ReplyParam[] }
  /** One per line. */
  | { lines: ReplyParam[] }
  | DateParam;

/** A moment shown in a time zone, in the person's language ("Senin, 12 Januari 2027, 09.00 WITA"); `weekday: false` leaves out "Senin". */
export interface DateParam {
  date: string;
  timeZone: string;
  time?: boolean;
  weekday?: boolean;
}

/** A message to send, as locale keys: the runner renders it in the person's language. */
export interface Reply {
  key: string;
  params?: Record<string, ReplyParam>;
  /** Numbered options, written as numbered lines (and buttons where a channel has them). */
  choices?: ChoiceRef[];
  /** Show the choices as buttons too (default true when there are choices). */
  buttons?: boolean;
  /** The number of the first choice (default 1): a list's later pages go on from 6. */
  firstNumber?: number;
}

export interface ChoiceRef {
  id: string;
  key: string;
  params?: Record<string, ReplyParam>;
}

/** A registered job seeker's answers. Codes as in API.md. */
export interface Profile {
  fullName: string;
  cityCode: string;
  cityOtherKind?: "kota" | "kabupaten";
  cityOtherName?: string;
  disabilityCategories: string[];
  disabilityDeclined: boolean;
  education: string;
  /** Canonical tags, for matching. */
  skills: string[];
  /** The skills as the person wrote them, to show back (absent on profiles from before). */
  skillsWritten?: string[];
  experience?: string;
  /** Canonical tags, for matching. */
  jobTypes: string[];
  /** The jobs wanted as the person wrote them. */
  jobTypesWritten?: string[];
  workModes: string[];
  accommodations: string[];
  accommodationNote?: string;
  communication: string[];
  phone?: string;
}

/**
 * Registration answers so far: profile fields, and the places a typed city
 * name could mean while the person is asked which one.
 */
export type Draft = Partial<Profile> & { cityChoices?: string[] };

export type ConsentPurpose = "data" | "disability";
export type DataRequestKind = "view" | "correct" | "delete" | "stop" | "start";

export type Effect =
  | { type: "reply"; reply: Reply }
  | { type: "setLanguage"; language: string }
  | { type: "setPlainLanguage"; plain: boolean }
  | { type: "recordConsent"; purpose: ConsentPurpose; granted: boolean; textVersion: string }
  | { type: "saveProfile"; profile: Profile }
  | { type: "updateProfile"; fields: Partial<Profile> }
  | { type: "deleteData" }
  | { type: "setMessaging"; active: boolean }
  | { type: "openHandoff" }
  | { type: "logDataRequest"; kind: DataRequestKind; detail?: string }
  /** "minat": the person is interested in a vacancy (staff are told). */
  | { type: "apply"; vacancyId: string }
  | { type: "withdraw"; vacancyId: string }
  /** Take a seat in a training (or a place on its waitlist, when `expect` says it is full). */
  | { type: "enrol"; trainingId: string; expect: "enrolled" | "waitlisted" }
  /** Give up a seat or a waitlist place. */
  | { type: "unenrol"; trainingId: string }
  /** The answer to a reminder: absent gives the seat to the next on the waitlist. */
  | { type: "answerReminder"; trainingId: string; attending: boolean }
  /** These vacancies were shown in chat: not pushed to them again. */
  | { type: "markSeen"; matches: { vacancyId: string; score: number }[] }
  /**
   * A registration step reached for the first time in this attempt, for the drop-out
   * funnel: nothing about the person but the place answered so far (the runner adds the
   * day, channel and language).
   */
  | { type: "funnelStep"; step: FunnelStep; cityCode?: string };

/** The registration questions, in the order they are asked (questions.ts reads each). */
export const QUESTION_IDS = [
  "name",
  "city",
  "cityPick",
  "disabilityConsent",
  "categories",
  "education",
  "skills",
  "experience",
  "jobTypes",
  "workModes",
  "accommodations",
  "communication",
  "phone",
] as const;
export type QuestionId = (typeof QUESTION_IDS)[number];

/** The registration funnel's steps, in the order people meet them: the consent, each question, the summary, done. */
export const FUNNEL_STEPS = ["consent", ...QUESTION_IDS, "summary", "done"] as const;
export type FunnelStep = (typeof FUNNEL_STEPS)[number];

/** An open vacancy as the engine shows it. Codes as in API.md. */
export interface VacancyView {
  id: string;
  /** The number people type ("minat 12"). */
  ref: number;
  title: string;
  employer: string;
  cityCode: string;
  workMode: WorkMode;
  minEducation: EducationLevel;
  skills: string[];
  skillTags: string[];
  tags: string[];
  suitableFor: string[];
  accommodations: string[];
  accessibilityNote?: string;
  openings: number;
  /** ISO time. */
  deadline: string;
  description: string;
  howToApply: string;
  wage?: string;
}

/** An upcoming training as the engine shows it. */
export interface TrainingView {
  id: string;
  /** The number people type ("pelatihan 4"). */
  ref: number;
  title: string;
  organizer: string;
  cityCode: string;
  online: boolean;
  venue: string;
  /** ISO times. */
  startsAt: string;
  registrationDeadline: string;
  durationMinutes: number;
  capacity: number;
  /** Seats taken now. */
  enrolled: number;
  /** People waiting for a seat now. */
  waiting: number;
  accommodations: string[];
  description: string;
}

/** Open vacancies and trainings and where this person stands with them. Loaded only when a turn needs it. */
export interface Catalog {
  vacancies: VacancyView[];
  trainings: TrainingView[];
  /** The person's current enrolments (cancelled ones are left out). */
  enrollments: { trainingId: string; status: "enrolled" | "waitlisted" }[];
  /** Ids of vacancies the person said they are interested in (and did not withdraw). */
  applied: string[];
  /** Ids of vacancies already pushed to or shown to the person. */
  seen: string[];
}

export interface EngineInput {
  text: string;
  /** Id of a pressed button. */
  choice?: string;
  /** Set when the message is a voice note, picture, sticker, ... */
  media?: string;
}

/** What is stored about the person, as the engine needs it. */
export interface PersonView {
  language: string;
  plainLanguage: boolean;
  /** False after `berhenti`: no proactive messages. */
  messagingActive: boolean;
  /** The latest decision per purpose; undefined = never asked. */
  consents: Partial<Record<ConsentPurpose, boolean>>;
  profile: Profile | null;
  handoffOpen: boolean;
  /** Phone number the channel told us, if any. */
  channelPhone?: string;
}

export interface EngineContext {
  now: Date;
  person: PersonView;
  /** Given when a previous try of this turn asked for it (`StepResult.needs`). */
  catalog?: Catalog;
}

export interface ConversationState {
  version: 2;
  flow: string;
  step: string;
  /** Registration answers so far (personal data: wiped with the conversation on deletion). */
  draft: Draft;
  /** Answering a question again from the summary or "my data": go back there afterwards. */
  editing?: "summary" | "profile";
  /** The field being corrected, for the data-request record. */
  editingField?: string;
  /** Steps answered in this flow, for `kembali`. */
  history: string[];
  /** The replies of the last turn: a pressed button is read as the number of its choice there. */
  lastReplies: Reply[];
  /** Failed answers to the current question. */
  failures: number;
  /** Time of the last turn, ISO. */
  updatedAt: string;
  /** Where the person was when asked whether to continue. */
  paused?: { flow: string; step: string };
  /** When the last "your message was passed on" note was sent during a handoff. */
  handoffNoticeAt?: string;
  /** Vacancies being browsed: the list as first shown (ids, best first), the page, the one opened. */
  browse?: { ids: string[]; offset: number; open?: string };
  /** Trainings being browsed, the same way. */
  trainings?: { ids: string[]; offset: number; open?: string };
  /** The reminder waiting for "1 hadir / 2 berhalangan", as it was sent (for "ulangi"). */
  reminder?: { trainingId: string; reply: Reply };
  /**
   * Registration steps reached in this attempt, in order (each counted once in the
   * funnel); the last is where someone who leaves left. Cleared when registered.
   */
  funnel?: FunnelStep[];
}

export interface StepResult {
  state: ConversationState;
  effects: Effect[];
  /** The turn needs data it was not given: run it again with `ctx.catalog` (nothing else happened). */
  needs?: "catalog";
}

/** Something that happened outside the chat that the person is told about, as a turn of its own. */
export type ProactiveEvent = {
  type: "reminder";
  training: TrainingView;
  /** Minutes before the start this reminder is for. */
  offsetMinutes: number;
};
