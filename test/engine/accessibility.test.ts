/**
 * DESIGN.md's accessibility rules, enforced on every string in locales/ and
 * on every reply the conversation fixtures produce (as people see them).
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkMessage } from "../../src/domain/accessibility.ts";
import { LANGUAGES, loadResources } from "../../src/lib/i18n.ts";
import { parseFixture, runFixture } from "../helpers/conversation.ts";

const resources = loadResources();

/** Labels are parts of other messages (choice lines, values), not messages of their own. */
const LABEL_GROUPS = [
  "city.",
  "cityKindName.",
  "category.",
  "education.",
  "workMode.",
  "accommodation.",
  "communication.",
  "field.",
  "value.",
  "consent.answer.",
  "commands.",
  "vacancy.place.",
  "browse.",
  "training.standing.",
];
const LABELS = new Set([
  ...[
    "vacancies",
    "trainings",
    "register",
    "myData",
    "person",
    "language",
    "plain",
    "help",
    "stop",
    "start",
    "plainOff",
  ].map((k) => `menu.${k}`),
  "language.id",
  "language.en",
  "resume.continue",
  "resume.restart",
  "resume.menu",
  "delete.yes",
  "delete.no",
  "myData.edit",
  "myData.delete",
  "myData.menu",
  ...[
    "item",
    "apply",
    "withdraw",
    "backToList",
    "allCategories",
    "wageUnknown",
    "anyEducation",
    "atLeast",
  ].map((k) => `vacancy.${k}`),
  ...[
    "item",
    "online",
    "onlineShort",
    "venue",
    "noAccommodations",
    "seatsLeft",
    "seatsFull",
    "enrol",
    "joinWaitlist",
    "unenrol",
    "leaveWaitlist",
    "backToList",
    "attending",
    "absent",
  ].map((k) => `training.${k}`),
]);
const isLabel = (key: string) => LABELS.has(key) || LABEL_GROUPS.some((g) => key.startsWith(g));

function entries(tree: unknown, prefix = ""): [string, string][] {
  if (typeof tree === "string") return [[prefix, tree]];
  return Object.entries(tree as object).flatMap(([k, v]) =>
    entries(v, prefix ? `${prefix}.${k}` : k),
  );
}

describe("accessibility of every locale string", () => {
  for (const lang of LANGUAGES) {
    it(`${lang}: no emoji-only lines, at most one emoji, no chat abbreviations, short plain sentences`, () => {
      const problems: string[] = [];
      for (const [key, text] of entries(resources[lang]?.chat)) {
        const plain = key.endsWith("_plain");
        for (const v of checkMessage(text, { plain }))
          problems.push(`${lang} ${key}: ${v.rule}: ${v.detail}`);
      }
      expect(problems).toEqual([]);
    });

    it(`${lang}: every message has a plain-language variant`, () => {
      const keys = new Set(entries(resources[lang]?.chat).map(([k]) => k));
      const missing = [...keys].filter(
        (k) => !k.endsWith("_plain") && !isLabel(k) && !keys.has(`${k}_plain`),
      );
      expect(missing).toEqual([]);
    });
  }
});

/**
 * Every reply, and every message as sent (a turn's replies joined, see
 * `renderTurn`), as written and with plain language on from the start.
 */
describe("accessibility of every reply in the conversation fixtures", () => {
  const dir = join(import.meta.dirname, "../fixtures/conversations");
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".txt"))) {
    it(file, () => {
      const problems: string[] = [];
      for (const plain of [false, true]) {
        const fixture = parseFixture(join(dir, file));
        if (plain) fixture.person = { ...fixture.person, plainLanguage: true };
        for (const { replies, messages } of runFixture(fixture)) {
          for (const r of replies) {
            const violations = checkMessage(r.text, {
              plain: r.plain,
              choices: r.reply.choices?.length ?? 0,
              firstChoice: r.reply.firstNumber ?? 1,
            });
            for (const v of violations) problems.push(`${r.reply.key}: ${v.rule}: ${v.detail}`);
          }
          // Joined: the choice lines were checked above, with their reply.
          for (const m of messages) {
            for (const v of checkMessage(m.text, { plain: replies[0]?.plain ?? plain })) {
              problems.push(`message "${m.text.slice(0, 40)}…": ${v.rule}: ${v.detail}`);
            }
          }
        }
      }
      expect(problems).toEqual([]);
    });
  }
});
