/**
 * The standing fuzz of the staff console's forms: every POST route under
 * /console (the queue monitor has its own tests) gets FUZZ_RUNS (default 200)
 * generated submissions: the fields its forms have (found by reading every
 * console page) with bad values, missing and extra fields, other content
 * types and invalid UTF-8, other cities' and random ids, signed in or not,
 * with and without the CSRF token, with the wrong role. No answer may be a
 * 5xx or hold another city's data; without a session it is a redirect to
 * the sign-in page, without the CSRF token a 403. FUZZ_SEED replays a run.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueSetupLink } from "../../src/features/staff/setup.ts";
import { SendCircuit } from "../../src/features/whatsapp/circuit.ts";
import { WhatsAppControl } from "../../src/features/whatsapp/status.ts";
import { csrfFor, LOGIN_CSRF_COOKIE, SESSION_COOKIE } from "../../src/web/console/context.ts";
import { createWebServer, registeredRoutes } from "../../src/web/server.ts";
import {
  type Caller,
  consoleSessions,
  describeRequest,
  FUZZ_RUNS,
  FUZZ_SEED,
  type Kind,
  leakIn,
  nastyString,
  nextAddress,
  otherCity,
  pathId,
  resolveRefs,
  seedWorld,
  type World,
  wrongType,
} from "../helpers/fuzz.ts";
import { createHarness, type Harness } from "../helpers/harness.ts";

let h: Harness;
let app: ReturnType<typeof createWebServer>;
let control: WhatsAppControl;
let circuit: SendCircuit;
let world: World;
let sessions: Awaited<ReturnType<typeof consoleSessions>>;
/** Field names and the values the pages offer for them, by form route ("POST /console/vacancies/:id/close"). */
const forms = new Map<string, Map<string, Set<string>>>();
const tally = new Map<string, Map<number, number>>();
let started = 0;

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const QUEUE_MONITOR = "/console/queues";

beforeAll(async () => {
  h = await createHarness();
  control = new WhatsAppControl(h.redis, h.prefix, "pki");
  circuit = new SendCircuit(h.redis, h.prefix);
  app = createWebServer({
    prisma: h.prisma,
    redis: h.redis,
    queues: h.queues,
    log: h.deps.log,
    whatsapp: { control, circuit },
  });
  await app.ready();
  world = await seedWorld(h);
  // The first-admin page shows its form only while no admin exists.
  const link = await issueSetupLink(h.prisma, new Date());
  await readForms([`/console/setup?token=${link!.token}`]);
  sessions = await consoleSessions(h.prisma);
  await readForms(pagesOf(registeredRoutes(app)), sessions.allAdmin.token);
  // WhatsApp's forms show in the states they act on.
  const since = new Date().toISOString();
  for (const state of ["pairing", "logged_out"] as const) {
    await control.writeStatus({ state, since }, 60_000);
    await readForms(["/console/whatsapp"], sessions.allAdmin.token);
  }
  await circuit.open("account restricted", new Date());
  await readForms(["/console/whatsapp"], sessions.allAdmin.token);
  started = Date.now();
}, 120_000);

afterAll(async () => {
  const cases = [...tally.values()].reduce(
    (n, statuses) => n + [...statuses.values()].reduce((a, b) => a + b, 0),
    0,
  );
  const lines = [...tally].map(
    ([route, statuses]) =>
      `  ${route} [${[...(forms.get(route)?.keys() ?? [])].join(", ") || "no form found"}]: ${[
        ...statuses,
      ]
        .sort(([a], [b]) => a - b)
        .map(([s, n]) => `${s}×${n}`)
        .join(" ")}`,
  );
  console.log(
    `Console fuzz: ${tally.size} form routes × ${FUZZ_RUNS} cases = ${cases} requests in ${((Date.now() - started) / 1000).toFixed(1)} s (FUZZ_SEED=${FUZZ_SEED})\n${lines.join("\n")}`,
  );
  await app?.close();
  await h?.close();
});

