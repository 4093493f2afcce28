/**
 * Admin pages: the audit log (scoped to the admin's cities, see listAudit),
 * and the queue monitor (queues.ts) behind the same sign-in.
 */
import type { FastifyInstance } from "fastify";
import { listAudit } from "../../features/staff/audit.ts";
import { type ConsoleDeps, requireConsole } from "./context.ts";
import { html } from "./html.ts";
import { when } from "./labels.ts";
import { field, page, rowsOr, send } from "./layout.ts";
import { queuePages } from "./queues.ts";

export function adminPages(app: FastifyInstance, deps: ConsoleDeps) {
  const admin = requireConsole(deps, ["admin"]);

  app.get("/console/audit", { preHandler: admin }, async (request, reply) => {
    const ctx = request.ctx!;
    const { t } = ctx;
    const q = request.query as Record<string, unknown>;
    const text = (name: string) =>
      typeof q[name] === "string" && q[name] ? (q[name] as string).slice(0, 200) : undefined;
    const cursor = text("cursor");
    const filter = { actor: text("actor"), action: text("action"), target: text("target") };
    const rows = await listAudit(deps.prisma, ctx.staff, {
      ...Object.fromEntries(Object.entries(filter).filter(([, v]) => v)),
      limit: 100,
      ...(cursor && /^[0-9a-f-]{36}$/i.test(cursor) ? { cursor } : {}),
    });
    const next = rows.nextCursor
      ? `?${new URLSearchParams({ ...Object.fromEntries(Object.entries(filter).filter(([, v]) => v) as [string, string][]), cursor: rows.nextCursor })}`
      : null;
    const body = html`<form method="get" action="/console/audit" role="search">
${field({ name: "actor", label: t("audit.actor"), hint: t("audit.actorHint"), value: filter.actor ?? "" })}
${field({ name: "action", label: t("audit.action"), hint: t("audit.actionHint"), value: filter.action ?? "" })}
${field({ name: "target", label: t("audit.target"), value: filter.target ?? "" })}
<button type="submit">${t("seekers.filter")}</button>
</form>
<table><caption>${t("audit.caption")}</caption>
<thead><tr><th scope="col">${t("audit.when")}</th><th scope="col">${t("audit.actor")}</th><th scope="col">${t("audit.action")}</th><th scope="col">${t("audit.target")}</th></tr></thead>
<tbody>${rowsOr(rows.items, 4, t("audit.noneFound"), (r) => html`<tr><td>${when(r.createdAt, ctx.lang)}</td><td>${r.actor}</td><td>${r.action}</td><td>${r.target ?? "-"}</td></tr>`)}</tbody></table>
${next ? html`<p><a href="/console/audit${next}">${t("audit.more")}</a></p>` : ""}`;
    return send(reply, page(ctx, { title: t("audit.title") }, body));
  });

  queuePages(app, deps);
}
