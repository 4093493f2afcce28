import { describe, expect, it } from "vitest";
import { canonicalTag, parseTags } from "../../src/domain/tags.ts";

describe("canonicalTag", () => {
  it.each<[string, string]>([
    ["komputer", "komputer"],
    ["Computer", "komputer"],
    ["typing", "mengetik"],
    ["ketik", "mengetik"],
    ["jahit", "menjahit"],
    ["sewing", "menjahit"],
    ["menjait", "menjahit"], // typo
    ["masak", "memasak"],
    ["cooking", "memasak"],
    ["graphic design", "desain grafis"],
    ["Desain Grafis", "desain grafis"],
    ["accounting", "akuntansi"],
    ["admin", "administrasi"],
    ["administration", "administrasi"],
    ["marketing", "pemasaran"],
    ["sales", "penjualan"],
    ["jualan", "penjualan"],
    ["English", "bahasa inggris"],
    ["bahasa inggris", "bahasa inggris"],
    ["massage", "pijat"],
    ["pijit", "pijat"],
    ["craft", "kerajinan"],
    ["CS", "layanan pelanggan"],
    ["customer service", "layanan pelanggan"],
    ["Data Entry", "entri data"],
    ["MS Office", "microsoft office"],
    ["Ms. Word", "microsoft office"],
    ["excel", "microsoft office"],
    ["programming", "pemrograman"],
    ["coding", "pemrograman"],
    ["photography", "fotografi"],
    ["music", "musik"],
    ["cleaning", "kebersihan"],
    ["driving", "mengemudi"],
    ["menyetir", "mengemudi"],
    // unknown skills come back normalised, not forced onto a near neighbour
    ["Mandarin", "mandarin"],
    ["Tukang Las", "tukang las"],
    ["las", "las"],
    ["pijat refleksi", "pijat refleksi"],
    ["desain", "desain"],
  ])("%j → %j", (tag, expected) => {
    expect(canonicalTag(tag)).toBe(expected);
  });
});

describe("parseTags", () => {
  it.each<[string, string[]]>([
    ["menjahit, memasak dan komputer", ["menjahit", "memasak", "komputer"]],
    [
      "Saya bisa menjahit; suka masak\nMS Word & Excel",
      ["menjahit", "memasak", "microsoft office"],
    ],
    ["sewing / cooking", ["menjahit", "memasak"]],
    ["jahit, menjahit, sewing", ["menjahit"]],
    ["Bahasa Inggris dan Mandarin", ["bahasa inggris", "mandarin"]],
    ["customer service, CS, layanan pelanggan", ["layanan pelanggan"]],
    ["1. Menjahit\n2. Memasak", ["menjahit", "memasak"]],
    ["- pijat\n- kerajinan tangan", ["pijat", "kerajinan"]],
    ["i can drive", ["mengemudi"]],
    ["admin serta data entry", ["administrasi", "entri data"]],
    ["fotografi + musik", ["fotografi", "musik"]],
    ["Tukang kayu, tukang batu", ["tukang kayu", "tukang batu"]],
    ["memasak juga", ["memasak"]],
    ["a, b, 1, ,", []],
    ["saya bisa", []],
    ["", []],
    ["👍", []],
    [
      "tukang las yang sangat berpengalaman di bengkel kapal besar",
      ["tukang las yang sangat berpengalaman di"],
    ],
  ])("%j → %j", (text, expected) => {
    expect(parseTags(text)).toEqual(expected);
  });

  it("keeps each tag within 40 characters and at most max tags", () => {
    const many = Array.from({ length: 30 }, (_, i) => `keahlian nomor ${i + 1}`).join(", ");
    expect(parseTags(many)).toHaveLength(15);
    expect(parseTags(many, 3)).toEqual(["nomor 1", "nomor 2", "nomor 3"]);
    const long = parseTags("x".repeat(100));
    expect(long[0]).toHaveLength(40);
  });
});
