import { describe, expect, it } from "vitest";
import { MAIN_MENU, step } from "../../src/engine/engine.ts";
import type { ConversationState, Effect } from "../../src/engine/types.ts";

const ctx = {
  now: new Date("2026-11-28T02:00:00Z"),
  person: { language: "id", plainLanguage: false },
};
const keys = (effects: Effect[]) => effects.map((e) => (e.type === "reply" ? e.reply.key : e.type));

function run(lines: string[]) {
  let state: ConversationState | null = null;
  const turns: string[][] = [];
  for (const text of lines) {
    const result = step(state, { text }, ctx);
    state = result.state;
    turns.push(keys(result.effects));
  }
  return { state, turns };
}

describe("engine (greeting and menu)", () => {
  it("greets a new person and shows the menu", () => {
    expect(run(["halo"]).turns).toEqual([["greeting", "menu.title"]]);
  });

  it("repeats the last message exactly on ulangi", () => {
    const { turns } = run(["halo", "7", "ulangi"]);
    expect(turns[2]).toEqual(turns[1]);
  });

  it("opens menu items by number, word or button", () => {
    expect(run(["halo", "4"]).turns[1]).toEqual(["notReady", "menu.title"]);
    expect(run(["halo", "Petugas!"]).turns[1]).toEqual(["notReady", "menu.title"]);
    const first = step(null, { text: "hi" }, ctx).state;
    const byButton = step(first, { text: "", choice: MAIN_MENU[0]!.id }, ctx);
    expect(byButton.effects[0]).toMatchObject({
      reply: { params: { item: { key: "menu.vacancies" } } },
    });
  });

  it("offers a person after three unclear answers", () => {
    const { turns, state } = run(["halo", "asdf", "qwer", "zxcv"]);
    expect(turns[1]).toEqual(["unclear.text", "menu.title"]);
    expect(turns[3]).toEqual(["unclear.text", "offerPerson", "menu.title"]);
    expect(state?.failures).toBe(3);
  });

  it("answers media it cannot read", () => {
    const first = step(null, { text: "halo" }, ctx).state;
    expect(keys(step(first, { text: "", media: "sticker" }, ctx).effects)[0]).toBe("unclear.media");
  });
});
