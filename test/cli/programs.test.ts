/**
 * Every program ends the same way (src/cli/program.ts): a configuration error
 * is one line and exit code 78, a usage error exit code 2, success 0.
 */
import { describe, expect, it } from "vitest";
import { runEntry } from "../helpers/process.ts";

const PROGRAMS = [
  "src/main.ts",
  "src/cli/chat.ts",
  "src/cli/staff.ts",
  "src/cli/migrate.ts",
  "src/cli/backup.ts",
  "src/cli/restore.ts",
];

describe("the programs", () => {
  it.each(PROGRAMS)("%s: a wrong setting is one line naming it, exit code 78", async (entry) => {
    const run = runEntry(entry, entry.endsWith("staff.ts") ? ["list"] : [], { PORT: "abc" });
    const { code } = await run.exited;
    expect(code).toBe(78);
    expect(run.output().trim()).toBe(
      'Configuration error: PORT must be a whole number (got "abc")',
    );
  });

  it("a command called wrongly is its usage, exit code 2", async () => {
    const run = runEntry("src/cli/staff.ts", ["bogus"], {});
    expect((await run.exited).code).toBe(2);
    expect(run.output()).toContain('unknown command "bogus"');
  });

  it("db:migration without a name says how to call it, exit code 2", async () => {
    const run = runEntry("src/cli/new-migration.ts", [], {});
    expect((await run.exited).code).toBe(2);
    expect(run.output()).toContain("npm run db:migration");
  });
});
