import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { cityByCode } from "../../domain/cities.ts";
import { audit } from "../../features/staff/audit.ts";
import {
  findVisible,
  listEnrollments,
  listTrainings,
  seatCounts,
} from "../../features/trainings/data.ts";
import {
  cancelTraining,
  createTraining,
  updateTraining,
} from "../../features/trainings/mutations.ts";
import { createBody, patchBody } from "../../features/trainings/schema.ts";
import type { Training } from "../../generated/prisma/client.ts";
import { type ConsoleDeps, type Ctx, requireConsole } from "./context.ts";
import { type Html, html } from "./html.ts";
import { cityName, list, localTime, one, options, seekerName, when, ZONE_OF_TZ } from "./labels.ts";
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

const zoneOf = (city: string) => cityByCode(city)?.timeZone ?? "Asia/Makassar";
/** A datetime-local value in the training city's own zone. */
const inCity = (local: string, city: string) =>
  localTime(local, ZONE_OF_TZ[zoneOf(city)] ?? "WITA");

function form(ctx: Ctx, values: Record<string, unknown>, errors: FieldError[] = []): Html {
  const { t } = ctx;
  const v = (name: string) => one(values[name]);
  return html`<form method="post" action="/console/trainings" novalidate>
${csrfField(ctx)}
${field({ name: "title", label: t("trainings.field.title"), value: v("title"), required: true, errors })}
${field({ name: "organizer", label: t("trainings.field.organizer"), value: v("organizer"), required: true, errors })}
${select({ name: "city", label: t("field.city"), ...options.places(t, ctx.staff.cities), selected: v("city") || ctx.staff.cities[0] || "7371", errors })}
${choices({
  name: "online",
  legend: t("trainings.field.online"),
  options: [
    { value: "false", label: t("trainings.inPerson") },
    { value: "true", label: t("trainings.online") },
  ],
  selected: [v("online") || "false"],
  multiple: false,
  errors,
})}
${field({ name: "venue", label: t("trainings.field.venue"), hint: t("trainings.venueHint"), value: v("venue"), required: true, errors })}
${field({ name: "startsAt", label: t("trainings.field.startsAt"), hint: t("trainings.startsAtHint"), type: "datetime-local", value: v("startsAt"), required: true, errors })}
${field({ name: "durationMinutes", label: t("trainings.field.durationMinutes"), type: "number", value: v("durationMinutes") || "120", required: true, errors })}
${field({ name: "capacity", label: t("trainings.field.capacity"), type: "number", value: v("capacity") || "20", required: true, errors })}
${choices({ name: "accommodations", legend: t("trainings.field.accommodations"), options: options.accommodations(t), selected: list(values.accommodations), multiple: true, errors })}
${field({ name: "description", label: t("trainings.field.description"), value: v("description"), multiline: true, required: true, errors })}
<button type="submit">${t("trainings.create")}</button>
</form>`;
}

function detail(
  ctx: Ctx,
  training: Training,
  seats: { enrolled: number; waitlisted: number },
  errors: FieldError[] = [],
): Html {
  const { t } = ctx;
  const zone = training.online ? undefined : zoneOf(training.cityCode);
  const open = training.status === "open";
  return html`<dl class="facts">
<dt>${t("trainings.number")}</dt><dd>${training.ref}</dd>
<dt>${t("field.status")}</dt><dd>${t(`trainings.status.${training.status}`)}</dd>
<dt>${t("trainings.field.organizer")}</dt><dd>${training.organizer}</dd>
<dt>${t("field.city")}</dt><dd>${cityName(training.cityCode)}${training.online ? ` (${t("trainings.online")})` : ""}</dd>
<dt>${t("trainings.field.venue")}</dt><dd>${training.venue}</dd>
<dt>${t("trainings.field.startsAt")}</dt><dd>${when(training.startsAt, ctx.lang, zone)}</dd>
<dt>${t("trainings.field.capacity")}</dt><dd>${t("trainings.seats", { enrolled: seats.enrolled, capacity: training.capacity, waitlisted: seats.waitlisted })}</dd>
</dl>
<p class="message">${training.description}</p>
<p><a href="/console/trainings/${training.id}/enrollments">${t("trainings.enrollments")}</a></p>
${
  open
    ? html`<h2>${t("trainings.move")}</h2>
<form method="post" action="/console/trainings/${training.id}/move" novalidate>${csrfField(ctx)}
${field({ name: "startsAt", label: t("trainings.newStart"), hint: t("trainings.moveHint"), type: "datetime-local", required: true, errors })}
<button type="submit">${t("trainings.moveSubmit")}</button></form>
<h2>${t("trainings.cancelTitle")}</h2>
<p>${t("trainings.cancelHint")}</p>
${action(ctx, `/console/trainings/${training.id}/cancel`, t("trainings.cancel"), { danger: true })}`
    : ""
}`;
}

