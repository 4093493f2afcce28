import { describe, expect, it } from "vitest";
import { normalize } from "../../src/domain/normalize.ts";
import { globalWord } from "../../src/engine/words.ts";

describe("global words", () => {
  it.each([
    ["menu", "menu"],
    ["MENU", "menu"],
    ["Ulangi", "repeat"],
    ["ulang", "repeat"],
    ["repeat", "repeat"],
    ["kembali", "back"],
    ["back", "back"],
    ["bantuan", "help"],
    ["help", "help"],
    ["petugas", "person"],
    ["Petugas!", "person"],
    ["staff", "person"],
    ["berhenti", "stop"],
    ["stop", "stop"],
    ["mulai", "start"],
    ["/start", "start"],
    ["data saya", "myData"],
    ["my data", "myData"],
    ["hapus data", "deleteData"],
    ["delete my data", "deleteData"],
    ["bahasa", "language"],
    ["language", "language"],
    ["bahasa sederhana", "plain"],
  ])("%s → %s", (typed, word) => {
    expect(globalWord(normalize(typed), { fuzzy: true })).toBe(word);
  });

  it.each([
    ["bantuab", "help"],
    ["kembli", "back"],
    ["berhenit", "stop"],
    ["petugaas", "person"],
  ])("tolerates one typo where answers are choices: %s", (typed, word) => {
    expect(globalWord(normalize(typed), { fuzzy: true })).toBe(word);
    expect(globalWord(normalize(typed), { fuzzy: false })).toBeUndefined();
  });

  it.each([
    "admin",
    "operator",
    "menu makanan",
    "saya mau berhenti kerja",
    "Mulyani",
    "Kembang",
    "bahasa inggris",
  ])("is not fooled by answers that merely look like a command: %s", (typed) => {
    expect(globalWord(normalize(typed), { fuzzy: true })).toBeUndefined();
  });
});

describe("answers before typo matching", () => {
  it.each(["Batu", "Bantul", "staf"])("%s is not read as a command with a typo", (typed) => {
    expect(globalWord(normalize(typed), { fuzzy: true })).toBeUndefined();
  });

  it("leaves English words that are also jobs to free-text answers", () => {
    expect(globalWord("staff", { fuzzy: false, freeText: true })).toBeUndefined();
    expect(globalWord("staff", { fuzzy: false })).toBe("person");
    expect(globalWord("petugas", { fuzzy: false, freeText: true })).toBe("person");
  });
});
