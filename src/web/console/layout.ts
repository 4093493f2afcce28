/** The page frame, the error summary and form fields every console page uses. */
import type { FastifyReply, FastifyRequest } from "fastify";
import type { TFunction } from "i18next";
import type { Ctx } from "./ctx.ts";
import { type Html, html } from "./html.ts";
import { isUuid, type Option, type OptionGroup } from "./labels.ts";

export interface FieldError {
  field: string;
  message: string;
}

interface PageOpts {
  title: string;
  /** A short confirmation (role=status), e.g. after a form was saved. */
  notice?: string;
  errors?: FieldError[];
}

const MENU: { path: string; key: string; admin?: true }[] = [
  { path: "/console", key: "menu.dashboard" },
  { path: "/console/seekers", key: "menu.seekers" },
  { path: "/console/vacancies", key: "menu.vacancies" },
  { path: "/console/trainings", key: "menu.trainings" },
  { path: "/console/broadcasts", key: "menu.broadcasts" },
  { path: "/console/handoffs", key: "menu.handoffs" },
  { path: "/console/funnel", key: "menu.funnel" },
  { path: "/console/whatsapp", key: "menu.whatsapp" },
  { path: "/console/audit", key: "menu.audit", admin: true },
  { path: "/console/tokens", key: "menu.tokens", admin: true },
  { path: "/console/queues", key: "menu.queues", admin: true },
];

const isCurrent = (ctx: Ctx, path: string) =>
  path === "/console" ? ctx.path === "/console" : ctx.path.startsWith(path);

/** Field id for a form field name (also the error summary's link target). */
export const fieldId = (name: string) => `f-${name.replace(/[^a-zA-Z0-9_-]/g, "-")}`;

export function errorSummary(t: TFunction, errors: FieldError[] | undefined): Html {
  if (!errors?.length) return html``;
  return html`<div class="summary" role="alert" aria-labelledby="errors-title" tabindex="-1" id="errors">
<h2 id="errors-title">${t("errors.title")}</h2>
<ul>${errors.map((e) => html`<li><a href="#${fieldId(e.field)}">${e.message}</a></li>`)}</ul>
</div>`;
}

export function page(ctx: Ctx, opts: PageOpts, body: Html): Html {
  const { t } = ctx;
  const other = ctx.lang === "id" ? "en" : "id";
  const title = opts.errors?.length ? `${t("errors.prefix")} ${opts.title}` : opts.title;
  return html`<!doctype html>
<html lang="${ctx.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · ${t("app")}</title>
<link rel="stylesheet" href="/console/style.css">
<script src="/console/app.js" defer></script>
</head>
<body>
<a class="skip" href="#main">${t("skip")}</a>
<header>
<p class="brand">${t("app")}</p>
<nav aria-label="${t("menu.label")}"><ul>
${MENU.filter((m) => !m.admin || ctx.staff.role === "admin").map(
  (m) =>
    html`<li><a href="${m.path}"${isCurrent(ctx, m.path) ? html` aria-current="page"` : ""}>${t(m.key)}</a></li>`,
)}
</ul></nav>
<p>${t("signedInAs", { name: ctx.staff.name })}</p>
<p><a href="?lang=${other}" lang="${other}" hreflang="${other}">${t("otherLanguage")}</a></p>
<form method="post" action="/console/logout" class="inline">
<input type="hidden" name="_csrf" value="${ctx.csrf}">
<button type="submit" class="secondary">${t("signOut")}</button>
</form>
</header>
<main id="main" tabindex="-1">
<h1>${opts.title}</h1>
${errorSummary(t, opts.errors)}
${opts.notice ? html`<div class="notice" role="status">${opts.notice}</div>` : ""}
${body}
</main>
</body>
</html>`;
}

export function errorPage(ctx: Ctx, message: string): Html {
  return page(
    ctx,
    { title: ctx.t("errors.pageTitle") },
    html`<p>${message}</p>
<p><a href="/console">${ctx.t("menu.dashboard")}</a></p>`,
  );
}

export const send = (reply: FastifyReply, body: Html, status = 200) =>
  reply.code(status).type("text/html; charset=utf-8").send(body.value);

/**
 * The record named by the `:id` of the request, if the caller's cities may
 * see it; otherwise answers the "not found" page (also for an id that is
 * not a uuid) and gives null.
 */
export async function visibleOr404<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  find: (id: string, cities: string[]) => Promise<T | null>,
): Promise<T | null> {
  const ctx = request.ctx!;
  const { id } = request.params as { id: string };
  const found = isUuid(id) ? await find(id, ctx.staff.cities) : null;
  if (!found) send(reply, errorPage(ctx, ctx.t("errors.notFound")), 404);
  return found;
}

export const csrfField = (ctx: Ctx) => html`<input type="hidden" name="_csrf" value="${ctx.csrf}">`;

