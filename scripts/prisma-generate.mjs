// Runs `prisma generate` offline. The Prisma CLI wants a schema-engine binary
// it would download; generate never uses it, so any existing file will do
// (see README: Development). Skipped when the CLI is not installed
// (production installs with --omit=dev use the already built client).
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const cli = `${root}node_modules/prisma/build/index.js`;
if (!existsSync(cli)) {
  console.log("prisma CLI not installed; skipping client generation");
  process.exit(0);
}
const result = spawnSync(process.execPath, [cli, "generate"], {
  cwd: root,
  stdio: "inherit",
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? "/bin/true",
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
    CHECKPOINT_DISABLE: "1",
  },
});
if (result.status === 0) keepNoWasmSource();
process.exit(result.status ?? 1);

/**
 * The generated client gets Prisma's query compiler (WebAssembly) by importing a module
 * that exports it as one base64 string: the module stays loaded, so its source text and
 * the string (2.3 MB each) stay in the heap for the process's life. Read and decode the
 * same file instead, so both are garbage once the WebAssembly is compiled: about
 * 4.5 MiB less resident memory (measured, docs/benchmarks.md). Left as generated when
 * the code is not the expected one.
 */
function keepNoWasmSource() {
  const file = `${root}src/generated/prisma/internal/class.ts`;
  if (!existsSync(file)) return;
  const text = readFileSync(file, "utf8");
  const pattern =
    /const \{ wasm \} = await import\("(@prisma\/client\/runtime\/query_compiler_\w+_bg\.\w+\.wasm-base64)\.mjs"\)/;
  const match = pattern.exec(text);
  if (!match) {
    console.log("prisma-generate: query compiler import not as expected; left as generated");
    return;
  }
  const replacement = `const { readFile } = await import("node:fs/promises")
    const { createRequire } = await import("node:module")
    // Read, not imported: the module and its 2 MB string would stay loaded (scripts/prisma-generate.mjs).
    const source = await readFile(createRequire(import.meta.url).resolve("${match[1]}.js"), "utf8")
    const wasm = source.slice(source.indexOf('"') + 1, source.lastIndexOf('"'))`;
  writeFileSync(file, text.replace(match[0], replacement));
}
