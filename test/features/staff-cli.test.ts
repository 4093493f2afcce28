import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "../../src/db/client.ts";
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
  const run = runEntry("src/features/staff/cli.ts", args, { DATABASE_URL: server.url });
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

  it.each([
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
