/**
 * Applies `prisma/migrations/*\/migration.sql` with Prisma's own migration engine
 * (wasm build, see schema-engine.ts), so the database keeps the standard
 * `_prisma_migrations` table and the Prisma CLI would agree with it.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Logger } from "pino";
import type { Database } from "./client.ts";
import {
  engineError,
  type MigrationList,
  NO_EXTERNAL_ENTITIES,
  withSchemaEngine,
} from "./schema-engine.ts";

export const MIGRATION_FILE = "migration.sql";
export const LOCK_FILE = "migration_lock.toml";

/**
 * The project's `prisma` folder, found by walking up from this file: the same
 * answer from `src/db/` (tsx) and `dist/src/db/` (built), and it does not rely
 * on where package.json copies may end up.
 */
export function findPrismaDir(from: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (;;) {
    const candidate = join(dir, "prisma");
    if (existsSync(join(candidate, "schema.prisma")) || existsSync(join(candidate, "migrations"))) {
      return candidate;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no prisma/ folder found above ${from}`);
    dir = parent;
  }
}

export function defaultMigrationsDir(): string {
  return join(findPrismaDir(), "migrations");
}

export function defaultSchemaPath(): string {
  return join(findPrismaDir(), "schema.prisma");
}

/** Reads the migrations folder the way the Prisma CLI hands it to the engine. */
export async function readMigrationsList(migrationsDir: string): Promise<MigrationList> {
  const baseDir = resolve(migrationsDir);
  const entries = existsSync(baseDir) ? await readdir(baseDir, { withFileTypes: true }) : [];
  const names = entries
    // Dot-folders are not migrations (e.g. new-migration's staging folder).
    .filter((e) => e.isDirectory() && !e.name.startsWith("."))
    .map((e) => e.name)
    .sort();
  const migrationDirectories = await Promise.all(
    names.map(async (name) => {
      const path = join(baseDir, name, MIGRATION_FILE);
      try {
        const content = await readFile(path, "utf8");
        return { path: name, migrationFile: { path: MIGRATION_FILE, content: ok(content) } };
      } catch (error) {
        const reason = `could not read ${path}: ${(error as Error).message}`;
        return { path: name, migrationFile: { path: MIGRATION_FILE, content: failed(reason) } };
      }
    }),
  );
  const lockPath = join(baseDir, LOCK_FILE);
  const lockContent = existsSync(lockPath) ? await readFile(lockPath, "utf8") : null;
  return {
    baseDir,
    lockfile: { path: LOCK_FILE, content: lockContent },
    shadowDbInitScript: "",
    migrationDirectories,
  };
}

const ok = (value: string) => ({ tag: "ok" as const, value });
const failed = (value: string) => ({ tag: "error" as const, value });

/**
 * Applying needs only the connector from the schema, not the models; a fixed
 * datasource keeps the running service independent of schema.prisma.
 */
const APPLY_DATAMODEL = `datasource db {
  provider = "postgresql"
}
`;

export interface ApplyMigrationsOptions {
  /** Default: the project's prisma/migrations. */
  migrationsDir?: string;
  log?: Logger;
}

export async function applyMigrations(
  db: Pick<Database, "sql" | "location" | "openMigrationConnection">,
  opts: ApplyMigrationsOptions = {},
): Promise<{ applied: string[] }> {
  const started = performance.now();
  const migrationsDir = opts.migrationsDir ?? defaultMigrationsDir();
  const migrationsList = await readMigrationsList(migrationsDir);
  if (migrationsList.migrationDirectories.length === 0) {
    throw new Error(`no migrations in ${migrationsList.baseDir}: nothing would create the tables`);
  }
  if (await upToDate(db, migrationsList)) {
    opts.log?.info(
      { applied: [], total: migrationsList.migrationDirectories.length, ms: elapsed(started) },
      "database schema up to date",
    );
    return { applied: [] };
  }
  const connection = await db.openMigrationConnection();
  try {
    const result = await withSchemaEngine(
      {
        schema: { path: "schema.prisma", content: APPLY_DATAMODEL },
        adapterFactory: connection.factory,
        log: opts.log,
      },
      (engine) => engine.applyMigrations({ migrationsList, filters: NO_EXTERNAL_ENTITIES }),
    ).catch((error: unknown) => {
      throw engineError(`applying migrations to ${db.location} failed`, error);
    });
    const applied = result.appliedMigrationNames;
    opts.log?.info(
      { applied, total: migrationsList.migrationDirectories.length, ms: elapsed(started) },
      applied.length ? "migrations applied" : "database schema up to date",
    );
    return { applied };
  } finally {
    await connection.release();
  }
}

/**
 * Whether every migration in the folder is applied, finished and unchanged
 * (the checksum Prisma records is the SHA-256 of migration.sql), and none
 * failed: then there is nothing for the engine to do, and it is not loaded
 * (it costs seconds and tens of megabytes at every start). Anything else, a
 * missing table included, goes to the engine, which applies or explains.
 */
async function upToDate(db: Pick<Database, "sql">, list: MigrationList): Promise<boolean> {
  const local = new Map<string, string>();
  for (const dir of list.migrationDirectories) {
    if (dir.migrationFile.content.tag !== "ok") return false;
    local.set(dir.path, createHash("sha256").update(dir.migrationFile.content.value).digest("hex"));
  }
  try {
    const [exists] = await db.sql.query<{ t: string | null }>(
      `SELECT to_regclass('"_prisma_migrations"')::text AS t`,
    );
    if (!exists?.t) return false;
    const rows = await db.sql.query<{ name: string; checksum: string; done: boolean }>(
      `SELECT migration_name AS name, checksum, finished_at IS NOT NULL AS done
       FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`,
    );
    if (rows.some((r) => !r.done)) return false;
    const applied = new Map(rows.map((r) => [r.name, r.checksum]));
    return [...local].every(([name, sum]) => applied.get(name) === sum);
  } catch {
    return false;
  }
}

function elapsed(since: number): number {
  return Math.round(performance.now() - since);
}