const unescapeHtml = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");

/** Every console page, an :id for each record of the kinds callers of every city use. */
function pagesOf(routes: string[]) {
  const ids = Object.values(world.ygy.pool).flat();
  return routes
    .filter((r) => r.startsWith("GET /console") && !r.includes(QUEUE_MONITOR))
    .map((r) => r.slice(4))
    .flatMap((url) => (url.includes(":id") ? ids.map((id) => url.replace(":id", id)) : [url]));
}

/**
 * The POST forms on these pages, with their fields' offered values; a form a
 * script also posts elsewhere (data-live-count) counts for that route too.
 */
async function readForms(pages: string[], session?: string) {
  for (const url of pages) {
    const res = await app.inject({ method: "GET", url, headers: { cookie: cookie(session) } });
    for (const [, attrs, inner] of res.body.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
      if (!/method="post"/i.test(attrs!)) continue;
      const actions = [/\baction="([^"]*)"/, /data-live-count="([^"]*)"/]
        .map((re) => re.exec(attrs!)?.[1])
        .filter((a): a is string => a !== undefined);
      for (const action of actions) {
        const route = `POST ${unescapeHtml(action).split("?")[0]!.replace(UUID, ":id")}`;
        const fields = forms.get(route) ?? new Map<string, Set<string>>();
        forms.set(route, fields);
        readFields(inner!, fields);
      }
    }
  }
}

function readFields(form: string, fields: Map<string, Set<string>>) {
  const offer = (name: string, value?: string) => {
    const values = fields.get(name) ?? new Set<string>();
    fields.set(name, values);
    if (value !== undefined) values.add(unescapeHtml(value));
  };
  for (const [, tag] of form.matchAll(/<(?:input|textarea|button)\b([^>]*)>/g)) {
    const name = /name="([^"]*)"/.exec(tag!)?.[1];
    // A handoff's reply field is named after it: text-<first 8 of its id>.
    if (name)
      offer(
        unescapeHtml(name).replace(/^text-[0-9a-f]{8}$/, "text-@short"),
        /value="([^"]*)"/.exec(tag!)?.[1],
      );
  }
  for (const [, name, options] of form.matchAll(
    /<select\b[^>]*name="([^"]*)"[^>]*>([\s\S]*?)<\/select>/g,
  )) {
    offer(unescapeHtml(name!));
    for (const [, value] of options!.matchAll(/<option\b[^>]*value="([^"]*)"/g))
      offer(unescapeHtml(name!), value);
  }
}

const cookie = (session?: string, extra = "") =>
  [session ? `${SESSION_COOKIE}=${session}` : "", extra].filter(Boolean).join("; ");

type SessionName = keyof typeof sessions | "none" | "garbage";
const VALID: SessionName[] = ["allAdmin", "allStaff", "mksStaff", "bdgAdmin"];
const INVALID: SessionName[] = ["none", "garbage", "expired", "signedOut", "disabled"];

interface Case {
  session: SessionName;
  csrf: "right" | "missing" | "other" | "multibyte" | "garbage";
  id?: { id: string; raw: boolean };
  body:
    | { kind: "form"; pairs: [string, string][] }
    | { kind: "json"; json: Record<string, unknown> }
    | { kind: "raw"; contentType?: string; payload: string | Uint8Array };
  lang?: string;
}

