/**
 * Prisma's migration engine, compiled to WebAssembly (`@prisma/schema-engine-wasm`).
 *
 * The Prisma CLI would download a native `schema-engine` binary from outside npm,
 * which is not possible here; the wasm build is the same engine and talks to the
 * database through a driver adapter instead (see docs: STACK.md).
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import type { SchemaEngine, SchemaFilter } from "@prisma/schema-engine-wasm";
import type { Logger } from "pino";

export type {
  MigrationList,
  SchemaContainer,
  SchemaEngine,
  SchemaFilter,
} from "@prisma/schema-engine-wasm";

type EngineModule = typeof import("@prisma/schema-engine-wasm/schema_engine_bg");

/** The project compiles without DOM typings, which is where WebAssembly's types live. */
type WasmImports = Record<string, Record<string, unknown>>;
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: WasmImports) => { exports: Record<string, unknown> };
}
const { WebAssembly: wasmApi } = globalThis as unknown as { WebAssembly: WasmApi };

/** No tables or enums are managed outside Prisma. */
export const NO_EXTERNAL_ENTITIES: SchemaFilter = { externalTables: [], externalEnums: [] };

let loading: Promise<EngineModule> | undefined;

/**
 * Loads and starts the wasm module once per process.
 *
 * The package's entry point does `import * as wasm from "./x.wasm"`, which Node 20
 * only allows behind `--experimental-wasm-modules`; instantiating the module by hand
 * with the JS glue as its import object does the same thing without the flag.
 */
export function loadSchemaEngineModule(): Promise<EngineModule> {
  loading ??= (async () => {
    const bg = await import("@prisma/schema-engine-wasm/schema_engine_bg");
    // require.resolve only finds the file; the package's "require" condition points at
    // the same ESM file, which is never loaded through require.
    const gluePath = createRequire(import.meta.url).resolve(
      "@prisma/schema-engine-wasm/schema_engine_bg",
    );
    const bytes = await readFile(join(dirname(gluePath), "schema_engine_bg.wasm"));
    const module = new wasmApi.Module(bytes);
    const instance = new wasmApi.Instance(module, {
      "./schema_engine_bg.js": withTrackedTimers(bg),
    });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return bg;
  })();
  // A failed load (e.g. a missing file) may be retried rather than cached forever.
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}

/**
 * Timers the engine started and has not seen fire. It races each database call
 * against a timeout (10 s) and never clears the losing timer, which would keep a
 * finished CLI process alive for those seconds; they are cleared once no engine
 * is running.
 */
const pendingTimers = new Set<NodeJS.Timeout>();
let runningEngines = 0;

function withTrackedTimers(imports: Record<string, unknown>): Record<string, unknown> {
  const wrapped: Record<string, unknown> = { ...imports };
  for (const key of Object.keys(imports)) {
    // wasm-bindgen names the import `__wbg_setTimeout_<hash>`; the hash changes per release.
    if (!key.startsWith("__wbg_setTimeout_")) continue;
    wrapped[key] = (callback: () => void, ms: number) => {
      const timer = setTimeout(() => {
        pendingTimers.delete(timer);
        callback();
      }, ms >>> 0);
      pendingTimers.add(timer);
      return timer;
    };
  }
  return wrapped;
}

export interface CreateSchemaEngineOptions {
  /** The Prisma schema: path (only used in messages) and its text, formatted as in a file. */
  schema: { path: string; content: string };
  /** How the engine reaches the database (and, for diffs, a shadow database). */
  adapterFactory: SqlMigrationAwareDriverAdapterFactory;
  /** Receives the engine's own log lines at debug level. */
  log?: Logger;
}

/**
 * Starts an engine over the given adapter, runs `work` with it and frees it.
 * The adapter's connections are the caller's to release.
 */
export async function withSchemaEngine<T>(
  opts: CreateSchemaEngineOptions,
  work: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const bg = await loadSchemaEngineModule();
  const log = opts.log;
  const onEngineLog = (line: unknown) => {
    log?.debug({ engine: parseEngineLog(line) }, "schema engine");
  };
  runningEngines++;
  try {
    const engine = await bg.SchemaEngine.new(
      { datamodels: [[opts.schema.path, opts.schema.content]] },
      onEngineLog,
      bindMigrationAwareSqlAdapterFactory(opts.adapterFactory),
    );
    try {
      return await work(engine);
    } finally {
      engine.free();
    }
  } finally {
    runningEngines--;
    if (runningEngines === 0) {
      for (const timer of pendingTimers) clearTimeout(timer);
      pendingTimers.clear();
    }
  }
}

/** The engine logs JSON strings; keep them structured in our logs when they parse. */
function parseEngineLog(line: unknown): unknown {
  if (typeof line !== "string") return line;
  try {
    return JSON.parse(line);
  } catch {
    return line;
  }
}

/**
 * The engine rejects with plain objects or strings as often as with `Error`s, and
 * appends a Rust span trace; keep the database's words and the migration's name.
 */
export function engineError(what: string, cause: unknown): Error {
  return new Error(`${what}: ${summariseEngineFailure(rawMessage(cause))}`, { cause });
}

function summariseEngineFailure(message: string): string {
  const traceAt = message.search(/\n\s+0: /);
  const trace = traceAt >= 0 ? message.slice(traceAt) : "";
  const text = (traceAt >= 0 ? message.slice(0, traceAt) : message)
    .replace(/^external connector error\n/, "")
    .trim();
  const migration = /migration_name="([^"]+)"/.exec(trace)?.[1];
  return migration && !text.includes(migration) ? `${text} (migration ${migration})` : text;
}

function rawMessage(cause: unknown): string {
  if (cause instanceof Error) return cause.message;
  if (typeof cause === "string") return cause;
  if (cause && typeof cause === "object") {
    const o = cause as Record<string, unknown>;
    if (typeof o.message === "string") return o.message;
    try {
      return JSON.stringify(cause);
    } catch {
      // fall through
    }
  }
  return String(cause);
}
