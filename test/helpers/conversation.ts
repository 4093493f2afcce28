/**
 * Conversation fixtures: text files of what a person writes and what the
 * engine must answer, run against the pure engine with a frozen clock.
 *
 *   # comment
 *   @ person {"channelPhone": "+628123456789"}   starting person (JSON, merged)
 *   @ advance 15m                                move the clock (s, m, h, d)
 *   @ vacancies vacancies.json                   open vacancies (file in test/fixtures/)
 *   @ trainings trainings.json                   upcoming trainings (file in test/fixtures/)
 *   @ funnel on                                  list the funnel's effects too (hidden otherwise)
 *   > halo                                       the person writes
 *   > [sticker]                                  a media message (no text)
 *   > [choice:yes]                               a pressed button
 *   < greeting                                   the next reply's locale key
 *   <~ Pusat Ketenagakerjaan                     ... and its rendered text contains this
 *   = setLanguage en                             the next effect (see effectLine)
 *   = saveProfile {"fullName": "Ani"}            ... with these fields (partial match)
 *
 * Every reply and every effect of a turn must be listed, in order.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { OutboundMessage } from "../../src/domain/messages.ts";
import { step } from "../../src/engine/engine.ts";
import { applyToPerson, newPerson } from "../../src/engine/person.ts";
import type {
  Catalog,
  ConversationState,
  Effect,
  EngineInput,
  PersonView,
  Reply,
  TrainingView,
  VacancyView,
} from "../../src/engine/types.ts";
import { render, renderTurn } from "../../src/outbox/render.ts";

export interface RenderedReply {
  reply: Reply;
  text: string;
  plain: boolean;
}

export interface Turn {
  line: number;
  input: EngineInput;
  expectReplies: { key: string; contains: string[] }[];
  expectEffects: { text: string; fields?: Record<string, unknown> }[];
}

export interface Fixture {
  person: Partial<PersonView>;
  /** Open vacancies (none unless the fixture names a file). */
  vacancies: VacancyView[];
  /** Upcoming trainings (none unless the fixture names a file). */
  trainings: TrainingView[];
  steps: ({ advanceMs: number } | Turn)[];
  /** List `funnelStep` effects (registration steps reached); hidden unless asked for. */
  funnel?: boolean;
}

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function parseFixture(path: string): Fixture {
  const fixture: Fixture = { person: {}, vacancies: [], trainings: [], steps: [] };
  let turn: Turn | undefined;
  readFileSync(path, "utf8")
    .split("\n")
    .forEach((rawLine, index) => {
      const line = rawLine.trimEnd();
      if (line === "" || line.startsWith("#")) return;
      const [op, ...rest] = line.split(" ");
      const arg = rest.join(" ");
      if (op === "@") {
        const [verb, ...value] = arg.split(" ");
        if (verb === "person")
          fixture.person = { ...fixture.person, ...JSON.parse(value.join(" ")) };
        else if (verb === "advance") {
          const m = /^(\d+)([smhd])$/.exec(value[0] ?? "");
          if (!m) throw new Error(`${path}:${index + 1}: bad advance`);
          fixture.steps.push({ advanceMs: Number(m[1]) * UNITS[m[2]!]! });
        } else if (verb === "funnel") {
          fixture.funnel = value[0] === "on";
        } else if (verb === "vacancies" || verb === "trainings") {
          fixture[verb] = JSON.parse(
            readFileSync(join(dirname(path), "..", value.join(" ")), "utf8"),
          );
        } else throw new Error(`${path}:${index + 1}: unknown @ ${verb}`);
      } else if (op === ">") {
        turn = { line: index + 1, input: parseInput(arg), expectReplies: [], expectEffects: [] };
        fixture.steps.push(turn);
      } else if (op === "<" && turn) {
        turn.expectReplies.push({ key: arg, contains: [] });
      } else if (op === "<~" && turn) {
        const last = turn.expectReplies.at(-1);
        if (!last) throw new Error(`${path}:${index + 1}: <~ before any <`);
        last.contains.push(arg);
      } else if (op === "=" && turn) {
        const brace = arg.indexOf("{");
        turn.expectEffects.push(
          brace < 0
            ? { text: arg }
            : { text: arg.slice(0, brace).trim(), fields: JSON.parse(arg.slice(brace)) },
        );
      } else {
        throw new Error(`${path}:${index + 1}: cannot read "${line}"`);
      }
    });
  return fixture;
}

function parseInput(arg: string): EngineInput {
  const media = /^\[(voice|image|sticker|document|video|location|contact)\]$/.exec(arg);
  if (media) return { text: "", media: media[1] };
  const choice = /^\[choice:(.+)\]$/.exec(arg);
  if (choice) return { text: "", choice: choice[1] };
  return { text: arg === "[empty]" ? "" : arg };
}

