import type { FastifyInstance } from "fastify";
import { cityByCode } from "../../domain/cities.ts";
import { resolveCity } from "../../domain/city-names.ts";
import { heldMessages } from "../../domain/quiet-hours.ts";
import { broadcastTotals, findVisible, listBroadcasts } from "../../features/broadcasts/data.ts";
import {
  cancelBroadcast,
  createBroadcast,
  finishBroadcasts,
  previewBroadcast,
} from "../../features/broadcasts/mutations.ts";
import { createBody, type Segment } from "../../features/broadcasts/schema.ts";
import { countSegmentByZone, segmentSubject } from "../../features/broadcasts/segment.ts";
import type { Broadcast } from "../../generated/prisma/client.ts";
import { type ConsoleDeps, type Ctx, requireConsole } from "./context.ts";
import { heldLine } from "./held.ts";
import { type Html, html } from "./html.ts";
import {
  cityName,
  isUuid,
  list,
  localTime,
  one,
  options,
  when,
  ZONE_OFFSETS,
  type ZoneName,
} from "./labels.ts";
import {
  action,
  choices,
  csrfField,
  errorPage,
  type FieldError,
  field,
  page,
  select,
  send,
  zodErrors,
} from "./layout.ts";

function form(ctx: Ctx, values: Record<string, unknown>, errors: FieldError[] = []): Html {
  const { t } = ctx;
  const v = (name: string) => one(values[name]);
  return html`<form method="post" action="/console/broadcasts" novalidate data-live-count="/console/broadcasts/count">
${csrfField(ctx)}
${field({ name: "message.id", label: t("broadcasts.messageId"), hint: t("broadcasts.messageHint"), value: v("message.id"), multiline: true, required: true, lang: "id", errors })}
${field({ name: "message.en", label: t("broadcasts.messageEn"), hint: t("broadcasts.messageEnHint"), value: v("message.en"), multiline: true, lang: "en", errors })}
<h2>${t("broadcasts.who")}</h2>
<p class="hint">${t("broadcasts.whoHint")}</p>
${choices({ name: "cities", legend: t("broadcasts.cities"), options: options.cities(ctx.staff.cities), selected: list(values.cities), multiple: true, errors })}
${ctx.staff.cities.length === 0 ? field({ name: "places", label: t("broadcasts.places"), hint: t("broadcasts.placesHint"), value: v("places"), errors }) : ""}
${choices({ name: "categories", legend: t("broadcasts.categories"), options: options.categories(t), selected: list(values.categories), multiple: true, errors })}
${select({ name: "minEducation", label: t("broadcasts.minEducation"), options: [{ value: "", label: t("broadcasts.anyEducation") }, ...options.education(t)], selected: v("minEducation"), errors })}
${field({ name: "training", label: t("broadcasts.training"), hint: t("broadcasts.trainingHint"), value: v("training"), errors })}
${field({ name: "vacancy", label: t("broadcasts.vacancy"), hint: t("broadcasts.vacancyHint"), value: v("vacancy"), errors })}
<p id="live-count" aria-live="polite" class="hint"></p>
<h2>${t("broadcasts.when")}</h2>
${field({ name: "sendAt", label: t("broadcasts.sendAt"), hint: t("broadcasts.sendAtHint"), type: "datetime-local", value: v("sendAt"), errors })}
${select({ name: "zone", label: t("broadcasts.zone"), options: Object.keys(ZONE_OFFSETS).map((z) => ({ value: z, label: z })), selected: v("zone") || "WITA", errors })}
<button type="submit" name="intent" value="preview" class="secondary">${t("broadcasts.preview")}</button>
<button type="submit" name="intent" value="send">${t("broadcasts.send")}</button>
</form>`;
}

/**
 * Places typed by name or code, separated by commas ("Kabupaten Gowa, 7306"),
 * as the chat reads them; a name that fits several places is a problem naming them.
 */
