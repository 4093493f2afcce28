import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { effectLine, parseFixture, runFixture } from "../helpers/conversation.ts";

const DIR = join(import.meta.dirname, "../fixtures/conversations");
const files = readdirSync(DIR).filter((f) => f.endsWith(".txt"));

describe("conversation fixtures", () => {
  it("exist", () => {
    expect(files.length).toBeGreaterThan(5);
  });

  for (const file of files) {
    it(file, () => {
      const results = runFixture(parseFixture(join(DIR, file)));
      for (const { turn, replies, effects } of results) {
        const where = `${file}:${turn.line} (${JSON.stringify(turn.input)})`;
        expect(
          replies.map((r) => r.reply.key),
          `${where} replies`,
        ).toEqual(turn.expectReplies.map((r) => r.key));
        turn.expectReplies.forEach((expected, i) => {
          for (const part of expected.contains) {
            expect(replies[i]?.text, `${where} reply ${i + 1}`).toContain(part);
          }
        });
        expect(effects.map(effectLine), `${where} effects`).toEqual(
          turn.expectEffects.map((e) => e.text),
        );
        turn.expectEffects.forEach((expected, i) => {
          if (!expected.fields) return;
          const effect = effects[i] as unknown as Record<string, unknown>;
          const body = (effect.profile ?? effect.fields) as Record<string, unknown>;
          expect(body, `${where} effect ${i + 1}`).toMatchObject(expected.fields);
        });
      }
    });
  }
});
