/**
 * One numbering people can follow (issue 16, bug 4): in every reply of every
 * conversation fixture, the only numbered lines are the reply's own choices
 * (the numbers people type), and a vacancy's or training's own number appears
 * only as a code after its word ("lowongan 11"), never as "nomor 11".
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseFixture, runFixture } from "../helpers/conversation.ts";

const DIR = join(import.meta.dirname, "../fixtures/conversations");
const files = readdirSync(DIR).filter((f) => f.endsWith(".txt"));
const OWN_NUMBER = /\b(?:lowongan|pelatihan|vacancy|training) (?:nomor|number) \d/iu;

describe("numbers in replies", () => {
  for (const file of files) {
    it(file, () => {
      for (const plain of [false, true]) {
        const fixture = parseFixture(join(DIR, file));
        if (plain) fixture.person = { ...fixture.person, plainLanguage: true };
        for (const { turn, replies } of runFixture(fixture)) {
          for (const { reply, text } of replies) {
            const where = `${file}:${turn.line} ${reply.key}${plain ? " (plain)" : ""}`;
            const numbered = text.split("\n").filter((l) => /^\d+\. /u.test(l));
            expect(numbered.length, `${where}: numbered lines that are not choices`).toBe(
              reply.choices?.length ?? 0,
            );
            expect(text, where).not.toMatch(OWN_NUMBER);
          }
        }
      }
    });
  }
});
