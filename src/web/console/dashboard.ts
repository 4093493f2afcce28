import type { FastifyInstance } from "fastify";
import { seekerBreakdown, staffStats } from "../../features/staff/stats.ts";
import { whatsappOverview } from "../../features/whatsapp/connection.ts";
import { type ConsoleDeps, requireConsole } from "./context.ts";
import { html } from "./html.ts";
import { cityName } from "./labels.ts";
import { page, rowsOr, send } from "./layout.ts";
import { whatsappSummary } from "./whatsapp.ts";

/** The day's overview: counts of the caller's cities, queue health, the WhatsApp connection. */
export function dashboardRoutes(app: FastifyInstance, deps: ConsoleDeps) {
  app.get("/console", { preHandler: requireConsole(deps) }, async (request, reply) => {
    const ctx = request.ctx!;
    const { t } = ctx;
    const [stats, breakdown, depths, whatsapp] = await Promise.all([
      staffStats(deps.prisma, ctx.staff, deps.clock.now()),
      seekerBreakdown(deps.prisma, ctx.staff),
      deps.queues.depths(),
      whatsappOverview(deps.whatsapp),
    ]);
    const card = (label: string, n: number, href: string) =>
      html`<li><a href="${href}"><span class="number">${n}</span> ${label}</a></li>`;
    const waiting = Object.entries(depths).map(([name, c]) => ({
      name,
      waiting: (c.waiting ?? 0) + (c.prioritized ?? 0),
      delayed: c.delayed ?? 0,
      active: c.active ?? 0,
      failed: c.failed ?? 0,
    }));
    const body = html`<h2>${t("dashboard.today")}</h2>
<ul class="cards">
${card(t("dashboard.seekers"), stats.seekers, "/console/seekers")}
${card(t("dashboard.newThisWeek"), stats.newThisWeek, "/console/seekers")}
${card(t("dashboard.stopped"), stats.stopped, "/console/seekers")}
${card(t("dashboard.vacancies"), stats.vacancies, "/console/vacancies?status=open")}
${card(t("dashboard.trainings"), stats.trainings, "/console/trainings")}
${card(t("dashboard.handoffs"), stats.handoffs, "/console/handoffs")}
${card(t("dashboard.broadcasts"), stats.broadcasts, "/console/broadcasts")}
</ul>
<h2>${t("dashboard.byCity")}</h2>
<table><caption>${t("dashboard.byCityCaption")}</caption>
<thead><tr><th scope="col">${t("field.city")}</th><th scope="col">${t("dashboard.count")}</th></tr></thead>
<tbody>${rowsOr(breakdown.byCity, 2, t("dashboard.noneYet"), (r) => html`<tr><th scope="row">${cityName(r.city)}</th><td>${r.n}</td></tr>`)}</tbody></table>
<h2>${t("dashboard.byCategory")}</h2>
<table><caption>${t("dashboard.byCategoryCaption")}</caption>
<thead><tr><th scope="col">${t("field.category")}</th><th scope="col">${t("dashboard.count")}</th></tr></thead>
<tbody>${rowsOr(breakdown.byCategory, 2, t("dashboard.noCategories"), (r) => html`<tr><th scope="row">${t(`category.${r.category}`)}</th><td>${r.n}</td></tr>`)}</tbody></table>
<h2>${t("dashboard.queues")}</h2>
<table><caption>${t("dashboard.queuesCaption")}</caption>
<thead><tr><th scope="col">${t("dashboard.queue")}</th><th scope="col">${t("dashboard.waiting")}</th><th scope="col">${t("dashboard.delayed")}</th><th scope="col">${t("dashboard.active")}</th><th scope="col">${t("dashboard.failed")}</th></tr></thead>
<tbody>${waiting.map((q) => html`<tr><th scope="row">${t(`queueName.${q.name}`, { defaultValue: q.name })}</th><td>${q.waiting}</td><td>${q.delayed}</td><td>${q.active}</td><td>${q.failed}</td></tr>`)}</tbody></table>
<h2>${t("dashboard.whatsapp")}</h2>
${whatsappSummary(ctx, whatsapp)}
<p><a href="/console/whatsapp">${t("menu.whatsapp")}</a></p>`;
    return send(reply, page(ctx, { title: t("dashboard.title") }, body));
  });
}
