/**
 * Creates a new embedded database folder, applies the migrations and exits:
 * run as a child process by `openEmbedded` (client.ts). PGlite's initdb runs
 * a second PostgreSQL, and the migration engine is WebAssembly of its own;
 * the service would keep their memory for its whole life (about 500 MiB,
 * measured). In a child it is gone when the child exits, and the service
 * finds the schema up to date.
 */
import { applyMigrations } from "./migrate.ts";
import { pgliteAdapterFactory } from "./pglite-adapter.ts";
import { createEmbedded } from "./pglite-template.ts";
import { pgliteSql } from "./sql.ts";

const dir = process.argv[2];
if (!dir) {
  console.error("usage: pglite-init <folder>");
  process.exit(2);
}
// From the empty cluster made at install when there is one (see pglite-template.ts).
const db = await createEmbedded(dir);
try {
  const factory = pgliteAdapterFactory(db);
  await applyMigrations({
    sql: pgliteSql(db),
    location: dir,
    openMigrationConnection: async () => ({ factory, release: async () => undefined }),
  });
} finally {
  await db.close();
}
