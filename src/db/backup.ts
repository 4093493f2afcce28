/**
 * Backups: `npm run db:backup` writes a consistent copy of the database to a
 * file, `npm run db:restore` puts one into an empty database.
 *
 * - Embedded: the data folder as a gzipped tar, taken by PGlite itself while
 *   nothing else runs on it; restored by PGlite into an empty folder.
 * - PostgreSQL: `pg_dump --format=custom` and `pg_restore` (the PostgreSQL
 *   client programs, which must be installed).
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { AppError } from "../lib/errors.ts";
import { type Database, EMBEDDED_SUBDIR } from "./client.ts";
import { acquireEmbeddedLock } from "./embedded-lock.ts";

export async function backupTo(
  db: Database,
  file: string,
  databaseUrl?: string,
): Promise<{ bytes: number }> {
  if (db.dumpEmbedded) {
    const blob = await db.dumpEmbedded();
    const bytes = Buffer.from(await blob.arrayBuffer());
    await writeFile(file, bytes, { mode: 0o600 });
    return { bytes: bytes.length };
  }
  if (!databaseUrl) throw new Error("a PostgreSQL backup needs DATABASE_URL");
  await run("pg_dump", ["--format=custom", "--no-owner", `--file=${file}`, databaseUrl]);
  return { bytes: (await readFile(file)).length };
}

export async function restoreFrom(
  file: string,
  target: { databaseUrl?: string; dataDir: string },
): Promise<void> {
  if (!existsSync(file)) throw new AppError("not_found", `no such file: ${file}`);
  if (target.databaseUrl) {
    const client = new pg.Client({ connectionString: target.databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ t: string | null }>(
        `SELECT to_regclass('"_prisma_migrations"')::text AS t`,
      );
      if (rows[0]?.t) {
        throw new AppError("conflict", "the database is not empty: restore into a new, empty one");
      }
    } finally {
      await client.end();
    }
    await run("pg_restore", ["--no-owner", `--dbname=${target.databaseUrl}`, file]);
    return;
  }
  const dir = resolve(target.dataDir);
  const postgresDir = join(dir, EMBEDDED_SUBDIR);
  if (existsSync(join(postgresDir, "PG_VERSION"))) {
    throw new AppError(
      "conflict",
      `${dir} already holds a database: restore into an empty DATA_DIR`,
    );
  }
  await mkdir(dir, { recursive: true });
  const lock = await acquireEmbeddedLock(dir, { postgresDir });
  try {
    const db = await PGlite.create(postgresDir, {
      loadDataDir: new Blob([await readFile(file)]),
    });
    await db.close();
  } finally {
    await lock.release();
  }
}

function run(program: string, args: string[]): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(program, args, { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.once("error", (error: NodeJS.ErrnoException) =>
      fail(
        error.code === "ENOENT"
          ? new AppError(
              "config_invalid",
              `${program} is not installed: install the PostgreSQL client programs (Debian/Ubuntu: sudo apt install postgresql-client)`,
            )
          : error,
      ),
    );
    child.once("exit", (code) =>
      code === 0 ? done() : fail(new Error(`${program} failed: ${stderr.trim().slice(-500)}`)),
    );
  });
}
