/**
 * Opens the database: PostgreSQL when a URL is configured, otherwise the
 * embedded PostgreSQL (PGlite) in the data folder. Both use the same Prisma
 * schema and migrations.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname, extname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import pg from "pg";
import type { Logger } from "pino";
import { PrismaClient } from "../generated/prisma/client.ts";
import { AppError } from "../lib/errors.ts";
import { acquireEmbeddedLock } from "./embedded-lock.ts";
import { pgliteAdapterFactory } from "./pglite-adapter.ts";
import { pgliteSql, pgSql, type Sql } from "./sql.ts";

export type DatabaseKind = "postgres" | "embedded";

/** A driver adapter for the migration engine, and how to let go of its connections. */
export interface MigrationConnection {
  factory: SqlMigrationAwareDriverAdapterFactory;
  release(): Promise<void>;
}

export interface Database {
  readonly prisma: PrismaClient;
  /** Plain SQL on the same connections, for the message path (see sql.ts). */
  readonly sql: Sql;
  readonly kind: DatabaseKind;
  /** Where the data lives, safe to log: host/port/database, or the data folder. */
  readonly location: string;
  /**
   * A connection for the migration engine. Release it when done: on PostgreSQL
   * the engine's advisory lock is only freed when its connection closes.
   */
  openMigrationConnection(): Promise<MigrationConnection>;
  /** The embedded database's folder as a gzipped tar (a consistent copy); embedded only. */
  dumpEmbedded?(): Promise<Blob>;
  /** Disconnects Prisma, closes the pool or PGlite, releases the folder lock. Idempotent. */
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** PostgreSQL connection string; unset → embedded PostgreSQL in `dataDir`. */
  databaseUrl?: string;
  /** Folder of the embedded database; created when missing. */
  dataDir: string;
  log?: Logger;
  /** Most connections the PostgreSQL pool opens. Default 10. */
  poolSize?: number;
  /** How long to wait for a PostgreSQL connection before failing, in ms. Default 5000. */
  connectTimeoutMs?: number;
}

const DEFAULT_POOL_SIZE = 10;
const DEFAULT_CONNECT_TIMEOUT_MS = 5000;
/**
 * PostgreSQL's shared memory inside PGlite. Its buffers (default 128 MB) were
 * most of the process's memory, while the files it reads are in the operating
 * system's cache anyway: 16 MB took an opened embedded database from 289 to
 * 156 MiB of resident memory, 8 MB saves about 10 MiB more. PGlite runs one
 * backend (single-user mode), so the shared memory sized for 100 connections
 * (process and lock tables) is for 5: about 8 MiB less. Measured with
 * bench/startup.ts and by opening a migrated folder alone: 104-117 -> 92-98 MiB
 * resident after opening and a few queries.
 */
const EMBEDDED_START_PARAMS = [
  ...PGlite.defaultStartParams,
  "-c",
  "shared_buffers=8MB",
  "-c",
  "max_connections=5",
];

/** PGlite's own folder inside the data folder, so the lock file and PostgreSQL's files stay apart. */
export const EMBEDDED_SUBDIR = "pglite";

export async function openDatabase(opts: OpenDatabaseOptions): Promise<Database> {
  const started = performance.now();
  const db = opts.databaseUrl
    ? await openPostgres(opts.databaseUrl, opts)
    : await openEmbedded(opts.dataDir, opts.log);
  opts.log?.info(
    { kind: db.kind, location: db.location, ms: Math.round(performance.now() - started) },
    "database open",
  );
  return db;
}

