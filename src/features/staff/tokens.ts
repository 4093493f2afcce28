import { createHash, randomBytes } from "node:crypto";
import type { PrismaClient, Tx } from "../../db/types.ts";
import type { StaffRole } from "../../generated/prisma/client.ts";

/** Who is calling the staff API, as far as authorisation needs to know. */
export interface StaffPrincipal {
  /** Who acts, for the audit log and `createdBy`: `token:<id>` or `staff:<id>`. */
  actor: string;
  name: string;
  role: StaffRole;
  /** BPS codes; empty = every city. */
  cities: string[];
  /** Set when signed in with a session token (`ijs_…`): the session a logout ends. */
  sessionId?: string;
}

const PREFIX = "ijc_";

/** Whether a bearer token has the form of an API token (sessions start with `ijs_`). */
export const isApiToken = (token: string) => token.startsWith(PREFIX);

export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

const newToken = () => PREFIX + randomBytes(32).toString("base64url");

/** Makes a token and stores its hash; the token is returned once and never stored. */
export async function createToken(
  prisma: PrismaClient | Tx,
  opts: {
    name: string;
    role: StaffRole;
    cities: string[];
    /** When it stops working; default never. */
    expiresAt?: Date | null;
    /** When it was made; default the database's now. */
    now?: Date;
  },
): Promise<{ id: string; token: string }> {
  const token = newToken();
  const row = await prisma.apiToken.create({
    data: {
      name: opts.name,
      role: opts.role,
      cities: opts.cities,
      tokenHash: hashToken(token),
      expiresAt: opts.expiresAt ?? null,
      ...(opts.now ? { createdAt: opts.now } : {}),
    },
    select: { id: true },
  });
  return { id: row.id, token };
}

/** The principal of a presented token, or null when it is unknown, revoked or expired. */
export async function authenticate(
  prisma: PrismaClient,
  token: string,
  now: Date,
): Promise<StaffPrincipal | null> {
  if (!token.startsWith(PREFIX) || token.length > 200) return null;
  const row = await prisma.apiToken.findUnique({ where: { tokenHash: hashToken(token) } });
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt <= now)) return null;
  // Last use is worth knowing to clean up tokens, not worth a write per request.
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000) {
    await prisma.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  }
  return { actor: `token:${row.id}`, name: row.name, role: row.role, cities: row.cities };
}

export async function revokeToken(prisma: PrismaClient, id: string, now: Date): Promise<boolean> {
  const { count } = await prisma.apiToken.updateMany({
    where: { id, revokedAt: null },
    data: { revokedAt: now },
  });
  return count === 1;
}

export class TokenError extends Error {
  override name = "TokenError";
}

/**
 * Rotation: a new token with the same name, role and cities, and the old one
 * kept working for `graceMs` more (then refused, as expired), so whoever
 * uses it can switch without a gap. The new token expires at `expiresAt`, or,
 * when the old one had an expiry, after the same lifetime; else never.
 */
export async function rotateToken(
  prisma: PrismaClient,
  id: string,
  now: Date,
  opts: { graceMs: number; expiresAt?: Date | null },
): Promise<{ id: string; token: string; expiresAt: Date | null; oldUntil: Date }> {
  return prisma.$transaction(async (tx) => {
    const row = await tx.apiToken.findUnique({ where: { id } });
    if (!row || tokenState(row, now) === "revoked" || tokenState(row, now) === "expired")
      throw new TokenError(`no active token ${id}`);
    if (row.replacedById)
      throw new TokenError(`token ${id} was already rotated (replaced by ${row.replacedById})`);
    const expiresAt =
      opts.expiresAt !== undefined
        ? opts.expiresAt
        : row.expiresAt
          ? new Date(now.getTime() + (row.expiresAt.getTime() - row.createdAt.getTime()))
          : null;
    const created = await createToken(tx, {
      name: row.name,
      role: row.role,
      cities: row.cities,
      expiresAt,
      now,
    });
    const graceEnd = new Date(now.getTime() + opts.graceMs);
    const oldUntil = row.expiresAt && row.expiresAt < graceEnd ? row.expiresAt : graceEnd;
    // Only if still unrotated (the row is locked meanwhile): two rotations at once leave one successor.
    const { count } = await tx.apiToken.updateMany({
      where: { id, replacedById: null, revokedAt: null },
      data: { expiresAt: oldUntil, replacedById: created.id },
    });
    if (count !== 1) throw new TokenError(`token ${id} was rotated or revoked meanwhile`);
    return { ...created, expiresAt, oldUntil };
  });
}

/** A token's state in words, for the lists: revoked, expired, replaced, or active. */
export function tokenState(
  t: { revokedAt: Date | null; expiresAt: Date | null; replacedById: string | null },
  now: Date,
): "revoked" | "expired" | "replaced" | "active" {
  if (t.revokedAt) return "revoked";
  if (t.expiresAt && t.expiresAt <= now) return "expired";
  return t.replacedById ? "replaced" : "active";
}

/**
 * Every API token (never the token itself: only its hash is stored), oldest
 * first. `cities` (a reader limited to some cities): only the tokens limited
 * to cities all within those.
 */
export async function listTokens(prisma: PrismaClient, cities: string[] = []) {
  const rows = await prisma.apiToken.findMany({
    orderBy: { createdAt: "asc" },
    select: {
      id: true,
      name: true,
      role: true,
      cities: true,
      createdAt: true,
      lastUsedAt: true,
      revokedAt: true,
      expiresAt: true,
      replacedById: true,
    },
  });
  return cities.length === 0
    ? rows
    : rows.filter((t) => t.cities.length > 0 && t.cities.every((c) => cities.includes(c)));
}
