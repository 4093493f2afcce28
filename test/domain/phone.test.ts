import { describe, expect, it } from "vitest";
import { maskPhone, normalizeIndonesianPhone } from "../../src/domain/phone.ts";

describe("normalizeIndonesianPhone", () => {
  it.each<[string, string]>([
    ["08123456789", "+628123456789"],
    ["0812-3456-789", "+628123456789"],
    ["0812 3456 789", "+628123456789"],
    ["0812.3456.789", "+628123456789"],
    ["+62 812 3456 789", "+628123456789"],
    ["+62-812-3456-789", "+628123456789"],
    ["628123456789", "+628123456789"],
    ["62 812 3456 789", "+628123456789"],
    ["(0812) 3456789", "+628123456789"],
    ["+62 (0) 812 3456 789", "+628123456789"],
    ["0062 812 3456 789", "+628123456789"],
    ["  08123456789  ", "+628123456789"],
    ["０８１２３４５６７８９", "+628123456789"], // full-width digits
    ["0812–3456–789", "+628123456789"], // en dashes
    ["0812345678", "+62812345678"], // 9 digits after the 0
    ["0812345678901", "+62812345678901"], // 12 digits after the 0
  ])("%j → %j", (text, expected) => {
    expect(normalizeIndonesianPhone(text)).toBe(expected);
  });

  it.each([
    "",
    "0211234567", // Jakarta landline
    "+62 21 1234567",
    "8123456789", // no 0 or country code
    "081234567", // too short: 8 digits after the 0
    "08123456789012", // too long
    "08123456789a",
    "+65 8123 4567", // Singapore
    "+1 812 345 6789",
    "nomor saya 08123456789",
    "62",
    "👍",
  ])("%j → null", (text) => {
    expect(normalizeIndonesianPhone(text)).toBeNull();
  });
});

describe("maskPhone", () => {
  it.each<[string, string]>([
    ["+628123456789", "+62812****789"],
    ["+62812345678901", "+62812****901"],
    ["08123456789", "****"], // not E.164: reveal nothing
    ["", "****"],
  ])("%j → %j", (e164, expected) => {
    expect(maskPhone(e164)).toBe(expected);
  });
});
