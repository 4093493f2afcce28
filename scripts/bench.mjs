// `npm run bench:engine` / `bench:peer`: the benchmark from a bundle (see bundled.mjs),
// so the process that runs the service's workers carries no TypeScript loader, as
// `npm start` and the compiled build do not. Usage: node scripts/bench.mjs engine|peer.
import { runBundled } from "./bundled.mjs";

const name = process.argv[2];
if (name !== "engine" && name !== "peer") {
  console.error("usage: node scripts/bench.mjs engine|peer");
  process.exit(2);
}
await runBundled(`bench-${name}`, { [name]: `bench/${name}.ts` }, ["bench/", "test/"]);
