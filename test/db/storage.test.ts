import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "../../src/db/client.ts";
import { LOCK_FILE_NAME } from "../../src/db/embedded-lock.ts";
import { applyMigrations, defaultMigrationsDir } from "../../src/db/migrate.ts";
import { AppError } from "../../src/lib/errors.ts";
import {
  createTestDatabase,
  embeddedTestDir,
  TEST_DATABASE_ADDRESS,
  type TestPostgres,
} from "../helpers/db.ts";

const migrationNames = async () =>
  (await readdir(defaultMigrationsDir(), { withFileTypes: true }))
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();

async function writeAndReadPerson(db: Database) {
  const id = randomUUID();
  await db.prisma.person.create({ data: { id, language: "en", plainLanguage: true } });
  const found = await db.prisma.person.findUnique({ where: { id } });
  expect(found).toMatchObject({ id, language: "en", plainLanguage: true, status: "active" });
  expect(found?.createdAt).toBeInstanceOf(Date);
}

async function migrationRows(db: Database) {
  return db.prisma.$queryRawUnsafe<{ migration_name: string; finished_at: Date | null }[]>(
    "SELECT migration_name, finished_at FROM _prisma_migrations ORDER BY migration_name",
  );
}

describe("PostgreSQL store", () => {
  let server: TestPostgres;
  let db: Database;

  beforeAll(async () => {
    server = await createTestDatabase();
    db = await openDatabase({ databaseUrl: server.url, dataDir: "(unused)" });
  });
  afterAll(async () => {
    await db?.close();
    await server?.drop();
  });

  it("opens as postgres and tells where without credentials", () => {
    expect(db.kind).toBe("postgres");
    expect(db.location).toBe(`${TEST_DATABASE_ADDRESS}/${server.name}`);
  });

  it("applies every migration once, then nothing", async () => {
    const first = await applyMigrations(db);
    expect(first.applied).toEqual(await migrationNames());
    const second = await applyMigrations(db);
    expect(second.applied).toEqual([]);
    const rows = await migrationRows(db);
    expect(rows.map((r) => r.migration_name)).toEqual(first.applied);
    expect(rows.every((r) => r.finished_at instanceof Date)).toBe(true);
  });

  it("writes and reads a Person", async () => {
    await writeAndReadPerson(db);
  });

  it("releases the migration connection (its advisory lock) after migrating", async () => {
    const locks = await db.prisma.$queryRawUnsafe<{ n: bigint }[]>(
      // This database only: other tests migrate their own databases on the same server meanwhile.
      `SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND objid = 72707369
         AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    );
    expect(Number(locks[0]?.n)).toBe(0);
  });
});

describe("PostgreSQL migrated by two processes at once", () => {
  it("applies each migration once: the engine's advisory lock serialises them", async () => {
    const server = await createTestDatabase();
    const a = await openDatabase({ databaseUrl: server.url, dataDir: "(unused)" });
    const b = await openDatabase({ databaseUrl: server.url, dataDir: "(unused)" });
    try {
      const results = await Promise.all([applyMigrations(a), applyMigrations(b)]);
      const applied = results.map((r) => r.applied);
      expect(applied).toContainEqual(await migrationNames());
      expect(applied).toContainEqual([]);
      expect((await migrationRows(a)).length).toBe((await migrationNames()).length);
    } finally {
      await a.close();
      await b.close();
      await server.drop();
    }
  });
});

describe("embedded store", () => {
  let dataDir: string;
  let db: Database;

  beforeAll(async () => {
    dataDir = join(await mkdtemp(join(tmpdir(), "ijc-db-test-")), "nested", "data");
    db = await openDatabase({ dataDir });
  });
  afterAll(async () => {
    await db?.close();
    if (dataDir) await rm(join(dataDir, "..", ".."), { recursive: true, force: true });
  });

  it("creates the data folder and opens as embedded", () => {
    expect(db.kind).toBe("embedded");
    expect(existsSync(join(dataDir, "pglite", "PG_VERSION"))).toBe(true);
    expect(existsSync(join(dataDir, LOCK_FILE_NAME))).toBe(true);
  });

  it("a new folder comes with every migration applied once (by a child process); then nothing", async () => {
    expect((await migrationRows(db)).map((r) => r.migration_name)).toEqual(await migrationNames());
    const again = await applyMigrations(db);
    expect(again.applied).toEqual([]);
    expect((await migrationRows(db)).map((r) => r.migration_name)).toEqual(await migrationNames());
  });

  it("writes and reads a Person, and keeps it after close and reopen", async () => {
    await writeAndReadPerson(db);
    const before = await db.prisma.person.count();
    await db.close();
    expect(existsSync(join(dataDir, LOCK_FILE_NAME))).toBe(false);
    expect(existsSync(join(dataDir, "pglite", "postmaster.pid"))).toBe(false);
    db = await openDatabase({ dataDir });
    expect(await db.prisma.person.count()).toBe(before);
  });
});

describe.each(["postgres", "embedded"] as const)("a migration that fails (%s)", (kind) => {
  let migrationsDir: string;
  let db: Database;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    migrationsDir = await mkdtemp(join(tmpdir(), "ijc-bad-migrations-"));
    await cp(defaultMigrationsDir(), migrationsDir, { recursive: true });
    await mkdir(join(migrationsDir, "29990101000000_broken"));
    await writeFile(
      join(migrationsDir, "29990101000000_broken", "migration.sql"),
      'ALTER TABLE "Person" ADD COLUMN "nickname" TEXT;\nALTER TABLE "NoSuchTable" ADD COLUMN "x" INT;\n',
    );
    if (kind === "postgres") {
      const server = await createTestDatabase();
      db = await openDatabase({ databaseUrl: server.url, dataDir: "(unused)" });
      cleanup = () => server.drop();
    } else {
      const dataDir = await embeddedTestDir();
      db = await openDatabase({ dataDir });
      cleanup = () => rm(dataDir, { recursive: true, force: true });
    }
  });
  afterAll(async () => {
    await db?.close();
    await cleanup?.();
    await rm(migrationsDir, { recursive: true, force: true });
  });

  it("rejects with the database's message and the migration's name, and records the failure", async () => {
    const error = await applyMigrations(db, { migrationsDir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toMatch(/^applying migrations to .+ failed: /);
    expect(message).toMatch(/NoSuchTable/);
    expect(message).toContain("29990101000000_broken");
    expect(message).not.toMatch(/\n\s+0: /);
    const rows = await migrationRows(db);
    const broken = rows.find((r) => r.migration_name === "29990101000000_broken");
    expect(broken).toBeDefined();
    expect(broken?.finished_at).toBeNull();
    // The next start refuses too, instead of carrying on with half a schema.
    await expect(applyMigrations(db, { migrationsDir })).rejects.toThrow(/29990101000000_broken/);
  });
});

describe("unreachable PostgreSQL", () => {
  it("fails fast with a message naming the server and the way out", async () => {
    const started = performance.now();
    const error = await openDatabase({
      databaseUrl: "postgresql://someone:secret@127.0.0.1:1/ijc",
      dataDir: "./data",
    }).catch((e: unknown) => e);
    expect(performance.now() - started).toBeLessThan(3000);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("database_unavailable");
    const message = (error as Error).message;
    expect(message).toContain("cannot connect to PostgreSQL at 127.0.0.1:1/ijc");
    expect(message).toContain("ECONNREFUSED");
    expect(message).toContain("unset DATABASE_URL to use the embedded database in ./data");
    expect(message).not.toContain("secret");
  });

  describe("a server that accepts but never answers", () => {
    let silent: Server;
    let port: number;
    beforeAll(async () => {
      silent = createServer(() => undefined);
      await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
      port = (silent.address() as { port: number }).port;
    });
    afterAll(async () => {
      silent.close();
    });

    it("gives up after the connect timeout instead of hanging", async () => {
      const started = performance.now();
      await expect(
        openDatabase({
          databaseUrl: `postgresql://postgres@127.0.0.1:${port}/ijc`,
          dataDir: "./data",
          connectTimeoutMs: 300,
        }),
      ).rejects.toThrow(`cannot connect to PostgreSQL at 127.0.0.1:${port}/ijc`);
      const ms = performance.now() - started;
      expect(ms).toBeGreaterThanOrEqual(250);
      expect(ms).toBeLessThan(3000);
    });
  });
});
