/**
 * PostgreSQL cannot store NUL characters or unpaired surrogates in text or
 * JSON: they would make a message impossible to store, and redelivered forever.
 */
export function cleanText(text: string): string {
  return text.replace(/\0/g, "").toWellFormed();
}

/** Thrown by {@link cleanInput} for input nested deeper than it reads. */
export class InputTooDeep extends Error {
  constructor(readonly maxDepth: number) {
    super(`input is nested more than ${maxDepth} levels deep`);
  }
}

/**
 * Every string in parsed request input (query string, JSON or form body)
 * cleaned as {@link cleanText}; other values kept. One pass at the HTTP
 * boundary, so no filter or field can carry a NUL byte to the database.
 * Nothing the service takes is nested deeply: deeper input throws
 * {@link InputTooDeep} rather than overflowing the stack here or later.
 */
export function cleanInput(value: unknown, maxDepth = 32): unknown {
  const clean = (v: unknown, depth: number): unknown => {
    if (typeof v === "string") return cleanText(v);
    if (v === null || typeof v !== "object") return v;
    const array = Array.isArray(v);
    if (!array && !isPlain(v)) return v;
    if (depth === maxDepth) throw new InputTooDeep(maxDepth);
    if (array) return v.map((item) => clean(item, depth + 1));
    // Defined, not assigned: a "__proto__" key stays a plain field.
    const out: Record<string, unknown> = Object.create(Object.getPrototypeOf(v));
    for (const [k, item] of Object.entries(v)) {
      Object.defineProperty(out, k, {
        value: clean(item, depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  };
  return clean(value, 0);
}

/** A record: JSON.parse's objects, and fast-querystring's (whose prototype has a null prototype). */
const isPlain = (value: object) => {
  const proto = Object.getPrototypeOf(value);
  return proto === null || proto === Object.prototype || Object.getPrototypeOf(proto) === null;
};
