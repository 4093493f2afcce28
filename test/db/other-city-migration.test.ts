/**
 * The data migration other_city_to_regency: profiles saved with cityCode
 * "other" and a typed name get the code of that regency or city where the
 * name and kind fit exactly one; the rest stay as they were.
 */
import { cp, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "../../src/db/client.ts";
import { applyMigrations, defaultMigrationsDir } from "../../src/db/migrate.ts";
import { createTestDatabase, type TestPostgres } from "../helpers/db.ts";

const MIGRATION = "20261208005600_other_city_to_regency";

describe("migration other_city_to_regency", () => {
  let server: TestPostgres;
  let db: Database;
  let before: string;

  beforeAll(async () => {
    server = await createTestDatabase();
    db = await openDatabase({ databaseUrl: server.url, dataDir: "(unused)" });
    // The migrations up to this one, applied first; the rows written; then this one.
    before = await mkdtemp(join(tmpdir(), "ijc-migrations-"));
    const all = defaultMigrationsDir();
    const names = (await readdir(all)).filter((n) => n < MIGRATION);
    for (const name of names) await cp(join(all, name), join(before, name), { recursive: true });
    await cp(join(all, "migration_lock.toml"), join(before, "migration_lock.toml"));
    await applyMigrations(db, { migrationsDir: before });
  }, 60_000);

  afterAll(async () => {
    await db?.close();
    await server?.drop();
    if (before) await rm(before, { recursive: true, force: true });
  });

  it("maps stored names that match one place, and leaves the others", async () => {
    const rows: [string, string, string | null, string | null][] = [
      ["Sleman", "other", "kabupaten", "Sleman"],
      ["Gunung Kidul", "other", "kabupaten", "Gunung Kidul"],
      ["Bogor kabupaten", "other", "kabupaten", "Bogor"],
      ["Jakarta Barat", "other", "kota", "Jakarta Barat"],
      ["Surabaya, no kind", "other", null, "surabaya"],
      ["Bandung, no kind", "other", null, "Bandung"], // kota and kabupaten: left
      ["Depok as kabupaten", "other", "kabupaten", "Depok"], // only a kota: left
      ["Desa Sukamaju", "other", "kota", "Sukamaju"], // not a regency: left
      ["No name", "other", "kota", null],
      ["Makassar", "7371", null, null],
    ];
    for (const [id, code, kind, name] of rows) {
      await db.sql.query(
        `WITH p AS (INSERT INTO "Person" (id, "updatedAt") VALUES (gen_random_uuid(), now()) RETURNING id)
         INSERT INTO "SeekerProfile" ("personId", "fullName", "cityCode", "cityOtherKind",
           "cityOtherName", "disabilityCategories", education, skills, "jobTypes", "workModes",
           accommodations, communication, "updatedAt")
         SELECT p.id, $1, $2, $3, $4, '{}', 'sma', '{}', '{}', '{}', '{}', '{}', now() FROM p`,
        [id, code, kind, name],
      );
    }
    const { applied } = await applyMigrations(db);
    expect(applied).toContain(MIGRATION);
    const after = await db.sql.query<{
      fullName: string;
      cityCode: string;
      cityOtherKind: string | null;
      cityOtherName: string | null;
    }>(
      `SELECT "fullName", "cityCode", "cityOtherKind", "cityOtherName" FROM "SeekerProfile" ORDER BY "fullName"`,
    );
    const byName = Object.fromEntries(after.map((r) => [r.fullName, r]));
    expect(byName.Sleman).toMatchObject({ cityCode: "3404", cityOtherName: null });
    expect(byName["Gunung Kidul"]).toMatchObject({ cityCode: "3403", cityOtherKind: null });
    expect(byName["Bogor kabupaten"]!.cityCode).toBe("3201");
    expect(byName["Jakarta Barat"]!.cityCode).toBe("3174");
    expect(byName["Surabaya, no kind"]!.cityCode).toBe("3578");
    for (const left of ["Bandung, no kind", "Depok as kabupaten", "Desa Sukamaju", "No name"]) {
      expect(byName[left]!.cityCode, left).toBe("other");
    }
    expect(byName["Bandung, no kind"]!.cityOtherName).toBe("Bandung");
    expect(byName.Makassar!.cityCode).toBe("7371");
  });
});
