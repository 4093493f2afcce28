import type { FastifyReply, FastifyRequest } from "fastify";
import type { PrismaClient } from "../../db/types.ts";
import { authenticateSession, isSessionToken } from "../../features/staff/sessions.ts";
import { authenticate, type StaffPrincipal } from "../../features/staff/tokens.ts";
import type { StaffRole } from "../../generated/prisma/client.ts";
import type { Clock } from "../../lib/clock.ts";
import type { WebQueues } from "../queue-access.ts";
import { sendError } from "./errors.ts";

declare module "fastify" {
  interface FastifyRequest {
    staff?: StaffPrincipal;
  }
}

/** Wrong tokens one address may send per window before its wrong tokens are answered 429. */
export const AUTH_FAILURES_MAX = 30;
export const AUTH_FAILURE_WINDOW_S = 15 * 60;

export interface AuthDeps {
  prisma: PrismaClient;
  clock: Clock;
  /** Its Redis connection and prefix keep the failed-attempt counts, shared by every web process. */
  queues: WebQueues;
}

/** An API token (`ijc_…`) or a session token from a sign-in (`ijs_…`). */
const principalOf = (prisma: PrismaClient, token: string, now: Date) =>
  isSessionToken(token)
    ? authenticateSession(prisma, token, now)
    : authenticate(prisma, token, now);

/**
 * A preHandler that lets only a valid, unrevoked, unexpired bearer token (API
 * token, or an unexpired session of an enabled account) through (401
 * otherwise) and only with one of `roles` (403 otherwise). The token is
 * checked first: a valid one (256 random bits, so never guessed) always
 * passes, whatever others at the same address (a shared NAT) got wrong. Only
 * wrong tokens are counted per address, and past AUTH_FAILURES_MAX in the
 * window they are answered 429 instead of 401.
 */
export function requireStaff(deps: AuthDeps, roles: StaffRole[] = ["admin", "staff"]) {
  const redis = deps.queues.connection;
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const header = request.headers.authorization ?? "";
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const principal = match ? await principalOf(deps.prisma, match[1]!, deps.clock.now()) : null;
    if (!principal) {
      // Without a token nothing is guessed: only presented tokens count.
      if (match) {
        const key = `${deps.queues.prefix}:auth-failures:${request.ip}`;
        // Created with its expiry in one transaction: a count is never left without one.
        const results = await redis
          .multi()
          .set(key, 0, "EX", AUTH_FAILURE_WINDOW_S, "NX")
          .incr(key)
          .ttl(key)
          .exec();
        const failures = Number(results?.[1]?.[1] ?? 0);
        if (failures > AUTH_FAILURES_MAX) {
          const wait = Math.max(1, Number(results?.[2]?.[1] ?? AUTH_FAILURE_WINDOW_S));
          reply.header("retry-after", String(wait));
          return sendError(
            reply,
            429,
            "too_many_attempts",
            `Too many wrong tokens from this address; try again in ${wait} s (a valid token is always accepted)`,
          );
        }
      }
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
