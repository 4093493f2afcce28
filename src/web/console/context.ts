/**
 * Who is using the console and in which language: the session cookie (the
 * same staff sessions as the API's sign-in), CSRF tokens for every form, and
 * the role checks, all on the server.
 */
import { createHmac, randomBytes } from "node:crypto";
import type {} from "@fastify/cookie";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { PrismaClient } from "../../db/types.ts";
import type { QuietHours } from "../../domain/quiet-hours.ts";
import { authenticateSession } from "../../features/staff/sessions.ts";
import type { ReminderSettings } from "../../features/trainings/reminders.ts";
import type { WhatsAppLink } from "../../features/whatsapp/connection.ts";
import type { StaffRole } from "../../generated/prisma/client.ts";
import type { Clock } from "../../lib/clock.ts";
import { isLanguage, type Language, translator } from "../../lib/i18n.ts";
import { sameSecret } from "../../lib/same-secret.ts";
import type { WebQueues } from "../queue-access.ts";
import { errorPage } from "./layout.ts";

export interface ConsoleDeps {
  prisma: PrismaClient;
  queues: WebQueues;
  clock: Clock;
  serviceName: string;
  reminders: ReminderSettings;
  sessionHours: number;
  whatsapp?: WhatsAppLink;
  /** When proactive messages wait for the morning: staff are told how many wait. */
  quietHours: QuietHours;
}

export type { Ctx } from "./ctx.ts";

export const SESSION_COOKIE = "ijc_console";
export const LANG_COOKIE = "ijc_lang";
export const LOGIN_CSRF_COOKIE = "ijc_login_csrf";

/** Cookies only over HTTPS when the console is served over HTTPS (directly or behind a proxy). */
export const isHttps = (request: FastifyRequest) =>
  request.protocol === "https" || request.headers["x-forwarded-proto"] === "https";

export function cookieOptions(request: FastifyRequest, maxAgeS?: number) {
  return {
    path: "/console",
    httpOnly: true,
    sameSite: "strict" as const,
    secure: isHttps(request),
    ...(maxAgeS !== undefined ? { maxAge: maxAgeS } : {}),
  };
}

/** A session's CSRF token: derived from its secret token, so it needs no storage. */
export const csrfFor = (sessionToken: string) =>
  createHmac("sha256", sessionToken).update("console-csrf").digest("base64url");

export const newLoginCsrf = () => randomBytes(24).toString("base64url");

/** Constant-time equality of a sent CSRF token with the expected one. */
export const sameToken = sameSecret;

/** `?lang=` (remembered in a cookie), else the cookie, else Indonesian. */
export function languageOf(request: FastifyRequest, reply: FastifyReply): Language {
  const asked = (request.query as { lang?: unknown } | undefined)?.lang;
  if (isLanguage(asked)) {
    reply.setCookie(LANG_COOKIE, asked, {
      ...cookieOptions(request, 365 * 86_400),
      httpOnly: false,
    });
    return asked;
  }
  const saved = request.cookies[LANG_COOKIE];
  return isLanguage(saved) ? saved : "id";
}

export const consoleT = (lang: Language) => translator(lang, "console");

/**
 * The header a script sends the session's CSRF token in (a form sends the
 * `_csrf` field). It is axios's default name: the queue monitor's page
 * (bull-board, whose requests we do not write) sends the value of the
 * `XSRF-TOKEN` cookie in it on every same-origin request, see queues.ts.
 */
export const CSRF_HEADER = "x-xsrf-token";

/** The session's CSRF token as sent with a request: the form field, else the header. */
function sentCsrf(request: FastifyRequest): unknown {
  const body = request.body;
  const field =
    body && typeof body === "object" ? (body as Record<string, unknown>)._csrf : undefined;
  return field ?? request.headers[CSRF_HEADER];
}

/**
 * Lets signed-in staff through (others go to the sign-in page), with one of
 * `roles` (403 otherwise), and with `allCities` only those of every city (what
 * acts for the whole service). Every request but GET and HEAD (POST, PUT,
 * PATCH, DELETE: whatever may change something) must carry the session's
 * CSRF token, in the `_csrf` field or the X-XSRF-TOKEN header.
 */
export function requireConsole(
  deps: ConsoleDeps,
  roles: StaffRole[] = ["admin", "staff"],
  opts: { allCities?: boolean } = {},
) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const lang = languageOf(request, reply);
    const t = consoleT(lang);
    const token = request.cookies[SESSION_COOKIE];
    const staff = token ? await authenticateSession(deps.prisma, token, deps.clock.now()) : null;
    if (!token || !staff) {
      const next = request.method === "GET" ? `?next=${encodeURIComponent(request.url)}` : "";
      return reply.redirect(`/console/login${next}`, 303);
    }
    const path = request.url.split("?")[0]!;
    request.ctx = { staff, csrf: csrfFor(token), lang, t, path };
    if (!roles.includes(staff.role)) {
      return reply
        .code(403)
        .type("text/html")
        .send(errorPage(request.ctx, t("errors.forbidden")).value);
    }
    if (opts.allCities && staff.cities.length > 0) {
      return reply
        .code(403)
        .type("text/html")
        .send(errorPage(request.ctx, t("errors.allCities")).value);
    }
    if (request.method !== "GET" && request.method !== "HEAD") {
      if (!sameToken(sentCsrf(request), request.ctx.csrf)) {
        return reply
          .code(403)
          .type("text/html")
          .send(errorPage(request.ctx, t("errors.csrf")).value);
      }
    }
  };
}
