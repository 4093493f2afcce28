/**
 * The staff API's description, generated from its routes: every route under
 * /api/v1 declares its operation where it is registered (route.ts), this
 * collects them as they are registered, and builds from them the OpenAPI
 * document at /api/openapi.json and the readable page at /api/docs. A route
 * under /api/v1 without a description stops the server from starting.
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { ApiOperation } from "./route.ts";

export const API_PREFIX = "/api/v1";

/** An operation as the document lists it: its path under /api/v1 in OpenAPI form (/vacancies/{id}). */
export interface DescribedOperation extends ApiOperation {
  path: string;
}

const collected = new WeakMap<FastifyInstance, DescribedOperation[]>();

/** The operations of `app`'s API, in the order they were registered (complete once it is ready). */
export const apiOperations = (app: FastifyInstance): readonly DescribedOperation[] =>
  collected.get(app) ?? [];

const SERVICE_WIDE_DOC =
  "It acts for the whole service (every city): only for an admin of all cities; an admin limited to some cities gets 403.";

const schemaOf = (s: z.ZodType) => {
  const { $schema: _, ...rest } = z.toJSONSchema(s, { io: "input", unrepresentable: "any" });
  return rest;
};

const ERROR = {
  type: "object",
  properties: {
    error: {
      type: "object",
      properties: { code: { type: "string" }, message: { type: "string" }, details: {} },
      required: ["code", "message"],
    },
  },
};

const errorResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: ERROR } },
});

/** What a request with a body may be answered before the route reads it. */
const bodyResponses = (e: DescribedOperation) =>
  e.method === "GET"
    ? {}
    : {
        413: errorResponse("Body larger than 1 MiB"),
        415: errorResponse("Body not JSON (a Content-Type other than application/json)"),
      };

/** A route without a token (signing in) answers neither 403 nor 404, but 429 after many failures. */
const publicResponses = (e: DescribedOperation) => ({
  [e.ok[0]]: { description: e.ok[1] },
  400: errorResponse("Invalid input"),
  401: errorResponse("Wrong email or password"),
  ...bodyResponses(e),
  429: errorResponse("Too many failed attempts; see Retry-After"),
});

const guardedResponses = (e: DescribedOperation) => ({
  [e.ok[0]]: { description: e.ok[1] },
  400: errorResponse("Invalid input"),
  401: errorResponse("No valid token"),
  403: errorResponse(
    "Wrong role, a city outside the token's cities, or a service-wide action by an admin of some cities",
  ),
  404: errorResponse("Not found, or outside the token's cities"),
  ...(e.conflict ? { 409: errorResponse(e.conflict) } : {}),
  ...bodyResponses(e),
  429: errorResponse("Too many failed token attempts from this address; see Retry-After"),
});

/** Each property of an object schema (path or query) as an OpenAPI parameter. */
function parametersOf(where: "path" | "query", schema: z.ZodType | undefined) {
  if (!schema) return [];
  const s = schemaOf(schema) as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(s.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === "path" || (s.required?.includes(name) ?? false),
    schema: property,
  }));
}

export function openApiDocument(operations: readonly DescribedOperation[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const e of operations) {
    paths[e.path] ??= {};
    paths[e.path]![e.method.toLowerCase()] = {
      summary: e.summary,
      ...(e.personalData || e.serviceWide
        ? {
            description: [
              e.personalData ? "Shows personal data: the call is recorded in the audit log." : "",
              e.serviceWide ? SERVICE_WIDE_DOC : "",
            ]
              .filter(Boolean)
              .join(" "),
          }
        : {}),
      security: e.public ? [] : [{ bearer: [] }],
      parameters: [...parametersOf("path", e.params), ...parametersOf("query", e.query)],
      ...(e.body
        ? {
            requestBody: {
              required: true,
              content: { "application/json": { schema: schemaOf(e.body) } },
            },
          }
        : {}),
      responses: e.public ? publicResponses(e) : guardedResponses(e),
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "IJC Bot staff API",
      version: "1",
      description:
        "Staff API of the Inclusive Job Center chat-bot. Send `Authorization: Bearer <token>`: an API token (`npm run staff -- create-token`) or a session token from `POST /auth/login`, the only route without one. Times are ISO 8601 with an offset; lists take ?limit= (max 500) and ?cursor=.",
    },
    servers: [{ url: "/api/v1" }],
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
    paths,
  };
}

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );

