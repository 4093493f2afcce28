import type { FastifyInstance } from "fastify";
import { loginBody } from "../../features/staff/schema.ts";
import { signIn, signOut } from "../../features/staff/sessions.ts";
import { sendError } from "./errors.ts";
import type { ApiDeps } from "./handoffs.ts";
import { apiRoutes } from "./route.ts";

export interface SessionDeps extends ApiDeps {
  /** How long a sign-in lasts (STAFF_SESSION_HOURS). */
  sessionHours: number;
}

/** Staff sign-in with email and password, sign-out, and who the caller is. */
export function sessionRoutes(app: FastifyInstance, deps: SessionDeps) {
  const route = apiRoutes(app, deps);

  route(
    {
      method: "POST",
      url: "/auth/login",
      summary:
        "Sign in with email and password; answers a session token and what happened to the account since its last sign-in (failedSignIns, null when nothing); 401 for a wrong email or password alike, 429 with Retry-After while this email and address are slowed down",
      body: loginBody,
      ok: [
        200,
        "{token, expiresAt, staff: {id, name, email, role, cities}, failedSignIns: {count, lastAt, lastFrom, slowedSince} | null}",
      ],
      // The only /api/v1 route without a token: it is how a person gets one.
      public: true,
    },
    async ({ body }, request, reply) => {
      const result = await signIn(deps, { ...body, ip: request.ip });
      if (!result.ok && result.waitS > 0) {
        reply.header("retry-after", String(result.waitS));
        return sendError(
          reply,
          429,
          "too_many_attempts",
          `Too many failed sign-ins for this email from this address; try again in ${result.waitS} s`,
        );
      }
      // One answer for an unknown email, a wrong password and a disabled account.
      if (!result.ok) return sendError(reply, 401, "unauthorized", "Wrong email or password");
      const { user, session, notice } = result;
      return {
        token: session.token,
        expiresAt: session.expiresAt.toISOString(),
        staff: {
          id: user.id,
          name: user.name,
          email: user.email,
          role: user.role,
          cities: user.cities,
        },
        // What happened to the account since its last sign-in: its owner should know.
        failedSignIns: notice
          ? {
              count: notice.failedAttempts,
              lastAt: notice.lastFailedAt?.toISOString() ?? null,
              lastFrom: notice.lastFailedFrom,
              slowedSince: notice.limitedAt?.toISOString() ?? null,
            }
          : null,
      };
    },
  );

  route(
    {
      method: "POST",
      url: "/auth/logout",
      summary: "End the session whose token is presented",
      ok: [200, '{status: "signed_out"}'],
    },
    async (_input, request, reply) => {
      const who = request.staff!;
      if (!who.sessionId)
        return sendError(
          reply,
          400,
          "not_a_session",
          "Only a sign-in session can sign out; API tokens are revoked with npm run staff -- revoke",
        );
      await signOut(deps.prisma, { ...who, sessionId: who.sessionId }, deps.clock.now());
      return { status: "signed_out" };
    },
  );

  route(
    {
      method: "GET",
      url: "/auth/me",
      summary:
        "Who the token or session belongs to: kind, name, role, cities, and when it expires (null: an API token without expiry)",
      ok: [200, "{kind, id, actor, name, role, cities, expiresAt, email?}"],
    },
    async (_input, request) => {
      const who = request.staff!;
      const base = { actor: who.actor, name: who.name, role: who.role, cities: who.cities };
      if (!who.sessionId) {
        const id = who.actor.slice("token:".length);
        const token = await deps.prisma.apiToken.findUniqueOrThrow({
          where: { id },
          select: { expiresAt: true },
        });
        // When it stops working, so a script can tell its people to rotate it in time.
        return { kind: "token", id, ...base, expiresAt: token.expiresAt?.toISOString() ?? null };
      }
      const session = await deps.prisma.staffSession.findUniqueOrThrow({
        where: { id: who.sessionId },
        select: { expiresAt: true, staffUser: { select: { id: true, email: true } } },
      });
      return {
        kind: "session",
        id: session.staffUser.id,
        ...base,
        email: session.staffUser.email,
        expiresAt: session.expiresAt.toISOString(),
      };
    },
  );
}
