/**
 * The layers of src/ (DESIGN.md, "Layout"), checked by `npm run lint:layers`
 * (part of `npm test`). From the top:
 *
 *   main.ts, cli/, env.ts, boot.ts, banner.ts   entry points: read env, wire, start roles
 *   web/  channels/  jobs/                      edges: HTTP, chat platforms, queue workers
 *   runner/  features/                          use cases: a turn of conversation; staff features
 *   outbox/                                     write, render and enqueue outgoing messages
 *   engine/                                     pure conversation
 *   domain/                                     pure rules and the shared contracts
 *   db/  lib/  generated/                       infrastructure (lib/ imports nothing else)
 *
 * An import may go down, or stay in its own layer; never up, and never
 * sideways from one edge to another. This is DESIGN.md's "Layout"; env.ts,
 * boot.ts and banner.ts belong to the entry points (they read the environment
 * and start the service for main.ts and cli/), generated/ (Prisma's client) to
 * the infrastructure. There are no exceptions: a rule that does not fit is a
 * design question, answered here and in DESIGN.md together.
 */
const ENTRY = "^src/(main|env|boot|banner)\\.ts$|^src/cli/";
const EDGES = "^src/(web|channels|jobs)/";
const USE_CASES = "^src/(runner|features)/";
const OUTBOX = "^src/outbox/";
const ENGINE = "^src/engine/";
const DOMAIN = "^src/domain/";

/** A layer may not import these (everything above it). */
const above = (...layers) => ({ path: layers.join("|") });

module.exports = {
  forbidden: [
    {
      name: "no-cycles",
      comment: "Modules that import each other cannot be understood, tested or moved apart.",
      severity: "error",
      from: { path: "^src/" },
      to: { circular: true },
    },
    {
      name: "entry-points-only-at-the-top",
      comment:
        "Only entry points read the environment (env.ts) or start the service (boot.ts, cli/): everything else gets its settings passed down.",
      severity: "error",
      from: { path: "^src/", pathNot: ENTRY },
      to: above(ENTRY),
    },
    {
      name: "web-is-an-edge",
      comment: "The HTTP edge uses features and the layers below, not another edge.",
      severity: "error",
      from: { path: "^src/web/" },
      to: { path: "^src/(channels|jobs)/" },
    },
    {
      name: "channels-are-an-edge",
      comment:
        "A channel adapter only translates; it reaches the rest through ports, not another edge.",
      severity: "error",
      from: { path: "^src/channels/" },
      to: { path: "^src/(web|jobs)/" },
    },
    {
      name: "jobs-are-an-edge",
      comment: "Queue workers call the use cases below them, not another edge.",
      severity: "error",
      from: { path: "^src/jobs/" },
      to: { path: "^src/(web|channels)/" },
    },
    {
      name: "use-cases-below-the-edges",
      comment:
        "The runner and features know nothing of HTTP, chat platforms or BullMQ workers: they get ports (domain/).",
      severity: "error",
      from: { path: USE_CASES },
      to: above(EDGES),
    },
    {
      name: "outbox-below-the-use-cases",
      comment: "The outbox writes, renders and queues messages; it does not call up.",
      severity: "error",
      from: { path: OUTBOX },
      to: above(EDGES, USE_CASES),
    },
    {
      name: "engine-below-the-outbox",
      comment: "The engine is pure conversation: it imports the domain and nothing above it.",
      severity: "error",
      from: { path: ENGINE },
      to: above(EDGES, USE_CASES, OUTBOX),
    },
    {
      name: "domain-below-the-engine",
      comment: "The domain's rules and contracts are the bottom of the business layers.",
      severity: "error",
      from: { path: DOMAIN },
      to: above(EDGES, USE_CASES, OUTBOX, ENGINE),
    },
    {
      name: "infrastructure-at-the-bottom",
      comment: "db/, lib/ and the generated client serve everyone and import none of them.",
      severity: "error",
      from: { path: "^src/(db|lib|generated)/" },
      to: above(EDGES, USE_CASES, OUTBOX, ENGINE, DOMAIN),
    },
    {
      name: "lib-imports-nothing-else",
      comment:
        "lib/ (logger, errors, clock, i18n setup) is used by every layer and uses none of them.",
      severity: "error",
      from: { path: "^src/lib/" },
      to: { path: "^src/", pathNot: "^src/lib/" },
    },
    {
      name: "engine-and-domain-do-no-io",
      comment:
        "The engine and the domain are pure: no package, no Node module, no infrastructure (a database, a queue, a file, a clock is passed in).",
      severity: "error",
      from: { path: `${ENGINE}|${DOMAIN}` },
      to: { pathNot: `${ENGINE}|${DOMAIN}` },
    },
    {
      name: "no-test-code-in-the-service",
      comment: "The service never imports test helpers or fixtures.",
      severity: "error",
      from: { path: "^src/" },
      to: { path: "^(test|bench)/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules|^src/generated/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default"],
    },
  },
};
