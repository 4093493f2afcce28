import { describe, expect, it } from "vitest";
import { normalize } from "../../src/domain/normalize.ts";
import { ITEM_WORDS, itemWord } from "../../src/engine/flows/menu.ts";
import { TRAINING_WORDS, trainingCommand } from "../../src/engine/flows/trainings.ts";
import { COMMAND_WORDS, vacancyCommand } from "../../src/engine/flows/vacancies.ts";
import { globalWord, WORDS } from "../../src/engine/words.ts";

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

/** One slip of the thumb: two neighbouring letters swapped in the middle of the longest word. */
function swapped(form: string): string {
  const words = form.split(" ");
  const longest = words.reduce((a, b) => (b.length > a.length ? b : a));
  const i = Math.floor(longest.length / 2);
  const typo = longest.slice(0, i - 1) + longest[i] + longest[i - 1] + longest.slice(i + 1);
  return form.replace(longest, typo);
}
/** One letter left out, in the middle of the longest word. */
function dropped(form: string): string {
  const words = form.split(" ");
  const longest = words.reduce((a, b) => (b.length > a.length ? b : a));
  const i = Math.floor(longest.length / 2);
  return form.replace(longest, longest.slice(0, i) + longest.slice(i + 1));
}

describe("every command and menu word with one slip (issue 16, bug 3)", () => {
  const slips = (form: string) => {
    const joined = form.replace(/ /g, "").length;
    if (joined < 4) return [];
    const list = [swapped(form), `${form}${form.at(-1)}`];
    if (joined >= 6) list.push(dropped(form));
    return list.filter((t) => t !== form);
  };

  it("global words, both languages", () => {
    for (const [word, forms] of Object.entries(WORDS)) {
      for (const form of forms) {
        if (["staff", "agent", "home", "human"].includes(form)) continue; // exact only: also jobs
        for (const typo of slips(form)) expect(globalWord(typo, { fuzzy: true }), typo).toBe(word);
      }
    }
  });

  it("menu words and their abbreviations", () => {
    for (const [form, item] of ITEM_WORDS) {
      for (const typo of slips(form)) expect(itemWord(typo), typo).toBe(item);
    }
    expect(itemWord("lowngan")).toBe("vacancies");
    expect(itemWord("lowker")).toBe("vacancies");
    expect(itemWord("kursus")).toBe("trainings");
  });

  it("vacancy and training commands", () => {
    for (const [form, verb] of COMMAND_WORDS) {
      for (const typo of slips(form))
        expect(vacancyCommand(`${typo} 12`), typo).toEqual({ verb, ref: 12 });
    }
    for (const form of TRAINING_WORDS.keys()) {
      for (const typo of slips(form)) expect(trainingCommand(`${typo} 4`), typo).toBe(4);
    }
  });

  it.each(["minta 12", "saya 25", "umur 25", "nomor 3"])("%s is not a command", (text) => {
    expect(vacancyCommand(text)).toBeUndefined();
    expect(trainingCommand(text)).toBeUndefined();
  });

  it.each(["halo", "hello", "tidak", "baik", "oke", "data", "batal", "lagi"])(
    "%s is no menu or global word",
    (text) => {
      expect(itemWord(text)).toBeUndefined();
      expect(globalWord(text, { fuzzy: true })).toBeUndefined();
    },
  );
});
