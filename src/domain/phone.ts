/**
 * An Indonesian mobile number in E.164 ("+628123456789") from the ways people
 * write it: "0812-3456-789", "+62 812 3456 789", "628123456789",
 * "(0812) 3456789", "+62 (0) 812…". Only mobile numbers (8xx, 9–12 digits after
 * the leading 0); landlines and anything else → null.
 */
export function normalizeIndonesianPhone(text: string): string | null {
  const compact = text
    .normalize("NFKC")
    .trim()
    .replace(/[\s().\-\u2010-\u2015]/gu, "");
  const match = /^(?:\+62|0062|62)?0?(8\d{8,11})$/u.exec(compact);
  if (!match) return null;
  // Without a country code the trunk 0 is required: a bare "812…" could be anything.
  if (!/^(?:\+62|0062|62|0)/u.test(compact)) return null;
  return `+62${match[1]}`;
}

/** A phone number safe for logs and staff screens: "+628123456789" → "+62812****789". */
export function maskPhone(e164: string): string {
  if (!/^\+\d{9,15}$/u.test(e164)) return "****";
  return `${e164.slice(0, 6)}****${e164.slice(-3)}`;
}
