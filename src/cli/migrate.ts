/**
 * `npm run db:migrate`: applies prisma/migrations to the configured store
 * (DATABASE_URL, or the embedded database in DATA_DIR). The service also does
 * this on start; the command is for deploy pipelines and for checking by hand.
 */

import { openDatabase } from "../db/client.ts";
import { applyMigrations } from "../db/migrate.ts";
import { loadEnv } from "../env.ts";
import { createLogger } from "../lib/logger.ts";
import { forwardMigrate, runningService } from "./local-service.ts";
import { runProgram } from "./program.ts";

async function main(): Promise<void> {
  const env = loadEnv();
  const log = createLogger({ level: env.logLevel, format: env.logFormat, destination: 2 });
  // Beside a service on the embedded database: the service applies them.
  const service = env.databaseUrl ? undefined : await runningService(env.dataDir);
  if (service) {
    const { applied, location } = await forwardMigrate(service);
    console.log(report(applied, location));
    return;
  }
  const db = await openDatabase({ databaseUrl: env.databaseUrl, dataDir: env.dataDir, log });
  try {
    const { applied } = await applyMigrations(db, { log });
    console.log(report(applied, db.location));
  } finally {
    await db.close();
  }
}

const report = (applied: string[], location: string) =>
  applied.length
    ? `applied ${applied.length} migration(s) to ${location}: ${applied.join(", ")}`
    : `${location} is up to date`;

// Configuration, connection and migration errors all carry a one-line, readable message.
runProgram("db:migrate", main);
