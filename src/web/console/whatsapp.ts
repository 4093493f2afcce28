/**
 * The WhatsApp page: the connection's state in words, what to do about it,
 * and for admins of all cities (the number speaks for every city) the
 * pairing (QR code, or a pairing code for those who cannot scan), connecting
 * again after a stop, and resuming sending after a restriction. The
 * console's script refreshes the QR code and announces a change of state;
 * without it, "Refresh status" does the same.
 */
import type { FastifyInstance } from "fastify";
import { audit } from "../../features/staff/audit.ts";
import {
  connectAgain,
  pairingBody,
  pairingQr,
  requestPairingCode,
  resumeSending,
  type WhatsAppOverview,
  whatsappOverview,
} from "../../features/whatsapp/connection.ts";
import { HALT_REASONS } from "../../features/whatsapp/status.ts";
import { type ConsoleDeps, type Ctx, requireConsole } from "./context.ts";
import { type Html, html } from "./html.ts";
import { when } from "./labels.ts";
import { action, errorPage, type FieldError, field, page, send, zodErrors } from "./layout.ts";

const STOPPED: string[] = [...HALT_REASONS];

/** Who may pair, reconnect and resume: an admin of all cities. */
const isServiceAdmin = (ctx: Ctx) => ctx.staff.role === "admin" && ctx.staff.cities.length === 0;
/** States with advice on what to do (pairing and open explain themselves). */
const WITH_HELP = new Set([
  ...STOPPED,
  "not_configured",
  "not_running",
  "waiting",
  "connecting",
  "reconnecting",
]);

/** The connection in one sentence, for the dashboard and this page. */
export function whatsappSummary(ctx: Ctx, o: WhatsAppOverview): Html {
  const { t } = ctx;
  return html`<p>${t(`whatsapp.state.${o.state}`)}${
    o.restricted
      ? html` <strong>${t("whatsapp.stoppedShort", { reason: o.restricted.reason })}</strong>`
      : ""
  }</p>`;
}

function pairing(ctx: Ctx, o: WhatsAppOverview, errors?: FieldError[], phone = ""): Html {
  const { t } = ctx;
  const codeForm = html`<section aria-labelledby="code-title"><h2 id="code-title">${t("whatsapp.codeTitle")}</h2>
<p>${t("whatsapp.codeIntro")}</p>
<form method="post" action="/console/whatsapp/pairing-code">
<input type="hidden" name="_csrf" value="${ctx.csrf}">
${field({ name: "phone", label: t("whatsapp.phone"), hint: t("whatsapp.phoneHint"), value: phone, errors, required: true, autocomplete: "tel" })}
<button type="submit">${t("whatsapp.askCode")}</button>
</form></section>`;
  if (o.pairing?.by === "code") {
    const code = o.pairing.code;
    return html`<section aria-labelledby="code-title"><h2 id="code-title">${t("whatsapp.codeTitle")}</h2>
<p class="code">${t("whatsapp.code", { code })}</p>
<p>${t("whatsapp.codeSpelled", { spelled: code.replace(/-/g, "").split("").join(" ") })}</p>
<ol><li>${t("whatsapp.codeStep1")}</li><li>${t("whatsapp.codeStep2")}</li><li>${t("whatsapp.codeStep3")}</li></ol>
</section>`;
  }
  return html`<section aria-labelledby="qr-title"><h2 id="qr-title">${t("whatsapp.qrTitle")}</h2>
<ol><li>${t("whatsapp.qrStep1")}</li><li>${t("whatsapp.qrStep2")}</li><li>${t("whatsapp.qrStep3")}</li></ol>
<img src="/console/whatsapp/qr.svg" data-refresh="/console/whatsapp/qr.svg" width="320" height="320" alt="${t("whatsapp.qrAlt")}">
</section>
${codeForm}`;
}

