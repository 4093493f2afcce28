/**
 * `npm run db:restore -- FILE`: puts a backup (`npm run db:backup`) into an
 * empty database: DATA_DIR for the embedded one (stop the service first),
 * or the empty PostgreSQL database at DATABASE_URL.
 */
import { resolve } from "node:path";
import { restoreFrom } from "../db/backup.ts";
import { loadEnv } from "../env.ts";
import { runningService } from "./local-service.ts";
import { runProgram } from "./program.ts";

async function main(): Promise<void> {
  const env = loadEnv();
  const file = process.argv[2];
  if (!file) throw new Error("usage: npm run db:restore -- <backup file>");
  if (!env.databaseUrl && (await runningService(env.dataDir))) {
    throw new Error(
      "a service is running on this data folder: stop it, and restore into an empty DATA_DIR",
    );
  }
  await restoreFrom(resolve(file), { databaseUrl: env.databaseUrl, dataDir: env.dataDir });
  console.log(
    `restored ${resolve(file)} into ${env.databaseUrl ? "the database at DATABASE_URL" : resolve(env.dataDir)}`,
  );
}

runProgram("db:restore", main);
