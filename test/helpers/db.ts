import { spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { cp, mkdtemp, readdir, readFile, rename, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { type Database, openDatabase } from "../../src/db/client.ts";
import { applyMigrations, defaultMigrationsDir, readMigrationsList } from "../../src/db/migrate.ts";
import { DEFAULT_TEST_DATABASE_ADMIN_URL } from "./test-servers.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/**
 * A server with trust auth: the global setup's choice (test/global-setup.ts),
 * 127.0.0.1:5432 or TEST_DATABASE_ADMIN_URL when it answers, else the run's own.
 */
export const TEST_DATABASE_ADMIN_URL =
  process.env.TEST_DATABASE_ADMIN_URL || DEFAULT_TEST_DATABASE_ADMIN_URL;

/** host:port of the test server, as the service shows a PostgreSQL's location. */
export const TEST_DATABASE_ADDRESS = (() => {
  const url = new URL(TEST_DATABASE_ADMIN_URL);
  return `${url.hostname || "localhost"}:${url.port || "5432"}`;
})();

export interface TestPostgres {
  /** Connection string of the new, empty database. */
  url: string;
  name: string;
  /** Ends every connection to it and drops it. */
  drop(): Promise<void>;
}

/** A fresh, uniquely named database on the test PostgreSQL server. */
export async function createTestDatabase(): Promise<TestPostgres> {
  const name = `${TEST_DB_PREFIX}${process.pid}_${randomBytes(4).toString("hex")}`;
  await admin(async (client) => {
    await dropOrphans(client);
    await client.query(`CREATE DATABASE "${name}"`);
  });
  const url = new URL(TEST_DATABASE_ADMIN_URL);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    url: url.toString(),
    name,
    async drop() {
      if (dropped) return;
      dropped = true;
      await admin(async (client) => {
        // A pool the test forgot to close would otherwise make DROP DATABASE fail.
        await client.query(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
          [name],
        );
        await client.query(`DROP DATABASE IF EXISTS "${name}"`);
      });
    },
  };
}

const TEST_DB_PREFIX = "ijc_test_";

/**
 * Drops test databases whose creating process is gone (a crashed or timed-out
 * run never reached its drop). Only on a local server, where the pid in the
 * name is one of this machine's.
 */
async function dropOrphans(client: pg.Client): Promise<void> {
  const host = new URL(TEST_DATABASE_ADMIN_URL).hostname;
  if (!["127.0.0.1", "localhost", "::1", "[::1]", ""].includes(host)) return;
  const { rows } = await client.query<{ datname: string }>(
    "SELECT datname FROM pg_database WHERE datname LIKE $1",
    [`${TEST_DB_PREFIX}%`],
  );
  for (const { datname } of rows) {
    const pid = Number(/^ijc_test_(\d+)_[0-9a-f]+$/.exec(datname)?.[1]);
    if (!pid || isRunning(pid)) continue;
    await client.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
      [datname],
    );
    await client.query(`DROP DATABASE IF EXISTS "${datname}"`).catch(() => undefined);
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({
    connectionString: TEST_DATABASE_ADMIN_URL,
    connectionTimeoutMillis: 5000,
  });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Why PostgreSQL's client programs (pg_dump, pg_restore) cannot work with the
 * test server when it is the run's own (test/global-setup.ts): a machine
 * without PostgreSQL may have none, or older ones, and pg_dump refuses a newer
 * server. Undefined on a configured server, where they must work.
 */
export async function ownServerClientProblem(programs: string[]): Promise<string | undefined> {
  if (process.env.TEST_DATABASE_OWN !== "1") return undefined;
  const serverMajor = await admin(async (client) => {
    const { rows } = await client.query<{ v: string }>(
      "SELECT current_setting('server_version_num') AS v",
    );
    return Math.floor(Number(rows[0]!.v) / 10_000);
  });
  for (const program of programs) {
    const run = spawnSync(program, ["--version"], { encoding: "utf8" });
    if (run.error) return `${program} is not installed`;
    const major = Number(/\(PostgreSQL\)\s+(\d+)/.exec(run.stdout)?.[1]);
    if (!(major >= serverMajor)) {
      return `${program} ${major || "(unknown version)"} cannot work with PostgreSQL ${serverMajor}`;
    }
  }
  return undefined;
}

export interface TestDatabase {
  db: Database;
  /** Closes the database and deletes it (PostgreSQL) or its folder (embedded). */
  cleanup(): Promise<void>;
}

/** A migrated database of either kind, of this test's own. */
export async function openTestDatabase(kind: "postgres" | "embedded"): Promise<TestDatabase> {
  if (kind === "postgres") {
    const server = await createTestDatabase();
    try {
      const db = await openDatabase({ databaseUrl: server.url, dataDir: "(unused)" });
      await applyMigrations(db).catch(async (error: unknown) => {
        await db.close();
        throw error;
      });
      return { db, cleanup: closeThen(db, () => server.drop()) };
    } catch (error) {
      await server.drop();
      throw error;
    }
  }
  const dataDir = await embeddedTestDir();
  try {
    const db = await openDatabase({ dataDir });
    await applyMigrations(db).catch(async (error: unknown) => {
      await db.close();
      throw error;
    });
    return { db, cleanup: closeThen(db, () => rm(dataDir, { recursive: true, force: true })) };
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}

function closeThen(db: Database, after: () => Promise<void>): () => Promise<void> {
  return async () => {
    try {
      await db.close();
    } finally {
      await after();
    }
  };
}

let template: Promise<string> | undefined;

/**
 * A new temp folder holding a migrated embedded database. Creating a PGlite
 * folder runs initdb (several seconds); a closed, migrated one is copied instead
 * (well under a second). The template is shared by test processes and runs, and
 * keyed by the migrations and the PGlite version, so it is never stale.
 */
export async function embeddedTestDir(): Promise<string> {
  template ??= embeddedTemplate();
  const dir = await mkdtemp(join(tmpdir(), "ijc-test-db-"));
  await cp(await template, dir, { recursive: true });
  return dir;
}

const TEMPLATE_PREFIX = "ijc-pglite-template-";

async function embeddedTemplate(): Promise<string> {
  const key = await templateKey();
  const final = join(tmpdir(), `${TEMPLATE_PREFIX}${key}`);
  if (existsSync(join(final, "pglite", "PG_VERSION"))) return final;
  const building = await mkdtemp(join(tmpdir(), "ijc-pglite-building-"));
  try {
    const db = await openDatabase({ dataDir: building });
    try {
      await applyMigrations(db);
    } finally {
      await db.close();
    }
    // Atomic: another process finishing first leaves its template in place, and ours goes.
    await rename(building, final).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "ENOTEMPTY" && error.code !== "EEXIST") throw error;
    });
    // Templates of earlier migrations are of no further use (about 40 MB each).
    for (const name of await readdir(tmpdir())) {
      if (name.startsWith(TEMPLATE_PREFIX) && join(tmpdir(), name) !== final) {
        await rm(join(tmpdir(), name), { recursive: true, force: true });
      }
    }
  } finally {
    await rm(building, { recursive: true, force: true });
  }
  return final;
}

async function templateKey(): Promise<string> {
  const hash = createHash("sha256");
  const migrations = await readMigrationsList(defaultMigrationsDir());
  for (const dir of migrations.migrationDirectories) {
    const content = dir.migrationFile.content;
    hash.update(`${dir.path}\0${content.tag === "ok" ? content.value : ""}\0`);
  }
  const pglite = join(ROOT, "node_modules", "@electric-sql", "pglite", "package.json");
  hash.update(JSON.parse(await readFile(pglite, "utf8")).version);
  return hash.digest("hex").slice(0, 16);
}