/** What staff would type in a field of this name (its page offers no values). */
function typed(name: string): string[] {
  const n = name.toLowerCase();
  if (n.includes("email")) return ["all-admin@fuzz.example", "mks-staff@fuzz.example", "x@y"];
  if (n === "password" || n === "confirm") return ["kata-sandi-uji-panjang", "pendek"];
  if (/(startsat|deadline|sendat)$/.test(n))
    return ["2031-03-01T09:00", "2031-03-01", "2031-03-01 09:00"];
  if (/(openings|capacity|minutes)$/.test(n)) return ["16", "240", "1"];
  // A broadcast's training and vacancy are typed by their numbers.
  if (n === "training" || n === "vacancy") return ["", "1", "2", "999999"];
  if (n.includes("phone")) return ["+62 812-3456-7890", "0812"];
  if (n === "next") return ["/console/vacancies", "//evil.example", "https://evil.example"];
  return ["Kelas Menjahit", "Pengumuman pelatihan baru", "Staf Gudang"];
}

/** What the page offers for a field (a choice, a hidden value), else what staff would type. */
const likely = (name: string, offered: Set<string>) => {
  const choices = [...offered].filter((v) => v !== "");
  return fc.constantFrom(...(choices.length ? choices : typed(name)));
};

/** What a field does not take: empty, out of range, references to records, junk. */
const unlikely = fc.oneof(
  fc.constantFrom(
    "",
    "2020-01-01",
    "0",
    "-5",
    "true",
    "@city:own",
    "@city:other",
    // Only the caller's own records: another city's id typed into a text would be
    // stored, and shown back to the caller later as if it leaked.
    "@own:trainings:0",
  ),
  // Within the console's 64 KiB forms mostly; a whole form too large is its own case.
  nastyString.map((v) => v.slice(0, 2000)),
);

/** Up to three changes: a field set to something it does not take, sent twice, dropped, or one more. */
type Change =
  | { set: string; value: string }
  | { twice: string; value: string }
  | { drop: string }
  | { add: string; value: string };

function caseArb(route: string): fc.Arbitrary<Case> {
  const fields = forms.get(route) ?? new Map([...forms.values()].flatMap((f) => [...f]));
  const names = [...fields.keys()].filter((n) => n !== "_csrf");
  const changes: fc.Arbitrary<Change>[] = [
    fc.record({ add: nastyString.map((v) => v.slice(0, 200)), value: unlikely }),
    ...names.flatMap((n) => [
      unlikely.map((value) => ({ set: n, value })),
      fc.oneof(likely(n, fields.get(n)!), unlikely).map((value) => ({ twice: n, value })),
      fc.constant({ drop: n }),
    ]),
  ];
  // Every field of the form with a likely value, then none to three changes.
  const form = fc
    .tuple(
      fc.tuple(...names.map((n) => likely(n, fields.get(n)!))),
      fc.oneof(
        { weight: 2, arbitrary: fc.constant<Change[]>([]) },
        { weight: 3, arbitrary: fc.array(fc.oneof(...changes), { minLength: 1, maxLength: 3 }) },
      ),
    )
    .map(([values, cs]) => {
      let pairs = names.map((n, i) => [n, values[i]!] as [string, string]);
      for (const c of cs) {
        if ("set" in c) pairs = pairs.map(([n, v]) => [n, n === c.set ? c.value : v]);
        else if ("twice" in c) pairs.push([c.twice, c.value]);
        else if ("drop" in c) pairs = pairs.filter(([n]) => n !== c.drop);
        else pairs.push([c.add, c.value]);
      }
      return { kind: "form" as const, pairs };
    });
  const kind = route.split("/")[2] as Kind;
  return fc.record({
    session: fc.oneof(
      { weight: 7, arbitrary: fc.constantFrom(...VALID) },
      { weight: 2, arbitrary: fc.constantFrom(...INVALID) },
    ),
    csrf: fc.oneof(
      { weight: 8, arbitrary: fc.constant("right" as const) },
      {
        weight: 2,
        arbitrary: fc.constantFrom(
          "missing" as const,
          "other" as const,
          "multibyte" as const,
          "garbage" as const,
        ),
      },
    ),
    ...(route.includes(":id") ? { id: pathId(kind) } : {}),
    body: fc.oneof(
      { weight: 12, arbitrary: form },
      {
        weight: 2,
        arbitrary: fc
          .dictionary(fc.constantFrom(...names, "x"), fc.oneof(nastyString, wrongType), {
            maxKeys: 6,
          })
          .map((json) => ({ kind: "json" as const, json })),
      },
      {
        weight: 1,
        arbitrary: fc.uint8Array({ maxLength: 64 }).map((b) => ({
          kind: "raw" as const,
          contentType: "application/x-www-form-urlencoded",
          payload: Buffer.concat([Buffer.from("_csrf=@csrf&"), Buffer.from([0xff, 0xc3, ...b])]),
        })),
      },
      {
        weight: 1,
        arbitrary: fc
          .tuple(
            fc.option(
              fc.constantFrom(
                "text/plain",
                "multipart/form-data; boundary=x",
                "application/xml",
                "application/x-www-form-urlencoded; charset=latin1",
              ),
              { nil: undefined },
            ),
            nastyString,
          )
          .map(([contentType, payload]) => ({
            kind: "raw" as const,
            ...(contentType ? { contentType } : {}),
            payload,
          })),
      },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          {
            kind: "raw" as const,
            contentType: "application/x-www-form-urlencoded",
            payload: `_csrf=@csrf&${"a[".repeat(3000)}=1`,
          },
          {
            kind: "raw" as const,
            contentType: "application/x-www-form-urlencoded",
            payload: `_csrf=@csrf&title=${"x".repeat(70 * 1024)}`,
          },
          { kind: "raw" as const, contentType: "application/x-www-form-urlencoded", payload: "" },
        ),
      },
    ),
    lang: fc.option(fc.constantFrom("en", "id", "xx", "%00"), { freq: 4, nil: undefined }),
  });
}

