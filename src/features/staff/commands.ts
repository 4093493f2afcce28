/** The staff commands of `npm run staff` (cli.ts), writing through a `CommandIO`. */
import { parseArgs } from "node:util";
import type { PrismaClient } from "../../db/types.ts";
import { jobCenterByCode } from "../../domain/cities.ts";
import type { StaffRole } from "../../generated/prisma/client.ts";
import {
  AccountError,
  createStaffUser,
  disableStaffUser,
  isEmail,
  linkTelegram,
  listStaffUsers,
  normalizeEmail,
} from "./accounts.ts";
import { audit } from "./audit.ts";
import { generatePassword, passwordProblem } from "./passwords.ts";
import { issueSetupLink, SETUP_LINK_MINUTES } from "./setup.ts";
import {
  createToken,
  listTokens,
  revokeToken,
  rotateToken,
  type StaffPrincipal,
  TokenError,
  tokenState,
} from "./tokens.ts";

const USAGE = `usage: npm run staff -- create-admin --email <e> --name <n> [--cities 7371,3273] [--password-stdin]
       npm run staff -- create-user --email <e> --name <n> --role admin|staff [--cities 7371,3273] [--password-stdin]
       npm run staff -- link-telegram --email <e> --telegram-id <numeric id>
       npm run staff -- link-telegram --email <e> --unlink
       npm run staff -- disable --email <e>
       npm run staff -- create-token --name <label> --role admin|staff [--cities 7371,3273] [--expires 90d]
       npm run staff -- rotate-token <token id> [--grace 7d] [--expires 90d]
       npm run staff -- list
       npm run staff -- revoke <token id>
       npm run staff -- setup-link
--expires and --grace take a number of days (d), hours (h) or minutes (m), e.g. 90d; --grace 0 ends the old token at once.
rotate-token makes a new token with the same name, role and cities; the old one keeps working for the grace (default 7d).
setup-link prints a one-time link (1 hour) where the first admin chooses email and password; only while no admin exists.
Without --password-stdin a random password is printed once, as the last line on standard output.`;

/** Who acts in the audit log for what is done at the command line (on the server itself). */
const CLI: StaffPrincipal = { actor: "cli", name: "command line", role: "admin", cities: [] };

export class UsageError extends Error {}

function parseCities(value: string | undefined): string[] {
  if (!value) return [];
  const cities = value
    .split(",")
    .map((c) => c.trim())
    .filter(Boolean);
  // Staff work at the 28 job centers: a scope lists those cities (not any regency).
  const unknown = cities.filter((c) => !jobCenterByCode(c));
  if (unknown.length > 0) throw new UsageError(`unknown city code(s): ${unknown.join(", ")}`);
  return cities;
}

function parseName(value: string | undefined, what = "--name"): string {
  const name = value?.trim();
  if (!name || name.length > 100)
    throw new UsageError(`${what} is required (at most 100 characters)`);
  return name;
}

function parseRole(value: string | undefined): StaffRole {
  if (value !== "admin" && value !== "staff") throw new UsageError("--role must be admin or staff");
  return value;
}

/** How long the old token keeps working after a rotation, unless --grace says otherwise. */
export const DEFAULT_ROTATION_GRACE = "7d";
const MAX_EXPIRY_DAYS = 3650;
const MAX_GRACE_DAYS = 90;

const UNIT_MS = { d: 86_400_000, h: 3_600_000, m: 60_000 } as const;

/** "90d", "12h", "30m" (or "0", where allowed) as milliseconds. */
function parseDuration(
  value: string,
  option: string,
  limits: { zero: boolean; maxDays: number },
): number {
  const text = value.trim();
  const match = /^(\d{1,6})([dhm])$/.exec(text);
  const ms = match
    ? Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS]
    : text === "0"
      ? 0
      : Number.NaN;
  if (Number.isNaN(ms) || (ms === 0 && !limits.zero) || ms > limits.maxDays * UNIT_MS.d)
    throw new UsageError(
      `${option} must be a number of days, hours or minutes like 90d, 12h or 30m${limits.zero ? " (or 0)" : ""}, at most ${limits.maxDays}d (got "${value}")`,
    );
  return ms;
}

const parseExpiry = (value: string | undefined, now: Date) =>
  value === undefined
    ? undefined
    : new Date(
        now.getTime() +
          parseDuration(value, "--expires", { zero: false, maxDays: MAX_EXPIRY_DAYS }),
      );

