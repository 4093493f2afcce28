/**
 * The queue monitor (bull-board) behind the console's sign-in, in two boards:
 *
 * - `/console/queues/view`, read-only (bull-board's `readOnlyMode`, and every
 *   request but GET and HEAD refused here too), for admins of any cities;
 * - `/console/queues/manage`, where pausing, retrying, promoting and cleaning
 *   work, for admins of all cities only: the queues hold every city's jobs (a
 *   promote releases pushes held for the quiet hours in every city).
 *
 * `/console/queues` sends each admin to the board they may use.
 *
 * CSRF: bull-board's page is not ours; it sends its writes as PUT/PATCH/POST
 * with axios, which copies the `XSRF-TOKEN` cookie into an `X-XSRF-TOKEN`
 * header on every same-origin request. So the manage board gets that cookie
 * (readable by script, SameSite=Strict, path /console/queues/manage) holding
 * the session's CSRF token, and `requireConsole` checks the header against the
 * session's own token on every method but GET and HEAD, like `_csrf` in our
 * forms. A cookie another site plants does not help it: the header must equal
 * the token derived from the session, and another origin can neither read the
 * cookie nor send the header (SameSite=Strict keeps the session cookie off its
 * requests in the first place). No change to bull-board, and no Origin
 * heuristics.
 *
 * Every write on the manage board is recorded before it runs (a write that
 * cannot be recorded does not happen): actor, `queues.<action>`, the queue and
 * job or scheduler id; never job data. Adding a job and editing a job's data
 * are refused: their bodies are job data, and jobs are made from committed
 * outbox rows only.
 */
import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { FastifyAdapter } from "@bull-board/fastify";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { QUEUE_NAMES } from "../../domain/queues.ts";
import { audit } from "../../features/staff/audit.ts";
import { type ConsoleDeps, isHttps, requireConsole } from "./context.ts";
import { errorPage } from "./layout.ts";

export const VIEW_BOARD = "/console/queues/view";
export const MANAGE_BOARD = "/console/queues/manage";
/** axios's default cookie name; it sends the value as the X-XSRF-TOKEN header. */
export const XSRF_COOKIE = "XSRF-TOKEN";

/** bull-board's write routes (method and path below the board) and what the audit log calls them. */
const ACTIONS: Record<string, string> = {
  "PUT /api/queues/pause": "queues.pause_all",
  "PUT /api/queues/resume": "queues.resume_all",
  "PUT /api/queues/:queueName/retry/:queueStatus": "queues.retry_all",
  "PUT /api/queues/:queueName/promote": "queues.promote_all",
  "PUT /api/queues/:queueName/clean/:queueStatus": "queues.clean_all",
  "PUT /api/queues/:queueName/pause": "queues.pause",
  "PUT /api/queues/:queueName/resume": "queues.resume",
  "PUT /api/queues/:queueName/concurrency": "queues.concurrency",
  "PUT /api/queues/:queueName/rate-limit": "queues.rate_limit",
  "PUT /api/queues/:queueName/rate-limit/release": "queues.rate_limit_release",
  "PUT /api/queues/:queueName/empty": "queues.empty",
  "PUT /api/queues/:queueName/obliterate": "queues.obliterate",
  "PUT /api/queues/:queueName/job-schedulers/:schedulerId/remove": "queues.scheduler_remove",
  "PATCH /api/queues/:queueName/job-schedulers/:schedulerId": "queues.scheduler_update",
  "PUT /api/queues/:queueName/job-schedulers/:schedulerId/run": "queues.scheduler_run",
  "PUT /api/queues/:queueName/:jobId/retry": "queues.retry",
  "PUT /api/queues/:queueName/:jobId/clean": "queues.clean",
  "PUT /api/queues/:queueName/:jobId/promote": "queues.promote",
  "PATCH /api/queues/:queueName/:jobId/delay": "queues.delay",
  "PATCH /api/queues/:queueName/:jobId/priority": "queues.priority",
  "PUT /api/queues/:queueName/:jobId/remove-unprocessed-children": "queues.remove_children",
};

