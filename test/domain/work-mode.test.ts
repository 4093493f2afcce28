import { describe, expect, it } from "vitest";
import { parseWorkModes, WORK_MODES, type WorkMode } from "../../src/domain/work-mode.ts";

describe("parseWorkModes", () => {
  it.each<[string, WorkMode[]]>([
    ["1", ["onsite"]],
    ["2", ["remote"]],
    ["3", ["hybrid"]],
    ["1 dan 2", ["onsite", "remote"]],
    ["1,3", ["onsite", "hybrid"]],
    ["4", [...WORK_MODES]],
    ["1 dan 4", [...WORK_MODES]],
    ["di kantor", ["onsite"]],
    ["kantor", ["onsite"]],
    ["di tempat", ["onsite"]],
    ["WFO", ["onsite"]],
    ["onsite", ["onsite"]],
    ["on-site", ["onsite"]],
    ["on site", ["onsite"]],
    ["dari rumah", ["remote"]],
    ["rumah", ["remote"]],
    ["dirumah", ["remote"]],
    ["WFH", ["remote"]],
    ["remote", ["remote"]],
    ["jarak jauh", ["remote"]],
    ["online", ["remote"]],
    ["hybrid", ["hybrid"]],
    ["hibrida", ["hybrid"]],
    ["campuran", ["hybrid"]],
    ["hybird", ["hybrid"]],
    ["semua", [...WORK_MODES]],
    ["bebas", [...WORK_MODES]],
    ["apa saja", [...WORK_MODES]],
    ["any", [...WORK_MODES]],
    ["saya lebih suka kerja dari rumah", ["remote"]],
    ["wfh atau wfo", ["onsite", "remote"]],
    ["kantor dan hybrid", ["onsite", "hybrid"]],
    ["bisa semua", [...WORK_MODES]],
  ])("%j → %j", (text, modes) => {
    expect(parseWorkModes(text)).toEqual(modes);
  });

  it.each([
    "",
    "0",
    "5",
    "1 dan 5",
    "halo",
    "kerja",
    "tidak mau di kantor", // a negation is not an answer
    "bukan remote",
    "jangan wfh",
    "👍",
  ])("%j → null", (text) => {
    expect(parseWorkModes(text)).toBeNull();
  });
});