const TOKEN_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function parseEmail(value: string | undefined): string {
  if (!value) throw new UsageError("--email is required");
  const email = normalizeEmail(value);
  if (!isEmail(email)) throw new UsageError(`"${email}" is not an email address`);
  return email;
}

/** Where a staff command writes, and where it reads a password from. */
export interface CommandIO {
  out(line: string): void;
  err(line: string): void;
  /** One line of standard input (for --password-stdin). */
  readLine(): Promise<string>;
}

async function createAccount(
  io: CommandIO,
  prisma: PrismaClient,
  values: { email?: string; name?: string; cities?: string; "password-stdin"?: boolean },
  role: StaffRole,
) {
  const email = parseEmail(values.email);
  const name = parseName(values.name);
  const cities = parseCities(values.cities);
  let password: string;
  if (values["password-stdin"]) {
    password = await io.readLine();
    const problem = passwordProblem(password);
    if (problem) throw new UsageError(problem);
  } else {
    password = generatePassword();
  }
  const user = await createStaffUser(prisma, { email, name, role, cities, password });
  await audit(prisma, CLI, "staff.create", user.id, { role, cities });
  const scope = cities.length ? cities.join(",") : "all cities";
  if (values["password-stdin"]) {
    io.out(`Created staff account ${user.id} ${email} (${role}, ${scope}).`);
    return;
  }
  io.err(
    `Created staff account ${user.id} ${email} (${role}, ${scope}). ` +
      "Its password is shown once, on the next line; give it to the person over a safe channel.",
  );
  io.out(password);
}

/** The page where the first admin is chosen, with its one-time token. */
export const setupUrl = (consoleUrl: string, token: string) =>
  `${consoleUrl}/setup?token=${encodeURIComponent(token)}`;

export type StaffArgs = ReturnType<typeof parseStaffArgs>;

/** The command line, checked before anything is opened; throws UsageError. */
export function parseStaffArgs(argv: string[]) {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: "string" },
      role: { type: "string" },
      cities: { type: "string" },
      email: { type: "string" },
      "password-stdin": { type: "boolean" },
      "telegram-id": { type: "string" },
      unlink: { type: "boolean" },
      expires: { type: "string" },
      grace: { type: "string" },
    },
  });
  const [command, ...rest] = positionals;
  if (!command) throw new UsageError(USAGE);
  return { command, rest, values };
}

/**
 * Runs one staff command; returns the exit code (2 for a usage error, with
 * the message written to `err`). The same in the command-line program and in
 * the running service, which runs it for `npm run staff` beside it.
 */
export async function runStaffCommand(
  prisma: PrismaClient,
  argv: string[],
  io: CommandIO,
  /** The console's address, for the links a command prints. */
  consoleUrl = "http://localhost:3000/console",
  /** The time token expiries and rotations count from (tests); default now. */
  now?: Date,
): Promise<number> {
  try {
    await staffCommand(prisma, parseStaffArgs(argv), io, consoleUrl, now ?? new Date());
    return 0;
  } catch (error) {
    const usage =
      error instanceof UsageError || error instanceof AccountError || error instanceof TokenError;
    io.err((error as Error).message);
    return usage ? 2 : 1;
  }
}

