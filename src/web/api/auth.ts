import type { FastifyReply, FastifyRequest } from "fastify";
import type { PrismaClient } from "../../db/types.ts";
import { authenticateSession, isSessionToken } from "../../features/staff/sessions.ts";
import { authenticate, type StaffPrincipal } from "../../features/staff/tokens.ts";
import type { StaffRole } from "../../generated/prisma/client.ts";
import type { Queues } from "../../jobs/queues.ts";
import type { Clock } from "../../lib/clock.ts";
import { sendError } from "./errors.ts";

declare module "fastify" {
  interface FastifyRequest {
    staff?: StaffPrincipal;
  }
}

/** Failed token attempts one address may make per window before it is told to wait. */
export const AUTH_FAILURES_MAX = 30;
export const AUTH_FAILURE_WINDOW_S = 15 * 60;

export interface AuthDeps {
  prisma: PrismaClient;
  clock: Clock;
  /** Its Redis connection and prefix keep the failed-attempt counts, shared by every web process. */
  queues: Queues;
}

/** An API token (`ijc_…`) or a session token from a sign-in (`ijs_…`). */
const principalOf = (prisma: PrismaClient, token: string, now: Date) =>
  isSessionToken(token)
    ? authenticateSession(prisma, token, now)
    : authenticate(prisma, token, now);

/**
 * A preHandler that lets only a valid, unrevoked bearer token (API token, or
 * an unexpired session of an enabled account) through (401
 * otherwise) and only with one of `roles` (403 otherwise). An address that
 * keeps sending wrong tokens is answered 429 for a while, so tokens cannot
 * be guessed.
 */
export function requireStaff(deps: AuthDeps, roles: StaffRole[] = ["admin", "staff"]) {
  const redis = deps.queues.connection;
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const key = `${deps.queues.prefix}:auth-failures:${request.ip}`;
    const failures = Number((await redis.get(key)) ?? 0);
    if (failures >= AUTH_FAILURES_MAX) {
      const wait = Math.max(1, await redis.ttl(key));
      reply.header("retry-after", String(wait));
      return sendError(
        reply,
        429,
        "too_many_attempts",
        `Too many failed attempts; try again in ${wait} s`,
      );
    }
    const header = request.headers.authorization ?? "";
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const principal = match ? await principalOf(deps.prisma, match[1]!, deps.clock.now()) : null;
    if (!principal) {
      // Created with its expiry in one transaction: a count is never left without one.
      await redis.multi().set(key, 0, "EX", AUTH_FAILURE_WINDOW_S, "NX").incr(key).exec();
      reply.header("www-authenticate", "Bearer");
      return sendError(
        reply,
        401,
        "unauthorized",
        "A valid API token or session is required (Authorization: Bearer <token>)",
      );
    }
    if (!roles.includes(principal.role)) {
      return sendError(reply, 403, "forbidden", `This needs the ${roles.join(" or ")} role`);
    }
    request.staff = principal;
  };
}
