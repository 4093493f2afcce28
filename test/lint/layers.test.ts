/**
 * The layer check (layers.dependency-cruiser.cjs, run by `npm run lint`) is a
 * check that can fail: on a small copy of the layout with one forbidden import
 * of each kind, each rule names its violation, and the same layout without
 * them passes.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { cruise, type IConfiguration } from "dependency-cruiser";
import { afterAll, describe, expect, it } from "vitest";

const config = createRequire(import.meta.url)(
  "../../layers.dependency-cruiser.cjs",
) as IConfiguration;
const dir = mkdtempSync(join(tmpdir(), "ijc-layers-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes `files` (path → imported paths) under a fresh folder and cruises its src/. */
async function violations(files: Record<string, string[]>): Promise<string[]> {
  const root = mkdtempSync(join(dir, "case-"));
  for (const [file, imports] of Object.entries(files)) {
    const path = join(root, file);
    mkdirSync(dirname(path), { recursive: true });
    const lines = imports.map(
      (to, i) => `import * as m${i} from "${specifier(file, to)}"; void m${i};`,
    );
    writeFileSync(path, `${lines.join("\n")}\nexport const here = 1;\n`);
  }
  const cwd = process.cwd();
  process.chdir(root);
  try {
    const result = await cruise(["src"], {
      validate: true,
      ruleSet: { forbidden: config.forbidden },
      doNotFollow: { path: "node_modules" },
      tsPreCompilationDeps: true,
    });
    const output = result.output as {
      summary: { violations: { rule: { name: string }; from: string; to: string }[] };
    };
    return output.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
  } finally {
    process.chdir(cwd);
  }
}

/** The import specifier from one file of the layout to another. */
function specifier(from: string, to: string): string {
  const path = relative(dirname(from), to);
  return path.startsWith(".") ? path : `./${path}`;
}

describe("the layer check", () => {
  it("passes a layout where every import goes down", async () => {
    const layout = {
      "src/main.ts": ["src/web/server.ts", "src/jobs/workers.ts", "src/env.ts"],
      "src/env.ts": [],
      "src/web/server.ts": ["src/features/vacancies.ts"],
      "src/jobs/workers.ts": ["src/runner/turn.ts"],
      "src/channels/telegram.ts": ["src/domain/messages.ts"],
      "src/features/vacancies.ts": ["src/outbox/outbox.ts", "src/db/client.ts"],
      "src/runner/turn.ts": ["src/engine/engine.ts", "src/outbox/outbox.ts"],
      "src/outbox/outbox.ts": ["src/domain/messages.ts", "src/lib/clock.ts"],
      "src/engine/engine.ts": ["src/domain/messages.ts"],
      "src/domain/messages.ts": [],
      "src/db/client.ts": ["src/lib/clock.ts"],
      "src/lib/clock.ts": [],
    };
    expect(await violations(layout)).toEqual([]);
    // The same layout with one upward import fails: the check reads these imports.
    expect(
      await violations({ ...layout, "src/lib/extra.ts": ["src/features/vacancies.ts"] }),
    ).toEqual([
      "infrastructure-at-the-bottom: src/lib/extra.ts → src/features/vacancies.ts",
      "lib-imports-nothing-else: src/lib/extra.ts → src/features/vacancies.ts",
    ]);
  });

  it("names each forbidden import by its rule", async () => {
    const found = await violations({
      "src/env.ts": [],
      "src/web/server.ts": ["src/channels/telegram.ts"],
      "src/channels/telegram.ts": ["src/jobs/queues.ts", "src/env.ts"],
      "src/jobs/queues.ts": [],
      "src/features/vacancies.ts": ["src/jobs/queues.ts"],
      "src/outbox/outbox.ts": ["src/runner/turn.ts"],
      "src/runner/turn.ts": [],
      "src/engine/engine.ts": ["src/outbox/outbox.ts", "src/lib/clock.ts"],
      "src/domain/rules.ts": ["src/engine/engine.ts"],
      "src/lib/clock.ts": ["src/domain/rules.ts", "test/helpers/fake.ts", "src/db/client.ts"],
      "src/db/client.ts": [],
      "test/helpers/fake.ts": [],
      "src/engine/a.ts": ["src/engine/b.ts"],
      "src/engine/b.ts": ["src/engine/a.ts"],
    });
    const rules = new Set(found.map((v) => v.split(":")[0]));
    expect([...rules].sort()).toEqual(
      [
        "channels-are-an-edge",
        "domain-below-the-engine",
        "engine-and-domain-do-no-io",
        "engine-below-the-outbox",
        "entry-points-only-at-the-top",
        "infrastructure-at-the-bottom",
        "lib-imports-nothing-else",
        "no-cycles",
        "no-test-code-in-the-service",
        "outbox-below-the-use-cases",
        "use-cases-below-the-edges",
        "web-is-an-edge",
      ].sort(),
    );
    expect(found).toContain("web-is-an-edge: src/web/server.ts → src/channels/telegram.ts");
    expect(found).toContain("engine-and-domain-do-no-io: src/engine/engine.ts → src/lib/clock.ts");
  });
});
