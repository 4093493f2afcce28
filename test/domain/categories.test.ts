import { describe, expect, it } from "vitest";
import {
  DISABILITY_CATEGORIES,
  type DisabilityCategory,
  parseCategories,
} from "../../src/domain/categories.ts";

describe("DISABILITY_CATEGORIES", () => {
  it("keeps the order of the numbered list", () => {
    expect(DISABILITY_CATEGORIES).toEqual([
      "fisik",
      "intelektual",
      "mental",
      "netra",
      "rungu",
      "wicara",
    ]);
  });
});

describe("parseCategories", () => {
  it.each<[string, DisabilityCategory[]]>([
    // numbers and lists
    ["1", ["fisik"]],
    ["6", ["wicara"]],
    ["1 dan 4", ["fisik", "netra"]],
    ["1,4", ["fisik", "netra"]],
    ["5, 6", ["rungu", "wicara"]],
    ["nomor 4", ["netra"]],
    ["1 dan tuli", ["fisik", "rungu"]],
    // the words of DOMAIN.md and more
    ["fisik", ["fisik"]],
    ["Disabilitas fisik", ["fisik"]],
    ["daksa", ["fisik"]],
    ["tuna daksa", ["fisik"]],
    ["tunadaksa", ["fisik"]],
    ["kursi roda", ["fisik"]],
    ["pengguna kursi roda", ["fisik"]],
    ["amputasi", ["fisik"]],
    ["kaki saya diamputasi karena kecelakaan", ["fisik"]],
    ["lumpuh", ["fisik"]],
    ["lumpuh layu", ["fisik"]],
    ["polio", ["fisik"]],
    ["CP", ["fisik"]],
    ["cerebral palsy", ["fisik"]],
    ["celebral palsy", ["fisik"]],
    ["stroke", ["fisik"]],
    ["wheelchair", ["fisik"]],
    ["physical", ["fisik"]],
    ["grahita", ["intelektual"]],
    ["tunagrahita", ["intelektual"]],
    ["tuna grahita", ["intelektual"]],
    ["lambat belajar", ["intelektual"]],
    ["down syndrome", ["intelektual"]],
    ["Down Syndrom", ["intelektual"]],
    ["intellectual", ["intelektual"]],
    ["retardasi mental", ["intelektual"]], // the longer phrase wins over "mental"
    ["mental", ["mental"]],
    ["psikososial", ["mental"]],
    ["skizofrenia", ["mental"]],
    ["bipolar", ["mental"]],
    ["depresi", ["mental"]],
    ["autis", ["mental"]],
    ["psychosocial", ["mental"]],
    ["depresi dan bipolar", ["mental"]],
    ["netra", ["netra"]],
    ["tunanetra", ["netra"]],
    ["tuna netra", ["netra"]],
    ["Tuna-netra", ["netra"]],
    ["buta", ["netra"]],
    ["low vision", ["netra"]],
    ["lowvision", ["netra"]],
    ["rabun", ["netra"]],
    ["blind", ["netra"]],
    ["tuli", ["rungu"]],
    ["Tuli", ["rungu"]],
    ["tuna rungu", ["rungu"]],
    ["tunarungu", ["rungu"]],
    ["rungu", ["rungu"]],
    ["deaf", ["rungu"]],
    ["hard of hearing", ["rungu"]],
    ["tuna wicara", ["wicara"]],
    ["bisu", ["wicara"]],
    ["speech", ["wicara"]],
    ["tuli bisu", ["rungu", "wicara"]],
    // several in one message, other words around them
    ["tuli dan kursi roda", ["rungu", "fisik"]],
    ["netra, rungu", ["netra", "rungu"]],
    ["Saya Tuli sejak lahir", ["rungu"]],
    ["saya penyandang disabilitas netra", ["netra"]],
    ["disabilitas ganda: tuli dan netra", ["rungu", "netra"]],
    ["blind and deaf", ["netra", "rungu"]],
    // typos
    ["tunanetraa", ["netra"]],
    ["kursi rodaa", ["fisik"]],
    ["skizofren", ["mental"]],
    ["tunarunggu", ["rungu"]],
    ["amputasii", ["fisik"]],
    ["psikosoisal", ["mental"]],
  ])("%j → %j", (text, categories) => {
    expect(parseCategories(text)).toEqual({ categories });
  });

  it.each([
    "7",
    "tidak mau menjawab",
    "Tidak ingin menjawab",
    "rahasia",
    "lewati",
    "skip",
    "Prefer not to say",
    "tidak ingin",
    "tidak mau",
    "gak mau",
  ])("%j → declined", (text) => {
    expect(parseCategories(text)).toEqual({ declined: true });
  });

  it.each([
    "",
    "👍",
    "ganda", // means "more than one": ask which
    "multi",
    "disabilitas ganda",
    "tuna",
    "0",
    "8",
    "1 dan 7", // a category and "prefer not to say" contradict
    "tuli, sisanya rahasia",
    "saya 25 tahun",
    "halo",
    "saya tidak buta", // negations are not answers
    "bukan tuli",
    "tidak",
    "saya bisa bicara", // "bicara" is not "wicara"
    "saya buat kue", // "buat" is not "buta"
    "tulis", // nor is "tulis" "tuli"
    "rental mobil",
    "buta warna", // colour blindness is not a category
    "buta huruf", // illiteracy neither
    "fisika",
    "menu",
  ])("%j → null", (text) => {
    expect(parseCategories(text)).toBeNull();
  });
});
