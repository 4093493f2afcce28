/**
 * How the service's Node process manages its memory. Measured on the 2-core
 * development machine (docs/benchmarks.md, "Start-up and memory"):
 *
 * - `--max-semi-space-size=4`: the young generation grows to 2 × 16 MiB by
 *   default and stays there after start-up (30 MiB of an idle service); 4 MiB
 *   semi-spaces cost no measurable CPU per message in `bench:engine`.
 * - `--v8-pool-size=1`: one V8 background thread instead of one per core. Every
 *   background thread that compiled WebAssembly (PGlite's PostgreSQL, Prisma's
 *   query compiler) or marked the heap keeps its own malloc arena: 20 MiB of an
 *   idle service, 35-45 MiB more with the embedded database.
 *
 * Both must be given on Node's command line (they are read when the heap is
 * set up): package.json's `start` and `start:prod`, the Dockerfile and the
 * benchmarks use this list, and test/lib/node-flags.test.ts keeps them equal.
 */
import v8 from "node:v8";

export const NODE_FLAGS: readonly string[] = ["--max-semi-space-size=4", "--v8-pool-size=1"];

/**
 * After a full garbage collection V8 lets the old generation grow up to four
 * times what survived before collecting it again; with about 45 MiB live that
 * let `bench:engine` reach 120-160 MiB of heap. 1.5 times keeps the peak near
 * 200 MiB for about 0.03-0.06 ms more CPU per message. Read by V8 at every
 * collection, so it can be set at run time (unlike the flags above).
 */
export function limitHeapGrowth(): void {
  v8.setFlagsFromString("--heap-growing-percent=50");
}
