// `npm start`: src/main.ts from a bundle (see bundled.mjs): still one step after
// `npm ci`, no `npm run build` needed, and no TypeScript loader in the running service.
import { runBundled } from "./bundled.mjs";

await runBundled("start", {
  main: "src/main.ts",
  // Run as a child process by db/client.ts (it looks for it beside itself).
  "pglite-init": "src/db/pglite-init.ts",
});