/** Writes whose body is job data: not from the monitor. */
const REFUSED = new Set([
  "POST /api/queues/:queueName/add",
  "PATCH /api/queues/:queueName/:jobId/update-data",
]);

const isRead = (request: FastifyRequest) => request.method === "GET" || request.method === "HEAD";

/** One bull-board at `prefix` over every queue, read-only or not. */
async function board(scope: FastifyInstance, deps: ConsoleDeps, prefix: string, readOnly: boolean) {
  const adapter = new FastifyAdapter();
  createBullBoard({
    queues: QUEUE_NAMES.map(
      (name) => new BullMQAdapter(deps.queues.queue(name), { readOnlyMode: readOnly }),
    ),
    serverAdapter: adapter,
    options: { uiConfig: { boardTitle: readOnly ? "IJC queues (read-only)" : "IJC queues" } },
  });
  adapter.setBasePath(prefix);
  // bull-board ships its own page and scripts: its own content security policy. Its page
  // finds its scripts through <base href>, so base-uri must allow this origin.
  scope.addHook("onSend", async (_request, reply, payload) => {
    reply.header(
      "content-security-policy",
      "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline' https:; img-src 'self' data:; font-src 'self' data: https:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
    );
    return payload;
  });
  await scope.register(adapter.registerPlugin(), { prefix });
}

/** The audit entry of a write on the manage board, from its route; never its body. */
function auditEntry(request: FastifyRequest) {
  const route = request.routeOptions.url?.slice(MANAGE_BOARD.length) ?? "";
  const key = `${request.method} ${route}`;
  const params = request.params as Record<string, string | undefined>;
  const target = [params.queueName, params.jobId ?? params.schedulerId].filter(Boolean).join("/");
  const details = {
    ...(params.queueName ? { queue: params.queueName } : {}),
    ...(params.jobId ? { job: params.jobId } : {}),
    ...(params.schedulerId ? { scheduler: params.schedulerId } : {}),
    ...(params.queueStatus ? { status: params.queueStatus } : {}),
    // A route bull-board added after this table was written is still recorded, by its path.
    ...(ACTIONS[key] ? {} : { route: key }),
  };
  return { key, action: ACTIONS[key] ?? "queues.write", target: target || undefined, details };
}

export function queuePages(app: FastifyInstance, deps: ConsoleDeps) {
  const admin = requireConsole(deps, ["admin"]);
  const serviceAdmin = requireConsole(deps, ["admin"], { allCities: true });

  app.get("/console/queues", { preHandler: admin }, async (request, reply) => {
    const { staff } = request.ctx!;
    return reply.redirect(staff.cities.length === 0 ? MANAGE_BOARD : VIEW_BOARD, 303);
  });

  app.register(async (scope) => {
    scope.addHook("preHandler", admin);
    scope.addHook("preHandler", async (request: FastifyRequest, reply: FastifyReply) => {
      if (isRead(request)) return;
      return reply
        .code(405)
        .header("allow", "GET, HEAD")
        .type("text/html")
        .send(errorPage(request.ctx!, request.ctx!.t("errors.queuesReadOnly")).value);
    });
    await board(scope, deps, VIEW_BOARD, true);
  });

  app.register(async (scope) => {
    scope.addHook("preHandler", serviceAdmin);
    scope.addHook("preHandler", async (request: FastifyRequest, reply: FastifyReply) => {
      const ctx = request.ctx!;
      if (isRead(request)) {
        // What bull-board's axios sends back as X-XSRF-TOKEN (see the top of this file).
        reply.setCookie(XSRF_COOKIE, ctx.csrf, {
          path: MANAGE_BOARD,
          httpOnly: false,
          sameSite: "strict",
          secure: isHttps(request),
        });
        return;
      }
      const entry = auditEntry(request);
      if (REFUSED.has(entry.key))
        return reply
          .code(403)
          .type("text/html")
          .send(errorPage(ctx, ctx.t("errors.queuesJobData")).value);
      await audit(deps.prisma, ctx.staff, entry.action, entry.target, entry.details, []);
    });
    await board(scope, deps, MANAGE_BOARD, false);
  });
}