export function namedPlaces(typed: string) {
  const codes: string[] = [];
  const problems: { kind: "placeUnknown" | "placeAmbiguous"; place: string; choices?: string }[] =
    [];
  for (const place of typed
    .split(/[,;\n]/)
    .map((p) => p.trim())
    .filter(Boolean)) {
    const byCode = /^\d{2}\.?\d{2}$/.test(place) ? cityByCode(place.replace(".", "")) : undefined;
    const match = byCode ? { code: byCode.code } : resolveCity(place);
    if (match && "code" in match) codes.push(match.code);
    else if (match && "choices" in match)
      problems.push({
        kind: "placeAmbiguous",
        place,
        choices: match.choices.map((c) => cityByCode(c)?.name ?? c).join(", "),
      });
    else problems.push({ kind: "placeUnknown", place });
  }
  return { codes, problems };
}

/** The form as the API's body; training and vacancy are typed by their numbers. */
async function bodyFromForm(deps: ConsoleDeps, ctx: Ctx, values: Record<string, unknown>) {
  const errors: FieldError[] = [];
  const segment: Segment = {};
  const cities = list(values.cities);
  if (ctx.staff.cities.length === 0) {
    const places = namedPlaces(one(values.places));
    for (const problem of places.problems)
      errors.push({ field: "places", message: ctx.t(`broadcasts.${problem.kind}`, problem) });
    for (const code of places.codes) if (!cities.includes(code)) cities.push(code);
  }
  const categories = list(values.categories);
  if (cities.length) segment.cities = cities;
  if (categories.length) segment.categories = categories as Segment["categories"];
  const minEducation = one(values.minEducation);
  if (minEducation) segment.minEducation = minEducation as Segment["minEducation"];
  const ref = async (name: "training" | "vacancy") => {
    const typed = one(values[name]).trim();
    if (!typed) return undefined;
    if (!/^\d{1,9}$/.test(typed)) {
      errors.push({ field: name, message: ctx.t(`broadcasts.${name}Unknown`, { ref: typed }) });
      return undefined;
    }
    const found = await segmentSubject(deps.prisma, name, Number(typed), ctx.staff.cities);
    if (!found)
      errors.push({ field: name, message: ctx.t(`broadcasts.${name}Unknown`, { ref: typed }) });
    return found ?? undefined;
  };
  const trainingId = await ref("training");
  const vacancyId = await ref("vacancy");
  if (trainingId) segment.trainingId = trainingId;
  if (vacancyId) segment.vacancyId = vacancyId;
  const local = one(values.sendAt);
  const named = one(values.zone);
  const zone: ZoneName = named in ZONE_OFFSETS ? (named as ZoneName) : "WITA";
  const en = one(values["message.en"]).trim();
  const body = {
    message: { id: one(values["message.id"]), ...(en ? { en } : {}) },
    segment,
    ...(local ? { sendAt: localTime(local, zone) } : {}),
  };
  return { body, errors };
}

