// Run at install (package.json postinstall): makes the empty embedded database that a
// first `npm start` copies instead of running PGlite's initdb (src/db/pglite-template.ts).
// Best effort: without it the service still creates its database, only slower.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const script = `${root}src/cli/pglite-template.ts`;
if (!existsSync(`${root}node_modules/tsx`) || !existsSync(script)) process.exit(0);
const t = performance.now();
const result = spawnSync(process.execPath, ["--import", "tsx", script], {
  cwd: root,
  stdio: "inherit",
});
if (result.status === 0)
  console.log(`embedded database template ready (${Math.round(performance.now() - t)} ms)`);
else console.log("could not make the embedded database template; first starts run initdb");