async function whatsappBody(
  deps: ConsoleDeps,
  ctx: Ctx,
  opts: { errors?: FieldError[]; phone?: string } = {},
): Promise<{ body: Html; overview: WhatsAppOverview }> {
  const { t } = ctx;
  const o = await whatsappOverview(deps.whatsapp);
  const admin = isServiceAdmin(ctx);
  const restricted = o.restricted
    ? html`<div class="warning" role="note"><p><strong>${t("whatsapp.restricted", {
        when: when(new Date(o.restricted.at), ctx.lang),
        reason: o.restricted.reason,
      })}</strong></p><p>${t("whatsapp.restrictedHelp")}</p>
${admin ? action(ctx, "/console/whatsapp/resume", t("whatsapp.resume"), { danger: true }) : ""}</div>`
    : "";
  const help = WITH_HELP.has(o.state) ? html`<p>${t(`whatsapp.help.${o.state}`)}</p>` : "";
  const stopped = STOPPED.includes(o.state) || o.state === "not_running";
  const body = html`<section aria-labelledby="status-title" data-whatsapp-state="${o.state}">
<h2 id="status-title">${t("whatsapp.status")}</h2>
${whatsappSummary(ctx, { ...o, restricted: null })}
${o.since ? html`<p>${t("whatsapp.since", { when: when(new Date(o.since), ctx.lang) })}</p>` : ""}
${help}
<p id="whatsapp-live" role="status"></p>
<p><a href="/console/whatsapp">${t("whatsapp.refresh")}</a></p>
${admin && STOPPED.includes(o.state) ? action(ctx, "/console/whatsapp/connect", t("whatsapp.connect")) : ""}
</section>
${restricted}
${admin && o.state === "pairing" ? pairing(ctx, o, opts.errors, opts.phone) : ""}
${!admin && (o.state === "pairing" || stopped || o.restricted) ? html`<p>${t("whatsapp.adminOnly")}</p>` : ""}`;
  return { body, overview: o };
}

export function whatsappPages(app: FastifyInstance, deps: ConsoleDeps) {
  const staff = requireConsole(deps);
  const serviceAdmin = requireConsole(deps, ["admin"], { allCities: true });

  const show = async (
    ctx: Ctx,
    opts: { notice?: string; errors?: FieldError[]; phone?: string } = {},
  ) => {
    const { body, overview } = await whatsappBody(deps, ctx, opts);
    // Seeing the QR code is what lets someone link a phone: recorded.
    if (isServiceAdmin(ctx) && overview.pairing) await audit(deps.prisma, ctx.staff, "whatsapp.qr");
    return page(
      ctx,
      {
        title: ctx.t("whatsapp.title"),
        ...(opts.notice ? { notice: opts.notice } : {}),
        ...(opts.errors ? { errors: opts.errors } : {}),
      },
      body,
    );
  };

  app.get("/console/whatsapp", { preHandler: staff }, async (request, reply) =>
    send(reply, await show(request.ctx!)),
  );

  /** For the console's script: the state in words, to announce a change. */
  app.get("/console/whatsapp/state", { preHandler: staff }, async (request) => {
    const o = await whatsappOverview(deps.whatsapp);
    return {
      state: o.state,
      pairing: o.pairing?.by ?? null,
      text: request.ctx!.t("whatsapp.changed", {
        state: request.ctx!.t(`whatsapp.state.${o.state}`),
      }),
    };
  });

  app.get("/console/whatsapp/qr.svg", { preHandler: serviceAdmin }, async (_request, reply) => {
    const svg = await pairingQr(deps.whatsapp, "svg");
    if (!svg) return reply.code(404).type("text/plain; charset=utf-8").send("no QR code now");
    return reply.type("image/svg+xml").send(svg);
  });

  app.post(
    "/console/whatsapp/pairing-code",
    { preHandler: serviceAdmin },
    async (request, reply) => {
      const ctx = request.ctx!;
      const input = request.body as Record<string, unknown>;
      const parsed = pairingBody.safeParse({ phone: input.phone });
      if (!parsed.success)
        return send(
          reply,
          await show(ctx, {
            errors: zodErrors(parsed.error.issues),
            phone: typeof input.phone === "string" ? input.phone : "",
          }),
          400,
        );
      const result = await requestPairingCode(
        deps.whatsapp,
        deps.prisma,
        ctx.staff,
        parsed.data.phone,
      );
      if (!result.ok) return send(reply, errorPage(ctx, result.message), result.status);
      return send(reply, await show(ctx, { notice: ctx.t("whatsapp.codeRequested") }));
    },
  );

  app.post("/console/whatsapp/connect", { preHandler: serviceAdmin }, async (request, reply) => {
    const ctx = request.ctx!;
    const result = await connectAgain(deps.whatsapp, deps.prisma, ctx.staff);
    if (!result.ok) return send(reply, errorPage(ctx, result.message), result.status);
    return send(reply, await show(ctx, { notice: ctx.t("whatsapp.connectRequested") }));
  });

  app.post("/console/whatsapp/resume", { preHandler: serviceAdmin }, async (request, reply) => {
    const ctx = request.ctx!;
    const result = await resumeSending(deps.whatsapp, deps, ctx.staff);
    if (!result.ok) return send(reply, errorPage(ctx, result.message), result.status);
    return send(reply, await show(ctx, { notice: ctx.t("whatsapp.resumed") }));
  });
}
