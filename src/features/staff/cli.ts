/**
 * npm run staff -- <command>
 *   create-admin --email <e> --name <n> [--cities 7371,3273] [--password-stdin]
 *   create-user --email <e> --name <n> --role admin|staff [--cities ...] [--password-stdin]
 *       without --password-stdin a random password is made and printed once,
 *       as the last line on standard output
 *   link-telegram --email <e> --telegram-id <numeric id> | --unlink
 *   disable --email <e>       no more sign-ins; its sessions end
 *   create-token --name <label> --role admin|staff [--cities 7371,3273]
 *       prints the token once, as the last line on standard output
 *   list                      staff accounts and API tokens (never passwords or tokens)
 *   revoke <token id>
 */
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { openDatabase } from "../../db/client.ts";
import { applyMigrations } from "../../db/migrate.ts";
import type { PrismaClient } from "../../db/types.ts";
import { cityByCode } from "../../domain/cities.ts";
import { ConfigError, loadEnv } from "../../env.ts";
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
import { createToken, listTokens, revokeToken, type StaffPrincipal } from "./tokens.ts";

const USAGE = `usage: npm run staff -- create-admin --email <e> --name <n> [--cities 7371,3273] [--password-stdin]
       npm run staff -- create-user --email <e> --name <n> --role admin|staff [--cities 7371,3273] [--password-stdin]
       npm run staff -- link-telegram --email <e> --telegram-id <numeric id>
       npm run staff -- link-telegram --email <e> --unlink
       npm run staff -- disable --email <e>
       npm run staff -- create-token --name <label> --role admin|staff [--cities 7371,3273]
       npm run staff -- list
       npm run staff -- revoke <token id>
Without --password-stdin a random password is printed once, as the last line on standard output.`;

/** Who acts in the audit log for what is done at the command line (on the server itself). */
const CLI: StaffPrincipal = { actor: "cli", name: "command line", role: "admin", cities: [] };

class UsageError extends Error {}

function parseCities(value: string | undefined): string[] {
  if (!value) return [];
  const cities = value
    .split(",")
    .map((c) => c.trim())
    .filter(Boolean);
  const unknown = cities.filter((c) => !cityByCode(c));
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

function parseEmail(value: string | undefined): string {
  if (!value) throw new UsageError("--email is required");
  const email = normalizeEmail(value);
  if (!isEmail(email)) throw new UsageError(`"${email}" is not an email address`);
  return email;
}

/** One line from standard input (a pipe or a prompt), without its line ending. */
async function readLine(): Promise<string> {
  const lines = createInterface({ input: process.stdin, terminal: false });
  try {
    for await (const line of lines) return line;
    return "";
  } finally {
    lines.close();
  }
}

async function createAccount(
  prisma: PrismaClient,
  values: { email?: string; name?: string; cities?: string; "password-stdin"?: boolean },
  role: StaffRole,
) {
  const email = parseEmail(values.email);
  const name = parseName(values.name);
  const cities = parseCities(values.cities);
  let password: string;
  if (values["password-stdin"]) {
    password = await readLine();
    const problem = passwordProblem(password);
    if (problem) throw new UsageError(problem);
  } else {
    password = generatePassword();
  }
  const user = await createStaffUser(prisma, { email, name, role, cities, password });
  await audit(prisma, CLI, "staff.create", user.id, { role, cities });
  const scope = cities.length ? cities.join(",") : "all cities";
  if (values["password-stdin"]) {
    console.log(`Created staff account ${user.id} ${email} (${role}, ${scope}).`);
    return;
  }
  console.error(
    `Created staff account ${user.id} ${email} (${role}, ${scope}). ` +
      "Its password is shown once, on the next line; give it to the person over a safe channel.",
  );
  console.log(password);
}

async function main(argv: string[]) {
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
    },
  });
  const [command, ...rest] = positionals;
  if (!command) throw new UsageError(USAGE);
  const env = loadEnv();
  const db = await openDatabase({ databaseUrl: env.databaseUrl, dataDir: env.dataDir });
  try {
    await applyMigrations(db);
    switch (command) {
      case "create-admin":
        return await createAccount(db.prisma, values, "admin");
      case "create-user":
        return await createAccount(db.prisma, values, parseRole(values.role));
      case "link-telegram": {
        const email = parseEmail(values.email);
        const id = values["telegram-id"];
        if (values.unlink ? id !== undefined : id === undefined || !/^[1-9]\d{0,19}$/.test(id))
          throw new UsageError("link-telegram needs --telegram-id <numeric id> or --unlink");
        const user = await linkTelegram(db.prisma, email, values.unlink ? null : id!);
        await audit(
          db.prisma,
          CLI,
          values.unlink ? "staff.unlink-telegram" : "staff.link-telegram",
          user.id,
        );
        console.log(
          values.unlink
            ? `unlinked Telegram from ${email}`
            : `linked Telegram user ${id} to ${email}`,
        );
        return;
      }
      case "disable": {
        const email = parseEmail(values.email);
        const user = await disableStaffUser(db.prisma, email, new Date());
        await audit(db.prisma, CLI, "staff.disable", user.id);
        console.log(`disabled ${email}; its sessions have ended`);
        return;
      }
      case "create-token": {
        const name = parseName(values.name);
        const role = parseRole(values.role);
        const cities = parseCities(values.cities);
        const { id, token } = await createToken(db.prisma, { name, role, cities });
        console.error(
          `Created token ${id} "${name}" (${role}, ${cities.length ? cities.join(",") : "all cities"}). ` +
            "It is shown once; store it now.",
        );
        await audit(db.prisma, CLI, "tokens.create", id, { role, cities });
        console.log(token);
        return;
      }
      case "list": {
        console.log("Staff accounts:");
        for (const u of await listStaffUsers(db.prisma)) {
          const state = u.disabledAt ? `disabled ${u.disabledAt.toISOString()}` : "active";
          const seen = u.lastLoginAt ? u.lastLoginAt.toISOString() : "never";
          const telegram = u.telegramUserId ? `telegram ${u.telegramUserId}` : "no telegram";
          console.log(
            `${u.id}  ${u.role.padEnd(5)}  ${(u.cities.join(",") || "all cities").padEnd(12)}  ${state}  last sign-in ${seen}  ${telegram}  ${u.email}  ${u.name}`,
          );
        }
        console.log("API tokens:");
        for (const t of await listTokens(db.prisma)) {
          const state = t.revokedAt ? `revoked ${t.revokedAt.toISOString()}` : "active";
          const used = t.lastUsedAt ? t.lastUsedAt.toISOString() : "never";
          console.log(
            `${t.id}  ${t.role.padEnd(5)}  ${(t.cities.join(",") || "all cities").padEnd(12)}  ${state}  last used ${used}  ${t.name}`,
          );
        }
        return;
      }
      case "revoke": {
        const id = rest[0];
        if (!id || !/^[0-9a-f-]{36}$/i.test(id))
          throw new UsageError("revoke needs a token id (see: npm run staff -- list)");
        if (!(await revokeToken(db.prisma, id, new Date())))
          throw new UsageError(`no active token ${id}`);
        await audit(db.prisma, CLI, "tokens.revoke", id);
        console.log(`revoked ${id}`);
        return;
      }
      default:
        throw new UsageError(`unknown command "${command}"\n${USAGE}`);
    }
  } finally {
    await db.close();
  }
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error) => {
    const usage =
      error instanceof UsageError || error instanceof ConfigError || error instanceof AccountError;
    console.error(usage ? error.message : (error as Error).message);
    process.exit(usage ? 2 : 1);
  },
);
