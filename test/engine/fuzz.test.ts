/**
 * Thousands of random inputs at random places in the conversation: the
 * engine never throws, always answers, and its state stays valid.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { step } from "../../src/engine/engine.ts";
import { applyToPerson } from "../../src/engine/person.ts";
import { isConversationState } from "../../src/engine/state.ts";
import type {
  Catalog,
  ConversationState,
  EngineInput,
  PersonView,
  TrainingView,
  VacancyView,
} from "../../src/engine/types.ts";
import { render } from "../../src/outbox/render.ts";
import { BASE_PERSON } from "../helpers/conversation.ts";
import { rng } from "../helpers/random.ts";

const VACANCIES: VacancyView[] = JSON.parse(
  readFileSync(join(import.meta.dirname, "../fixtures/vacancies.json"), "utf8"),
);
const TRAININGS: TrainingView[] = JSON.parse(
  readFileSync(join(import.meta.dirname, "../fixtures/trainings.json"), "utf8"),
);

const MEANINGFUL = [
  "halo",
  "1",
  "2",
  "3",
  "4",
  "7",
  "11",
  "29",
  "ya",
  "tidak",
  "iya",
  "gak",
  "ok",
  "menu",
  "ulangi",
  "kembali",
  "bantuan",
  "petugas",
  "berhenti",
  "mulai",
  "data saya",
  "hapus data",
  "bahasa",
  "bahasa sederhana",
  "daftar",
  "lewati",
  "Ani",
  "makassar",
  "tuli",
  "1 dan 4",
  "S1",
  "08123456789",
  "menjahit, komputer",
  "apa saja",
  "lainnya",
  "kabupaten",
  "Sleman",
  "help",
  "back",
  "skip",
  "yes",
  "no",
  "english",
  "lowongan",
  "lagi",
  "minat",
  "minat 11",
  "minat 12",
  "batal minat 11",
  "lowongan 13",
  "lowongan 99999",
  "interested 2",
  "pelatihan",
  "pelatihan 21",
  "training 22",
  "hadir",
  "berhalangan",
];
const ODD = [
  "",
  " ",
  "\n\n",
  "👍",
  "😀😀😀",
  "🇮🇩",
  "مرحبا كيف حالك",
  "שלום",
  "\u202Eevil\u202C",
  "\u0000",
  "🧑🏽‍🦽",
  "０１２",
  "１",
  "ＭＥＮＵ",
  "-1",
  "0",
  "99999999999999999999",
  "1e5",
  "NaN",
  "null",
  "{{service}}",
  "$t(greeting)",
  "<script>alert(1)</script>",
  '\'; DROP TABLE "Person"; --',
  "%s%s%n",
  "\\",
  "ß",
  "İ",
  "ǅ",
];
const MEDIA = ["voice", "image", "sticker", "document", "video", "location", "contact", "other"];

function randomInput(r: () => number, state: ConversationState | null): EngineInput {
  const x = r();
  if (x < 0.35) return { text: MEANINGFUL[Math.floor(r() * MEANINGFUL.length)]! };
  if (x < 0.55) return { text: ODD[Math.floor(r() * ODD.length)]! };
  if (x < 0.62) return { text: "", media: MEDIA[Math.floor(r() * MEDIA.length)]! };
  if (x < 0.65) return { text: "x".repeat(10_000) };
  if (x < 0.68) return { text: "sangat panjang ".repeat(800) };
  if (x < 0.78) {
    const ids = state?.lastReplies.flatMap((rep) => rep.choices?.map((c) => c.id) ?? []) ?? [];
    return {
      text: "",
      choice: ids.length > 0 && r() < 0.8 ? ids[Math.floor(r() * ids.length)]! : "nonsense-id",
    };
  }
  const length = Math.floor(r() * 40);
  return {
    text: Array.from({ length }, () => String.fromCodePoint(Math.floor(r() * 0x2ffff))).join(""),
  };
}

describe("engine fuzz", () => {
  it("survives 6,000 random turns in 200 conversations", () => {
    const r = rng(20261128);
    let turns = 0;
    for (let c = 0; c < 200; c++) {
      let now = Date.parse("2026-11-30T01:00:00Z");
      let state: ConversationState | null = null;
      const person: PersonView = structuredClone(BASE_PERSON);
      const catalog: Catalog = {
        vacancies: VACANCIES,
        trainings: TRAININGS,
        enrollments: [],
        applied: [],
        seen: [],
      };
      for (let t = 0; t < 30; t++) {
        const input = randomInput(r, state);
        const where = `conversation ${c}, turn ${t}, input ${JSON.stringify(input).slice(0, 80)}, at ${state?.flow}.${state?.step}`;
        const ctx = { now: new Date(now), person: structuredClone(person) };
        let result = step(state, input, ctx);
        if (result.needs) {
          expect(result.effects, where).toEqual([]);
          result = step(state, input, { ...ctx, catalog: structuredClone(catalog) });
          expect(result.needs, where).toBeUndefined();
        }
        expect(
          result.effects.some((e) => e.type === "reply"),
          where,
        ).toBe(true);
        expect(isConversationState(result.state), where).toBe(true);
        expect(JSON.parse(JSON.stringify(result.state)), where).toEqual(result.state);
        for (const effect of result.effects) {
          applyToPerson(person, effect);
          if (effect.type === "apply") catalog.applied.push(effect.vacancyId);
          if (effect.type === "markSeen")
            catalog.seen.push(...effect.matches.map((m) => m.vacancyId));
        }
        for (const effect of result.effects) {
          if (effect.type !== "reply") continue;
          const text = render(effect.reply, {
            language: person.language,
            plainLanguage: person.plainLanguage,
            serviceName: "PKI",
          }).text;
          expect(text, `${where}: ${effect.reply.key} is missing from locales`).not.toBe(
            effect.reply.key,
          );
          expect(text, where).not.toContain("{{");
        }
        state = result.state;
        now += r() < 0.1 ? Math.floor(r() * 30 * 86_400_000) : Math.floor(r() * 60_000);
        turns += 1;
      }
    }
    expect(turns).toBe(6000);
  });
});