function detail(ctx: Ctx, b: Broadcast, totals: Awaited<ReturnType<typeof broadcastTotals>>): Html {
  const { t } = ctx;
  const segment = b.segment as Segment;
  const parts = [
    segment.cities ? `${t("broadcasts.cities")}: ${segment.cities.map(cityName).join(", ")}` : "",
    segment.categories
      ? `${t("broadcasts.categories")}: ${segment.categories.map((c) => t(`category.${c}`)).join(", ")}`
      : "",
    segment.minEducation
      ? `${t("broadcasts.minEducation")}: ${t(`education.${segment.minEducation}`)}`
      : "",
    segment.trainingId ? t("broadcasts.inTraining") : "",
    segment.vacancyId ? t("broadcasts.inVacancy") : "",
  ].filter(Boolean);
  const live = b.status === "scheduled" || b.status === "sending";
  return html`<dl class="facts">
<dt>${t("broadcasts.number")}</dt><dd>${b.ref}</dd>
<dt>${t("field.status")}</dt><dd id="broadcast-status">${t(`broadcasts.status.${b.status}`)}</dd>
<dt>${t("broadcasts.sendAt")}</dt><dd>${when(b.sendAt, ctx.lang)}</dd>
<dt>${t("broadcasts.who")}</dt><dd>${parts.length ? parts.join("; ") : t("broadcasts.everyone")}</dd>
</dl>
<h2>${t("broadcasts.messageId")}</h2><p class="message" lang="id">${b.messageId}</p>
${b.messageEn ? html`<h2>${t("broadcasts.messageEn")}</h2><p class="message" lang="en">${b.messageEn}</p>` : ""}
<table><caption>${t("broadcasts.totals")}</caption>
<thead><tr><th scope="col">${t("broadcasts.recipients")}</th><th scope="col">${t("broadcasts.queued")}</th><th scope="col">${t("broadcasts.sent")}</th><th scope="col">${t("broadcasts.failed")}</th><th scope="col">${t("broadcasts.skipped")}</th></tr></thead>
<tbody><tr><td>${totals.recipients}</td><td>${totals.queued}</td><td>${totals.sent}</td><td>${totals.failed}</td><td>${totals.skipped}</td></tr></tbody></table>
${
  totals.skipped
    ? html`<p>${t("broadcasts.skippedBy")} ${Object.entries(totals.skippedBy)
        .map(([reason, n]) => `${t(`broadcasts.reason.${reason}`)}: ${n}`)
        .join(", ")}</p>`
    : ""
}
<p><a href="/console/broadcasts/${b.id}">${t("broadcasts.refresh")}</a></p>
${live ? action(ctx, `/console/broadcasts/${b.id}/cancel`, t("broadcasts.cancel"), { danger: true }) : ""}`;
}

