import { describe, expect, it } from "vitest";
import { cleanInput, cleanText } from "../../src/lib/text.ts";

describe("cleanText and cleanInput", () => {
  it("drops NUL and replaces unpaired surrogates", () => {
    expect(cleanText("a\0b\ud800c")).toBe("ab\ufffdc");
  });

  it("cleans every string of parsed input, deeply, and keeps other values", () => {
    const date = new Date(0);
    const input = { q: "x\0", list: ["\0", 1, null], nested: { deep: "\udc00" }, n: 3, date };
    expect(cleanInput(input)).toEqual({
      q: "x",
      list: ["", 1, null],
      nested: { deep: "\ufffd" },
      n: 3,
      date,
    });
    expect(cleanInput(Buffer.from("a\0"))).toEqual(Buffer.from("a\0"));
  });

  it("keeps a query object's prototype and a __proto__ key as a plain field", () => {
    const query = Object.create(Object.create(null));
    Object.defineProperty(query, "__proto__", { value: "\0x", enumerable: true });
    const cleaned = cleanInput(query) as Record<string, unknown>;
    expect(Object.getPrototypeOf(Object.getPrototypeOf(cleaned))).toBeNull();
    expect(Object.getOwnPropertyDescriptor(cleaned, "__proto__")?.value).toBe("x");
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});
