import type { FastifyInstance } from "fastify";
import { funnelQuery, registrationFunnel } from "../../features/staff/funnel.ts";
import { type ConsoleDeps, requireConsole } from "./context.ts";
import { html } from "./html.ts";
import { channelName, cityName, languageName, options, withAll } from "./labels.ts";
import { field, page, select, send } from "./layout.ts";

/** Without empty fields: the filter form sends every field, filled or not. */
const filled = (query: unknown) =>
  Object.fromEntries(
    Object.entries((query ?? {}) as Record<string, unknown>).filter(([, v]) => v !== ""),
  );

/**
 * Where people drop out of registration: per step, how many reached it and
 * how many stopped there (counts only; see features/staff/funnel.ts).
 */
export function funnelPages(app: FastifyInstance, deps: ConsoleDeps) {
  app.get("/console/funnel", { preHandler: requireConsole(deps) }, async (request, reply) => {
    const ctx = request.ctx!;
    const { t } = ctx;
    const parsed = funnelQuery.safeParse(filled(request.query));
    const query = parsed.success ? parsed.data : funnelQuery.parse({});
    const f = await registrationFunnel(deps.prisma, ctx.staff, query, deps.clock.now());
    const first = f.steps[0]?.reached ?? null;
    const share = (n: number | null) =>
      n === null || !first ? "" : ` (${Math.round((n / first) * 100)}%)`;
    const count = (n: number | null) => (n === null ? t("funnel.unknown") : String(n));
    const q = (parsed.success ? filled(request.query) : {}) as Record<string, string>;
    const body = html`<p>${t("funnel.intro", { hours: f.idleHours })}</p>
<form method="get" action="/console/funnel" role="search">
${field({ name: "from", label: t("funnel.from"), type: "date", value: f.from })}
${field({ name: "to", label: t("funnel.to"), type: "date", value: f.to })}
${select({ name: "cities", label: t("field.city"), ...withAll(options.places(t, ctx.staff.cities), t("seekers.allCities")), selected: q.cities ?? "" })}
${select({ name: "channel", label: t("field.channel"), options: [{ value: "", label: t("funnel.allChannels") }, ...["whatsapp", "telegram", "console"].map((c) => ({ value: c, label: channelName(t, c) }))], selected: q.channel ?? "" })}
${select({
  name: "language",
  label: t("field.language"),
  options: [
    { value: "", label: t("funnel.allLanguages") },
    { value: "id", label: languageName(t, "id") },
    { value: "en", label: languageName(t, "en") },
  ],
  selected: q.language ?? "",
})}
<button type="submit">${t("seekers.filter")}</button>
</form>
${parsed.success ? "" : html`<p class="error">${t("funnel.badFilter")}</p>`}
<table><caption>${t("funnel.caption", { from: f.from, to: f.to, cities: f.cities === null ? t("seekers.allCities") : f.cities.map(cityName).join(", ") || "-" })}</caption>
<thead><tr><th scope="col">${t("funnel.step")}</th><th scope="col">${t("funnel.reached")}</th><th scope="col">${t("funnel.abandoned")}</th></tr></thead>
<tbody>${f.steps.map(
      (s) =>
        html`<tr><th scope="row">${t(`funnel.steps.${s.step}`)}</th><td>${count(s.reached)}${share(s.reached)}</td><td>${count(s.abandoned)}</td></tr>`,
    )}</tbody></table>
${f.cities !== null ? html`<p>${t("funnel.beforePlace")}</p>` : ""}`;
    return send(reply, page(ctx, { title: t("funnel.title") }, body));
  });
}
