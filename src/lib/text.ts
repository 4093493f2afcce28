/**
 * PostgreSQL cannot store NUL characters or unpaired surrogates in text or
 * JSON: they would make a message impossible to store, and redelivered forever.
 */
export function cleanText(text: string): string {
  return text.replace(/\0/g, "").toWellFormed();
}
