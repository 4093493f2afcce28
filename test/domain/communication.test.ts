import { describe, expect, it } from "vitest";
import { type CommunicationMode, parseCommunication } from "../../src/domain/communication.ts";

describe("parseCommunication", () => {
  it.each<[string, CommunicationMode[]]>([
    ["1", ["text"]],
    ["2", ["voice"]],
    ["3", ["sign_video"]],
    ["4", ["companion"]],
    ["1,3", ["text", "sign_video"]],
    ["1 dan 2", ["text", "voice"]],
    ["tulisan", ["text"]],
    ["teks", ["text"]],
    ["text", ["text"]],
    ["chat", ["text"]],
    ["ketik", ["text"]],
    ["suara", ["voice"]],
    ["voice note", ["voice"]],
    ["VN", ["voice"]],
    ["pesan suara", ["voice"]],
    ["voice", ["voice"]],
    ["video bahasa isyarat", ["sign_video"]],
    ["bahasa isyarat", ["sign_video"]],
    ["BISINDO", ["sign_video"]],
    ["isyarat", ["sign_video"]],
    ["sign language", ["sign_video"]],
    ["video", ["sign_video"]],
    ["pendamping", ["companion"]],
    ["keluarga", ["companion"]],
    ["dibantu", ["companion"]],
    ["dibantu keluarga", ["companion"]],
    ["companion", ["companion"]],
    ["family", ["companion"]],
    ["chat dan vn", ["text", "voice"]],
    ["lewat pesan suara saja", ["voice"]],
    ["tulisann", ["text"]],
    ["pendampingg", ["companion"]],
  ])("%j → %j", (text, modes) => {
    expect(parseCommunication(text)).toEqual(modes);
  });

  it.each(["", "0", "5", "1 dan 5", "halo", "tidak bisa vn", "bukan video", "👍"])(
    "%j → null",
    (text) => {
      expect(parseCommunication(text)).toBeNull();
    },
  );
});
