/**
 * `npm run db:migrate`: applies prisma/migrations to the configured store
 * (DATABASE_URL, or the embedded database in DATA_DIR). The service also does
 * this on start; the command is for deploy pipelines and for checking by hand.
 */
import { loadEnv } from "../env.ts";
import { createLogger } from "../lib/logger.ts";
import { openDatabase } from "./client.ts";
import { applyMigrations } from "./migrate.ts";

async function main(): Promise<void> {
  const env = loadEnv();
  const log = createLogger({ level: env.logLevel, format: env.logFormat, destination: 2 });
  const db = await openDatabase({ databaseUrl: env.databaseUrl, dataDir: env.dataDir, log });
  try {
    const { applied } = await applyMigrations(db, { log });
    console.log(
      applied.length
        ? `applied ${applied.length} migration(s) to ${db.location}: ${applied.join(", ")}`
        : `${db.location} is up to date`,
    );
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  // Configuration, connection and migration errors all carry a one-line, readable message.
  console.error(`db:migrate failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
