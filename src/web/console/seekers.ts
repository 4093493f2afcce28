import { Readable } from "node:stream";
import type { FastifyInstance } from "fastify";
import { listSeekers, seekerCsvLines, seekerDetail } from "../../features/seekers/data.ts";
import { exportQuery, listQuery } from "../../features/seekers/schema.ts";
import { audit } from "../../features/staff/audit.ts";
import { type ConsoleDeps, requireConsole } from "./context.ts";
import { html } from "./html.ts";
import { channelName, cityName, isUuid, languageName, options, when, withAll } from "./labels.ts";
import { errorPage, field, page, rowsOr, select, send } from "./layout.ts";

/** Without empty fields: a search form sends every field, filled or not. */
const filled = (query: unknown) =>
  Object.fromEntries(
    Object.entries((query ?? {}) as Record<string, unknown>).filter(([, v]) => v !== ""),
  );

/** Seekers: search and filter, one person's record, the admins' export. */
export function seekerPages(app: FastifyInstance, deps: ConsoleDeps) {
  const preHandler = requireConsole(deps);

  app.get("/console/seekers", { preHandler }, async (request, reply) => {
    const ctx = request.ctx!;
    const { t } = ctx;
    const query = listQuery.safeParse(filled(request.query));
    const filter = query.success ? query.data : { limit: 50 };
    const found = await listSeekers(deps.prisma, { ...filter, limit: 50 }, ctx.staff.cities);
    await audit(deps.prisma, ctx.staff, "seekers.list", undefined, {
      count: found.items.length,
      via: "console",
    });
    const f = filter as unknown as Record<string, string | undefined>;
    const exportQs = new URLSearchParams(
      Object.entries(f).filter(([k, v]) => v && ["city", "category", "education"].includes(k)) as [
        string,
        string,
      ][],
    ).toString();
    const body = html`<form method="get" action="/console/seekers" role="search">
${field({ name: "q", label: t("seekers.search"), type: "search", value: f.q ?? "" })}
${select({ name: "city", label: t("field.city"), ...withAll(options.places(t, ctx.staff.cities), t("seekers.allCities")), selected: f.city ?? "" })}
${select({ name: "category", label: t("field.category"), options: [{ value: "", label: t("seekers.allCategories") }, ...options.categories(t)], selected: f.category ?? "" })}
${select({ name: "education", label: t("seekers.minEducation"), options: [{ value: "", label: t("broadcasts.anyEducation") }, ...options.education(t)], selected: f.education ?? "" })}
<button type="submit">${t("seekers.filter")}</button>
</form>
${ctx.staff.role === "admin" ? html`<p><a href="/console/seekers.csv${exportQs ? `?${exportQs}` : ""}">${t("seekers.export")}</a></p>` : ""}
<table><caption>${t("seekers.caption", { count: found.items.length })}</caption>
<thead><tr><th scope="col">${t("field.name")}</th><th scope="col">${t("field.city")}</th><th scope="col">${t("field.category")}</th><th scope="col">${t("seekers.education")}</th><th scope="col">${t("field.status")}</th><th scope="col">${t("seekers.registered")}</th></tr></thead>
<tbody>${rowsOr(
      found.items,
      6,
      t("seekers.noneFound"),
      (s) =>
        html`<tr><td><a href="/console/seekers/${s.id}">${s.name}</a></td><td>${s.cityName ?? s.city}</td><td>${s.disabilityCategories.map((c) => t(`category.${c}`)).join(", ") || "-"}</td><td>${t(`education.${s.education}`)}</td><td>${t(`seekers.status.${s.status}`)}</td><td>${when(s.registeredAt, ctx.lang)}</td></tr>`,
    )}</tbody></table>`;
    return send(reply, page(ctx, { title: t("seekers.title") }, body));
  });

  app.get(
    "/console/seekers.csv",
    { preHandler: requireConsole(deps, ["admin"]) },
    async (request, reply) => {
      const ctx = request.ctx!;
      const query = exportQuery.safeParse(filled(request.query));
      const filter = query.success ? query.data : {};
      await audit(deps.prisma, ctx.staff, "seekers.export", undefined, {
        filter: { ...filter, q: "q" in filter },
        via: "console",
      });
      return reply
        .type("text/csv; charset=utf-8")
        .header("content-disposition", 'attachment; filename="seekers.csv"')
        .send(Readable.from(seekerCsvLines(deps.prisma, filter, ctx.staff.cities)));
    },
  );

  app.get("/console/seekers/:id", { preHandler }, async (request, reply) => {
    const ctx = request.ctx!;
    const { t } = ctx;
    const { id } = request.params as { id: string };
    const s = isUuid(id) ? await seekerDetail(deps.prisma, id, ctx.staff.cities) : null;
    if (!s) return send(reply, errorPage(ctx, t("errors.notFound")), 404);
    await audit(deps.prisma, ctx.staff, "seekers.view", s.id, { via: "console" }, [
      s.profile.cityCode,
    ]);
    const p = s.profile;
    const body = html`<dl class="facts">
<dt>${t("field.status")}</dt><dd>${t(`seekers.status.${s.status}`)}</dd>
<dt>${t("field.city")}</dt><dd>${cityName(p.cityCode)}${p.cityOtherName ? ` (${p.cityOtherName})` : ""}</dd>
<dt>${t("field.category")}</dt><dd>${p.disabilityDeclined ? t("seekers.declined") : p.disabilityCategories.map((c) => t(`category.${c}`)).join(", ") || "-"}</dd>
<dt>${t("seekers.education")}</dt><dd>${t(`education.${p.education}`)}</dd>
<dt>${t("seekers.skills")}</dt><dd>${(p.skillsWritten?.length ? p.skillsWritten : p.skills).join(", ") || "-"}</dd>
<dt>${t("seekers.experience")}</dt><dd>${p.experience ?? "-"}</dd>
<dt>${t("field.accommodations")}</dt><dd>${p.accommodations.map((a) => t(`accommodation.${a}`)).join(", ") || "-"}${p.accommodationNote ? html`<br>${p.accommodationNote}` : ""}</dd>
<dt>${t("seekers.communication")}</dt><dd>${p.communication.join(", ") || "-"}</dd>
<dt>${t("field.phone")}</dt><dd>${p.phone ?? "-"}</dd>
<dt>${t("field.language")}</dt><dd>${languageName(t, s.language)}${s.plainLanguage ? ` (${t("seekers.plain")})` : ""}</dd>
<dt>${t("field.channel")}</dt><dd>${s.channels.map((c) => `${channelName(t, c.channel)}${c.reachable ? "" : ` (${t("seekers.unreachable")})`}`).join(", ")}</dd>
<dt>${t("seekers.consent")}</dt><dd>${s.consent.data ? t("seekers.consentGiven", { version: s.consent.data.textVersion, at: when(s.consent.data.at, ctx.lang) }) : "-"}</dd>
<dt>${t("seekers.registered")}</dt><dd>${when(p.registeredAt, ctx.lang)}</dd>
</dl>
<h2>${t("seekers.enrollments")}</h2>
${s.enrollments.length ? html`<ul>${s.enrollments.map((e) => html`<li>${e.training.ref}. ${e.training.title} (${e.status})</li>`)}</ul>` : html`<p>-</p>`}
<h2>${t("seekers.applications")}</h2>
${s.applications.length ? html`<ul>${s.applications.map((a) => html`<li><a href="/console/vacancies/${a.vacancy.id}">${a.vacancy.ref}. ${a.vacancy.title}</a> (${a.status})</li>`)}</ul>` : html`<p>-</p>`}`;
    return send(reply, page(ctx, { title: p.fullName }, body));
  });
}
