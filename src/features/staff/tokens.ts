import { createHash, randomBytes } from "node:crypto";
import type { PrismaClient } from "../../db/types.ts";
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

/** Makes a token and stores its hash; the token is returned once and never stored. */
export async function createToken(
  prisma: PrismaClient,
  opts: { name: string; role: StaffRole; cities: string[] },
): Promise<{ id: string; token: string }> {
  const token = PREFIX + randomBytes(32).toString("base64url");
  const row = await prisma.apiToken.create({
    data: { name: opts.name, role: opts.role, cities: opts.cities, tokenHash: hashToken(token) },
    select: { id: true },
  });
  return { id: row.id, token };
}

/** The principal of a presented token, or null when it is unknown or revoked. */
export async function authenticate(
  prisma: PrismaClient,
  token: string,
  now: Date,
): Promise<StaffPrincipal | null> {
  if (!token.startsWith(PREFIX) || token.length > 200) return null;
  const row = await prisma.apiToken.findUnique({ where: { tokenHash: hashToken(token) } });
  if (!row || row.revokedAt) return null;
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

export function listTokens(prisma: PrismaClient) {
  return prisma.apiToken.findMany({
    orderBy: { createdAt: "asc" },
    select: {
      id: true,
      name: true,
      role: true,
      cities: true,
      createdAt: true,
      lastUsedAt: true,
      revokedAt: true,
    },
  });
}
