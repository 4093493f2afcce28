/**
 * The staff API described once: the OpenAPI document at /api/openapi.json
 * and a readable page at /api/docs are built from this table, and a test
 * checks that every route the server registers is in it.
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import * as broadcasts from "../../features/broadcasts/schema.ts";
import * as handoffs from "../../features/handoffs/schema.ts";
import * as seekers from "../../features/seekers/schema.ts";
import { funnelQuery } from "../../features/staff/funnel.ts";
import * as staff from "../../features/staff/schema.ts";
import * as trainings from "../../features/trainings/schema.ts";
import * as vacancies from "../../features/vacancies/schema.ts";
import * as whatsapp from "../../features/whatsapp/connection.ts";

interface Endpoint {
  method: "get" | "post" | "patch";
  /** OpenAPI form: /vacancies/{id}. */
  path: string;
  summary: string;
  query?: z.ZodType;
  body?: z.ZodType;
  /** Success status and what it answers. */
  ok: [number, string];
  /** Seeker names, contacts or messages: the call is written to the audit log as a view. */
  personalData?: boolean;
  /** Only for this role (default: admin and staff). */
  role?: "admin";
  /** Acts for the whole service: only for an admin of all cities (403 for one of some cities). */
  serviceWide?: true;
  /** Needs no token (only signing in: it is how a session token is got). */
  public?: true;
  /** When it answers 409 (the record's state does not allow it). */
  conflict?: string;
}

