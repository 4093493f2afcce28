/**
 * The staff web console: server-rendered HTML forms on the same features as
 * the staff API. Works without JavaScript; every form carries a CSRF token;
 * roles and city scope are enforced on the server.
 */
import cookie from "@fastify/cookie";
import formbody from "@fastify/formbody";
import type { FastifyInstance } from "fastify";
import { adminPages } from "./admin.ts";
import { broadcastPages } from "./broadcasts.ts";
import type { ConsoleDeps } from "./context.ts";
import { dashboardRoutes } from "./dashboard.ts";
import { funnelPages } from "./funnel.ts";
import { handoffPages } from "./handoffs.ts";
import { SCRIPT } from "./script.ts";
import { seekerPages } from "./seekers.ts";
import { setupRoutes } from "./setup.ts";
import { signInRoutes } from "./sign-in.ts";
import { STYLE } from "./style.ts";
import { tokenPages } from "./tokens.ts";
import { trainingPages } from "./trainings.ts";
import { vacancyPages } from "./vacancies.ts";
import { whatsappPages } from "./whatsapp.ts";

export function consoleRoutes(app: FastifyInstance, deps: ConsoleDeps) {
  app.register(async (scope) => {
    await scope.register(cookie);
    await scope.register(formbody, { bodyLimit: 64 * 1024 });
    // Pages show personal data: never kept by a browser or a proxy.
    scope.addHook("onSend", async (_request, reply, payload) => {
      reply.header("cache-control", "no-store");
      // The console's own script and stylesheet, nothing inline, nothing from elsewhere.
      reply.header(
        "content-security-policy",
        "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
      );
      return payload;
    });
    scope.get("/console/style.css", async (_request, reply) =>
      reply
        .type("text/css; charset=utf-8")
        .header("cache-control", "public, max-age=3600")
        .send(STYLE),
    );
    scope.get("/console/app.js", async (_request, reply) =>
      reply
        .type("text/javascript; charset=utf-8")
        .header("cache-control", "public, max-age=3600")
        .send(SCRIPT),
    );
    signInRoutes(scope, deps);
    setupRoutes(scope, deps);
    dashboardRoutes(scope, deps);
    funnelPages(scope, deps);
    handoffPages(scope, deps);
    broadcastPages(scope, deps);
    vacancyPages(scope, deps);
    trainingPages(scope, deps);
    seekerPages(scope, deps);
    whatsappPages(scope, deps);
    adminPages(scope, deps);
    tokenPages(scope, deps);
  });
}