export function trainingPages(app: FastifyInstance, deps: ConsoleDeps) {
  const preHandler = requireConsole(deps);
  const now = () => deps.clock.now();
  const visible = (request: FastifyRequest, reply: FastifyReply) =>
    visibleOr404(request, reply, (id, cities) => findVisible(deps.prisma, id, cities));
  const show = async (
    reply: FastifyReply,
    ctx: Ctx,
    training: Training,
    opts: { notice?: string; errors?: FieldError[]; status?: number } = {},
  ) =>
    send(
      reply,
      page(
        ctx,
        {
          title: training.title,
          ...(opts.notice ? { notice: opts.notice } : {}),
          ...(opts.errors ? { errors: opts.errors } : {}),
        },
        detail(ctx, training, await seatCounts(deps.prisma, training.id), opts.errors),
      ),
      opts.status ?? 200,
    );

  app.get("/console/trainings", { preHandler }, async (request, reply) => {
    const ctx = request.ctx!;
    const { t } = ctx;
    const upcoming = await listTrainings(deps.prisma, {
      cities: ctx.staff.cities,
      upcoming: "true",
      limit: 100,
      now: now(),
    });
    const body = html`<h2>${t("trainings.upcoming")}</h2>
${
  upcoming.items.length === 0
    ? html`<p>${t("trainings.none")}</p>`
    : html`<table><caption>${t("trainings.caption")}</caption>
<thead><tr><th scope="col">${t("trainings.number")}</th><th scope="col">${t("trainings.field.title")}</th><th scope="col">${t("field.city")}</th><th scope="col">${t("trainings.field.startsAt")}</th><th scope="col">${t("field.status")}</th></tr></thead>
<tbody>${upcoming.items.map(
        (tr) =>
          html`<tr><td>${tr.ref}</td><td><a href="/console/trainings/${tr.id}">${tr.title}</a></td><td>${cityName(tr.city)}${tr.online ? ` (${t("trainings.online")})` : ""}</td><td>${when(tr.startsAt, ctx.lang, tr.online ? undefined : zoneOf(tr.city))}</td><td>${t(`trainings.status.${tr.status}`)}</td></tr>`,
      )}</tbody></table>`
}
<h2>${t("trainings.new")}</h2>
${form(ctx, {})}`;
    return send(reply, page(ctx, { title: t("trainings.title") }, body));
  });

  app.post("/console/trainings", { preHandler }, async (request, reply) => {
    const ctx = request.ctx!;
    const values = request.body as Record<string, unknown>;
    const city = one(values.city);
    const number = (name: string) =>
      one(values[name]) === "" ? Number.NaN : Number(one(values[name]));
    const parsed = createBody.safeParse({
      title: one(values.title),
      organizer: one(values.organizer),
      city,
      online: one(values.online) === "true",
      venue: one(values.venue),
      startsAt: inCity(one(values.startsAt), city),
      durationMinutes: number("durationMinutes"),
      capacity: number("capacity"),
      accommodations: list(values.accommodations),
      description: one(values.description),
    });
    const again = (status: number, errors: FieldError[]) =>
      send(
        reply,
        page(ctx, { title: ctx.t("trainings.new"), errors }, form(ctx, values, errors)),
        status,
      );
    if (!parsed.success) {
      return again(
        400,
        zodErrors(parsed.error.issues).map((e) => ({
          ...e,
          message: `${ctx.t(`trainings.field.${e.field}`)}: ${e.message}`,
        })),
      );
    }
    const result = await createTraining(deps.prisma, parsed.data, ctx.staff, now());
    if (!result.ok) {
      const fieldName = (result.details as { path?: string }[] | undefined)?.[0]?.path ?? "city";
      return again(result.status, [{ field: fieldName, message: result.message }]);
    }
    return reply.redirect(`/console/trainings/${result.training.id}?created=1`, 303);
  });

  app.get("/console/trainings/:id", { preHandler }, async (request, reply) => {
    const training = await visible(request, reply);
    if (!training) return reply;
    const created = (request.query as Record<string, unknown>).created;
    return show(
      reply,
      request.ctx!,
      training,
      created ? { notice: request.ctx!.t("trainings.created", { ref: training.ref }) } : {},
    );
  });

  app.post("/console/trainings/:id/move", { preHandler }, async (request, reply) => {
    const ctx = request.ctx!;
    const training = await visible(request, reply);
    if (!training) return reply;
    const startsAt = inCity(
      one((request.body as Record<string, unknown>).startsAt),
      training.cityCode,
    );
    if (!startsAt)
      return show(reply, ctx, training, {
        errors: [{ field: "startsAt", message: ctx.t("trainings.newStartMissing") }],
        status: 400,
      });
    const patch = patchBody.safeParse({ startsAt });
    if (!patch.success)
      return show(reply, ctx, training, {
        errors: [{ field: "startsAt", message: ctx.t("trainings.newStartMissing") }],
        status: 400,
      });
    const result = await updateTraining(deps, training.id, patch.data, ctx.staff, now());
    if (!result.ok)
      return show(reply, ctx, training, {
        errors: [{ field: "startsAt", message: result.message }],
        status: result.status,
      });
    return show(reply, ctx, result.training, { notice: ctx.t("trainings.moved") });
  });

  app.post("/console/trainings/:id/cancel", { preHandler }, async (request, reply) => {
    const ctx = request.ctx!;
    const training = await visible(request, reply);
    if (!training) return reply;
    const result = await cancelTraining(deps, training.id, ctx.staff, now());
    if (!result.ok) return send(reply, errorPage(ctx, result.message), result.status);
    const fresh = (await findVisible(deps.prisma, training.id, ctx.staff.cities))!;
    return show(reply, ctx, fresh, {
      notice: ctx.t("trainings.cancelled", { count: result.told }),
    });
  });

  app.get("/console/trainings/:id/enrollments", { preHandler }, async (request, reply) => {
    const ctx = request.ctx!;
    const { t } = ctx;
    const training = await visible(request, reply);
    if (!training) return reply;
    const people = await listEnrollments(deps.prisma, training.id, {
      limit: 1000,
      viewerCities: ctx.staff.cities,
    });
    await audit(deps.prisma, ctx.staff, "trainings.enrollments", training.id, {
      count: people.items.length,
      shared: people.items.filter((e) => e.seeker.view === "shared").length,
      via: "console",
    });
    const body = html`<p><a href="/console/trainings/${training.id}">${training.title}</a></p>
<table><caption>${t("trainings.enrollmentsCaption", { count: people.items.length })}</caption>
<thead><tr><th scope="col">${t("field.name")}</th><th scope="col">${t("field.status")}</th><th scope="col">${t("trainings.waitlistPosition")}</th><th scope="col">${t("trainings.attendance")}</th><th scope="col">${t("field.phone")}</th><th scope="col">${t("field.accommodations")}</th></tr></thead>
<tbody>${rowsOr(
      people.items,
      6,
      t("trainings.noPeople"),
      (e) =>
        html`<tr><td>${seekerName(t, e.seeker)}</td><td>${t(`trainings.enrollment.${e.status}`)}</td><td>${e.waitlistPosition ?? "-"}</td><td>${e.attendance ? t(`trainings.attendanceAnswer.${e.attendance}`) : t("trainings.noAnswer")}</td><td>${e.seeker.phone ?? "-"}</td><td>${e.seeker.accommodations.map((a) => t(`accommodation.${a}`)).join(", ") || "-"}</td></tr>`,
    )}</tbody></table>`;
    return send(reply, page(ctx, { title: t("trainings.enrollments") }, body));
  });
}
