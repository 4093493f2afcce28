/**
 * How a staff API route is registered: together with its description. What
 * a route declares here is at once what it does and what /api/openapi.json
 * and /api/docs say (openapi.ts collects it): the declared schemas are what
 * it validates, the declared role what it lets through, the declared status
 * what it answers on success. A route under /api/v1 registered any other way
 * stops the server from starting.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { z } from "zod";
import { notServiceWide } from "../../features/results.ts";
import { type AuthDeps, requireStaff } from "./auth.ts";
import { parseOr400, sendFailure } from "./errors.ts";

type Schema = z.ZodType | undefined;
type Parsed<S extends Schema> = S extends z.ZodType ? z.output<S> : undefined;

export interface ApiOperation<
  P extends Schema = Schema,
  Q extends Schema = Schema,
  B extends Schema = Schema,
> {
  method: "GET" | "POST" | "PATCH";
  /** Under /api/v1, in Fastify's form: /vacancies/:id. */
  url: string;
  summary: string;
  params?: P;
  query?: Q;
  /** A JSON body (none sent counts as `{}`). */
  body?: B;
  /** Success status, which the handler's answer is sent with, and what it answers. */
  ok: [status: number, answer: string];
  /** Seeker names, contacts or messages: the call is written to the audit log as a view. */
  personalData?: true;
  /** Only for this role (default: admin and staff). */
  role?: "admin";
  /** Acts for the whole service: only for an admin of all cities (403 for one of some cities). */
  serviceWide?: true;
  /** Needs no token (only signing in: it is how a session token is got). */
  public?: true;
  /** When it answers 409 (the record's state does not allow it). */
  conflict?: string;
}

declare module "fastify" {
  interface FastifyContextConfig {
    /** The route's description in the API document (every /api/v1 route has one). */
    api?: ApiOperation;
  }
}

type Input<P extends Schema, Q extends Schema, B extends Schema> = {
  params: Parsed<P>;
  query: Parsed<Q>;
  body: Parsed<B>;
};

/**
 * A `route(operation, handler)` for `app`. The handler runs only after the
 * caller passed the declared role and the input the declared schemas (params,
 * then query, then body: the first that fails answers 400 in the API's error
 * shape), and gets the parsed input.
 */
export function apiRoutes(app: FastifyInstance, deps: AuthDeps) {
  const staff = requireStaff(deps);
  const admin = requireStaff(deps, ["admin"]);
  const serviceWide = async (request: FastifyRequest, reply: FastifyReply) => {
    const denied = notServiceWide(request.staff!);
    if (denied) return sendFailure(reply, denied);
  };

  return <P extends Schema = undefined, Q extends Schema = undefined, B extends Schema = undefined>(
    op: ApiOperation<P, Q, B>,
    handler: (
      input: Input<P, Q, B>,
      request: FastifyRequest,
      reply: FastifyReply,
    ) => Promise<unknown>,
  ) =>
    app.route({
      method: op.method,
      url: op.url,
      config: { api: op },
      preHandler: op.public
        ? []
        : [op.role === "admin" ? admin : staff, ...(op.serviceWide ? [serviceWide] : [])],
      handler: async (request, reply) => {
        const input: Record<string, unknown> = {};
        for (const [key, schema, value] of [
          ["params", op.params, request.params],
          ["query", op.query, request.query],
          ["body", op.body, request.body ?? {}],
        ] as const) {
          if (!schema) continue;
          input[key] = parseOr400(reply, schema, value);
          if (input[key] === undefined) return reply;
        }
        reply.code(op.ok[0]);
        return handler(input as Input<P, Q, B>, request, reply);
      },
    });
}
