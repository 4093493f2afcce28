/**
 * Shorter replies (issue 16): what the registration and browse fixtures send,
 * as the runner sends it (a turn's replies joined), stays well under what
 * they sent before: 21,728 characters, 442 lines and 103 messages, with plain
 * language 18,451 characters (test/helpers/reply-length.ts prints the figures).
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseFixture, runFixture } from "../helpers/conversation.ts";

const DIR = join(import.meta.dirname, "../fixtures/conversations");
const FILES = [
  "register-id.txt",
  "register-en.txt",
  "vacancies-browse.txt",
  "trainings-browse.txt",
];

function measure(plain: boolean) {
  const total = { chars: 0, lines: 0, messages: 0, turns: 0 };
  for (const file of FILES) {
    const fixture = parseFixture(join(DIR, file));
    if (plain) fixture.person = { ...fixture.person, plainLanguage: true };
    for (const { messages } of runFixture(fixture)) {
      total.turns += 1;
      for (const m of messages) {
        total.messages += 1;
        total.chars += m.text.length;
        total.lines += m.text.split("\n").length;
      }
    }
  }
  return total;
}

describe("the length of what people hear", () => {
  const normal = measure(false);
  const plain = measure(true);

  it("is shorter than before issue 16, in characters, lines and messages", () => {
    expect(normal.chars).toBeLessThanOrEqual(0.83 * 21_728);
    expect(normal.lines).toBeLessThanOrEqual(0.91 * 442);
    expect(normal.messages).toBeLessThanOrEqual(0.72 * 103);
    expect(plain.chars).toBeLessThanOrEqual(0.86 * 18_451);
  });

  it("is one message per turn in these conversations", () => {
    expect(normal.messages).toBe(normal.turns);
    expect(plain.messages).toBe(plain.turns);
  });

  it("is shorter still in plain language", () => {
    expect(plain.chars).toBeLessThan(normal.chars);
  });
});
