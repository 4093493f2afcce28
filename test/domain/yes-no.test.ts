import { describe, expect, it } from "vitest";
import { parseYesNo } from "../../src/domain/yes-no.ts";

describe("parseYesNo", () => {
  it.each([
    "ya",
    "Ya",
    "YA!",
    "iya",
    "iyaa",
    "iyaaa 🙏",
    "y",
    "Y",
    "yes",
    "Yes please",
    "yup",
    "ok",
    "OK!",
    "oke",
    "okee",
    "okay",
    "okey",
    "oke deh",
    "boleh",
    "setuju",
    "Setuju.",
    "sip",
    "siap kak",
    "benar",
    "betul",
    "mau",
    "bersedia",
    "lanjut",
    "ya saya setuju",
    "Ya, saya bersedia",
    "iya kak, boleh",
    "ya terima kasih",
    "baik",
    "tentu saja",
    "of course",
    "1",
    " 1 ",
    "setujuu",
    "stuju",
    "bersediaa",
  ])("%j → yes", (text) => {
    expect(parseYesNo(text)).toBe("yes");
  });

  it.each([
    "tidak",
    "Tidak.",
    "tdk",
    "gak",
    "ga",
    "gk",
    "nggak",
    "ngga",
    "enggak",
    "engga",
    "no",
    "NO",
    "n",
    "nope",
    "jangan",
    "tolak",
    "menolak",
    "tidak setuju",
    "belum",
    "2",
    "tidak mau",
    "gak mau kak",
    "saya tidak bersedia",
    "no thanks",
    "tidakk",
    "tidka",
    "gakk",
    "nggaaak",
    "tidak, terima kasih",
  ])("%j → no", (text) => {
    expect(parseYesNo(text)).toBe("no");
  });

  it.each([
    "",
    "   ",
    "👍",
    "ya tidak",
    "iya gak",
    "yes no",
    "1 2",
    "3",
    "mungkin",
    "nanti",
    "ga tau",
    "tidak tahu",
    "halo",
    "apa ini",
    "siapa", // one letter from "siap"
    "balik", // one letter from "baik"
    "besar", // one letter from "benar"
    "terima kasih", // thanks is not an answer
    "ya tapi saya takut",
    "yaitu",
    "menu",
  ])("%j → null", (text) => {
    expect(parseYesNo(text)).toBeNull();
  });
});
