import { describe, expect, it } from "vitest";
import { LANGUAGES, loadResources } from "../../src/lib/i18n.ts";

/** Every key path of a nested locale object, e.g. "menu.title". */
function keys(value: unknown, prefix = ""): string[] {
  if (typeof value !== "object" || value === null) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

const resources = loadResources();

describe("locales", () => {
  it("has every supported language", () => {
    expect(Object.keys(resources).sort()).toEqual([...LANGUAGES].sort());
  });

  const namespaces = [...new Set(Object.values(resources).flatMap((ns) => Object.keys(ns)))];
  for (const ns of namespaces) {
    it(`has the same keys in every language: ${ns}`, () => {
      const all = new Set(LANGUAGES.flatMap((lang) => keys(resources[lang]?.[ns])));
      for (const lang of LANGUAGES) {
        const present = new Set(keys(resources[lang]?.[ns]));
        const missing = [...all].filter((k) => !present.has(k));
        expect(missing, `${lang}/${ns}.json is missing keys`).toEqual([]);
      }
    });
  }

  it("has no empty strings", () => {
    for (const lang of LANGUAGES) {
      for (const [ns, tree] of Object.entries(resources[lang] ?? {})) {
        const empty = keys(tree).filter((k) => {
          const v = k.split(".").reduce<unknown>((o, p) => (o as Record<string, unknown>)[p], tree);
          return typeof v !== "string" || v.trim() === "";
        });
        expect(empty, `${lang}/${ns}.json`).toEqual([]);
      }
    }
  });

  it("uses the same placeholders in every language", () => {
    const placeholders = (s: unknown) =>
      [...String(s).matchAll(/{{(\w+)}}/g)].map((m) => m[1]).sort();
    const ns = "chat";
    for (const key of keys(resources.id?.[ns])) {
      const get = (lang: string) =>
        key
          .split(".")
          .reduce<unknown>((o, p) => (o as Record<string, unknown>)?.[p], resources[lang]?.[ns]);
      expect(placeholders(get("en")), key).toEqual(placeholders(get("id")));
    }
  });
});
