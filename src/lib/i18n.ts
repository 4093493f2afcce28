import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import i18next, { type i18n, type Resource, type TFunction } from "i18next";
import { findUp } from "./paths.ts";

export const LANGUAGES = ["id", "en"] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = "id";

export function isLanguage(value: unknown): value is Language {
  return (LANGUAGES as readonly unknown[]).includes(value);
}

/** Reads every `locales/<lang>/<namespace>.json`. New languages are new folders. */
export function loadResources(dir = findUp("locales")): Resource {
  const resources: Resource = {};
  for (const lang of readdirSync(dir)) {
    resources[lang] = {};
    for (const file of readdirSync(join(dir, lang)).filter((f) => f.endsWith(".json"))) {
      resources[lang][file.replace(/\.json$/, "")] = JSON.parse(
        readFileSync(join(dir, lang, file), "utf8"),
      );
    }
  }
  return resources;
}

let shared: i18n | undefined;

/**
 * One initialised i18next instance per process. Use `translator(lang)` per
 * message; never `changeLanguage` (several languages are rendered at once).
 */
export function getI18n(): i18n {
  if (shared) return shared;
  const resources = loadResources();
  const instance = i18next.createInstance();
  void instance.init({
    initAsync: false,
    resources,
    lng: DEFAULT_LANGUAGE,
    fallbackLng: DEFAULT_LANGUAGE,
    supportedLngs: Object.keys(resources),
    ns: Object.keys(resources[DEFAULT_LANGUAGE] ?? {}),
    defaultNS: "chat",
    // Chat text is not HTML; channels escape where they use markup.
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  shared = instance;
  return instance;
}

/** Fixed translators, made once per language and namespace (making one costs more than a translation). */
const translators = new Map<string, TFunction>();

export function translator(lang: string, ns = "chat"): TFunction {
  const language = isLanguage(lang) ? lang : DEFAULT_LANGUAGE;
  const key = `${language}:${ns}`;
  let t = translators.get(key);
  if (!t) {
    t = getI18n().getFixedT(language, ns);
    translators.set(key, t);
  }
  return t;
}
