/**
 * Version of the consent texts (`consent.*` in every locale). Stored with each
 * consent as proof of what the person agreed to. A test fails when the texts
 * change and this does not: bump it and update the test's fingerprint.
 */
export const CONSENT_TEXT_VERSION = "2026-11-28.2";
