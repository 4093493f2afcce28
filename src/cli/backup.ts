/**
 * `npm run db:backup [-- FILE]`: a consistent copy of the database in a file
 * (embedded: the data folder as .tar.gz; PostgreSQL: pg_dump's custom
 * format). Beside a service running on the embedded database, the service
 * writes it.
 */
import { resolve } from "node:path";
import { backupTo } from "../db/backup.ts";
import { openDatabase } from "../db/client.ts";
import { loadEnv } from "../env.ts";
import { forwardBackup, runningService } from "./local-service.ts";
import { runProgram } from "./program.ts";

async function main(): Promise<void> {
  const env = loadEnv();
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const file = resolve(
    process.argv[2] ?? `ijc-backup-${stamp}.${env.databaseUrl ? "dump" : "tar.gz"}`,
  );
  const service = env.databaseUrl ? undefined : await runningService(env.dataDir);
  const { bytes } = service
    ? await forwardBackup(service, file)
    : await (async () => {
        const db = await openDatabase({ databaseUrl: env.databaseUrl, dataDir: env.dataDir });
        try {
          return await backupTo(db, file, env.databaseUrl);
        } finally {
          await db.close();
        }
      })();
  console.log(`backup written: ${file} (${Math.round(bytes / 1024)} KiB)`);
}

runProgram("db:backup", main);
