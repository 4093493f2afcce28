/**
 * npm run staff -- <command>
 *   create-admin --email <e> --name <n> [--cities 7371,3273] [--password-stdin]
 *   create-user --email <e> --name <n> --role admin|staff [--cities ...] [--password-stdin]
 *       without --password-stdin a random password is made and printed once,
 *       as the last line on standard output
 *   link-telegram --email <e> --telegram-id <numeric id> | --unlink
 *   disable --email <e>       no more sign-ins; its sessions end
 *   create-token --name <label> --role admin|staff [--cities 7371,3273] [--expires 90d]
 *       prints the token once, as the last line on standard output
 *   rotate-token <token id> [--grace 7d] [--expires 90d]
 *       a new token with the same name, role and cities (printed once, last line);
 *       the old one keeps working for the grace, then is refused
 *   list                      staff accounts and API tokens with last use and expiry (never passwords or tokens)
 *   revoke <token id>
 *   setup-link                a one-time link (1 hour) to choose the first admin in the browser
 */
import { createInterface } from "node:readline";
import { consoleUrl } from "../banner.ts";
import { openDatabase } from "../db/client.ts";
import { applyMigrations } from "../db/migrate.ts";
import { loadEnv } from "../env.ts";
import {
  type CommandIO,
  parseStaffArgs,
  runStaffCommand,
  UsageError,
} from "../features/staff/commands.ts";
import { forwardStaffCommand, runningService } from "./local-service.ts";
import { runProgram } from "./program.ts";

/** One line from standard input (a pipe or a prompt), without its line ending. */
async function readLine(): Promise<string> {
  const lines = createInterface({ input: process.stdin, terminal: false });
  try {
    for await (const line of lines) return line;
    return "";
  } finally {
    lines.close();
  }
}

const io: CommandIO = {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  readLine,
};

async function main(argv: string[]): Promise<number> {
  parseStaffArgs(argv); // A usage error before anything is opened.
  const env = loadEnv();
  // The embedded database is open in the running service: it runs the command.
  const service = env.databaseUrl ? undefined : await runningService(env.dataDir);
  if (service) {
    const stdin = argv.includes("--password-stdin") ? await readLine() : undefined;
    return forwardStaffCommand(service, argv, stdin, io);
  }
  const db = await openDatabase({ databaseUrl: env.databaseUrl, dataDir: env.dataDir });
  try {
    await applyMigrations(db);
    return await runStaffCommand(db.prisma, argv, io, consoleUrl(env));
  } finally {
    await db.close();
  }
}

runProgram("staff", () => main(process.argv.slice(2)), {
  usage: (error) => error instanceof UsageError,
});