export const ENDPOINTS: Endpoint[] = [
  {
    method: "post",
    path: "/broadcasts/preview",
    summary: "How many people a segment reaches, and how many are skipped (stopped, unreachable)",
    body: broadcasts.previewBody,
    ok: [200, "{count, skipped: {stopped, unreachable}}"],
  },
  {
    method: "post",
    path: "/broadcasts",
    summary:
      "Send an announcement now or at sendAt to a segment; each person gets their language (else Indonesian)",
    body: broadcasts.createBody,
    ok: [
      201,
      '{id, ref, status: "scheduled" | "sending", sendAt, count, held, heldUntil, heldByZone: [{timeZone, held, until}], warnings}: held = how many of count wait for the end of quiet hours (QUIET_HOURS, default 21:00-07:00 in each person\'s zone) at sendAt, heldUntil = when the last may go (null: none wait)',
    ],
  },
  {
    method: "get",
    path: "/broadcasts",
    summary: "Broadcasts, newest first",
    query: broadcasts.listQuery,
    ok: [200, "{items, nextCursor}"],
  },
  {
    method: "get",
    path: "/broadcasts/{id}",
    summary:
      "A broadcast with its totals: recipients, queued, sent, failed, skipped (by reason), and of the queued those held for the end of quiet hours (held, heldUntil)",
    ok: [
      200,
      "{status, totals: {recipients, queued, sent, failed, skipped, skippedBy, held, heldUntil}, …}",
    ],
  },
  {
    method: "get",
    path: "/broadcasts/{id}/recipients",
    summary: "Each recipient's status (queued, sent, failed with reason, skipped with reason)",
    query: broadcasts.recipientsQuery,
    ok: [200, "{items, nextCursor}"],
    personalData: true,
  },
  {
    method: "post",
    path: "/broadcasts/{id}/cancel",
    summary: "Stop a scheduled or sending broadcast; messages not yet sent are skipped",
    ok: [200, '{status: "cancelled", unsent, totals}'],
    conflict: "The broadcast is already done, cancelled or failed",
  },
  {
    method: "post",
    path: "/auth/login",
    summary:
      "Sign in with email and password; answers a session token and what happened to the account since its last sign-in (failedSignIns, null when nothing); 401 for a wrong email or password alike, 429 with Retry-After while this email and address are slowed down",
    body: staff.loginBody,
    ok: [
      200,
      "{token, expiresAt, staff: {id, name, email, role, cities}, failedSignIns: {count, lastAt, lastFrom, slowedSince} | null}",
    ],
    public: true,
  },
  {
    method: "post",
    path: "/auth/logout",
    summary: "End the session whose token is presented",
    ok: [200, '{status: "signed_out"}'],
  },
  {
    method: "get",
    path: "/auth/me",
    summary:
      "Who the token or session belongs to: kind, name, role, cities, and when it expires (null: an API token without expiry)",
    ok: [200, "{kind, id, actor, name, role, cities, expiresAt, email?}"],
  },
  {
    method: "get",
    path: "/audit",
    summary:
      "The audit log, newest first, filtered by actor, action, target and time; not itself audited. Scoped like everything else: each entry records the cities it concerns (the record's city, else the actor's cities; none for service-wide actions); an admin of all cities sees every entry, an admin of some cities only the entries whose cities all lie within theirs",
    query: staff.auditQuery,
    ok: [200, "{items: [{id, actor, action, target, details, createdAt}], nextCursor}"],
    role: "admin",
  },
  {
    method: "get",
    path: "/seekers",
    summary: "Registered job seekers, newest first",
    query: seekers.listQuery,
    ok: [200, "{items, nextCursor}"],
    personalData: true,
  },
  {
    method: "get",
    path: "/seekers/{id}",
    summary: "One seeker: profile, channels, consent, enrolments, applications",
    ok: [200, "seeker"],
    personalData: true,
  },
  {
    method: "get",
    path: "/seekers.csv",
    summary: "Export for a city report, without names or contacts",
    query: seekers.exportQuery,
    ok: [200, "text/csv"],
    personalData: true,
    role: "admin",
  },
  {
    method: "get",
    path: "/handoffs",
    summary: "People who asked for a person, with their messages since",
    query: handoffs.listQuery,
    ok: [200, "{items, nextCursor}"],
    personalData: true,
  },
  {
    method: "post",
    path: "/handoffs/{id}/reply",
    summary: "Send a text to the person through their channel",
    body: handoffs.replyBody,
    ok: [202, '{status: "queued", outboxId}'],
    conflict: "The handoff is closed",
  },
  {
    method: "post",
    path: "/handoffs/{id}/close",
    summary: "Close a handoff; the kept messages are cleared",
    ok: [200, '{status: "closed"}'],
    conflict: "The handoff is already closed",
  },
  {
    method: "post",
    path: "/vacancies",
    summary: "Create a draft vacancy; answers warnings for discriminatory requirements",
    body: vacancies.createBody,
    ok: [201, '{id, ref, status: "draft", warnings, vacancy}'],
  },
  {
    method: "get",
    path: "/vacancies",
    summary: "List vacancies, newest first",
    query: vacancies.listQuery,
    ok: [200, "{items, nextCursor}"],
  },
  {
    method: "get",
    path: "/vacancies/{id}",
    summary: "One vacancy, with its number of applications",
    ok: [200, "vacancy"],
  },
  {
    method: "patch",
    path: "/vacancies/{id}",
    summary: "Change a vacancy; answers it with warnings",
    body: vacancies.patchBody,
    ok: [200, "vacancy with warnings"],
  },
  {
    method: "post",
    path: "/vacancies/{id}/publish",
    summary:
      "Open it and queue pushes to the matching seekers; during quiet hours (QUIET_HOURS, default 21:00-07:00 in each seeker's zone) their pushes wait: held says how many of matched wait, heldUntil until when (null: none wait), heldByZone per zone",
    ok: [202, '{status: "open", matched, held, heldUntil, heldByZone: [{timeZone, held, until}]}'],
    conflict: "The deadline has passed",
  },
  {
    method: "post",
    path: "/vacancies/{id}/close",
    summary: "Close it as filled or closed",
    body: vacancies.closeBody,
    ok: [200, "vacancy"],
    conflict: "The vacancy is not open",
  },
  {
    method: "get",
    path: "/vacancies/{id}/applications",
    summary:
      'Seekers who said they are interested; people of other cities than the caller\'s as seeker.view "shared" (name, contact, accommodation needs; disability categories only with consent)',
    query: vacancies.applicationsQuery,
    ok: [200, "{items, nextCursor}"],
    personalData: true,
  },
  {
    method: "post",
    path: "/trainings",
    summary: "Create a training",
    body: trainings.createBody,
    ok: [201, "{id, ref, training}"],
  },
  {
    method: "get",
    path: "/trainings",
    summary: "List trainings, soonest first",
    query: trainings.listQuery,
    ok: [200, "{items, nextCursor}"],
  },
  {
    method: "get",
    path: "/trainings/{id}",
    summary: "One training with its enrolled and waitlisted counts",
    ok: [200, "training"],
  },
  {
    method: "patch",
    path: "/trainings/{id}",
    summary: "Change a training; a new startsAt moves the reminders and tells everyone",
    body: trainings.patchBody,
    ok: [200, "training"],
    conflict: "The training is cancelled",
  },
  {
    method: "post",
    path: "/trainings/{id}/cancel",
    summary: "Cancel a training; everyone enrolled or waiting is told",
    ok: [200, '{status: "cancelled", told}'],
    conflict: "The training is already cancelled",
  },
  {
    method: "get",
    path: "/trainings/{id}/enrollments",
    summary:
      'Enrolled, waiting and cancelled people with their reminder answers; people of other cities than the caller\'s as seeker.view "shared"',
    query: trainings.enrollmentsQuery,
    ok: [200, "{items, nextCursor}"],
    personalData: true,
  },
  {
    method: "get",
    path: "/whatsapp",
    summary:
      "The WhatsApp connection: state (not_configured, not_running, waiting, connecting, pairing, open, reconnecting, logged_out, replaced, forbidden, multidevice_mismatch, pairing_expired, session_unreadable), since, restricted, pairing; a pairing code (pairing.code) only for an admin of all cities (audited)",
    ok: [200, "{state, since, restricted, pairing, retryInMs}"],
    role: "admin",
  },
  {
    method: "get",
    path: "/whatsapp/qr.png",
    summary: "The QR code to scan while pairing (it changes about every 20 seconds); 404 when none",
    ok: [200, "image/png"],
    role: "admin",
    serviceWide: true,
  },
  {
    method: "post",
    path: "/whatsapp/pairing-code",
    summary:
      "Pair by code instead of QR: the gateway asks WhatsApp for a code, shown by GET /whatsapp within seconds",
    body: whatsapp.pairingBody,
    ok: [202, '{status: "requested"}'],
    role: "admin",
    serviceWide: true,
    conflict: "WhatsApp is not configured, or already connected",
  },
  {
    method: "post",
    path: "/whatsapp/connect",
    summary: "Connect again after a stop (logged out: pairing starts anew)",
    ok: [202, '{status: "requested"}'],
    role: "admin",
    serviceWide: true,
    conflict: "WhatsApp is not configured",
  },
  {
    method: "post",
    path: "/whatsapp/resume",
    summary:
      "Resume sending after a restriction stopped it (check the number on the phone first); 409 when not stopped",
    ok: [200, '{status: "sending"}'],
    role: "admin",
    serviceWide: true,
    conflict: "WhatsApp is not configured, or sending is not stopped",
  },
  {
    method: "get",
    path: "/stats/registration-funnel",
    summary:
      "Where people drop out of registration: per step (consent, each question, summary, done) how many reached it in the period (days from-to, default the last 30) and how many abandoned it (their last step, idle idleHours, default 24), optionally for one channel or language. Counts only, nothing about any one person: not audited. Scoped to the caller's cities: steps before the place is answered (consent, name, city, cityPick) cannot be told apart by city and are null for a caller of some cities or when cities is given",
    query: funnelQuery,
    ok: [
      200,
      "{from, to, cities, channel, language, idleHours, steps: [{step, reached, abandoned}]}",
    ],
  },
];

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
const bodyResponses = (e: Endpoint) =>
  e.method === "get"
    ? {}
    : {
        413: errorResponse("Body larger than 1 MiB"),
        415: errorResponse("Body not JSON (a Content-Type other than application/json)"),
      };

