import { describe, expect, it } from "vitest";
import {
  CHAT_ABBREVIATIONS,
  type CheckOptions,
  checkMessage,
  countEmoji,
  RULES,
  type Rule,
} from "../../src/domain/accessibility.ts";

const rulesOf = (text: string, opts?: CheckOptions) => checkMessage(text, opts).map((v) => v.rule);
const words = (n: number) => Array.from({ length: n }, (_, i) => `kata${i + 1}`).join(" ");
const ENGLAND = "\u{1F3F4}\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}";

describe("RULES", () => {
  it("names each rule once with a description", () => {
    const names = RULES.map((r) => r.rule);
    expect(new Set(names).size).toBe(names.length);
    for (const r of RULES) expect(r.description.length).toBeGreaterThan(10);
  });
});

describe("countEmoji", () => {
  it.each<[string, number]>([
    ["", 0],
    ["Halo, apa kabar?", 0],
    ["Ketik #1 atau *2", 0],
    ["Terima kasih 👍", 1],
    ["👍🏽", 1],
    ["👨‍👩‍👧", 1],
    ["👩🏽‍💻", 1],
    ["🏳️‍🌈", 1],
    ["🇮🇩", 1],
    ["🇮🇩🇯🇵", 2],
    [ENGLAND, 1],
    ["❤️", 1],
    ["1️⃣", 1],
    ["▶ Mulai", 1],
    ["👍👍", 2],
  ])("%j has %i", (text, n) => {
    expect(countEmoji(text)).toBe(n);
  });
});

// Each row: text, options, the rules expected (exactly, in RULES order).
type Row = [string, CheckOptions, Rule[]];

