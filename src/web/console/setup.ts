/**
 * The first admin's page: opened from the one-time link the service prints
 * while no admin exists. The person chooses email, name and password, and is
 * signed in. A used, replaced or expired link, or one opened after an admin
 * exists, shows how to get a new one.
 */
import type { FastifyInstance } from "fastify";
import { isEmail, normalizeEmail } from "../../features/staff/accounts.ts";
import { passwordProblem } from "../../features/staff/passwords.ts";
import { startSession } from "../../features/staff/sessions.ts";
import { completeSetup, setupLinkValid } from "../../features/staff/setup.ts";
import {
  type ConsoleDeps,
  consoleT,
  cookieOptions,
  LOGIN_CSRF_COOKIE,
  languageOf,
  newLoginCsrf,
  SESSION_COOKIE,
  sameToken,
} from "./context.ts";
import { html } from "./html.ts";
import { errorSummary, type FieldError, field, send } from "./layout.ts";
import { publicPage } from "./sign-in.ts";

interface SetupValues {
  email: string;
  name: string;
}

const text = (value: unknown, max: number) =>
  typeof value === "string" ? value.trim().slice(0, max) : "";

export function setupRoutes(app: FastifyInstance, deps: ConsoleDeps) {
  const form = (
    lang: "id" | "en",
    csrf: string,
    token: string,
    values: SetupValues,
    errors?: FieldError[],
  ) => {
    const t = consoleT(lang);
    return publicPage(
      lang,
      t("setup.title"),
      errors,
      html`<p>${t("setup.intro")}</p>
${errorSummary(t, errors)}
<form method="post" action="/console/setup" novalidate>
<input type="hidden" name="_csrf" value="${csrf}">
<input type="hidden" name="token" value="${token}">
${field({ name: "name", label: t("setup.name"), value: values.name, required: true, autocomplete: "name", errors })}
${field({ name: "email", label: t("signIn.email"), type: "email", value: values.email, required: true, autocomplete: "username", errors })}
${field({ name: "password", label: t("signIn.password"), type: "password", hint: t("setup.passwordHint"), required: true, autocomplete: "new-password", errors })}
${field({ name: "confirm", label: t("setup.confirm"), type: "password", required: true, autocomplete: "new-password", errors })}
<button type="submit">${t("setup.submit")}</button>
</form>`,
      { token },
    );
  };

  const linkGone = (lang: "id" | "en") => {
    const t = consoleT(lang);
    return publicPage(
      lang,
      t("setup.goneTitle"),
      undefined,
      html`<p>${t("setup.gone")}</p>
<p><code>npm run staff -- setup-link</code></p>
<p><a href="/console/login">${t("signIn.title")}</a></p>`,
    );
  };

  app.get("/console/setup", async (request, reply) => {
    const lang = languageOf(request, reply);
    const token = text((request.query as { token?: unknown }).token, 200);
    if (!(await setupLinkValid(deps.prisma, token, deps.clock.now())))
      return send(reply, linkGone(lang), 410);
    const csrf = newLoginCsrf();
    reply.setCookie(LOGIN_CSRF_COOKIE, csrf, cookieOptions(request, 3600));
    return send(reply, form(lang, csrf, token, { email: "", name: "" }));
  });

  app.post("/console/setup", async (request, reply) => {
    const lang = languageOf(request, reply);
    const t = consoleT(lang);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const token = text(body.token, 200);
    const values = { email: text(body.email, 320), name: text(body.name, 200) };
    const password = typeof body.password === "string" ? body.password : "";
    const confirm = typeof body.confirm === "string" ? body.confirm : "";
    const again = (status: number, errors: FieldError[]) => {
      const csrf = newLoginCsrf();
      reply.setCookie(LOGIN_CSRF_COOKIE, csrf, cookieOptions(request, 3600));
      return send(reply, form(lang, csrf, token, values, errors), status);
    };
    const expected = request.cookies[LOGIN_CSRF_COOKIE];
    if (!expected || !sameToken(body._csrf, expected))
      return again(403, [{ field: "name", message: t("errors.csrf") }]);
    const errors: FieldError[] = [];
    if (!values.name || values.name.length > 100)
      errors.push({ field: "name", message: t("setup.nameMissing") });
    if (!isEmail(normalizeEmail(values.email)))
      errors.push({ field: "email", message: t("setup.emailInvalid") });
    if (passwordProblem(password))
      errors.push({ field: "password", message: t("setup.passwordHint") });
    else if (confirm !== password) errors.push({ field: "confirm", message: t("setup.mismatch") });
    if (errors.length > 0) return again(400, errors);

    const now = deps.clock.now();
    const result = await completeSetup(deps.prisma, { token, ...values, password }, now);
    if (!result.ok && result.reason === "link") return send(reply, linkGone(lang), 410);
    if (!result.ok) return again(409, [{ field: "email", message: t("setup.emailTaken") }]);
    const session = await startSession(deps, result.user, "setup-link");
    reply.clearCookie(LOGIN_CSRF_COOKIE, { path: "/console" });
    reply.setCookie(
      SESSION_COOKIE,
      session.token,
      cookieOptions(request, deps.sessionHours * 3600),
    );
    return reply.redirect("/console", 303);
  });
}