async function staffCommand(
  db: PrismaClient,
  args: StaffArgs,
  io: CommandIO,
  consoleUrl: string,
  now: Date,
): Promise<void> {
  const { command, rest, values } = args;
  switch (command) {
    case "setup-link": {
      const link = await issueSetupLink(db, new Date(), CLI);
      if (!link)
        throw new AccountError("an admin account exists already: sign in, or ask an admin");
      io.err(
        `Open this link in a browser within ${SETUP_LINK_MINUTES} minutes to choose the first admin's email and password. It works once; earlier links no longer work.`,
      );
      io.out(setupUrl(consoleUrl, link.token));
      return;
    }
    case "create-admin":
      return await createAccount(io, db, values, "admin");
    case "create-user":
      return await createAccount(io, db, values, parseRole(values.role));
    case "link-telegram": {
      const email = parseEmail(values.email);
      const id = values["telegram-id"];
      if (values.unlink ? id !== undefined : id === undefined || !/^[1-9]\d{0,19}$/.test(id))
        throw new UsageError("link-telegram needs --telegram-id <numeric id> or --unlink");
      const user = await linkTelegram(db, email, values.unlink ? null : id!);
      await audit(
        db,
        CLI,
        values.unlink ? "staff.unlink-telegram" : "staff.link-telegram",
        user.id,
      );
      io.out(
        values.unlink
          ? `unlinked Telegram from ${email}`
          : `linked Telegram user ${id} to ${email}`,
      );
      return;
    }
    case "disable": {
      const email = parseEmail(values.email);
      const user = await disableStaffUser(db, email, new Date());
      await audit(db, CLI, "staff.disable", user.id);
      io.out(`disabled ${email}; its sessions have ended`);
      return;
    }
    case "create-token": {
      const name = parseName(values.name);
      const role = parseRole(values.role);
      const cities = parseCities(values.cities);
      const expiresAt = parseExpiry(values.expires, now) ?? null;
      const { id, token } = await createToken(db, { name, role, cities, expiresAt, now });
      io.err(
        `Created token ${id} "${name}" (${role}, ${cities.length ? cities.join(",") : "all cities"}, ${expiresAt ? `expires ${expiresAt.toISOString()}` : "does not expire"}). ` +
          "It is shown once; store it now.",
      );
      await audit(db, CLI, "tokens.create", id, {
        role,
        cities,
        expiresAt: expiresAt?.toISOString() ?? null,
      });
      io.out(token);
      return;
    }
    case "rotate-token": {
      const id = rest[0];
      if (!id || !TOKEN_ID.test(id))
        throw new UsageError("rotate-token needs a token id (see: npm run staff -- list)");
      const graceMs = parseDuration(values.grace ?? DEFAULT_ROTATION_GRACE, "--grace", {
        zero: true,
        maxDays: MAX_GRACE_DAYS,
      });
      const expiresAt = parseExpiry(values.expires, now);
      const rotated = await rotateToken(db, id, now, {
        graceMs,
        ...(expiresAt ? { expiresAt } : {}),
      });
      await audit(db, CLI, "tokens.rotate", id, {
        newTokenId: rotated.id,
        oldWorksUntil: rotated.oldUntil.toISOString(),
        expiresAt: rotated.expiresAt?.toISOString() ?? null,
      });
      io.err(
        `Created token ${rotated.id} to replace ${id} (same name, role and cities; ${rotated.expiresAt ? `expires ${rotated.expiresAt.toISOString()}` : "does not expire"}). ` +
          `The old one works until ${rotated.oldUntil.toISOString()}. The new token is shown once; store it now.`,
      );
      io.out(rotated.token);
      return;
    }
    case "list": {
      io.out("Staff accounts:");
      for (const u of await listStaffUsers(db)) {
        const state = u.disabledAt ? `disabled ${u.disabledAt.toISOString()}` : "active";
        const seen = u.lastLoginAt ? u.lastLoginAt.toISOString() : "never";
        const telegram = u.telegramUserId ? `telegram ${u.telegramUserId}` : "no telegram";
        io.out(
          `${u.id}  ${u.role.padEnd(5)}  ${(u.cities.join(",") || "all cities").padEnd(12)}  ${state}  last sign-in ${seen}  ${telegram}  ${u.email}  ${u.name}`,
        );
      }
      io.out("API tokens:");
      for (const t of await listTokens(db)) {
        const state = {
          revoked: () => `revoked ${t.revokedAt?.toISOString()}`,
          expired: () => `expired ${t.expiresAt?.toISOString()}`,
          replaced: () =>
            `replaced by ${t.replacedById}, works until ${t.expiresAt?.toISOString()}`,
          active: () =>
            t.expiresAt ? `active, expires ${t.expiresAt.toISOString()}` : "active, no expiry",
        }[tokenState(t, now)]();
        const used = t.lastUsedAt ? t.lastUsedAt.toISOString() : "never";
        io.out(
          `${t.id}  ${t.role.padEnd(5)}  ${(t.cities.join(",") || "all cities").padEnd(12)}  ${state}  last used ${used}  ${t.name}`,
        );
      }
      return;
    }
    case "revoke": {
      const id = rest[0];
      if (!id || !TOKEN_ID.test(id))
        throw new UsageError("revoke needs a token id (see: npm run staff -- list)");
      if (!(await revokeToken(db, id, now))) throw new UsageError(`no active token ${id}`);
      await audit(db, CLI, "tokens.revoke", id);
      io.out(`revoked ${id}`);
      return;
    }
    default:
      throw new UsageError(`unknown command "${command}"\n${USAGE}`);
  }
}
