import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "../../src/db/client.ts";
import { checkCredentials } from "../../src/features/staff/accounts.ts";
import { authenticate } from "../../src/features/staff/tokens.ts";
import { createTestDatabase } from "../helpers/db.ts";
import { runEntry } from "../helpers/process.ts";

let server: Awaited<ReturnType<typeof createTestDatabase>>;
let db: Database;
beforeAll(async () => {
  server = await createTestDatabase();
});
afterAll(async () => {
  await db?.close();
  await server.drop();
});

async function staff(...args: string[]) {
  return staffWithInput(undefined, ...args);
}

async function staffWithInput(input: string | undefined, ...args: string[]) {
  const run = runEntry("src/features/staff/cli.ts", args, { DATABASE_URL: server.url }, input);
  const { code } = await run.exited;
  return { code, output: run.output(), stdout: run.stdout() };
}

describe("npm run staff", () => {
  it("creates a token, prints it once as the last line, lists and revokes it", async () => {
    const created = await staff(
      "create-token",
      "--name",
      "Petugas Makassar",
      "--role",
      "staff",
      "--cities",
      "7371",
    );
    expect(created.code).toBe(0);
    const token = created.stdout.trim().split("\n").at(-1)!;
    expect(token).toMatch(/^ijc_[A-Za-z0-9_-]{43}$/);

    db = await openDatabase({ databaseUrl: server.url, dataDir: "unused" });
    const principal = await authenticate(db.prisma, token, new Date());
    expect(principal).toMatchObject({ name: "Petugas Makassar", role: "staff", cities: ["7371"] });
    // Only the hash is stored.
    const row = await db.prisma.apiToken.findFirstOrThrow();
    expect(row.tokenHash).not.toContain(token);

    const listed = await staff("list");
    expect(listed.code).toBe(0);
    expect(listed.output).toContain("Petugas Makassar");
    expect(listed.output).not.toContain(token);

    expect((await staff("revoke", row.id)).code).toBe(0);
    expect(await authenticate(db.prisma, token, new Date())).toBeNull();
    expect((await staff("revoke", row.id)).code).toBe(2);
  });

  it("creates staff accounts: a printed random password, or one read from standard input", async () => {
    const created = await staff(
      "create-admin",
      "--email",
      "  Ani.Admin@PKI.example ",
      "--name",
      "Ani Admin",
    );
    expect(created.code).toBe(0);
    const password = created.stdout.trim().split("\n").at(-1)!;
    expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);

    const chosen = "kata sandi yang panjang";
    const user = await staffWithInput(
      `${chosen}\n`,
      "create-user",
      "--email",
      "budi@pki.example",
      "--name",
      "Budi",
      "--role",
      "staff",
      "--cities",
      "7371,3273",
      "--password-stdin",
    );
    expect(user.code).toBe(0);
    expect(user.output).not.toContain(chosen);

    db ??= await openDatabase({ databaseUrl: server.url, dataDir: "unused" });
    const admin = await db.prisma.staffUser.findUniqueOrThrow({
      where: { email: "ani.admin@pki.example" },
    });
    expect(admin).toMatchObject({ name: "Ani Admin", role: "admin", cities: [] });
    expect(admin.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await checkCredentials(db.prisma, "ANI.ADMIN@pki.example", password)).not.toBeNull();
    const budi = await checkCredentials(db.prisma, "budi@pki.example", chosen);
    expect(budi).toMatchObject({ role: "staff", cities: ["7371", "3273"] });

    // The same email twice is refused.
    const again = await staff("create-admin", "--email", "ANI.admin@pki.example", "--name", "x");
    expect(again.code).toBe(2);
    expect(again.output).toContain("already a staff account for ani.admin@pki.example");

    // Linking Telegram, unlinking; an id already linked elsewhere is refused.
    const link = ["link-telegram", "--email", "budi@pki.example", "--telegram-id"];
    expect((await staff(...link, "123456789")).code).toBe(0);
    expect(
      (await db.prisma.staffUser.findUniqueOrThrow({ where: { id: budi!.id } })).telegramUserId,
    ).toBe("123456789");
    const taken = await staff(
      "link-telegram",
      "--email",
      "ani.admin@pki.example",
      "--telegram-id",
      "123456789",
    );
    expect(taken.code).toBe(2);
    expect(taken.output).toContain("linked to another staff account");
    expect((await staff("link-telegram", "--email", "budi@pki.example", "--unlink")).code).toBe(0);
    expect(
      (await db.prisma.staffUser.findUniqueOrThrow({ where: { id: budi!.id } })).telegramUserId,
    ).toBeNull();

    const listed = await staff("list");
    expect(listed.code).toBe(0);
    expect(listed.output).toContain("Staff accounts:");
    expect(listed.output).toMatch(/staff\s+7371,3273\s+active\s+last sign-in never/);
    expect(listed.output).toContain("ani.admin@pki.example");
    expect(listed.output).not.toContain(password);
    expect(listed.output).not.toContain("$argon2id");

    // A disabled account can no longer sign in, even with the right password.
    expect((await staff("disable", "--email", "budi@pki.example")).code).toBe(0);
    expect(await checkCredentials(db.prisma, "budi@pki.example", chosen)).toBeNull();
    expect((await staff("disable", "--email", "budi@pki.example")).code).toBe(2);
    expect((await staff("list")).output).toMatch(/staff\s+7371,3273\s+disabled /);

    // What the command line did is in the audit log, without emails or passwords.
    const log = await db.prisma.auditLog.findMany({ where: { actor: "cli" } });
    expect(log.map((l) => l.action)).toEqual(
      expect.arrayContaining([
        "staff.create",
        "staff.link-telegram",
        "staff.unlink-telegram",
        "staff.disable",
      ]),
    );
    expect(JSON.stringify(log)).not.toContain("@pki.example");
    expect(JSON.stringify(log)).not.toContain(chosen);
  });

  it.each([
    ["short\n", "at least 12 characters"],
    ["", "at least 12 characters"],
  ])("refuses a password from standard input that is too short (%j)", async (input, message) => {
    const run = await staffWithInput(
      input,
      "create-admin",
      "--email",
      "short@pki.example",
      "--name",
      "x",
      "--password-stdin",
    );
    expect(run.code).toBe(2);
    expect(run.output).toContain(message);
  });

  it.each([
    [["create-user", "--email", "a@b.example", "--name", "x"], "--role must be admin or staff"],
    [["create-admin", "--name", "x"], "--email is required"],
    [["create-admin", "--email", "not-an-email", "--name", "x"], "is not an email address"],
    [["create-admin", "--email", "a@b.example"], "--name is required"],
    [["link-telegram", "--email", "a@b.example"], "--telegram-id <numeric id> or --unlink"],
    [
      ["link-telegram", "--email", "a@b.example", "--telegram-id", "@ani"],
      "--telegram-id <numeric id> or --unlink",
    ],
    [["link-telegram", "--email", "nobody@b.example", "--unlink"], "no staff account for"],
    [["disable", "--email", "nobody@b.example"], "no staff account for nobody@b.example"],
    [["create-token", "--name", "x", "--role", "boss"], "--role must be admin or staff"],
    [["create-token", "--role", "admin"], "--name is required"],
    [
      ["create-token", "--name", "x", "--role", "admin", "--cities", "9999"],
      "unknown city code(s): 9999",
    ],
    [["fly"], 'unknown command "fly"'],
  ])("rejects %j with a clear message", async (args, message) => {
    const run = await staff(...args);
    expect(run.code).toBe(2);
    expect(run.output).toContain(message);
  });
});
