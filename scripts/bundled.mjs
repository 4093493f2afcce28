// Runs TypeScript without a loader at run time: esbuild (the compiler tsx uses) bundles
// the entry points once into node_modules/.cache/ijc-bot/<name>/<build>/ (a few hundred
// milliseconds, again only when one of their source files changed; packages stay in
// node_modules, not bundled), then this process imports the first one. tsx instead
// compiles every module as it loads, in a loader thread of its own, and keeps their
// source maps: 40-50 MiB of a service's memory and a slower start (docs/benchmarks.md).
import {
  existsSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = dirname(dirname(fileURLToPath(import.meta.url)));

/** The last bundle's folder, if none of its inputs changed since (and none is gone). */
function upToDate(stamp, options) {
  try {
    const last = JSON.parse(readFileSync(stamp, "utf8"));
    if (last.options !== options) return undefined;
    const fresh = last.inputs.every((file) => statSync(join(root, file)).mtimeMs < last.builtAt);
    return fresh && existsSync(last.dir) ? last.dir : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Bundles `entryPoints` ({output name: source file}) as `name` and runs the first.
 * In files under `ownUrls` (folders relative to the project) `import.meta.url` stays
 * the file's own (the benchmarks find the project and their folders from it); elsewhere
 * it is the bundle's, which src/ expects (it looks up from it, and db/client.ts runs
 * pglite-init beside itself).
 * @param {string} name
 * @param {Record<string, string>} entryPoints
 * @param {string[]} [ownUrls]
 */
export async function runBundled(name, entryPoints, ownUrls = []) {
  const base = join(root, "node_modules/.cache/ijc-bot", name);
  const stamp = join(base, "last.json");
  // The checkout is part of it: two checkouts sharing one node_modules (a symlink) must not
  // run each other's bundle, whose inputs' times say nothing about this checkout's files.
  const options = JSON.stringify([root, entryPoints, ownUrls]);
  let dir = upToDate(stamp, options);
  if (!dir) {
    // Each build in a folder of its own, named in last.json only once complete: another
    // start at the same moment never loads a half-written bundle.
    const builtAt = Date.now();
    dir = join(base, `${builtAt}-${process.pid}`);
    const esbuild = await import("esbuild");
    const result = await esbuild.build({
      absWorkingDir: root,
      entryPoints,
      outdir: dir,
      bundle: true,
      packages: "external",
      platform: "node",
      format: "esm",
      target: "node20",
      // For stack traces with src/ files and lines: node --enable-source-maps.
      sourcemap: "linked",
      sourcesContent: false,
      metafile: true,
      logLevel: "error",
      plugins: ownUrls.length ? [ownImportMetaUrl(ownUrls)] : [],
    });
    await esbuild.stop();
    const inputs = Object.keys(result.metafile.inputs);
    const partial = `${stamp}.${process.pid}`;
    writeFileSync(partial, JSON.stringify({ builtAt, dir, inputs, options }));
    renameSync(partial, stamp);
    prune(base, dir);
  }
  await import(pathToFileURL(join(dir, `${Object.keys(entryPoints)[0]}.js`)).href);
}

/** Removes older builds but the two before `keep` (a service started from one may still need its files). */
function prune(base, keep) {
  const builds = readdirSync(base, { withFileTypes: true })
    .filter((e) => e.isDirectory() && /^\d+-\d+$/.test(e.name))
    .map((e) => join(base, e.name))
    .filter((d) => d !== keep)
    .sort(
      (a, b) => Number(b.split("/").pop().split("-")[0]) - Number(a.split("/").pop().split("-")[0]),
    );
  for (const old of builds.slice(2)) rmSync(old, { recursive: true, force: true });
}

/** @param {string[]} folders */
function ownImportMetaUrl(folders) {
  return {
    name: "own-import-meta-url",
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, async (args) => {
        const path = relative(root, args.path);
        if (!folders.some((f) => path.startsWith(f))) return undefined;
        const text = await readFile(args.path, "utf8");
        const url = JSON.stringify(pathToFileURL(args.path).href);
        return { contents: text.replaceAll("import.meta.url", url), loader: "ts" };
      });
    },
  };
}
