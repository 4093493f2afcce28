import { describe, expect, it } from "vitest";
import {
  handoffInNotice,
  parseCommand,
  parseSegment,
} from "../../src/features/staff/chat-commands.ts";

describe("staff chat commands", () => {
  it.each([
    ["/broadcast", { kind: "broadcast" }],
    ["/broadcast@ijc_bot", { kind: "broadcast" }],
    ["/pengumuman", { kind: "broadcast" }],
    ["/stats", { kind: "stats" }],
    ["/batal", { kind: "cancel" }],
    ["/cancel", { kind: "cancel" }],
    ["/handoffs", { kind: "handoffs" }],
    [
      "/reply 1a2b3c4d Halo Bu, kami telepon besok.",
      {
        kind: "reply",
        handoff: "1a2b3c4d",
        text: "Halo Bu, kami telepon besok.",
      },
    ],
    ["/balas 1A2B3C4D  baik", { kind: "reply", handoff: "1a2b3c4d", text: "baik" }],
    ["/reply 1a2b3c4d", { kind: "help" }],
    ["/reply nomor teks", { kind: "help" }],
    ["/close 1a2b3c4d", { kind: "close", handoff: "1a2b3c4d" }],
    ["/close", { kind: "help" }],
    ["/help", { kind: "help" }],
    ["/unknown", null],
    ["halo", null],
    ["", null],
  ])("%j", (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });

  it("finds the handoff number in a notice", () => {
    expect(
      handoffInNotice(
        "Permintaan baru untuk bicara dengan petugas (nomor 0f3e9a21, lewat telegram).",
      ),
    ).toBe("0f3e9a21");
    expect(
      handoffInNotice(
        "New request to talk to staff (number 0F3E9A21, via whatsapp). Reply to this message.",
      ),
    ).toBe("0f3e9a21");
    expect(handoffInNotice("Ada peminat baru untuk lowongan nomor 12")).toBeNull();
    // Someone's remark or the list of several handoffs is no notice.
    expect(handoffInNotice("saya ambil 1a2b3c4d ya")).toBeNull();
    expect(
      handoffInNotice("2 orang menunggu:\n1a2b3c4d (console, 5 min)\n0f3e9a21 (telegram, 2 min)"),
    ).toBeNull();
  });
});

describe("segments typed in chat", () => {
  it.each([
    ["semua", { segment: {} }],
    ["everyone", { segment: {} }],
    ["kota Makassar, Bandung", { segment: { cities: ["7371", "3273"] } }],
    ["kota 7371", { segment: { cities: ["7371"] } }],
    ["city kota bandung", { segment: { cities: ["3273"] } }],
    ["ragam rungu, netra", { segment: { categories: ["rungu", "netra"] } }],
    ["category deaf", { segment: { categories: ["rungu"] } }],
    ["pendidikan SMA", { segment: { minEducation: "sma" } }],
    ["education S1", { segment: { minEducation: "s1" } }],
    ["pelatihan 4", { segment: {}, trainingRef: 4 }],
    ["lowongan 12", { segment: {}, vacancyRef: 12 }],
    [
      "kota Makassar; ragam fisik\npendidikan smk",
      { segment: { cities: ["7371"], categories: ["fisik"], minEducation: "smk" } },
    ],
  ])("%j", (text, expected) => {
    expect(parseSegment(text)).toEqual(expected);
  });

  it.each([
    ["kota Atlantis", "kota Atlantis"],
    ["kota Makassar; umur 30", "umur 30"],
    ["ragam bukan tuli", "ragam bukan tuli"],
    ["pendidikan tinggi sekali", "pendidikan tinggi sekali"],
    ["pelatihan empat", "pelatihan empat"],
    ["   ", "   "],
  ])("refuses %j, naming the part it did not understand", (text, part) => {
    expect(parseSegment(text)).toEqual({ error: "segment.unknown", part });
  });
});
