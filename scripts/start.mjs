// `npm start`: runs src/main.ts without a TypeScript loader at run time. tsx compiles
// every module as it loads (in a loader thread of its own) and keeps their source maps:
// about 40-50 MiB of the service's memory and a slower start (docs/benchmarks.md). Here
// esbuild (tsx's own compiler, already installed) bundles src/ once into
// node_modules/.cache/ijc-bot/start/ in a few hundred milliseconds, again only when a
// source file changed, and this process then runs the bundle: still one step after
// `npm ci`, no `npm run build` needed. Packages stay in node_modules (not bundled).
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const outdir = join(root, "node_modules/.cache/ijc-bot/start");
const stamp = join(outdir, "inputs.json");
const entryPoints = {
  main: "src/main.ts",
  // Run as a child process by db/client.ts (it looks for it beside itself).
  "pglite-init": "src/db/pglite-init.ts",
};

/** The inputs of the last bundle, if none of them changed since (and none is gone). */
function upToDate() {
  try {
    const { builtAt, inputs, options } = JSON.parse(readFileSync(stamp, "utf8"));
    if (options !== JSON.stringify(entryPoints)) return false;
    return inputs.every((file) => statSync(join(root, file)).mtimeMs < builtAt);
  } catch {
    return false;
  }
}

if (!upToDate()) {
  const esbuild = await import("esbuild");
  const builtAt = Date.now();
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints,
    outdir,
    bundle: true,
    packages: "external",
    platform: "node",
    format: "esm",
    target: "node20",
    // Stack traces name src/ files and lines (node --enable-source-maps in package.json).
    sourcemap: "linked",
    sourcesContent: false,
    metafile: true,
    logLevel: "error",
  });
  // The inputs include tsconfig-resolved sources only; package.json or the lock file
  // changing does not matter: packages are not in the bundle.
  const inputs = Object.keys(result.metafile.inputs).filter((f) => !f.startsWith("node_modules/"));
  writeFileSync(stamp, JSON.stringify({ builtAt, inputs, options: JSON.stringify(entryPoints) }));
  await esbuild.stop();
}

await import(pathToFileURL(join(outdir, "main.js")).href);
