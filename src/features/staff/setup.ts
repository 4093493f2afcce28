/**
 * The first admin, chosen in the browser: while no admin account exists, the
 * service prints a one-time setup link (random token, single use, valid one
 * hour, only its SHA-256 stored). Whoever opens it chooses the first admin's
 * email, name and password. Issuing, using and refusing are audited.
 */
import { randomBytes } from "node:crypto";
import type { PrismaClient } from "../../db/types.ts";
import type { StaffUser } from "../../generated/prisma/client.ts";
import { AccountError, createStaffUser, staffPrincipal } from "./accounts.ts";
import { audit } from "./audit.ts";
import { hashToken, type StaffPrincipal } from "./tokens.ts";

export const SETUP_LINK_MINUTES = 60;

const PREFIX = "ijx_";

/** Who acts in the audit log when the service itself issues a link. */
const SERVICE: StaffPrincipal = { actor: "service", name: "service", role: "admin", cities: [] };

const hasAdmin = async (prisma: PrismaClient) =>
  (await prisma.staffUser.count({ where: { role: "admin", disabledAt: null } })) > 0;

/**
 * A new setup link's token, or null when an admin already exists. Earlier
 * links end: only the newest one printed works.
 */
export async function issueSetupLink(
  prisma: PrismaClient,
  now: Date,
  by: StaffPrincipal = SERVICE,
): Promise<{ token: string; expiresAt: Date } | null> {
  if (await hasAdmin(prisma)) return null;
  const token = PREFIX + randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + SETUP_LINK_MINUTES * 60_000);
  const row = await prisma.$transaction(async (tx) => {
    await tx.setupLink.deleteMany({
      where: { OR: [{ endedAt: { not: null } }, { expiresAt: { lte: now } }] },
    });
    await tx.setupLink.updateMany({ where: { endedAt: null }, data: { endedAt: now } });
    return tx.setupLink.create({
      data: { tokenHash: hashToken(token), createdAt: now, expiresAt },
      select: { id: true },
    });
  });
  await audit(prisma, by, "setup.link", row.id, { expiresAt: expiresAt.toISOString() });
  return { token, expiresAt };
}

/** Whether a presented token opens the setup page now (unknown, used, expired or an admin exists: no). */
export async function setupLinkValid(
  prisma: PrismaClient,
  token: string,
  now: Date,
): Promise<boolean> {
  if (!token.startsWith(PREFIX) || token.length > 200) return false;
  const row = await prisma.setupLink.findUnique({ where: { tokenHash: hashToken(token) } });
  return !!row && !row.endedAt && row.expiresAt > now && !(await hasAdmin(prisma));
}

export type SetupResult =
  | { ok: true; user: StaffUser }
  | { ok: false; reason: "link" | "account"; message?: string };

/**
 * Uses the link: makes the first admin (all cities) and ends the link, in one
 * transaction, so two people opening the same link make one admin at most.
 */
export async function completeSetup(
  prisma: PrismaClient,
  input: { token: string; email: string; name: string; password: string },
  now: Date,
): Promise<SetupResult> {
  if (!input.token.startsWith(PREFIX) || input.token.length > 200)
    return { ok: false, reason: "link" };
  const tokenHash = hashToken(input.token);
  try {
    const user = await prisma.$transaction(async (tx) => {
      const { count } = await tx.setupLink.updateMany({
        where: { tokenHash, endedAt: null, expiresAt: { gt: now } },
        data: { endedAt: now },
      });
      if (count !== 1) return null;
      if ((await tx.staffUser.count({ where: { role: "admin", disabledAt: null } })) > 0)
        return null;
      const made = await createStaffUser(tx, {
        email: input.email,
        name: input.name,
        role: "admin",
        cities: [],
        password: input.password,
      });
      await tx.setupLink.updateMany({ where: { tokenHash }, data: { staffUserId: made.id } });
      return made;
    });
    if (!user) {
      await audit(prisma, SERVICE, "setup.refused", undefined, { reason: "link" });
      return { ok: false, reason: "link" };
    }
    await audit(prisma, staffPrincipal(user), "staff.create", user.id, {
      role: "admin",
      cities: [],
      via: "setup-link",
    });
    return { ok: true, user };
  } catch (error) {
    if (error instanceof AccountError)
      return { ok: false, reason: "account", message: error.message };
    throw error;
  }
}
