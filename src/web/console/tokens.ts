/**
 * Admins' list of API tokens: who each is for, its scope, when it was last
 * used and when it expires, so unused and old tokens get noticed. Tokens are
 * made, rotated and revoked on the server (npm run staff); this page only shows them.
 */
import type { FastifyInstance } from "fastify";
import { listTokens, tokenState } from "../../features/staff/tokens.ts";
import { type ConsoleDeps, requireConsole } from "./context.ts";
import { html } from "./html.ts";
import { cityName, when } from "./labels.ts";
import { page, rowsOr, send } from "./layout.ts";

export function tokenPages(app: FastifyInstance, deps: ConsoleDeps) {
  app.get(
    "/console/tokens",
    { preHandler: requireConsole(deps, ["admin"]) },
    async (request, reply) => {
      const ctx = request.ctx!;
      const { t, lang } = ctx;
      const now = deps.clock.now();
      // An admin of some cities sees the tokens limited to cities of theirs.
      const tokens = await listTokens(deps.prisma, ctx.staff.cities);
      const body = html`<p>${t("tokens.intro")}</p>
<table><caption>${t("tokens.caption", { count: tokens.length })}</caption>
<thead><tr><th scope="col">${t("tokens.name")}</th><th scope="col">${t("tokens.role")}</th><th scope="col">${t("tokens.cities")}</th><th scope="col">${t("tokens.state")}</th><th scope="col">${t("tokens.lastUsed")}</th><th scope="col">${t("tokens.expires")}</th><th scope="col">${t("tokens.created")}</th><th scope="col">${t("tokens.id")}</th></tr></thead>
<tbody>${rowsOr(tokens, 8, t("tokens.noneYet"), (token) => {
        const state = tokenState(token, now);
        return html`<tr><td>${token.name}</td><td>${token.role}</td><td>${token.cities.length ? token.cities.map(cityName).join(", ") : t("tokens.allCities")}</td><td>${t(`tokens.states.${state}`)}${state === "revoked" ? html` (${when(token.revokedAt, lang)})` : ""}</td><td>${token.lastUsedAt ? when(token.lastUsedAt, lang) : t("tokens.never")}</td><td>${token.expiresAt ? when(token.expiresAt, lang) : t("tokens.noExpiry")}</td><td>${when(token.createdAt, lang)}</td><td><code>${token.id}</code></td></tr>`;
      })}</tbody></table>`;
      return send(reply, page(ctx, { title: t("tokens.title") }, body));
    },
  );
}
