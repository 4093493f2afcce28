/**
 * Creates a new embedded database folder and exits: run as a child process
 * by `openEmbedded` (client.ts). PGlite's initdb runs a second PostgreSQL
 * whose memory the service would otherwise keep for its whole life (about
 * 500 MiB, measured); in a child it is gone when the child exits.
 */
import { PGlite } from "@electric-sql/pglite";

const dir = process.argv[2];
if (!dir) {
  console.error("usage: pglite-init <folder>");
  process.exit(2);
}
const db = await PGlite.create(dir);
await db.close();
