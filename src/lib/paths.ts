import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The nearest folder above this module that contains `entry` (e.g. "locales"):
 * the same answer from `src/lib/` with tsx and from `dist/src/lib/` after a build.
 */
export function findUp(entry: string): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, entry))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`${entry} not found above ${import.meta.url}`);
    dir = parent;
  }
  return join(dir, entry);
}
