/**
 * npm run staff -- <command>
 *   create-token --name <label> --role admin|staff [--cities 7371,3273]
 *       prints the token once, as the last line on standard output
 *   list                      the API tokens (never the tokens themselves)
 *   revoke <token id>
 */
import { parseArgs } from "node:util";
import { openDatabase } from "../../db/client.ts";
import { applyMigrations } from "../../db/migrate.ts";
import { cityByCode } from "../../domain/cities.ts";
import { ConfigError, loadEnv } from "../../env.ts";
import { createToken, listTokens, revokeToken } from "./tokens.ts";

const USAGE = `usage: npm run staff -- create-token --name <label> --role admin|staff [--cities 7371,3273]
       npm run staff -- list
       npm run staff -- revoke <token id>`;

class UsageError extends Error {}

function parseCities(value: string | undefined): string[] {
  if (!value) return [];
  const cities = value
    .split(",")
    .map((c) => c.trim())
    .filter(Boolean);
  const unknown = cities.filter((c) => !cityByCode(c));
  if (unknown.length > 0) throw new UsageError(`unknown city code(s): ${unknown.join(", ")}`);
  return cities;
}

async function main(argv: string[]) {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { name: { type: "string" }, role: { type: "string" }, cities: { type: "string" } },
  });
  const [command, ...rest] = positionals;
  if (!command) throw new UsageError(USAGE);
  const env = loadEnv();
  const db = await openDatabase({ databaseUrl: env.databaseUrl, dataDir: env.dataDir });
  try {
    await applyMigrations(db);
    switch (command) {
      case "create-token": {
        const name = values.name?.trim();
        if (!name || name.length > 100)
          throw new UsageError("--name is required (at most 100 characters)");
        if (values.role !== "admin" && values.role !== "staff")
          throw new UsageError("--role must be admin or staff");
        const cities = parseCities(values.cities);
        const { id, token } = await createToken(db.prisma, { name, role: values.role, cities });
        console.error(
          `Created token ${id} "${name}" (${values.role}, ${cities.length ? cities.join(",") : "all cities"}). ` +
            "It is shown once; store it now.",
        );
        console.log(token);
        return;
      }
      case "list": {
        for (const t of await listTokens(db.prisma)) {
          const state = t.revokedAt ? `revoked ${t.revokedAt.toISOString()}` : "active";
          const used = t.lastUsedAt ? t.lastUsedAt.toISOString() : "never";
          console.log(
            `${t.id}  ${t.role.padEnd(5)}  ${(t.cities.join(",") || "all cities").padEnd(12)}  ${state}  last used ${used}  ${t.name}`,
          );
        }
        return;
      }
      case "revoke": {
        const id = rest[0];
        if (!id || !/^[0-9a-f-]{36}$/i.test(id))
          throw new UsageError("revoke needs a token id (see: npm run staff -- list)");
        if (!(await revokeToken(db.prisma, id, new Date())))
          throw new UsageError(`no active token ${id}`);
        console.log(`revoked ${id}`);
        return;
      }
      default:
        throw new UsageError(`unknown command "${command}"\n${USAGE}`);
    }
  } finally {
    await db.close();
  }
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error) => {
    const usage = error instanceof UsageError || error instanceof ConfigError;
    console.error(usage ? error.message : (error as Error).message);
    process.exit(usage ? 2 : 1);
  },
);
