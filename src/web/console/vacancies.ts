import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { cityByCode } from "../../domain/cities.ts";
import type { RequirementWarning } from "../../domain/discrimination.ts";
import { audit } from "../../features/staff/audit.ts";
import { findVisible, listApplications, listVacancies } from "../../features/vacancies/data.ts";
import {
  closeVacancy,
  createVacancy,
  publishVacancy,
  vacancyWarnings,
} from "../../features/vacancies/mutations.ts";
import { createBody } from "../../features/vacancies/schema.ts";
import type { Vacancy } from "../../generated/prisma/client.ts";
import { type ConsoleDeps, type Ctx, requireConsole } from "./context.ts";
import { heldText } from "./held.ts";
import { type Html, html } from "./html.ts";
import { channelName, cityName, list, one, options, seekerName, when } from "./labels.ts";
import {
  action,
  choices,
  csrfField,
  errorPage,
  type FieldError,
  field,
  page,
  rowsOr,
  select,
  send,
  visibleOr404,
  zodErrors,
} from "./layout.ts";

/** The form's fields as the API's body (checkboxes to lists, numbers, empty to absent). */
function bodyFromForm(form: Record<string, unknown>) {
  const text = (name: string) => one(form[name]).trim();
  const optional = (name: string) => (text(name) ? text(name) : undefined);
  return {
    title: text("title"),
    employer: text("employer"),
    city: text("city"),
    workMode: text("workMode"),
    minEducation: text("minEducation") || "below_sd",
    skills: text("skills")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
    suitableFor: list(form.suitableFor),
    accommodations: list(form.accommodations),
    accessibilityNote: optional("accessibilityNote"),
    openings: text("openings") === "" ? Number.NaN : Number(text("openings")),
    deadline: text("deadline"),
    description: text("description"),
    howToApply: text("howToApply"),
    wage: optional("wage"),
  };
}

function warningList(ctx: Ctx, warnings: RequirementWarning[]): Html {
  if (warnings.length === 0) return html``;
  return html`<div class="warning" role="status"><h2>${ctx.t("vacancies.warningsTitle")}</h2>
<ul>${warnings.map((w) => html`<li>${ctx.t(`vacancies.field.${w.field}`)}: “${w.match}”. ${ctx.t(`warning.${w.code}`)}</li>`)}</ul>
<p>${ctx.t("vacancies.warningsHint")}</p></div>`;
}

function form(ctx: Ctx, values: Record<string, unknown>, errors: FieldError[] = []): Html {
  const { t } = ctx;
  const v = (name: string) => one(values[name]);
  return html`<form method="post" action="/console/vacancies" novalidate>
${csrfField(ctx)}
${field({ name: "title", label: t("vacancies.field.title"), value: v("title"), required: true, errors })}
${field({ name: "employer", label: t("vacancies.field.employer"), value: v("employer"), required: true, errors })}
${select({ name: "city", label: t("field.city"), ...options.places(t, ctx.staff.cities), selected: v("city") || ctx.staff.cities[0] || "7371", errors })}
${choices({ name: "workMode", legend: t("vacancies.field.workMode"), options: options.workModes(t), selected: [v("workMode") || "onsite"], multiple: false, errors })}
${select({ name: "minEducation", label: t("vacancies.field.minEducation"), options: options.education(t), selected: v("minEducation") || "below_sd", errors })}
${field({ name: "skills", label: t("vacancies.field.skills"), hint: t("vacancies.skillsHint"), value: v("skills"), errors })}
${choices({ name: "suitableFor", legend: t("vacancies.field.suitableFor"), hint: t("vacancies.suitableForHint"), options: options.categories(t), selected: list(values.suitableFor), multiple: true, errors })}
${choices({ name: "accommodations", legend: t("vacancies.field.accommodations"), options: options.accommodations(t), selected: list(values.accommodations), multiple: true, errors })}
${field({ name: "accessibilityNote", label: t("vacancies.field.accessibilityNote"), value: v("accessibilityNote"), multiline: true, errors })}
${field({ name: "openings", label: t("vacancies.field.openings"), type: "number", value: v("openings") || "1", required: true, errors })}
${field({ name: "deadline", label: t("vacancies.field.deadline"), hint: t("vacancies.deadlineHint"), type: "date", value: v("deadline"), required: true, errors })}
${field({ name: "description", label: t("vacancies.field.description"), value: v("description"), multiline: true, required: true, errors })}
${field({ name: "howToApply", label: t("vacancies.field.howToApply"), value: v("howToApply"), multiline: true, required: true, errors })}
${field({ name: "wage", label: t("vacancies.field.wage"), value: v("wage"), errors })}
<button type="submit">${t("vacancies.create")}</button>
</form>`;
}

