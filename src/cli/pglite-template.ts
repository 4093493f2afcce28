/** Makes the embedded database template (see pglite-template.ts); run by scripts/pglite-template.mjs. */
import { makeTemplate } from "../db/pglite-template.ts";
import { runProgram } from "./program.ts";

runProgram("pglite-template", async () => {
  await makeTemplate();
});
