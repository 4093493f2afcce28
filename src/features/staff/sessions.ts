import { randomBytes } from "node:crypto";
import type { PrismaClient } from "../../db/types.ts";
import { hashToken, type StaffPrincipal } from "./tokens.ts";

const PREFIX = "ijs_";

/** How long a sign-in lasts unless STAFF_SESSION_HOURS says otherwise. */
export const DEFAULT_SESSION_HOURS = 12;

/** Whether a bearer token has the form of a session token. */
export const isSessionToken = (token: string) => token.startsWith(PREFIX);

/** Starts a session for a signed-in account; the token is returned once, only its SHA-256 is stored. */
export async function createSession(
  prisma: PrismaClient,
  staffUserId: string,
  now: Date,
  hours: number,
): Promise<{ id: string; token: string; expiresAt: Date }> {
  const token = PREFIX + randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + hours * 3_600_000);
  // The account's ended sessions are of no further use; they go when it signs in again.
  await prisma.staffSession.deleteMany({
    where: { staffUserId, OR: [{ expiresAt: { lte: now } }, { revokedAt: { not: null } }] },
  });
  const row = await prisma.staffSession.create({
    data: { staffUserId, tokenHash: hashToken(token), createdAt: now, expiresAt },
    select: { id: true },
  });
  return { id: row.id, token, expiresAt };
}

/**
 * The principal of a presented session token, or null when it is unknown,
 * expired, signed out, or its account is disabled. Role and cities are read
 * from the account on every call, so a change applies to running sessions at once.
 */
export async function authenticateSession(
  prisma: PrismaClient,
  token: string,
  now: Date,
): Promise<StaffPrincipal | null> {
  if (!isSessionToken(token) || token.length > 200) return null;
  const row = await prisma.staffSession.findUnique({
    where: { tokenHash: hashToken(token) },
    include: { staffUser: true },
  });
  if (!row || row.revokedAt || row.expiresAt <= now || row.staffUser.disabledAt) return null;
  const user = row.staffUser;
  return {
    actor: `staff:${user.id}`,
    name: user.name,
    role: user.role,
    cities: user.cities,
    sessionId: row.id,
  };
}

/** Ends a session (sign-out); false when it had already ended. */
export async function revokeSession(prisma: PrismaClient, id: string, now: Date): Promise<boolean> {
  const { count } = await prisma.staffSession.updateMany({
    where: { id, revokedAt: null },
    data: { revokedAt: now },
  });
  return count === 1;
}
