import { randomUUID } from "node:crypto";
import type { PrismaClient } from "../../src/db/types.ts";
import { createSession } from "../../src/features/staff/sessions.ts";
import { csrfFor, SESSION_COOKIE } from "../../src/web/console/context.ts";
import { createStaffAccount } from "./staff.ts";

/**
 * A signed-in console session of a new staff account: the Cookie header to
 * send and the CSRF token its forms carry.
 */
export async function consoleSession(
  prisma: PrismaClient,
  opts: { role?: "admin" | "staff"; cities?: string[]; email?: string } = {},
) {
  const account = await createStaffAccount(prisma, {
    email: opts.email ?? `staff-${randomUUID()}@pki.example`,
    role: opts.role ?? "staff",
    cities: opts.cities ?? [],
  });
  const session = await createSession(prisma, account.id, new Date(), 12);
  return {
    account,
    token: session.token,
    cookie: `${SESSION_COOKIE}=${session.token}`,
    csrf: csrfFor(session.token),
  };
}
