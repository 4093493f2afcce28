/** What a staff action answers: success with data, or a failure the API turns into a 4xx. */
import type { StaffPrincipal } from "./staff/tokens.ts";

export type Failure = {
  ok: false;
  status: 400 | 403 | 404 | 409;
  code: string;
  message: string;
  details?: unknown;
};

export type Result<T> = ({ ok: true } & T) | Failure;

export const notFound = (what: string, id: string): Failure => ({
  ok: false,
  status: 404,
  code: "not_found",
  message: `No ${what} ${id}`,
});

export const conflict = (message: string): Failure => ({
  ok: false,
  status: 409,
  code: "conflict",
  message,
});

/** A 400 for one field, in the same shape as schema validation errors. */
export const invalid = (path: string, message: string): Failure => ({
  ok: false,
  status: 400,
  code: "validation_failed",
  message: `${path}: ${message}`,
  details: [{ path, message }],
});

/** 403 when a city-scoped caller acts for a city outside its scope. */
export function outsideScope(who: StaffPrincipal, city: string): Failure | undefined {
  if (who.cities.length === 0 || who.cities.includes(city)) return undefined;
  return {
    ok: false,
    status: 403,
    code: "forbidden",
    message: `This token may not act for city ${city}`,
  };
}

/** The fields of a partial update that were given (undefined ones are left out). */
export function givenFields<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(patch).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}
