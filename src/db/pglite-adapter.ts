/**
 * `pglite-prisma-adapter` with two fixes the migration engine needs:
 *
 * - its `executeScript` calls `client.exec(script)` without awaiting it, so a
 *   failing migration script becomes an unhandled rejection (which ends the
 *   process) while the engine records the migration as applied. Here the script
 *   is awaited and its error reaches the engine.
 * - its shadow database is an in-memory PGlite that is never closed. Here each
 *   shadow database is closed when the engine disposes of it.
 */
import { messages, PGlite } from "@electric-sql/pglite";
import {
  DriverAdapterError,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import { PrismaPGlite } from "pglite-prisma-adapter";

export interface PgliteAdapterOptions {
  /**
   * `separate` (default): each shadow database is a new in-memory PGlite.
   * `same`: the client doubles as its own shadow database; for a throwaway
   * in-memory client only, it saves starting a second PostgreSQL (seconds).
   */
  shadow?: "separate" | "same";
}

export function pgliteAdapterFactory(
  client: PGlite,
  opts: PgliteAdapterOptions = {},
): SqlMigrationAwareDriverAdapterFactory {
  const inner = new PrismaPGlite(client);
  const connect = async () => withAwaitedScripts(await inner.connect(), client);
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect,
    connectToShadowDb: async () => {
      if (opts.shadow === "same") return connect();
      const shadow = await PGlite.create();
      const adapter = withAwaitedScripts(await new PrismaPGlite(shadow).connect(), shadow);
      return {
        ...adapter,
        dispose: async () => {
          await shadow.close();
        },
      };
    },
  };
}

function withAwaitedScripts(adapter: SqlDriverAdapter, client: PGlite): SqlDriverAdapter {
  return {
    provider: adapter.provider,
    adapterName: adapter.adapterName,
    queryRaw: (query) => adapter.queryRaw(query),
    executeRaw: (query) => adapter.executeRaw(query),
    startTransaction: (isolationLevel) => adapter.startTransaction(isolationLevel),
    getConnectionInfo: () => adapter.getConnectionInfo?.() ?? { supportsRelationJoins: true },
    dispose: () => adapter.dispose(),
    executeScript: async (script) => {
      try {
        await client.exec(script);
      } catch (error) {
        throw toDriverError(error);
      }
    },
  };
}

/** Same shape the upstream adapter gives query errors, so the engine reports them alike. */
function toDriverError(error: unknown): unknown {
  if (!(error instanceof messages.DatabaseError)) return error;
  return new DriverAdapterError({
    kind: "postgres",
    code: error.code ?? "N/A",
    severity: error.severity ?? "N/A",
    message: error.message,
    detail: error.detail,
    column: error.column,
    hint: error.hint,
  });
}