/** A route without a token (signing in) answers neither 403 nor 404, but 429 after many failures. */
const publicResponses = (e: Endpoint) => ({
  [e.ok[0]]: { description: e.ok[1] },
  400: { description: "Invalid input", content: { "application/json": { schema: ERROR } } },
  401: {
    description: "Wrong email or password",
    content: { "application/json": { schema: ERROR } },
  },
  ...bodyResponses(e),
  429: {
    description: "Too many failed attempts; see Retry-After",
    content: { "application/json": { schema: ERROR } },
  },
});

export function openApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const e of ENDPOINTS) {
    const parameters: unknown[] = [];
    if (e.path.includes("{id}"))
      parameters.push({
        name: "id",
        in: "path",
        required: true,
        schema: { type: "string", format: "uuid" },
      });
    if (e.query) {
      const q = schemaOf(e.query) as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, schema] of Object.entries(q.properties ?? {}))
        parameters.push({
          name,
          in: "query",
          required: q.required?.includes(name) ?? false,
          schema,
        });
    }
    paths[e.path] ??= {};
    paths[e.path]![e.method] = {
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
      parameters,
      ...(e.body
        ? {
            requestBody: {
              required: true,
              content: { "application/json": { schema: schemaOf(e.body) } },
            },
          }
        : {}),
      responses: {
        [e.ok[0]]: { description: e.ok[1] },
        400: { description: "Invalid input", content: { "application/json": { schema: ERROR } } },
        401: { description: "No valid token", content: { "application/json": { schema: ERROR } } },
        403: {
          description:
            "Wrong role, a city outside the token's cities, or a service-wide action by an admin of some cities",
          content: { "application/json": { schema: ERROR } },
        },
        404: {
          description: "Not found, or outside the token's cities",
          content: { "application/json": { schema: ERROR } },
        },
        ...(e.conflict ? { 409: errorResponse(e.conflict) } : {}),
        ...bodyResponses(e),
        429: errorResponse("Too many failed token attempts from this address; see Retry-After"),
      },
    };
    if (e.public)
      (paths[e.path]![e.method] as { responses: unknown }).responses = publicResponses(e);
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
export function docsPage(): string {
  const sections = ENDPOINTS.map((e) => {
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
<h2><code>${e.method.toUpperCase()} /api/v1${escapeHtml(e.path)}</code></h2>
<p>${escapeHtml(e.summary)}.</p>
${fields ? `<h3>Body fields</h3><ul>${fields}</ul>` : ""}
<p>Answers ${e.ok[0]}: ${escapeHtml(e.ok[1])}.${e.personalData ? " Shows personal data: recorded in the audit log." : ""}${e.role ? ` Only for the ${e.role} role.` : ""}${e.serviceWide ? ` ${SERVICE_WIDE_DOC}` : ""}${e.public ? " Needs no token." : ""}</p>
</section>`;
  }).join("\n");
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

export function docsRoutes(app: FastifyInstance) {
  const document = openApiDocument();
  const page = docsPage();
  app.get("/api/openapi.json", async () => document);
  app.get("/api/docs", async (_request, reply) =>
    reply.type("text/html; charset=utf-8").send(page),
  );
}