export function broadcastPages(app: FastifyInstance, deps: ConsoleDeps) {
  const preHandler = requireConsole(deps);

  app.get("/console/broadcasts", { preHandler }, async (request, reply) => {
    const ctx = request.ctx!;
    const { t } = ctx;
    const recent = await listBroadcasts(deps.prisma, { cities: ctx.staff.cities, limit: 50 });
    const body = html`<h2>${t("broadcasts.new")}</h2>
${form(ctx, {})}
<h2>${t("broadcasts.recent")}</h2>
${
  recent.items.length === 0
    ? html`<p>${t("broadcasts.none")}</p>`
    : html`<table><caption>${t("broadcasts.recentCaption")}</caption>
<thead><tr><th scope="col">${t("broadcasts.number")}</th><th scope="col">${t("broadcasts.messageId")}</th><th scope="col">${t("field.status")}</th><th scope="col">${t("broadcasts.sendAt")}</th></tr></thead>
<tbody>${recent.items.map(
        (b) =>
          html`<tr><td>${b.ref}</td><td><a href="/console/broadcasts/${b.id}">${b.message.id.slice(0, 80)}</a></td><td>${t(`broadcasts.status.${b.status}`)}</td><td>${when(b.sendAt, ctx.lang)}</td></tr>`,
      )}</tbody></table>`
}`;
    return send(reply, page(ctx, { title: t("broadcasts.title") }, body));
  });

  app.post("/console/broadcasts", { preHandler }, async (request, reply) => {
    const ctx = request.ctx!;
    const { t } = ctx;
    const values = request.body as Record<string, unknown>;
    const again = (status: number, errors: FieldError[], notice?: string, extra: Html = html``) =>
      send(
        reply,
        page(
          ctx,
          { title: t("broadcasts.title"), errors, ...(notice ? { notice } : {}) },
          html`${extra}${form(ctx, values, errors)}`,
        ),
        status,
      );
    const { body, errors } = await bodyFromForm(deps, ctx, values);
    if (errors.length) return again(400, errors);
    const parsed = createBody.safeParse(body);
    if (!parsed.success) {
      const fieldErrors = zodErrors(parsed.error.issues).map((e) => ({
        ...e,
        field: e.field.startsWith("segment.") ? e.field.split(".")[1]! : e.field,
      }));
      return again(
        400,
        fieldErrors.map((e) => ({ ...e, message: `${t("errors.check")} ${e.message}` })),
      );
    }
    if (one(values.intent) !== "send") {
      const preview = await previewBroadcast(deps.prisma, parsed.data.segment, ctx.staff);
      if (!preview.ok)
        return again(preview.status, [{ field: "cities", message: preview.message }]);
      return again(
        200,
        [],
        t("broadcasts.previewResult", {
          count: preview.count,
          stopped: preview.skipped.stopped,
          unreachable: preview.skipped.unreachable,
        }),
      );
    }
    const created = await createBroadcast(deps, parsed.data, ctx.staff, deps.clock.now());
    if (!created.ok) {
      const fieldName = created.message.startsWith("sendAt") ? "sendAt" : "cities";
      return again(created.status, [{ field: fieldName, message: created.message }]);
    }
    return reply.redirect(`/console/broadcasts/${created.broadcast.id}?created=1`, 303);
  });

  // The live count of the form's script: the same count as "Count recipients", as text to read out.
  app.post("/console/broadcasts/count", { preHandler }, async (request, reply) => {
    const ctx = request.ctx!;
    const values = request.body as Record<string, unknown>;
    const { body, errors } = await bodyFromForm(deps, ctx, values);
    const parsed = createBody.shape.segment.safeParse(body.segment);
    if (errors.length || !parsed.success)
      return reply.code(400).send({ text: errors[0]?.message ?? "" });
    const preview = await previewBroadcast(deps.prisma, parsed.data, ctx.staff);
    if (!preview.ok) return reply.code(preview.status).send({ text: preview.message });
    return {
      count: preview.count,
      text: ctx.t("broadcasts.previewResult", {
        count: preview.count,
        stopped: preview.skipped.stopped,
        unreachable: preview.skipped.unreachable,
      }),
    };
  });

  app.get("/console/broadcasts/:id", { preHandler }, async (request, reply) => {
    const ctx = request.ctx!;
    const { id } = request.params as { id: string };
    const visible = isUuid(id) ? await findVisible(deps.prisma, id, ctx.staff.cities) : null;
    if (!visible) return send(reply, errorPage(ctx, ctx.t("errors.notFound")), 404);
    if (visible.status === "sending")
      await finishBroadcasts(deps.prisma, deps.clock.now(), visible.id);
    const b = (await findVisible(deps.prisma, id, ctx.staff.cities))!;
    const created = (request.query as Record<string, unknown>).created;
    const now = deps.clock.now();
    const totals = await broadcastTotals(deps.prisma, b.id, now, deps.quietHours);
    // Waiting for the morning: the messages written so far, or before they are (scheduled, or
    // still being written) how many of the segment would wait at sendAt.
    const held =
      b.fannedOutAt || (b.status !== "sending" && b.status !== "scheduled")
        ? { held: totals.held ?? 0, zones: totals.heldByZone ?? [] }
        : heldMessages(
            await countSegmentByZone(deps.prisma, b.segment as Segment, b.scope),
            new Date(Math.max(b.sendAt.getTime(), now.getTime())),
            deps.quietHours,
          );
    return send(
      reply,
      page(
        ctx,
        {
          title: ctx.t("broadcasts.itemTitle", { ref: b.ref }),
          ...(created ? { notice: ctx.t("broadcasts.created") } : {}),
        },
        html`${detail(ctx, b, totals)}${heldLine(ctx.t, held, ctx.lang, now)}`,
      ),
    );
  });

  app.post("/console/broadcasts/:id/cancel", { preHandler }, async (request, reply) => {
    const ctx = request.ctx!;
    const { id } = request.params as { id: string };
    if (!isUuid(id)) return send(reply, errorPage(ctx, ctx.t("errors.notFound")), 404);
    const result = await cancelBroadcast(deps, id, ctx.staff, deps.clock.now());
    if (!result.ok) return send(reply, errorPage(ctx, result.message), result.status);
    return send(
      reply,
      page(
        ctx,
        {
          title: ctx.t("broadcasts.itemTitle", { ref: result.broadcast.ref }),
          notice: ctx.t("broadcasts.cancelled", { count: result.unsent }),
        },
        detail(
          ctx,
          result.broadcast,
          await broadcastTotals(deps.prisma, id, deps.clock.now(), deps.quietHours),
        ),
      ),
    );
  });
}
