import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "../../src/db/client.ts";
import { checkCredentials } from "../../src/features/staff/accounts.ts";
import { runStaffCommand } from "../../src/features/staff/commands.ts";
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
  const run = runEntry("src/cli/staff.ts", args, { DATABASE_URL: server.url }, input);
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

/** Runs a staff command in-process at a chosen time: the time expiries and rotations count from. */
async function staffAt(now: Date, ...args: string[]) {
  db ??= await openDatabase({ databaseUrl: server.url, dataDir: "unused" });
  const out: string[] = [];
  const err: string[] = [];
  const io = {
    out: (l: string) => out.push(l),
    err: (l: string) => err.push(l),
    readLine: async () => "",
  };
  const code = await runStaffCommand(db.prisma, args, io, undefined, now);
  return { code, output: [...err, ...out].join("\n"), last: out.at(-1) ?? "" };
}

const DAY = 86_400_000;
const at = (base: Date, days: number) => new Date(base.getTime() + days * DAY);

describe("npm run staff: token expiry and rotation", () => {
  const t0 = new Date("2026-05-01T00:00:00Z");

  it("makes a token that expires, refused from then on", async () => {
    const made = await staffAt(
      t0,
      "create-token",
      "--name",
      "Laporan",
      "--role",
      "staff",
      "--expires",
      "90d",
    );
    expect(made.code).toBe(0);
    expect(made.output).toContain("expires 2026-07-30T00:00:00.000Z");
    const token = made.last;
    expect(await authenticate(db.prisma, token, at(t0, 90 - 1 / 24))).toMatchObject({
      name: "Laporan",
    });
    expect(await authenticate(db.prisma, token, at(t0, 90))).toBeNull();
    const row = await db.prisma.apiToken.findFirstOrThrow({ where: { name: "Laporan" } });
    const log = await db.prisma.auditLog.findFirstOrThrow({
      where: { action: "tokens.create", target: row.id },
    });
    expect(log).toMatchObject({ actor: "cli", details: { expiresAt: "2026-07-30T00:00:00.000Z" } });
    expect((await staffAt(at(t0, 91), "list")).output).toMatch(
      /staff\s+all cities\s+expired 2026-07-30T00:00:00.000Z\s+last used \S+\s+Laporan/,
    );
  });

  it("rotates a token: a new one like it, the old one working through the grace only", async () => {
    const made = await staffAt(
      t0,
      "create-token",
      "--name",
      "Dasbor Kota",
      "--role",
      "admin",
      "--cities",
      "7371",
      "--expires",
      "30d",
    );
    const old = made.last;
    const oldRow = await db.prisma.apiToken.findFirstOrThrow({ where: { name: "Dasbor Kota" } });
    // Used once: its last use shows in the list.
    await authenticate(db.prisma, old, at(t0, 2));
    expect((await staffAt(at(t0, 3), "list")).output).toMatch(
      /admin\s+7371\s+active, expires 2026-05-31T00:00:00.000Z\s+last used 2026-05-03T00:00:00.000Z\s+Dasbor Kota/,
    );

    const rotated = await staffAt(at(t0, 10), "rotate-token", oldRow.id, "--grace", "7d");
    expect(rotated.code).toBe(0);
    const fresh = rotated.last;
    expect(fresh).toMatch(/^ijc_[A-Za-z0-9_-]{43}$/);
    expect(rotated.output).toContain("The old one works until 2026-05-18T00:00:00.000Z");
    // Same name, role and cities; the same 30-day lifetime, from now.
    expect(await authenticate(db.prisma, fresh, at(t0, 10))).toMatchObject({
      name: "Dasbor Kota",
      role: "admin",
      cities: ["7371"],
    });
    const newRow = await db.prisma.apiToken.findFirstOrThrow({
      where: { name: "Dasbor Kota", NOT: { id: oldRow.id } },
    });
    expect(newRow.expiresAt).toEqual(at(t0, 40));
    // The old token keeps working until the grace ends, then gets nothing.
    expect(await authenticate(db.prisma, old, at(t0, 17 - 1 / 24))).not.toBeNull();
    expect(await authenticate(db.prisma, old, at(t0, 17))).toBeNull();
    expect(await authenticate(db.prisma, fresh, at(t0, 17))).not.toBeNull();

    expect((await staffAt(at(t0, 11), "list")).output).toContain(
      `replaced by ${newRow.id}, works until 2026-05-18T00:00:00.000Z`,
    );
    const log = await db.prisma.auditLog.findFirstOrThrow({
      where: { action: "tokens.rotate", target: oldRow.id },
    });
    expect(log).toMatchObject({
      actor: "cli",
      details: {
        newTokenId: newRow.id,
        oldWorksUntil: "2026-05-18T00:00:00.000Z",
        expiresAt: "2026-06-10T00:00:00.000Z",
      },
    });
    expect(JSON.stringify(log)).not.toContain(fresh);

    // Once only; a grace of 0 ends the old one at once.
    expect((await staffAt(at(t0, 11), "rotate-token", oldRow.id)).output).toContain(
      "already rotated",
    );
    const again = await staffAt(
      at(t0, 12),
      "rotate-token",
      newRow.id,
      "--grace",
      "0",
      "--expires",
      "365d",
    );
    expect(again.code).toBe(0);
    expect(await authenticate(db.prisma, fresh, at(t0, 12))).toBeNull();
    expect(await authenticate(db.prisma, again.last, at(t0, 12 + 364))).not.toBeNull();
  });

  it("rotates with a default grace of 7 days, and refuses revoked and unknown tokens", async () => {
    const made = await staffAt(t0, "create-token", "--name", "Tanpa Batas", "--role", "staff");
    const row = await db.prisma.apiToken.findFirstOrThrow({ where: { name: "Tanpa Batas" } });
    const rotated = await staffAt(t0, "rotate-token", row.id);
    expect(rotated.output).toContain("does not expire");
    expect(await authenticate(db.prisma, made.last, at(t0, 7 - 1 / 24))).not.toBeNull();
    expect(await authenticate(db.prisma, made.last, at(t0, 7))).toBeNull();

    await staffAt(t0, "create-token", "--name", "Dicabut", "--role", "staff");
    const revoked = await db.prisma.apiToken.findFirstOrThrow({ where: { name: "Dicabut" } });
    expect((await staffAt(t0, "revoke", revoked.id)).code).toBe(0);
    const refused = await staffAt(t0, "rotate-token", revoked.id);
    expect(refused.code).toBe(2);
    expect(refused.output).toContain(`no active token ${revoked.id}`);
    const unknown = await staffAt(t0, "rotate-token", "00000000-0000-4000-8000-000000000000");
    expect(unknown.code).toBe(2);
  });

  it.each([
    [
      ["create-token", "--name", "x", "--role", "staff", "--expires", "0"],
      "--expires must be a number of days",
    ],
    [
      ["create-token", "--name", "x", "--role", "staff", "--expires", "90"],
      "--expires must be a number of days",
    ],
    [["create-token", "--name", "x", "--role", "staff", "--expires", "3651d"], "at most 3650d"],
    [["rotate-token"], "rotate-token needs a token id"],
    [["rotate-token", "abc"], "rotate-token needs a token id"],
    [["rotate-token", "00000000-0000-4000-8000-000000000000", "--grace", "1w"], "--grace must be"],
    [["rotate-token", "00000000-0000-4000-8000-000000000000", "--grace", "91d"], "at most 90d"],
  ])("rejects %j with a clear message", async (args, message) => {
    const run = await staffAt(t0, ...args);
    expect(run.code).toBe(2);
    expect(run.output).toContain(message);
  });

  it("rotates from the command line, printing the new token as the last line", async () => {
    await staffAt(t0, "create-token", "--name", "Lewat CLI", "--role", "staff");
    const row = await db.prisma.apiToken.findFirstOrThrow({ where: { name: "Lewat CLI" } });
    const run = await staff("rotate-token", row.id, "--grace", "1d");
    expect(run.code).toBe(0);
    const token = run.stdout.trim().split("\n").at(-1)!;
    expect(token).toMatch(/^ijc_[A-Za-z0-9_-]{43}$/);
    expect(await authenticate(db.prisma, token, new Date())).toMatchObject({ name: "Lewat CLI" });
  });
});