/** A vacancy as staff see it, with what in its text may discriminate (job seekers read that text). */
function detail(ctx: Ctx, vacancy: Vacancy): Html {
  const { t } = ctx;
  const zone = cityByCode(vacancy.cityCode)?.timeZone;
  const open = vacancy.status === "open";
  const none = t("vacancies.notGiven");
  return html`${warningList(ctx, vacancyWarnings(vacancy))}
<dl class="facts">
<dt>${t("vacancies.number")}</dt><dd>${vacancy.ref}</dd>
<dt>${t("field.status")}</dt><dd>${t(`vacancies.status.${vacancy.status}`)}</dd>
<dt>${t("vacancies.field.employer")}</dt><dd>${vacancy.employer}</dd>
<dt>${t("field.city")}</dt><dd>${cityName(vacancy.cityCode)}</dd>
<dt>${t("vacancies.field.workMode")}</dt><dd>${t(`workMode.${vacancy.workMode}`)}</dd>
<dt>${t("vacancies.field.minEducation")}</dt><dd>${t(`education.${vacancy.minEducation}`)}</dd>
<dt>${t("vacancies.field.suitableFor")}</dt><dd>${vacancy.suitableFor.length ? vacancy.suitableFor.map((c) => t(`category.${c}`)).join(", ") : t("vacancies.everyone")}</dd>
<dt>${t("vacancies.field.skills")}</dt><dd>${vacancy.skills.length ? vacancy.skills.join(", ") : none}</dd>
<dt>${t("vacancies.field.accommodations")}</dt><dd>${vacancy.accommodations.length ? vacancy.accommodations.map((a) => t(`accommodation.${a}`)).join(", ") : none}</dd>
<dt>${t("vacancies.field.accessibilityNote")}</dt><dd>${vacancy.accessibilityNote || none}</dd>
<dt>${t("vacancies.field.wage")}</dt><dd>${vacancy.wage || none}</dd>
<dt>${t("vacancies.field.openings")}</dt><dd>${vacancy.openings}</dd>
<dt>${t("vacancies.field.deadline")}</dt><dd>${when(vacancy.deadline, ctx.lang, zone)}</dd>
</dl>
<h2>${t("vacancies.field.description")}</h2><p class="message">${vacancy.description}</p>
<h2>${t("vacancies.field.howToApply")}</h2><p class="message">${vacancy.howToApply}</p>
<h2>${t("vacancies.actions")}</h2>
${open ? "" : action(ctx, `/console/vacancies/${vacancy.id}/publish`, t("vacancies.publish"))}
${open ? action(ctx, `/console/vacancies/${vacancy.id}/close`, t("vacancies.markFilled"), { fields: html`<input type="hidden" name="reason" value="filled">` }) : ""}
${open ? action(ctx, `/console/vacancies/${vacancy.id}/close`, t("vacancies.close"), { danger: true, fields: html`<input type="hidden" name="reason" value="closed">` }) : ""}
<p><a href="/console/vacancies/${vacancy.id}/applications">${t("vacancies.applications")}</a></p>`;
}