describe("checkMessage", () => {
  const table: Record<string, Row[]> = {
    empty: [
      ["", {}, ["empty"]],
      ["  \n\t ", { plain: true, choices: 2 }, ["empty"]],
      ["Halo.", {}, []],
    ],
    "too-long": [
      ["x".repeat(1000), {}, []],
      ["x".repeat(1001), {}, ["too-long"]],
      ["x".repeat(600), { plain: true }, []],
      ["x".repeat(601), { plain: true }, ["too-long"]],
      [`${"x".repeat(999)}👍`, {}, []],
    ],
    "emoji-only-line": [
      ["👍", {}, ["emoji-only-line"]],
      ["Halo\n🎉", {}, ["emoji-only-line"]],
      ["👍🏽", {}, ["emoji-only-line"]],
      ["👨‍👩‍👧", {}, ["emoji-only-line"]],
      ["Pilihan:\n1️⃣", {}, ["emoji-only-line"]],
      ["Halo\n-----\nMenu", {}, ["emoji-only-line"]],
      ["Halo\n\nMenu", {}, []],
      ["{{name}} 👋", {}, []],
    ],
    "too-many-emoji": [
      ["Halo 👋\nTerima kasih 👍", {}, ["too-many-emoji"]],
      ["Terima kasih 👍", {}, []],
      ["Terima kasih 👍🏽", {}, []],
      ["Keluarga 👨‍👩‍👧", {}, []],
      ["Indonesia 🇮🇩", {}, []],
      ["Indonesia 🇮🇩🇮🇩", {}, ["too-many-emoji"]],
    ],
    "emoji-not-at-line-end": [
      ["✅ Berhasil", {}, ["emoji-not-at-line-end"]],
      ["Halo 👋 {{name}}", {}, ["emoji-not-at-line-end"]],
      ["Berhasil ✅", {}, []],
      ["Selamat 🎉!", {}, []],
      ["Halo 👋\nApa kabar?", {}, []],
    ],
    "chat-abbreviation": [
      ["Yg mana?", {}, ["chat-abbreviation"]],
      ["Saya TDK bisa.", {}, ["chat-abbreviation"]],
      ["Ok, thx!", {}, ["chat-abbreviation"]],
      ['Ketik "sy" untuk lanjut.', {}, ["chat-abbreviation"]],
      ["Balas ASAP.", {}, ["chat-abbreviation"]],
      ["Tinggal 3 hr lagi.", {}, ["chat-abbreviation"]],
      ["See u at 9", {}, ["chat-abbreviation"]],
      ["Kirim dr rumah", {}, ["chat-abbreviation"]],
      ["Gaji Rp 4.500.000 ada di Yogyakarta, sampai Jumat.", {}, []],
      ["Dari sini bisa jadi juga gajinya naik.", {}, []],
      ["Yang tidak, dengan, untuk, karena, sama, tapi, orang.", {}, []],
      ["Info lowongan: https://kemnaker.go.id/u/yg?r=1", {}, []],
      ["Buka www.example.org/sy atau disnaker.org hari ini.", {}, []],
      ["Tulis ke tdk.sy@example.org", {}, []],
      ["Halo {{u}} dan {{ sy }}.", {}, []],
      ["Staf HR dan GA, bagian R&D, e-KTP, kata-kata.", {}, []],
      ["Surat dari dr. Siti di Jl. R.A. Kartini.", {}, []],
      ["Dilarang merokok: asap rokok mengganggu.", {}, []],
    ],
    "choices-not-numbered": [
      ["1. Ya\n2. Tidak", { choices: 2 }, []],
      ["Pilih:\n  1. Ya\n  2. Tidak", { choices: 2 }, []],
      ["1. Ya\n2. Tidak", { choices: 3 }, ["choices-not-numbered"]],
      ["1) Ya\n2) Tidak", { choices: 2 }, ["choices-not-numbered"]],
      ["Ketik 1. Ya atau 2. Tidak", { choices: 2 }, ["choices-not-numbered"]],
      ["1.Ya\n2.Tidak", { choices: 2 }, ["choices-not-numbered"]],
      ["10. Lainnya", { choices: 1 }, ["choices-not-numbered"]],
      ["Ya atau tidak?", { choices: 0 }, []],
      ["Ya atau tidak?", {}, []],
    ],
    "plain-sentence-too-long": [
      [`${words(15)}.`, { plain: true }, []],
      [`${words(16)}.`, { plain: true }, ["plain-sentence-too-long"]],
      [`${words(16)}.`, {}, []],
      [`${words(10)}. ${words(10)}! ${words(10)}? ${words(10)}: ${words(10)}`, { plain: true }, []],
      [`${words(10)}\n${words(10)}`, { plain: true }, []],
      [`${words(14)} {{nama lengkap orang itu}}.`, { plain: true }, []],
      [`${words(14)} Rp 4.500.000 pukul 08:00.`, { plain: true }, ["plain-sentence-too-long"]],
      [`${words(15)} — 👍`, { plain: true }, []],
      [`Pilih satu:\n1. ${words(15)}\n2. ${words(15)}`, { plain: true, choices: 2 }, []],
      [`Pilih satu:\n1. ${words(16)}`, { plain: true, choices: 1 }, ["plain-sentence-too-long"]],
    ],
  };

  for (const [rule, rows] of Object.entries(table)) {
    describe(rule, () => {
      it.each(rows)("%j %j", (text, opts, expected) => {
        expect(rulesOf(text, opts)).toEqual(expected);
      });
    });
  }

  it("flags every listed abbreviation in lower case except the capitals-only ones", () => {
    for (const abbr of Object.keys(CHAT_ABBREVIATIONS)) {
      const expected = abbr === "asap" ? [] : ["chat-abbreviation"];
      expect(rulesOf(`Kata ${abbr} di sini`), abbr).toEqual(expected);
    }
  });

  it("reports each problem with its line and a fix", () => {
    expect(checkMessage("Halo\nsy mau daftar, lol")).toEqual([
      { rule: "chat-abbreviation", detail: 'Line 2: write "saya" instead of "sy".' },
      { rule: "chat-abbreviation", detail: 'Line 2: leave out "lol".' },
    ]);
    expect(checkMessage("✅ Siap 👍")).toEqual([
      { rule: "too-many-emoji", detail: "2 emoji; use at most one." },
      { rule: "emoji-not-at-line-end", detail: "Line 1: move ✅ to the end of the line." },
    ]);
    expect(checkMessage("Pilih:\n1. Ya", { choices: 3 })).toEqual([
      {
        rule: "choices-not-numbered",
        detail: "Missing numbered line(s) 2., 3. at the start of a line.",
      },
    ]);
  });

  it("passes a well-written menu in both variants", () => {
    const menu =
      "Menu utama. Ketik nomor pilihan Anda:\n1. Lowongan kerja\n2. Pelatihan\n3. Bantuan";
    expect(checkMessage(menu, { choices: 3 })).toEqual([]);
    expect(checkMessage(menu, { choices: 3, plain: true })).toEqual([]);
  });
});
