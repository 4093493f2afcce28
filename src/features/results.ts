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

/** The message of a service-wide action refused to an account or token limited to some cities. */
export const SERVICE_WIDE_MESSAGE =
  "This acts for the whole service (every city), so it needs an admin of all cities; this account or token is limited to some cities";

/**
 * 403 unless the caller is an admin of all cities: what acts for the whole
 * service (the WhatsApp number every city's seekers hear from, the job
 * queues of every city) is not for an admin of some cities.
 */
export function notServiceWide(who: StaffPrincipal): Failure | undefined {
  if (who.role === "admin" && who.cities.length === 0) return undefined;
  return {
    ok: false,
    status: 403,
    code: "forbidden",
    message: who.role === "admin" ? SERVICE_WIDE_MESSAGE : "This needs an admin of all cities",
  };
}

/** The fields of a partial update that were given (undefined ones are left out). */
export function givenFields<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(patch).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}
