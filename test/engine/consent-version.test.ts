import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { CONSENT_TEXT_VERSION } from "../../src/engine/consent-version.ts";
import { LANGUAGES, loadResources } from "../../src/lib/i18n.ts";

/**
 * Consent records store the text version as proof of what people agreed to.
 * When a consent text changes, this fails: bump CONSENT_TEXT_VERSION and
 * update both values here.
 */
const FINGERPRINTS: Record<string, string> = {
  "2026-11-28.1": "bc04a87ab0f7bd09",
  "2026-11-28.2": "c356a2ed1e81bef5",
};

describe("consent text version", () => {
  it("changes whenever a consent text changes", () => {
    const resources = loadResources();
    const texts = LANGUAGES.map((lang) =>
      JSON.stringify((resources[lang]!.chat as Record<string, unknown>).consent),
    );
    const fingerprint = createHash("sha256").update(texts.join("\n")).digest("hex").slice(0, 16);
    expect({ version: CONSENT_TEXT_VERSION, fingerprint }).toEqual({
      version: CONSENT_TEXT_VERSION,
      fingerprint: FINGERPRINTS[CONSENT_TEXT_VERSION],
    });
  });
});
