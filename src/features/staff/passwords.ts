import { randomBytes } from "node:crypto";
import { type Algorithm, hash, verify } from "@node-rs/argon2";

/** Shortest password a staff account may have (OWASP ASVS 2.1.1). */
export const MIN_PASSWORD_LENGTH = 12;
/** Longest password hashed: beyond this a request is just a way to burn CPU. */
export const MAX_PASSWORD_LENGTH = 1024;

/**
 * argon2id at OWASP's first recommended setting (19 MiB, 2 passes, 1 lane):
 * about 25 ms a verification here, small enough for many web processes on one machine.
 * The value of Algorithm.Argon2id (2): the package declares an ambient const
 * enum, which `verbatimModuleSyntax` does not let us read at run time.
 */
const OPTIONS = {
  algorithm: 2 as Algorithm.Argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

/** A PHC string (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`), salt included. */
export const hashPassword = (password: string) => hash(password, OPTIONS);

/** Whether the password matches; a malformed stored hash counts as no match. */
export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | undefined;

/**
 * Verifies against a hash of nothing anyone knows, taking as long as a real
 * check: an unknown email then answers as slowly as a wrong password, so the
 * answer time does not tell which emails have accounts.
 */
export async function verifyDummy(password: string): Promise<false> {
  dummy ??= hashPassword(randomBytes(32).toString("base64url"));
  await verifyPassword(await dummy, password);
  return false;
}

/** 144 random bits as 24 URL-safe characters: for accounts made without a chosen password. */
export const generatePassword = () => randomBytes(18).toString("base64url");

/** Why a chosen password is not accepted, or null when it is. */
export function passwordProblem(password: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH)
    return `the password must be at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > MAX_PASSWORD_LENGTH)
    return `the password must be at most ${MAX_PASSWORD_LENGTH} characters`;
  return null;
}