const ALLOWED = [200, 201, 303, 400, 401, 403, 404, 409, 410, 413, 415, 429];
/** Forms of the sign-in and first-admin pages: no session, their own CSRF cookie. */
const PUBLIC = ["POST /console/login", "POST /console/setup"];

describe("console fuzz", () => {
  const routes = () =>
    registeredRoutes(app).filter(
      (r) => r.startsWith("POST /console") && !r.includes(QUEUE_MONITOR),
    );

  it("finds a form on the console's pages for every POST route", () => {
    expect(routes().filter((r) => !forms.has(r))).toEqual([]);
  });

  // The routes are known once the server is ready; one test per route, in one test to keep the list dynamic.
  it(
    "answers every console form's bad input without a 5xx or another city's data",
    async () => {
      for (const route of routes()) await fuzz(route);
    },
    Math.max(300_000, FUZZ_RUNS * 2_000),
  );
});

async function fuzz(route: string) {
  const statuses = new Map<number, number>();
  tally.set(route, statuses);
  const isPublic = PUBLIC.includes(route);
  const adminOnly = route.startsWith("POST /console/whatsapp/");
  try {
    await fc.assert(
      fc.asyncProperty(caseArb(route), async (c) => {
        const known:
          | ({ token: string; renew?: () => Promise<string> } & Partial<Caller>)
          | undefined =
          c.session === "none" || c.session === "garbage" ? undefined : sessions[c.session];
        const caller: Caller = known?.valid ? (known as Caller) : { valid: false };
        // Signing out ends a session the other cases need: it gets one of its own.
        const token =
          c.session === "garbage"
            ? "ijs_garbage"
            : route === "POST /console/logout" && known?.renew
              ? await known.renew()
              : known?.token;
        const csrf = {
          right: isPublic ? "login-csrf-token-0123456789abcdef" : token ? csrfFor(token) : "",
          missing: undefined,
          other: csrfFor(
            c.session === "allStaff" ? sessions.allAdmin.token : sessions.allStaff.token,
          ),
          multibyte: `\u00e9${"A".repeat(42)}`,
          garbage: "x",
        }[c.csrf];
        const resolve = (s: string) =>
          (resolveRefs(s, world, caller) as string)
            .replace(/@csrf/g, csrf ?? "")
            .replace(
              /@short/g,
              (c.id ? (resolveRefs(c.id.id, world, caller) as string) : "").slice(0, 8),
            );
        let path = route.slice(5);
        let id: string | undefined;
        if (c.id) {
          id = resolve(c.id.id);
          path = path.replace(":id", c.id.raw ? id : encodeURIComponent(id.toWellFormed()));
        }
        const url = `${path}${c.lang ? `?lang=${c.lang}` : ""}`;
        let payload: string | Buffer | undefined;
        let contentType: string | undefined;
        if (c.body.kind === "form") {
          const pairs = c.body.pairs.map(([k, v]) => [resolve(k), resolve(v)] as [string, string]);
          if (csrf !== undefined) pairs.unshift(["_csrf", csrf]);
          payload = new URLSearchParams(pairs).toString();
          contentType = "application/x-www-form-urlencoded";
        } else if (c.body.kind === "json") {
          payload = JSON.stringify({
            ...(csrf !== undefined ? { _csrf: csrf } : {}),
            ...c.body.json,
          });
          contentType = "application/json";
        } else {
          payload =
            typeof c.body.payload === "string"
              ? resolve(c.body.payload)
              : Buffer.from(
                  Buffer.from(c.body.payload)
                    .toString("latin1")
                    .replace("@csrf", csrf ?? ""),
                  "latin1",
                );
          contentType = c.body.contentType;
        }
        const res = await app.inject({
          method: "POST",
          url,
          headers: {
            cookie: cookie(
              token,
              isPublic ? `${LOGIN_CSRF_COOKIE}=login-csrf-token-0123456789abcdef` : "",
            ),
            ...(contentType ? { "content-type": contentType } : {}),
          },
          payload,
          remoteAddress: nextAddress(),
        });
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        const location = String(res.headers.location ?? "");
        const what = `${describeRequest({
          method: "POST",
          url,
          caller: `${c.session} csrf=${c.csrf}`,
          body: typeof payload === "string" ? payload : payload?.toString("latin1"),
        })} → ${res.statusCode}${location ? ` to ${location}` : ""} ${res.body.slice(0, 300)}`;

        expect(res.statusCode, `no 5xx: ${what}`).toBeLessThan(500);
        expect(ALLOWED, `a known status: ${what}`).toContain(res.statusCode);
        const done = res.statusCode < 300 || res.statusCode === 303;
        if (!isPublic && !caller.valid && res.statusCode === 303) {
          expect(location, `to the sign-in page without a session: ${what}`).toMatch(
            /^\/console\/login/,
          );
        }
        if (!isPublic && !caller.valid) {
          expect(res.statusCode < 300, `nothing without a session: ${what}`).toBe(false);
        }
        if (!isPublic && caller.valid && c.csrf !== "right") {
          expect([400, 403, 404, 413, 415], `refused without the CSRF token: ${what}`).toContain(
            res.statusCode,
          );
        }
        if (adminOnly && caller.valid && caller.role !== "admin") {
          expect(done, `no access with the wrong role: ${what}`).toBe(false);
        }
        const other = caller.valid ? otherCity(caller) : undefined;
        if (other) {
          const theirs = [...Object.values(world[other].pool).flat(), ...world[other].ids];
          if (id !== undefined && theirs.includes(id)) {
            expect(done, `another city's record is not found: ${what}`).toBe(false);
          }
          const asked = `${url} ${typeof payload === "string" ? payload : ""}`;
          const leak = leakIn(`${location} ${res.body}`, world[other], asked);
          expect(leak, `nothing of another city: ${what}`).toBeUndefined();
        }
      }),
      { seed: FUZZ_SEED, numRuns: FUZZ_RUNS },
    );
  } catch (error) {
    throw new Error(`${route}: ${(error as Error).message}`, { cause: error });
  }
}
