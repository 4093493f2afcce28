import type { PrismaClient, Tx } from "../../db/types.ts";
import { Prisma, type StaffRole, type StaffUser } from "../../generated/prisma/client.ts";
import { hashPassword, verifyDummy, verifyPassword } from "./passwords.ts";
import type { StaffPrincipal } from "./tokens.ts";

/** The sign-in name as stored: trimmed and lower-cased, so "Ani@PKI.id " is "ani@pki.id". */
export const normalizeEmail = (email: string) => email.trim().toLowerCase();

/** Who a staff account acts as: its current role and cities, audited as `staff:<id>`. */
export const staffPrincipal = (user: StaffUser): StaffPrincipal => ({
  actor: `staff:${user.id}`,
  name: user.name,
  role: user.role,
  cities: user.cities,
});

/** A plausible address (one @, a dot in the domain, no spaces); the mail server has the last word. */
export const isEmail = (email: string) =>
  email.length <= 254 && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email);

export class AccountError extends Error {
  override name = "AccountError";
}

/** Makes a staff account; the password is stored only as its argon2id hash. */
export async function createStaffUser(
  prisma: PrismaClient | Tx,
  opts: { email: string; name: string; role: StaffRole; cities: string[]; password: string },
): Promise<StaffUser> {
  const email = normalizeEmail(opts.email);
  if (!isEmail(email)) throw new AccountError(`"${email}" is not an email address`);
  try {
    return await prisma.staffUser.create({
      data: {
        email,
        name: opts.name,
        role: opts.role,
        cities: opts.cities,
        passwordHash: await hashPassword(opts.password),
      },
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002")
      throw new AccountError(`there is already a staff account for ${email}`);
    throw error;
  }
}

/**
 * The enabled account with this email and password, or null. An unknown email
 * costs one argon2 verification like a known one, and a disabled account
 * is checked like an enabled one, so neither shows in the answer time.
 */
export async function checkCredentials(
  prisma: PrismaClient,
  email: string,
  password: string,
): Promise<StaffUser | null> {
  const user = await prisma.staffUser.findUnique({ where: { email: normalizeEmail(email) } });
  if (!user) return verifyDummy(password).then(() => null);
  const ok = await verifyPassword(user.passwordHash, password);
  return ok && !user.disabledAt ? user : null;
}

/** Links (or, with null, unlinks) the account's Telegram user, who may then use the staff commands. */
export async function linkTelegram(
  prisma: PrismaClient,
  email: string,
  telegramUserId: string | null,
): Promise<StaffUser> {
  const address = normalizeEmail(email);
  try {
    const { count } = await prisma.staffUser.updateMany({
      where: { email: address },
      data: { telegramUserId },
    });
    if (count === 0) throw new AccountError(`no staff account for ${address}`);
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002")
      throw new AccountError(`Telegram user ${telegramUserId} is linked to another staff account`);
    throw error;
  }
  return prisma.staffUser.findUniqueOrThrow({ where: { email: address } });
}

/** Disables the account and ends its sessions; it can no longer sign in. */
export async function disableStaffUser(
  prisma: PrismaClient,
  email: string,
  now: Date,
): Promise<StaffUser> {
  const address = normalizeEmail(email);
  return prisma.$transaction(async (tx) => {
    const user = await tx.staffUser.findUnique({ where: { email: address } });
    if (!user) throw new AccountError(`no staff account for ${address}`);
    if (user.disabledAt) throw new AccountError(`${address} is already disabled`);
    await tx.staffSession.updateMany({
      where: { staffUserId: user.id, revokedAt: null },
      data: { revokedAt: now },
    });
    return tx.staffUser.update({ where: { id: user.id }, data: { disabledAt: now } });
  });
}

export function listStaffUsers(prisma: PrismaClient) {
  return prisma.staffUser.findMany({
    orderBy: { createdAt: "asc" },
    select: {
      id: true,
      email: true,
      name: true,
      role: true,
      cities: true,
      telegramUserId: true,
      createdAt: true,
      lastLoginAt: true,
      disabledAt: true,
    },
  });
}