export function vacancyPages(app: FastifyInstance, deps: ConsoleDeps) {
  const preHandler = requireConsole(deps);
  const now = () => deps.clock.now();

  const visible = (request: FastifyRequest, reply: FastifyReply) =>
    visibleOr404(request, reply, (id, cities) => findVisible(deps.prisma, id, cities));

  app.get("/console/vacancies", { preHandler }, async (request, reply) => {
    const ctx = request.ctx!;
    const { t } = ctx;
    const status = one((request.query as Record<string, unknown>).status);
    const page1 = await listVacancies(deps.prisma, {
      cities: ctx.staff.cities,
      limit: 100,
      ...(["draft", "open", "filled", "closed"].includes(status)
        ? { status: status as Vacancy["status"] }
        : {}),
    });
    const body = html`<p><a href="/console/vacancies/new">${t("vacancies.new")}</a></p>
<table><caption>${t("vacancies.listCaption")}</caption>
<thead><tr><th scope="col">${t("vacancies.number")}</th><th scope="col">${t("vacancies.field.title")}</th><th scope="col">${t("vacancies.field.employer")}</th><th scope="col">${t("field.city")}</th><th scope="col">${t("field.status")}</th><th scope="col">${t("vacancies.field.deadline")}</th></tr></thead>
<tbody>${rowsOr(
      page1.items,
      6,
      t("vacancies.noneYet"),
      (v) =>
        html`<tr><td>${v.ref}</td><td><a href="/console/vacancies/${v.id}">${v.title}</a></td><td>${v.employer}</td><td>${cityName(v.city)}</td><td>${t(`vacancies.status.${v.status}`)}</td><td>${when(v.deadline, ctx.lang, cityByCode(v.city)?.timeZone)}</td></tr>`,
    )}</tbody></table>`;
    return send(reply, page(ctx, { title: t("vacancies.title") }, body));
  });

  app.get("/console/vacancies/new", { preHandler }, async (request, reply) => {
    const ctx = request.ctx!;
    return send(reply, page(ctx, { title: ctx.t("vacancies.new") }, form(ctx, {})));
  });

  app.post("/console/vacancies", { preHandler }, async (request, reply) => {
    const ctx = request.ctx!;
    const values = request.body as Record<string, unknown>;
    const parsed = createBody.safeParse(bodyFromForm(values));
    if (!parsed.success) {
      const errors = zodErrors(parsed.error.issues).map((e) => ({
        field: e.field.split(".")[0]!,
        message: `${ctx.t(`vacancies.field.${e.field.split(".")[0]}`)}: ${e.message}`,
      }));
      return send(
        reply,
        page(ctx, { title: ctx.t("vacancies.new"), errors }, form(ctx, values, errors)),
        400,
      );
    }
    const result = await createVacancy(deps.prisma, parsed.data, ctx.staff, now());
    if (!result.ok) {
      const errors = [{ field: "city", message: result.message }];
      return send(
        reply,
        page(ctx, { title: ctx.t("vacancies.new"), errors }, form(ctx, values, errors)),
        result.status,
      );
    }
    return send(
      reply,
      page(
        ctx,
        {
          title: result.vacancy.title,
          notice: ctx.t("vacancies.created", { ref: result.vacancy.ref }),
        },
        detail(ctx, result.vacancy),
      ),
      201,
    );
  });

  app.get("/console/vacancies/:id", { preHandler }, async (request, reply) => {
    const vacancy = await visible(request, reply);
    if (!vacancy) return reply;
    return send(reply, page(request.ctx!, { title: vacancy.title }, detail(request.ctx!, vacancy)));
  });

  app.post("/console/vacancies/:id/publish", { preHandler }, async (request, reply) => {
    const ctx = request.ctx!;
    const vacancy = await visible(request, reply);
    if (!vacancy) return reply;
    const result = await publishVacancy(deps, vacancy.id, ctx.staff, now());
    if (!result.ok) return send(reply, errorPage(ctx, result.message), result.status);
    const fresh = (await findVisible(deps.prisma, vacancy.id, ctx.staff.cities))!;
    // At night: how many of the pushes wait for the morning, and until when.
    const held = heldText(ctx.t, result, ctx.lang, now());
    const notice = [ctx.t("vacancies.published", { count: result.matched }), held]
      .filter(Boolean)
      .join(" ");
    return send(reply, page(ctx, { title: fresh.title, notice }, detail(ctx, fresh)));
  });

  app.post("/console/vacancies/:id/close", { preHandler }, async (request, reply) => {
    const ctx = request.ctx!;
    const vacancy = await visible(request, reply);
    if (!vacancy) return reply;
    const reason =
      one((request.body as Record<string, unknown>).reason) === "filled" ? "filled" : "closed";
    const result = await closeVacancy(deps.prisma, vacancy.id, reason, ctx.staff, now());
    if (!result.ok) return send(reply, errorPage(ctx, result.message), result.status);
    return send(
      reply,
      page(
        ctx,
        { title: result.vacancy.title, notice: ctx.t(`vacancies.closedAs.${reason}`) },
        detail(ctx, result.vacancy),
      ),
    );
  });

  app.get("/console/vacancies/:id/applications", { preHandler }, async (request, reply) => {
    const ctx = request.ctx!;
    const { t } = ctx;
    const vacancy = await visible(request, reply);
    if (!vacancy) return reply;
    const applications = await listApplications(deps.prisma, vacancy.id, {
      status: "interested",
      limit: 500,
      viewerCities: ctx.staff.cities,
    });
    await audit(deps.prisma, ctx.staff, "vacancies.applications", vacancy.id, {
      count: applications.items.length,
      shared: applications.items.filter((a) => a.seeker.view === "shared").length,
      via: "console",
    });
    const body = html`<p><a href="/console/vacancies/${vacancy.id}">${vacancy.title}</a></p>
${
  applications.items.length === 0
    ? html`<p>${t("vacancies.noApplications")}</p>`
    : html`<table><caption>${t("vacancies.applicationsCaption", { count: applications.items.length })}</caption>
<thead><tr><th scope="col">${t("field.name")}</th><th scope="col">${t("field.city")}</th><th scope="col">${t("field.phone")}</th><th scope="col">${t("field.channel")}</th><th scope="col">${t("field.accommodations")}</th><th scope="col">${t("vacancies.since")}</th></tr></thead>
<tbody>${applications.items.map(
        (a) =>
          html`<tr><td>${seekerName(t, a.seeker)}</td><td>${a.seeker.city ? cityName(a.seeker.city) : t("seekers.otherCity")}</td><td>${a.seeker.phone ?? "-"}</td><td>${channelName(t, a.channel)}</td><td>${a.seeker.accommodations.map((c) => t(`accommodation.${c}`)).join(", ") || "-"}</td><td>${when(a.createdAt, ctx.lang)}</td></tr>`,
      )}</tbody></table>`
}`;
    return send(reply, page(ctx, { title: t("vacancies.applications") }, body));
  });
}
