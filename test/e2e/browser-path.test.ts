import { describe, expect, it } from "vitest";
import { findChromium } from "../helpers/browser.ts";

describe("finding a browser for the console tests", () => {
  it("takes CHROMIUM_PATH, else a common place, else fails saying how to install one", () => {
    expect(findChromium({ CHROMIUM_PATH: process.execPath })).toBe(process.execPath);
    expect(() => findChromium({ CHROMIUM_PATH: "/nowhere/chromium" })).toThrow(
      "CHROMIUM_PATH=/nowhere/chromium is not a program that can be run",
    );
    expect(findChromium({}, ["/nowhere/a", process.execPath])).toBe(process.execPath);
    expect(() => findChromium({}, ["/nowhere/a"])).toThrow(/sudo apt install chromium/);
  });
});
