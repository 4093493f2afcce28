/**
 * One message per turn where the content allows (issue 16, "shorter
 * replies"): Telegram delivers about one message a second to a chat, so a
 * turn of three messages reached people three seconds later.
 */
import { describe, expect, it } from "vitest";
import { MAX_CHARS_PLAIN } from "../../src/domain/accessibility.ts";
import type { Reply } from "../../src/engine/types.ts";
import { renderTurn } from "../../src/outbox/render.ts";
import { parseFixture, runFixture } from "../helpers/conversation.ts";

const options = { language: "id", plainLanguage: false, serviceName: "PKI" };

describe("a turn's replies as messages", () => {
  it("joins replies, a blank line between them, the choices of the last at the end", () => {
    const replies: Reply[] = [
      { key: "plain.on" },
      { key: "menu.title", choices: [{ id: "vacancies", key: "menu.vacancies" }] },
    ];
    const [message, ...more] = renderTurn(replies, options);
    expect(more).toEqual([]);
    expect(message!.text).toMatch(
      /^Baik, mulai sekarang .+\n\nMenu utama\. .+\n1\. Lowongan kerja$/su,
    );
    expect(message!.choices).toEqual([{ id: "vacancies", label: "Lowongan kerja" }]);
  });

  it("starts a new message after one with choices: they end their message", () => {
    const replies: Reply[] = [
      { key: "menu.title", choices: [{ id: "vacancies", key: "menu.vacancies" }] },
      { key: "menu.hint" },
    ];
    expect(renderTurn(replies, options).map((m) => m.text)).toEqual([
      "Menu utama. Ketik nomornya:\n1. Lowongan kerja",
      'Ketik "menu" untuk pilihan lain.',
    ]);
  });

  it("keeps each message within what a screen reader should read in one go", () => {
    const long: Reply = { key: "help.text" };
    const plain = { ...options, plainLanguage: true };
    const messages = renderTurn([long, long, long], plain);
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) expect([...m.text].length).toBeLessThanOrEqual(MAX_CHARS_PLAIN);
  });

  it("sends a registration as one message per turn", () => {
    const fixture = parseFixture(
      new URL("../fixtures/conversations/register-id.txt", import.meta.url).pathname,
    );
    const perTurn = runFixture(fixture).map((r) => r.messages.length);
    expect(perTurn.every((n) => n === 1)).toBe(true);
  });
});
