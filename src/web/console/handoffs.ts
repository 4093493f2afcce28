import type { FastifyInstance, FastifyRequest } from "fastify";
import { listHandoffs } from "../../features/handoffs/data.ts";
import { closeHandoff, replyToHandoff } from "../../features/handoffs/mutations.ts";
import { idParams, replyBody } from "../../features/handoffs/schema.ts";
import { audit } from "../../features/staff/audit.ts";
import { type ConsoleDeps, requireConsole } from "./context.ts";
import { html } from "./html.ts";
import { channelName, cityName, languageName, when } from "./labels.ts";
import { action, csrfField, errorPage, type FieldError, field, page, send } from "./layout.ts";

/** People who asked for a person: their messages since, a reply box, close. */
export function handoffPages(app: FastifyInstance, deps: ConsoleDeps) {
  const preHandler = requireConsole(deps);

  const inbox = async (
    request: FastifyRequest,
    opts: { notice?: string; errors?: FieldError[]; failed?: { id: string; text: string } } = {},
  ) => {
    const ctx = request.ctx!;
    const { t } = ctx;
    const list = await listHandoffs(deps.prisma, {
      status: "open",
      cities: ctx.staff.cities,
      limit: 50,
    });
    await audit(deps.prisma, ctx.staff, "handoffs.list", undefined, {
      count: list.items.length,
      via: "console",
    });
    const body =
      list.items.length === 0
        ? html`<p>${t("handoffs.none")}</p>`
        : html`${list.items.map((h) => {
            const short = h.id.slice(0, 8);
            const errors = opts.failed?.id === h.id ? opts.errors : undefined;
            return html`<section aria-labelledby="h-${h.id}">
<h2 id="h-${h.id}">${t("handoffs.item", { number: short, name: h.person.name ?? t("handoffs.guest") })}</h2>
<dl class="facts">
<dt>${t("field.channel")}</dt><dd>${channelName(t, h.channel)}</dd>
<dt>${t("field.city")}</dt><dd>${cityName(h.person.city) || "-"}</dd>
<dt>${t("handoffs.since")}</dt><dd>${when(h.createdAt, ctx.lang)}</dd>
<dt>${t("field.language")}</dt><dd>${languageName(t, h.person.language)}</dd>
</dl>
<h3>${t("handoffs.messages")}</h3>
${
  h.messages.length === 0
    ? html`<p>${t("handoffs.noMessages")}</p>`
    : html`<ol>${h.messages.map(
        (m) =>
          html`<li><p class="hint">${when(m.receivedAt, ctx.lang)}${m.media ? ` · ${t("handoffs.media", { kind: m.media })}` : ""}</p><p class="message">${m.text}</p></li>`,
      )}</ol>`
}
<form method="post" action="/console/handoffs/${h.id}/reply" novalidate>
${csrfField(ctx)}
${field({ name: `text-${short}`, label: t("handoffs.reply", { number: short }), multiline: true, value: opts.failed?.id === h.id ? opts.failed.text : "", errors: errors?.map((e) => ({ ...e, field: `text-${short}` })) })}
<button type="submit">${t("handoffs.send")}</button>
</form>
${action(ctx, `/console/handoffs/${h.id}/close`, t("handoffs.close", { number: short }), { danger: true })}
</section>`;
          })}`;
    return page(ctx, { title: t("handoffs.title"), ...opts }, body);
  };

  app.get("/console/handoffs", { preHandler }, async (request, reply) =>
    send(reply, await inbox(request)),
  );

  app.post("/console/handoffs/:id/reply", { preHandler }, async (request, reply) => {
    const ctx = request.ctx!;
    const params = idParams.safeParse(request.params);
    if (!params.success) return send(reply, errorPage(ctx, ctx.t("errors.notFound")), 404);
    const short = params.data.id.slice(0, 8);
    const raw = (request.body as Record<string, unknown>)[`text-${short}`];
    const body = replyBody.safeParse({ text: typeof raw === "string" ? raw : "" });
    if (!body.success) {
      const errors = [{ field: "text", message: ctx.t("handoffs.textMissing") }];
      return send(
        reply,
        await inbox(request, { errors, failed: { id: params.data.id, text: "" } }),
        400,
      );
    }
    const result = await replyToHandoff(
      deps,
      params.data.id,
      body.data.text,
      ctx.staff,
      deps.clock.now(),
    );
    if (!result.ok)
      return send(reply, errorPage(ctx, result.message), result.code === "not_found" ? 404 : 409);
    return send(reply, await inbox(request, { notice: ctx.t("handoffs.sent", { number: short }) }));
  });

  app.post("/console/handoffs/:id/close", { preHandler }, async (request, reply) => {
    const ctx = request.ctx!;
    const params = idParams.safeParse(request.params);
    if (!params.success) return send(reply, errorPage(ctx, ctx.t("errors.notFound")), 404);
    const result = await closeHandoff(deps.prisma, params.data.id, ctx.staff, deps.clock.now());
    if (!result.ok)
      return send(reply, errorPage(ctx, result.message), result.code === "not_found" ? 404 : 409);
    return send(
      reply,
      await inbox(request, {
        notice: ctx.t("handoffs.closed", { number: params.data.id.slice(0, 8) }),
      }),
    );
  });
}
