/**
 * A new embedded database starts as a copy of an empty one. PGlite's initdb
 * runs PostgreSQL's bootstrap in WebAssembly: 4.4-5.5 s of a first start on
 * the development machine, most of it. Loading the same empty cluster from a
 * gzipped tar (PGlite's dumpDataDir format) takes 1.1-1.6 s. The tarball is
 * made once, when the packages are installed (npm ci runs
 * scripts/pglite-template.mjs), kept with them in node_modules/.cache and
 * named by PGlite's version; without it a first start runs initdb as before.
 * It holds only what initdb makes: the service's schema and its own queue
 * prefix come from the migrations, applied to each new database.
 */
import { existsSync, readFileSync } from "node:fs";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { findUp } from "../lib/paths.ts";

/** Where the template for the installed PGlite is (or would be). */
export function templatePath(): string {
  const modules = findUp("node_modules");
  const { version } = JSON.parse(
    readFileSync(join(modules, "@electric-sql/pglite/package.json"), "utf8"),
  ) as { version: string };
  return join(modules, ".cache/ijc-bot", `pglite-${version}-empty.tar.gz`);
}

/** Makes the template unless it exists. Returns its path. */
export async function makeTemplate(path = templatePath()): Promise<string> {
  if (existsSync(path)) return path;
  const db = await PGlite.create();
  try {
    const dump = await db.dumpDataDir("gzip");
    await mkdir(dirname(path), { recursive: true });
    const partial = `${path}.${process.pid}.partial`;
    await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
    await rename(partial, path);
  } finally {
    await db.close();
  }
  return path;
}

/**
 * Opens a new database in `dir` (no PG_VERSION there yet): from the template
 * when there is one, else through initdb. A template that cannot be loaded is
 * ignored (the folder is emptied and initdb runs).
 */
export async function createEmbedded(dir: string): Promise<PGlite> {
  let template: Buffer | undefined;
  try {
    template = await readFile(templatePath());
  } catch {
    template = undefined;
  }
  if (template) {
    try {
      return await PGlite.create(dir, { loadDataDir: new Blob([template]) });
    } catch {
      await rm(dir, { recursive: true, force: true });
    }
  }
  return PGlite.create(dir);
}
