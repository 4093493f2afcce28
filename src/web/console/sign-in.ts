/** Sign in and sign out: the API's accounts, sessions and failed-sign-in limits. */
import type { FastifyInstance } from "fastify";
import { cityByCode } from "../../domain/cities.ts";
import { type SignInNotice, signIn, signOut } from "../../features/staff/sessions.ts";
import {
  type ConsoleDeps,
  consoleT,
  cookieOptions,
  LOGIN_CSRF_COOKIE,
  languageOf,
  newLoginCsrf,
  requireConsole,
  SESSION_COOKIE,
  sameToken,
} from "./context.ts";
import { type Html, html } from "./html.ts";
import { when } from "./labels.ts";
import { errorSummary, type FieldError, field, send } from "./layout.ts";

/** A page for people not signed in (sign-in, first-admin setup): no menu, a language link. */
export function publicPage(
  lang: "id" | "en",
  title: string,
  errors: FieldError[] | undefined,
  body: Html,
  /** Query parameters the language link keeps (the setup page's token). */
  keep: Record<string, string> = {},
): Html {
  const t = consoleT(lang);
  const other = lang === "id" ? "en" : "id";
  const langHref = `?${new URLSearchParams({ ...keep, lang: other })}`;
  return html`<!doctype html>
<html lang="${lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${errors?.length ? `${t("errors.prefix")} ` : ""}${title} · ${t("app")}</title>
<link rel="stylesheet" href="/console/style.css"></head>
<body>
<header><p class="brand">${t("app")}</p>
<p><a href="${langHref}" lang="${other}" hreflang="${other}">${t("otherLanguage")}</a></p></header>
<main id="main">
<h1>${title}</h1>
${body}
</main>
</body></html>`;
}

/** After a sign-in: the failed attempts on the account since the last one, then on to `next`. */
function noticePage(lang: "id" | "en", notice: SignInNotice, next: string, zone?: string): Html {
  const t = consoleT(lang);
  const at = (date: Date | null) => when(date, lang, zone);
  return publicPage(
    lang,
    t("signIn.noticeTitle"),
    undefined,
    html`<div class="notice" role="alert">
${notice.failedAttempts > 0 ? html`<p>${t("signIn.noticeFailed", { count: notice.failedAttempts, address: notice.lastFailedFrom ?? "-", time: at(notice.lastFailedAt) })}</p>` : ""}
${notice.limitedAt ? html`<p>${t("signIn.noticeSlowed", { time: at(notice.limitedAt) })}</p>` : ""}
<p>${t("signIn.noticeAdvice")}</p>
</div>
<p><a href="${next}">${t("signIn.continue")}</a></p>`,
  );
}

/** Only paths inside the console: `next` must not send anyone elsewhere. */
const safeNext = (next: unknown) =>
  typeof next === "string" && /^\/console(?:[/?]|$)/.test(next) && !next.startsWith("//")
    ? next
    : "/console";

export function signInRoutes(app: FastifyInstance, deps: ConsoleDeps) {
  const form = (
    lang: "id" | "en",
    csrf: string,
    opts: { email?: string; next: string; errors?: FieldError[]; status?: string },
  ) => {
    const t = consoleT(lang);
    return publicPage(
      lang,
      t("signIn.title"),
      opts.errors,
      html`${opts.status ? html`<div class="notice" role="status">${opts.status}</div>` : ""}
${errorSummary(t, opts.errors)}
<form method="post" action="/console/login" novalidate>
<input type="hidden" name="_csrf" value="${csrf}">
<input type="hidden" name="next" value="${opts.next}">
${field({ name: "email", label: t("signIn.email"), type: "email", value: opts.email ?? "", required: true, autocomplete: "username", errors: opts.errors })}
${field({ name: "password", label: t("signIn.password"), type: "password", required: true, autocomplete: "current-password", errors: opts.errors })}
<button type="submit">${t("signIn.submit")}</button>
</form>`,
    );
  };

  app.get("/console/login", async (request, reply) => {
    const lang = languageOf(request, reply);
    const csrf = newLoginCsrf();
    reply.setCookie(LOGIN_CSRF_COOKIE, csrf, cookieOptions(request, 3600));
    const query = request.query as { next?: string; signedOut?: string };
    const status = query.signedOut ? consoleT(lang)("signIn.signedOut") : undefined;
    return send(
      reply,
      form(lang, csrf, { next: safeNext(query.next), ...(status ? { status } : {}) }),
    );
  });

  app.post("/console/login", async (request, reply) => {
    const lang = languageOf(request, reply);
    const t = consoleT(lang);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const email = typeof body.email === "string" ? body.email.trim().slice(0, 320) : "";
    const password = typeof body.password === "string" ? body.password.slice(0, 1024) : "";
    const next = safeNext(body.next);
    const expected = request.cookies[LOGIN_CSRF_COOKIE];
    const again = (status: number, errors: FieldError[]) => {
      const csrf = newLoginCsrf();
      reply.setCookie(LOGIN_CSRF_COOKIE, csrf, cookieOptions(request, 3600));
      return send(reply, form(lang, csrf, { email, next, errors }), status);
    };
    if (!expected || !sameToken(body._csrf, expected))
      return again(403, [{ field: "email", message: t("errors.csrf") }]);
    if (!email || !password)
      return again(400, [
        ...(!email ? [{ field: "email", message: t("signIn.emailMissing") }] : []),
        ...(!password ? [{ field: "password", message: t("signIn.passwordMissing") }] : []),
      ]);
    const result = await signIn(deps, { email, password, ip: request.ip }, "console");
    if (!result.ok && result.waitS > 0) {
      reply.header("retry-after", String(result.waitS));
      const message =
        result.waitS < 120
          ? t("signIn.tooManySeconds", { seconds: result.waitS })
          : t("signIn.tooMany", { minutes: Math.ceil(result.waitS / 60) });
      return again(429, [{ field: "email", message }]);
    }
    if (!result.ok) return again(401, [{ field: "email", message: t("signIn.wrong") }]);
    const { session, notice, user } = result;
    reply.clearCookie(LOGIN_CSRF_COOKIE, { path: "/console" });
    reply.setCookie(
      SESSION_COOKIE,
      session.token,
      cookieOptions(request, deps.sessionHours * 3600),
    );
    if (!notice) return reply.redirect(next, 303);
    // Someone tried the account since its last sign-in: its owner reads that before going on.
    const zone = cityByCode(user.cities[0] ?? "")?.timeZone;
    return send(reply, noticePage(lang, notice, next, zone));
  });

  app.post("/console/logout", { preHandler: requireConsole(deps) }, async (request, reply) => {
    const ctx = request.ctx!;
    const { sessionId } = ctx.staff;
    if (sessionId)
      await signOut(deps.prisma, { ...ctx.staff, sessionId }, deps.clock.now(), "console");
    reply.clearCookie(SESSION_COOKIE, { path: "/console" });
    return reply.redirect("/console/login?signedOut=1", 303);
  });
}
