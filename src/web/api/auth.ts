import type { FastifyReply, FastifyRequest } from "fastify";
import type { PrismaClient } from "../../db/types.ts";
import { authenticate, type StaffPrincipal } from "../../features/staff/tokens.ts";
import type { StaffRole } from "../../generated/prisma/client.ts";
import type { Clock } from "../../lib/clock.ts";
import { sendError } from "./errors.ts";

declare module "fastify" {
  interface FastifyRequest {
    staff?: StaffPrincipal;
  }
}

/**
 * A preHandler that lets only a valid, unrevoked bearer token through (401
 * otherwise) and only with one of `roles` (403 otherwise).
 */
export function requireStaff(
  prisma: PrismaClient,
  clock: Clock,
  roles: StaffRole[] = ["admin", "staff"],
) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const header = request.headers.authorization ?? "";
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const principal = match ? await authenticate(prisma, match[1]!, clock.now()) : null;
    if (!principal) {
      reply.header("www-authenticate", "Bearer");
      return sendError(
        reply,
        401,
        "unauthorized",
        "A valid API token is required (Authorization: Bearer <token>)",
      );
    }
    if (!roles.includes(principal.role)) {
      return sendError(reply, 403, "forbidden", `This needs the ${roles.join(" or ")} role`);
    }
    request.staff = principal;
  };
}