async function openPostgres(url: string, opts: OpenDatabaseOptions): Promise<Database> {
  const location = describePostgresUrl(url);
  const connectionTimeoutMillis = opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const poolConfig: pg.PoolConfig = {
    connectionString: url,
    max: opts.poolSize ?? DEFAULT_POOL_SIZE,
    // pg waits forever for a connection by default; a dead server would hang startup.
    connectionTimeoutMillis,
    idleTimeoutMillis: 30_000,
  };
  const pool = new pg.Pool(poolConfig);
  // An idle client losing its server emits "error" on the pool; unhandled, it ends the process.
  pool.on("error", (error) => opts.log?.warn({ err: error }, "idle PostgreSQL connection failed"));
  try {
    await pool.query("SELECT 1");
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw unreachable(location, opts.dataDir, error);
  }
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    prisma,
    sql: pgSql(pool),
    kind: "postgres",
    location,
    async openMigrationConnection() {
      // One connection, so the engine's advisory lock, migration scripts and bookkeeping
      // all run on the session that holds the lock.
      const migrationPool = new pg.Pool({ connectionString: url, max: 1, connectionTimeoutMillis });
      migrationPool.on("error", () => undefined);
      return { factory: new PrismaPg(migrationPool), release: () => migrationPool.end() };
    },
    close: once(async () => {
      await prisma.$disconnect();
      await pool.end();
    }),
  };
}

async function openEmbedded(dataDir: string, log: Logger | undefined): Promise<Database> {
  const dir = resolve(dataDir);
  const postgresDir = join(dir, EMBEDDED_SUBDIR);
  await mkdir(dir, { recursive: true });
  const lock = await acquireEmbeddedLock(dir, { postgresDir });
  let pglite: PGlite;
  try {
    if (!existsSync(join(postgresDir, "PG_VERSION"))) {
      log?.info({ location: dir }, "creating the embedded database (first start)");
      await initializeInChild(postgresDir);
    }
    pglite = await PGlite.create(postgresDir, { startParams: EMBEDDED_START_PARAMS });
  } catch (error) {
    await lock.release();
    throw new AppError(
      "database_unavailable",
      `could not open the embedded database in ${postgresDir}: ${errorText(error)}`,
      error,
    );
  }
  const factory = pgliteAdapterFactory(pglite);
  const prisma = new PrismaClient({ adapter: factory });
  return {
    prisma,
    sql: pgliteSql(pglite),
    dumpEmbedded: () => pglite.dumpDataDir("gzip"),
    kind: "embedded",
    location: dir,
    async openMigrationConnection() {
      // PGlite is one session; the engine shares it and there is nothing to release.
      return { factory, release: async () => undefined };
    },
    close: once(async () => {
      try {
        try {
          await prisma.$disconnect();
        } finally {
          // Shuts PostgreSQL down cleanly (checkpoint, postmaster.pid removed).
          await pglite.close();
        }
      } finally {
        // Only once PGlite is closed may another process open the folder.
        await lock.release();
      }
      log?.debug({ location: dir }, "embedded database closed");
    }),
  };
}

/** Runs pglite-init.ts (or .js, compiled) in a child process; see there why. */
async function initializeInChild(postgresDir: string): Promise<void> {
  const here = fileURLToPath(import.meta.url);
  const script = join(dirname(here), `pglite-init${extname(here)}`);
  // From the sources (npm start, tests) the child needs tsx, as `npm start` does.
  const loader = extname(here) === ".ts" ? ["--import", "tsx"] : [];
  const child = spawn(process.execPath, [...loader, script, postgresDir], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", resolve);
  });
  if (code !== 0) throw new Error(`creating the database failed: ${stderr.trim().slice(-500)}`);
}

function unreachable(location: string, dataDir: string, error: unknown): AppError {
  return new AppError(
    "database_unavailable",
    `cannot connect to PostgreSQL at ${location}: ${errorText(error)}. ` +
      "Check that the server is running and DATABASE_URL is right, " +
      `or unset DATABASE_URL to use the embedded database in ${dataDir}.`,
    error,
  );
}

/** host:port/database of a connection string, without user or password. */
export function describePostgresUrl(url: string): string {
  try {
    const u = new URL(url);
    // A socket path comes as ?host=/var/run/postgresql when the authority is empty.
    const host = u.hostname || u.searchParams.get("host") || "localhost";
    const port = u.port || "5432";
    const database = decodeURIComponent(u.pathname.replace(/^\//, ""));
    return `${host}:${port}${database ? `/${database}` : ""}`;
  } catch {
    return "(unparseable DATABASE_URL)";
  }
}

function errorText(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) {
    // Node's happy-eyeballs connect reports one error per address tried.
    return errorText(error.errors[0]);
  }
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => {
    running ??= fn();
    return running;
  };
}