/** A plain, accessible page: headings per endpoint, no script, works with a screen reader. */
export function docsPage(operations: readonly DescribedOperation[]): string {
  const sections = operations
    .map((e) => {
      const fields = e.body
        ? Object.entries(
            (
              schemaOf(e.body) as {
                properties?: Record<string, { type?: unknown; enum?: unknown[] }>;
              }
            ).properties ?? {},
          )
            .map(
              ([name, s]) =>
                `<li><code>${escapeHtml(name)}</code>${s.enum ? `: one of ${escapeHtml(s.enum.join(", "))}` : ""}</li>`,
            )
            .join("")
        : "";
      return `<section>
<h2><code>${e.method} ${API_PREFIX}${escapeHtml(e.path)}</code></h2>
<p>${escapeHtml(e.summary)}.</p>
${fields ? `<h3>Body fields</h3><ul>${fields}</ul>` : ""}
<p>Answers ${e.ok[0]}: ${escapeHtml(e.ok[1])}.${e.personalData ? " Shows personal data: recorded in the audit log." : ""}${e.role ? ` Only for the ${e.role} role.` : ""}${e.serviceWide ? ` ${SERVICE_WIDE_DOC}` : ""}${e.public ? " Needs no token." : ""}</p>
</section>`;
    })
    .join("\n");
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>IJC Bot staff API</title>
<style>body{font-family:system-ui,sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#111;background:#fff}code{background:#f0f0f0;padding:0 .2em}</style>
</head>
<body>
<main>
<h1>IJC Bot staff API</h1>
<p>Send <code>Authorization: Bearer &lt;token&gt;</code>: an API token (<code>npm run staff -- create-token</code>) or a session token from <code>POST /api/v1/auth/login</code>, the only route here that needs none. Errors are <code>{"error": {"code", "message", "details"}}</code> with a 4xx status. The machine-readable description is at <a href="/api/openapi.json">/api/openapi.json</a>.</p>
${sections}
</main>
</body>
</html>`;
}

/**
 * Collects the operation every /api/v1 route declares (refusing a route that
 * declares none, or a path parameter without a schema) and serves the
 * document and the page built from them. Call it before the API's routes are
 * registered.
 */
export function describeApi(app: FastifyInstance) {
  const operations: DescribedOperation[] = [];
  collected.set(app, operations);
  app.addHook("onRoute", (route) => {
    // Fastify adds a HEAD route for every GET route: the GET one describes both.
    if (!route.url.startsWith(`${API_PREFIX}/`) || route.method === "HEAD") return;
    const name = `${[route.method].flat().join(",")} ${route.url}`;
    const op = route.config?.api;
    if (!op)
      throw new Error(
        `${name} has no API description: register it with the route() of apiRoutes (src/web/api/route.ts)`,
      );
    if (route.url.includes("/:") && !op.params)
      throw new Error(`${name} declares no schema for its path parameters`);
    operations.push({ ...op, path: route.url.slice(API_PREFIX.length).replace(/:(\w+)/g, "{$1}") });
  });
  // Built once every route is registered.
  let document: ReturnType<typeof openApiDocument> | undefined;
  let page = "";
  app.addHook("onReady", async () => {
    document = openApiDocument(operations);
    page = docsPage(operations);
  });
  app.get("/api/openapi.json", async () => document);
  app.get("/api/docs", async (_request, reply) =>
    reply.type("text/html; charset=utf-8").send(page),
  );
}
