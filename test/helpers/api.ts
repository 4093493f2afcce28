import type { createWebServer } from "../../src/web/server.ts";

/**
 * Calls `/api/v1<url>` on an app in-process. `token` is a key of `tokens`
 * ("all", "makassar", ...) or a literal token; none sends no Authorization.
 */
export function apiCaller(app: ReturnType<typeof createWebServer>, tokens: Record<string, string>) {
  return (method: "GET" | "POST" | "PATCH", url: string, token?: string, body?: unknown) =>
    app.inject({
      method,
      url: `/api/v1${url}`,
      ...(body === undefined ? {} : { payload: body as object }),
      headers: token ? { authorization: `Bearer ${tokens[token] ?? token}` } : {},
    });
}
