import type { FastifyReply } from "fastify";
import type { z } from "zod";
import type { Failure } from "../../features/results.ts";

/** The API's one error shape: `{"error": {"code", "message", "details"}}`. */
export function sendError(
  reply: FastifyReply,
  status: number,
  code: string,
  message: string,
  details?: unknown,
) {
  return reply
    .code(status)
    .send({ error: { code, message, ...(details === undefined ? {} : { details }) } });
}

/** Parses input with a zod schema; on failure answers 400 and returns undefined. */
export function parseOr400<T extends z.ZodType>(
  reply: FastifyReply,
  schema: T,
  input: unknown,
): z.infer<T> | undefined {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
  sendError(
    reply,
    400,
    "validation_failed",
    details.map((d) => `${d.path || "input"}: ${d.message}`).join("; "),
    details,
  );
  return undefined;
}

/** A staff action's failure (features/results.ts) as the API's error. */
export const sendFailure = (reply: FastifyReply, f: Failure) =>
  sendError(reply, f.status, f.code, f.message, f.details);
