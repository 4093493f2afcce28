/**
 * `npm run db:migration -- <name>`: writes prisma/migrations/<timestamp>_<name>/migration.sql
 * for the changes made to prisma/schema.prisma since the last migration.
 */
import { relative } from "node:path";
import { parseArgs } from "node:util";
import { defaultMigrationsDir, defaultSchemaPath } from "../db/migrate.ts";
import { createMigration, validateMigrationName } from "../db/new-migration.ts";
import { runProgram } from "./program.ts";

const USAGE = `usage: npm run db:migration -- <name> [--schema <path>] [--migrations <dir>]
  <name>  lowercase letters, digits and underscores, e.g. add_vacancy_city`;

async function main(): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse();
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const [name, ...extra] = positionals;
  if (name === undefined || extra.length > 0) {
    console.error(USAGE);
    return 2;
  }
  try {
    validateMigrationName(name);
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }
  const result = await createMigration({
    name,
    schemaPath: values.schema ?? defaultSchemaPath(),
    migrationsDir: values.migrations ?? defaultMigrationsDir(),
  });
  if (result.status === "unchanged") {
    console.log("no schema changes");
  } else {
    const shown = relative(process.cwd(), result.dir);
    console.log(`created ${shown.startsWith("..") ? result.dir : shown}`);
  }
  return 0;
}

function parse() {
  return parseArgs({
    allowPositionals: true,
    options: {
      schema: { type: "string" },
      migrations: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
}

runProgram("db:migration", main);
