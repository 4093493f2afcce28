import { randomBytes } from "node:crypto";
import type { PrismaClient } from "../../db/types.ts";
import type { StaffUser } from "../../generated/prisma/client.ts";
import type { RedisKeys } from "../../lib/redis-keys.ts";
import { checkCredentials, normalizeEmail, staffPrincipal } from "./accounts.ts";
import { audit } from "./audit.ts";
import { loginLimit } from "./login-limit.ts";
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
  return { ...staffPrincipal(row.staffUser), sessionId: row.id };
}

/** Ends a session (sign-out); false when it had already ended. */
export async function revokeSession(prisma: PrismaClient, id: string, now: Date): Promise<boolean> {
  const { count } = await prisma.staffSession.updateMany({
    where: { id, revokedAt: null },
    data: { revokedAt: now },
  });
  return count === 1;
}

/**
 * What happened to an account since its last sign-in, told to its owner at
 * the next one (API answer and console page): wrong passwords given for it,
 * the last one's address and time, and when sign-in for it was first slowed down.
 */
export interface SignInNotice {
  failedAttempts: number;
  lastFailedAt: Date | null;
  lastFailedFrom: string | null;
  limitedAt: Date | null;
}

export type SignIn =
  | {
      ok: true;
      user: StaffUser;
      session: { id: string; token: string; expiresAt: Date };
      /** Null when nothing happened since the last sign-in. */
      notice: SignInNotice | null;
    }
  /** Too many failed attempts for this email from this address (or this address): wait this many seconds. */
  | { ok: false; waitS: number }
  /** A wrong email, a wrong password or a disabled account: one answer for all three. */
  | { ok: false; waitS: 0 };

const noticeOf = (user: StaffUser): SignInNotice | null =>
  user.failedSignIns > 0 || user.signInLimitedAt
    ? {
        failedAttempts: user.failedSignIns,
        lastFailedAt: user.lastFailedSignInAt,
        lastFailedFrom: user.lastFailedSignInFrom,
        limitedAt: user.signInLimitedAt,
      }
    : null;

/**
 * Signs a staff member in (the API's login and the console's form): the
 * attempt is let through or held back by the failed-sign-in limits before
 * the password is checked (login-limit.ts); a wrong password and a held-back
 * attempt are recorded on the account (if there is one) for its owner; a
 * right one starts a session, with what happened since the last sign-in.
 */
export async function signIn(
  deps: { prisma: PrismaClient; queues: RedisKeys; clock: { now(): Date }; sessionHours: number },
  credentials: { email: string; password: string; ip: string },
  /** Where the sign-in came from, for the audit record (the API leaves it out). */
  via?: string,
): Promise<SignIn> {
  const limit = loginLimit(deps.queues);
  const email = normalizeEmail(credentials.email);
  const now = deps.clock.now();
  const attempt = await limit.attempt(email, credentials.ip, now);
  if (attempt.waitS > 0 || attempt.emailUnderAttack) {
    // Once per slowdown (until the next sign-in): a flood of refusals is not a flood of writes.
    await deps.prisma.staffUser.updateMany({
      where: { email, signInLimitedAt: null },
      data: { signInLimitedAt: now },
    });
  }
  if (attempt.waitS > 0) return { ok: false, waitS: attempt.waitS };
  const user = await checkCredentials(deps.prisma, email, credentials.password);
  if (!user) {
    // An unknown email matches no row; the count costs about the same either way.
    await deps.prisma.staffUser.updateMany({
      where: { email },
      data: {
        failedSignIns: { increment: 1 },
        lastFailedSignInAt: now,
        lastFailedSignInFrom: credentials.ip,
      },
    });
    return { ok: false, waitS: 0 };
  }
  await limit.succeeded(email, credentials.ip, now);
  const notice = noticeOf(user);
  const session = await startSession(deps, user, via, notice);
  return { ok: true, user, session, notice };
}

/**
 * A new session for an account that has proved who it is: its time of sign-in,
 * the failed attempts since the last one cleared, and its audit record.
 */
export async function startSession(
  deps: { prisma: PrismaClient; clock: { now(): Date }; sessionHours: number },
  user: StaffUser,
  via?: string,
  /** What the owner is told about attempts since the last sign-in (recorded in the audit too). */
  notice?: SignInNotice | null,
): Promise<{ id: string; token: string; expiresAt: Date }> {
  const now = deps.clock.now();
  const session = await createSession(deps.prisma, user.id, now, deps.sessionHours);
  await deps.prisma.staffUser.update({
    where: { id: user.id },
    data: {
      lastLoginAt: now,
      failedSignIns: 0,
      lastFailedSignInAt: null,
      lastFailedSignInFrom: null,
      signInLimitedAt: null,
    },
  });
  await audit(deps.prisma, staffPrincipal(user), "auth.login", user.id, {
    sessionId: session.id,
    ...(via ? { via } : {}),
    ...(notice
      ? {
          failedSinceLastSignIn: notice.failedAttempts,
          ...(notice.limitedAt ? { slowedSince: notice.limitedAt.toISOString() } : {}),
        }
      : {}),
  });
  return session;
}

/** Ends the caller's session and records it (the API's logout and the console's). */
export async function signOut(
  prisma: PrismaClient,
  who: StaffPrincipal & { sessionId: string },
  now: Date,
  via?: string,
): Promise<void> {
  await revokeSession(prisma, who.sessionId, now);
  await audit(prisma, who, "auth.logout", who.actor.slice("staff:".length), {
    sessionId: who.sessionId,
    ...(via ? { via } : {}),
  });
}
