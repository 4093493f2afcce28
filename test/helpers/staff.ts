import type { PrismaClient } from "../../src/db/types.ts";
import { createStaffUser } from "../../src/features/staff/accounts.ts";
import { createToken, revokeToken } from "../../src/features/staff/tokens.ts";

/** API tokens for the tests: every city, Makassar only, Bandung only (admin), and a revoked one. */
export async function staffTokens(prisma: PrismaClient): Promise<Record<string, string>> {
  const make = async (name: string, role: "admin" | "staff", cities: string[]) =>
    (await createToken(prisma, { name, role, cities })).token;
  const revoked = await createToken(prisma, { name: "old", role: "admin", cities: [] });
  await revokeToken(prisma, revoked.id, new Date());
  return {
    all: await make("all", "staff", []),
    makassar: await make("mks", "staff", ["7371"]),
    bandung: await make("bdg", "admin", ["3273"]),
    revoked: revoked.token,
  };
}

/** A staff account with a known password (argon2id like any other). */
export async function createStaffAccount(
  prisma: PrismaClient,
  opts: { email: string; role?: "admin" | "staff"; cities?: string[]; password?: string },
) {
  const password = opts.password ?? "kata-sandi-uji-panjang";
  const user = await createStaffUser(prisma, {
    email: opts.email,
    name: opts.email.split("@")[0]!,
    role: opts.role ?? "staff",
    cities: opts.cities ?? [],
    password,
  });
  return { id: user.id, email: user.email, password };
}