/** One effect as a fixture line: "setLanguage en", "recordConsent data yes", ... */
export function effectLine(effect: Effect): string {
  switch (effect.type) {
    case "setLanguage":
      return `setLanguage ${effect.language}`;
    case "setPlainLanguage":
      return `setPlainLanguage ${effect.plain ? "on" : "off"}`;
    case "recordConsent":
      return `recordConsent ${effect.purpose} ${effect.granted ? "yes" : "no"}`;
    case "setMessaging":
      return `setMessaging ${effect.active ? "on" : "off"}`;
    case "logDataRequest":
      return `logDataRequest ${effect.kind}${effect.detail ? ` ${effect.detail}` : ""}`;
    case "apply":
    case "withdraw":
      return `${effect.type} ${effect.vacancyId}`;
    case "enrol":
      return `enrol ${effect.trainingId} ${effect.expect}`;
    case "unenrol":
      return `unenrol ${effect.trainingId}`;
    case "answerReminder":
      return `answerReminder ${effect.trainingId} ${effect.attending ? "attending" : "absent"}`;
    case "markSeen":
      return `markSeen ${effect.matches.map((m) => `${m.vacancyId}:${m.score}`).join(" ")}`;
    case "funnelStep":
      return `funnelStep ${effect.step}${effect.cityCode ? ` ${effect.cityCode}` : ""}`;
    default:
      return effect.type;
  }
}

export const BASE_PERSON: PersonView = newPerson();

export interface TurnResult {
  turn: Turn;
  replies: RenderedReply[];
  /** The replies as the runner sends them: joined into as few messages as the content allows. */
  messages: OutboundMessage[];
  effects: Effect[];
  state: ConversationState;
}

/** Runs a fixture through the engine; returns every turn with its rendered replies. */
export function runFixture(
  fixture: Fixture,
  start = new Date("2026-11-30T01:00:00Z"),
): TurnResult[] {
  let now = start.getTime();
  let state: ConversationState | null = null;
  const person: PersonView = structuredClone({ ...BASE_PERSON, ...fixture.person });
  const results: TurnResult[] = [];
  const catalog: Catalog = {
    vacancies: fixture.vacancies,
    trainings: structuredClone(fixture.trainings),
    enrollments: [],
    applied: [],
    seen: [],
  };
  for (const item of fixture.steps) {
    if ("advanceMs" in item) {
      now += item.advanceMs;
      continue;
    }
    // Frozen: the engine must never change the state it was given.
    if (state) deepFreeze(state);
    const ctx = { now: new Date(now), person: structuredClone(person) };
    // Like the runner: without the catalog first, and again with it when the turn asks.
    let result = step(state, item.input, ctx);
    if (result.needs === "catalog") {
      if (result.effects.length > 0) throw new Error("a turn that needs data must not act");
      result = step(state, item.input, { ...ctx, catalog: structuredClone(catalog) });
    }
    for (const effect of result.effects) {
      applyToPerson(person, effect);
      applyToCatalog(catalog, effect);
    }
    state = result.state;
    const options = {
      language: person.language,
      plainLanguage: person.plainLanguage,
      serviceName: "Pusat Ketenagakerjaan Inklusif Kota Uji",
    };
    const replies = result.effects.flatMap((e) =>
      e.type === "reply"
        ? [{ reply: e.reply, plain: person.plainLanguage, text: render(e.reply, options).text }]
        : [],
    );
    results.push({
      turn: item,
      replies,
      messages: renderTurn(
        replies.map((r) => r.reply),
        options,
      ),
      effects: result.effects.filter(
        (e) => e.type !== "reply" && (fixture.funnel || e.type !== "funnelStep"),
      ),
      state: result.state,
    });
    now += 5_000;
  }
  return results;
}

/** What the runner's database would now say about the vacancies and this person. */
function applyToCatalog(catalog: Catalog, effect: Effect): void {
  if (effect.type === "apply") catalog.applied.push(effect.vacancyId);
  if (effect.type === "withdraw")
    catalog.applied = catalog.applied.filter((id) => id !== effect.vacancyId);
  if (effect.type === "markSeen") catalog.seen.push(...effect.matches.map((m) => m.vacancyId));
  const training = (id: string) => catalog.trainings.find((t) => t.id === id);
  if (effect.type === "enrol") {
    catalog.enrollments.push({ trainingId: effect.trainingId, status: effect.expect });
    const t = training(effect.trainingId);
    if (t && effect.expect === "enrolled") t.enrolled += 1;
    if (t && effect.expect === "waitlisted") t.waiting += 1;
  }
  if (effect.type === "unenrol" || (effect.type === "answerReminder" && !effect.attending)) {
    const mine = catalog.enrollments.find((e) => e.trainingId === effect.trainingId);
    const t = training(effect.trainingId);
    if (t && mine?.status === "enrolled") t.enrolled -= 1;
    if (t && mine?.status === "waitlisted") t.waiting -= 1;
    catalog.enrollments = catalog.enrollments.filter((e) => e.trainingId !== effect.trainingId);
  }
  if (effect.type === "deleteData") {
    catalog.applied = [];
    catalog.seen = [];
    catalog.enrollments = [];
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
