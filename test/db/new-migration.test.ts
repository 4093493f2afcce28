import { existsSync } from "node:fs";
import { appendFile, cp, mkdir, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/client.ts";
import { applyMigrations, defaultMigrationsDir, defaultSchemaPath } from "../../src/db/migrate.ts";
import {
  createMigration,
  migrationTimestamp,
  validateMigrationName,
} from "../../src/db/new-migration.ts";
import { createTestDatabase } from "../helpers/db.ts";

const ADDED_MODEL = `
model Note {
  id        String   @id @default(uuid()) @db.Uuid
  body      String
  createdAt DateTime @default(now())
}
`;

let work: string;
let schemaPath: string;
let migrationsDir: string;

const folders = async () =>
  (await readdir(migrationsDir, { withFileTypes: true }))
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "ijc-new-migration-"));
  schemaPath = join(work, "schema.prisma");
  migrationsDir = join(work, "migrations");
  await cp(defaultSchemaPath(), schemaPath);
  await cp(defaultMigrationsDir(), migrationsDir, { recursive: true });
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe("new migration", () => {
  it("reports no changes for the committed schema and writes nothing", async () => {
    const before = await folders();
    const result = await createMigration({ name: "nothing", schemaPath, migrationsDir });
    expect(result).toEqual({ status: "unchanged" });
    expect(await folders()).toEqual(before);
  });

  it("writes the SQL for an added model and column, after every existing migration", async () => {
    const before = await folders();
    const schema = await readFile(schemaPath, "utf8");
    const withColumn = schema.replace(
      "  plainLanguage Boolean      @default(false)\n",
      "  plainLanguage Boolean      @default(false)\n  nickname      String?\n",
    );
    expect(withColumn).not.toBe(schema);
    await rm(schemaPath);
    await appendFile(schemaPath, withColumn + ADDED_MODEL);

    // A clock behind the last migration must not sort the new one before it.
    const result = await createMigration({
      name: "add_note",
      schemaPath,
      migrationsDir,
      now: new Date("2001-01-01T00:00:00Z"),
    });
    if (result.status !== "created") throw new Error("expected a migration");
    expect(result.name).toMatch(/^\d{14}_add_note$/);
    expect(await folders()).toEqual([...before, result.name]);

    const sql = await readFile(join(result.dir, "migration.sql"), "utf8");
    expect(sql).toBe(result.sql);
    expect(sql).toContain('ALTER TABLE "Person" ADD COLUMN     "nickname" TEXT;');
    expect(sql).toContain('CREATE TABLE "Note" (');
    expect(sql).toContain('"body" TEXT NOT NULL,');
    expect(sql).toContain('CONSTRAINT "Note_pkey" PRIMARY KEY ("id")');
    expect(sql).not.toContain('CREATE TABLE "Person"');
    expect(existsSync(join(migrationsDir, `.${result.name}.tmp`))).toBe(false);
  });

  it("then sees no further changes", async () => {
    expect(await createMigration({ name: "again", schemaPath, migrationsDir })).toEqual({
      status: "unchanged",
    });
  });

  it("produces migrations PostgreSQL applies", async () => {
    const server = await createTestDatabase();
    const db = await openDatabase({ databaseUrl: server.url, dataDir: "(unused)" });
    try {
      const { applied } = await applyMigrations(db, { migrationsDir });
      expect(applied).toEqual(await folders());
      const note = await db.prisma.$queryRawUnsafe<{ body: string }[]>(
        `INSERT INTO "Note" (id, body) VALUES (gen_random_uuid(), 'hello') RETURNING body`,
      );
      expect(note).toEqual([{ body: "hello" }]);
    } finally {
      await db.close();
      await server.drop();
    }
  });

  it("starts a migrations folder from nothing, with its lock file", async () => {
    const empty = join(work, "fresh-migrations");
    await mkdir(empty);
    const result = await createMigration({
      name: "init",
      schemaPath: defaultSchemaPath(),
      migrationsDir: empty,
      now: new Date("2030-05-06T07:08:09Z"),
    });
    if (result.status !== "created") throw new Error("expected a migration");
    expect(result.name).toBe("20300506070809_init");
    expect(result.sql).toContain('CREATE TABLE "Person" (');
    expect(await readFile(join(empty, "migration_lock.toml"), "utf8")).toContain(
      'provider = "postgresql"',
    );
  });
});

describe("migration names and timestamps", () => {
  it("accepts lowercase letters, digits and underscores only", () => {
    expect(validateMigrationName("add_vacancy_city2")).toBe("add_vacancy_city2");
    for (const bad of ["", "Add", "add-city", "add city", "../x", "ä"]) {
      expect(() => validateMigrationName(bad)).toThrow(/invalid migration name/);
    }
  });

  it("stamps in UTC, whatever the machine's zone", () => {
    expect(migrationTimestamp(new Date("2026-01-02T03:04:05.678+08:00"))).toBe("20260101190405");
  });
});
