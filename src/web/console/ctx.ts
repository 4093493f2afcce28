/**
 * What every console page is rendered with: who is signed in, their form
 * token, language and translator, and the page's path. Its own module so
 * the layout (below) and the request context (above) both use it without
 * importing each other.
 */
import type { TFunction } from "i18next";
import type { StaffPrincipal } from "../../features/staff/tokens.ts";
import type { Language } from "../../lib/i18n.ts";

export interface Ctx {
  staff: StaffPrincipal;
  /** The token every form of this session sends back. */
  csrf: string;
  lang: Language;
  t: TFunction;
  /** The page's path, for the menu's current item. */
  path: string;
}

declare module "fastify" {
  interface FastifyRequest {
    ctx?: Ctx;
  }
}