interface FieldOpts {
  name: string;
  label: string;
  value?: string | number | null;
  hint?: string;
  errors?: FieldError[];
  type?: "text" | "email" | "password" | "number" | "datetime-local" | "date" | "search";
  required?: boolean;
  autocomplete?: string;
  /** A textarea instead of an input. */
  multiline?: boolean;
  lang?: string;
}

/** A labelled field with its hint and error tied to it (aria-describedby, aria-invalid). */
export function field(opts: FieldOpts): Html {
  const id = fieldId(opts.name);
  const error = opts.errors?.find((e) => e.field === opts.name);
  const described = [opts.hint ? `${id}-hint` : "", error ? `${id}-error` : ""]
    .filter(Boolean)
    .join(" ");
  const common = html`id="${id}" name="${opts.name}"${opts.required ? html` required` : ""}${
    described ? html` aria-describedby="${described}"` : ""
  }${error ? html` aria-invalid="true"` : ""}${opts.lang ? html` lang="${opts.lang}"` : ""}${
    opts.autocomplete ? html` autocomplete="${opts.autocomplete}"` : ""
  }`;
  return html`<label for="${id}">${opts.label}</label>
${opts.hint ? html`<p class="hint" id="${id}-hint">${opts.hint}</p>` : ""}
${error ? html`<p class="error" id="${id}-error">${error.message}</p>` : ""}
${
  opts.multiline
    ? html`<textarea ${common}>${opts.value ?? ""}</textarea>`
    : html`<input type="${opts.type ?? "text"}" ${common} value="${opts.value ?? ""}">`
}`;
}

interface ChoiceOpts {
  name: string;
  legend: string;
  options: { value: string; label: string }[];
  selected: string[];
  hint?: string;
  errors?: FieldError[];
  /** Checkboxes (several) or radio buttons (one). */
  multiple: boolean;
}

/** A group of checkboxes or radio buttons in a fieldset with its legend. */
export function choices(opts: ChoiceOpts): Html {
  const id = fieldId(opts.name);
  const error = opts.errors?.find((e) => e.field === opts.name);
  return html`<fieldset id="${id}"${error ? html` aria-describedby="${id}-error"` : ""}>
<legend>${opts.legend}</legend>
${opts.hint ? html`<p class="hint">${opts.hint}</p>` : ""}
${error ? html`<p class="error" id="${id}-error">${error.message}</p>` : ""}
${opts.options.map(
  (o) =>
    html`<label><input type="${opts.multiple ? "checkbox" : "radio"}" name="${opts.name}" value="${o.value}"${
      opts.selected.includes(o.value) ? html` checked` : ""
    }> ${o.label}</label>`,
)}
</fieldset>`;
}

/** A select with a label; `groups` follow the ungrouped `options`. */
export function select(opts: {
  name: string;
  label: string;
  options: Option[];
  groups?: OptionGroup[];
  selected?: string;
  errors?: FieldError[];
}): Html {
  const id = fieldId(opts.name);
  const error = opts.errors?.find((e) => e.field === opts.name);
  const option = (o: Option) =>
    html`<option value="${o.value}"${o.value === opts.selected ? html` selected` : ""}>${o.label}</option>`;
  return html`<label for="${id}">${opts.label}</label>
${error ? html`<p class="error" id="${id}-error">${error.message}</p>` : ""}
<select id="${id}" name="${opts.name}"${error ? html` aria-invalid="true" aria-describedby="${id}-error"` : ""}>
${opts.options.map(option)}
${(opts.groups ?? []).map((g) => html`<optgroup label="${g.label}">${g.options.map(option)}</optgroup>`)}
</select>`;
}

/** A table's rows, or one row saying there are none ("Belum ada …"): an empty table says so. */
export function rowsOr<T>(
  items: readonly T[],
  columns: number,
  empty: string,
  row: (item: T) => Html,
): Html {
  if (items.length === 0) return html`<tr><td colspan="${String(columns)}">${empty}</td></tr>`;
  return html`${items.map(row)}`;
}

/** A small form with one button (publish, close, cancel…), with its CSRF token. */
export function action(
  ctx: Ctx,
  path: string,
  label: string,
  opts: { danger?: boolean; fields?: Html } = {},
) {
  return html`<form method="post" action="${path}" class="inline">${csrfField(ctx)}${opts.fields ?? ""}<button type="submit"${
    opts.danger ? html` class="danger"` : ""
  }>${label}</button></form>`;
}

/** Zod issues as field errors: `path` joined with dots, as the forms name their fields. */
export function zodErrors(issues: { path: PropertyKey[]; message: string }[]): FieldError[] {
  return issues.map((i) => ({ field: i.path.map(String).join(".") || "form", message: i.message }));
}
