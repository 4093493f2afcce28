/**
 * Text normalisation shared by every parser in this folder: what people mean,
 * not how they typed it. NFKC folds full-width digits and compatibility forms
 * (common on phone keyboards); combining marks are kept because scripts such as
 * Javanese or Devanagari need them to stay readable.
 */
export function normalize(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\s]/gu, " ")
    .replace(/\s+/gu, " ")
    .trim();
}

/** The normalised words of a message; empty for emoji-only or blank text. */
export function words(text: string): string[] {
  const normal = normalize(text);
  return normal === "" ? [] : normal.split(" ");
}
