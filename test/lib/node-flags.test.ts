import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { NODE_FLAGS } from "../../src/lib/node-flags.ts";
import { ROOT } from "../helpers/process.ts";

describe("the service's Node flags", () => {
  it("are the ones npm start, start:prod, the benchmarks and the Dockerfile give node", () => {
    const scripts = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).scripts;
    for (const name of ["start", "start:prod", "bench:engine", "bench:peer"])
      expect(scripts[name], name).toContain(`exec node ${NODE_FLAGS.join(" ")} `);
    const cmd = readFileSync(join(ROOT, "Dockerfile"), "utf8")
      .split("\n")
      .find((l) => l.startsWith("CMD "));
    expect(JSON.parse(cmd!.slice(4))).toEqual(["node", ...NODE_FLAGS, "dist/src/main.js"]);
  });
});
