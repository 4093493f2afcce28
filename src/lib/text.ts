/**
 * PostgreSQL cannot store NUL characters or unpaired surrogates in text or
 * JSON: they would make a message impossible to store, and redelivered forever.
 */
export function cleanText(text: string): string {
  return text.replace(/\0/g, "").toWellFormed();
}

/**
 * Every string in parsed request input (query string, JSON or form body)
 * cleaned as {@link cleanText}; other values kept. One pass at the HTTP
 * boundary, so no filter or field can carry a NUL byte to the database.
 */
export function cleanInput(value: unknown): unknown {
  if (typeof value === "string") return cleanText(value);
  if (Array.isArray(value)) return value.map(cleanInput);
  if (value !== null && typeof value === "object" && isPlain(value)) {
    // Defined, not assigned: a "__proto__" key stays a plain field.
    const out: Record<string, unknown> = Object.create(Object.getPrototypeOf(value));
    for (const [k, v] of Object.entries(value)) {
      Object.defineProperty(out, k, {
        value: cleanInput(v),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return value;
}

/** A record: JSON.parse's objects, and fast-querystring's (whose prototype has a null prototype). */
const isPlain = (value: object) => {
  const proto = Object.getPrototypeOf(value);
  return proto === null || proto === Object.prototype || Object.getPrototypeOf(proto) === null;
};
