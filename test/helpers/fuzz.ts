/**
 * The standing fuzz of the HTTP surface (test/web/fuzz.test.ts and
 * console-fuzz.test.ts): the seeded world of three cities, the callers, and
 * fast-check arbitraries for bad input.
 *
 * FUZZ_RUNS sets the cases per route (default 200), FUZZ_SEED replays a run.
 */
import fc from "fast-check";
import type { PrismaClient } from "../../src/db/types.ts";
import { createSession, revokeSession } from "../../src/features/staff/sessions.ts";
import { createToken, revokeToken } from "../../src/features/staff/tokens.ts";
import { createSeeker } from "./seekers.ts";
import { createStaffAccount } from "./staff.ts";
import { createdTraining } from "./trainings.ts";
import { draftVacancy, publishedVacancy } from "./vacancies.ts";

export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 200);
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));

/** Makassar and Bandung have city-limited callers; Yogyakarta's records are for the all-cities ones. */
export const CITY = { mks: "7371", bdg: "3273", ygy: "3471" } as const;
export type CityKey = keyof typeof CITY;

/** Records a request may name, by kind. */
export type Kind = "seekers" | "vacancies" | "trainings" | "broadcasts" | "handoffs";
export type Pool = Record<Kind, string[]>;

export interface CityWorld {
  /** Ids requests use (their records may change). */
  pool: Pool;
  /**
   * Words that only this city's records hold (seekers' names, which no route
   * changes, and the titles of records no request names) and the ids of
   * records no request names: none may reach a caller limited to another city.
   */
  names: string[];
  ids: string[];
}

export type World = Record<CityKey, CityWorld>;

const MARKERS = {
  mks: {
    seekers: ["Zafira Makassarina", "Daeng Karebosi"],
    vacancy: ["Juru Masak Losari", "Warung Pantai Losari"],
    training: "Kelas Barista Somba Opu",
    broadcast: "Pengumuman Benteng Rotterdam",
  },
  bdg: {
    seekers: ["Bonifasius Bandungwan", "Euis Cibaduyut"],
    vacancy: ["Perajin Sepatu Dipatiukur", "CV Cihampelas Jaya"],
    training: "Kelas Angklung Dago",
    broadcast: "Pengumuman Gedung Sate",
  },
  ygy: {
    seekers: ["Wulan Malioboro", "Bayu Kaliurang"],
    vacancy: ["Pemandu Prambanan", "PT Tugu Jaya"],
    training: "Kelas Batik Kotagede",
    broadcast: "Pengumuman Alun-alun",
  },
} as const;

const DEADLINE = "2031-06-30";
const STARTS = "2031-01-11T09:00:00+07:00";

/**
 * Seeds, per city: two seekers (one applied and enrolled, both with a handoff),
 * a draft and an open vacancy and a training and a scheduled broadcast that
 * requests may name, and a vacancy, training and broadcast that none may.
 */
export async function seedWorld(deps: Parameters<typeof publishedVacancy>[0]): Promise<World> {
  const prisma = deps.prisma;
  const world = {} as World;
  for (const key of Object.keys(CITY) as CityKey[]) {
    const city = CITY[key];
    const m = MARKERS[key];
    const [s1, s2] = await Promise.all(
      m.seekers.map((fullName, i) =>
        createSeeker(prisma, {
          profile: { fullName, cityCode: city, phone: `62812000${city}${i}` },
        }),
      ),
    );
    const draft = await draftVacancy(prisma, { city, title: "Staf Gudang", deadline: DEADLINE });
    const { vacancy: open } = await publishedVacancy(deps, {
      city,
      title: "Operator Komputer",
      deadline: DEADLINE,
    });
    const { vacancy: hidden } = await publishedVacancy(deps, {
      city,
      title: m.vacancy[0],
      employer: m.vacancy[1],
      deadline: DEADLINE,
    });
    const training = await createdTraining(prisma, {
      city,
      title: "Kelas Menjahit",
      startsAt: STARTS,
    });
    const hiddenTraining = await createdTraining(prisma, {
      city,
      title: m.training,
      startsAt: STARTS,
    });
    for (const vacancyId of [open.id, hidden.id]) {
      await prisma.application.create({
        data: { vacancyId, personId: s1!.personId, channel: "console" },
      });
    }
    for (const [trainingId, person] of [
      [training.id, s1!],
      [hiddenTraining.id, s2!],
    ] as const) {
      await prisma.enrollment.create({
        data: { trainingId, personId: person.personId, status: "enrolled", channel: "console" },
      });
    }
    const [handoff, hiddenHandoff] = await Promise.all(
      [s1!, s2!].map((s) =>
        prisma.handoff.create({ data: { personId: s.personId, channel: "console" } }),
      ),
    );
    const broadcast = (messageId: string) =>
      prisma.broadcast.create({
        data: {
          messageId,
          segment: { cities: [city] },
          scope: [city],
          status: "scheduled",
          sendAt: new Date("2031-01-01T00:00:00Z"),
          createdBy: "token:seed",
        },
      });
    const pooled = await broadcast("Pengumuman lowongan baru");
    const hiddenBroadcast = await broadcast(m.broadcast);
    world[key] = {
      pool: {
        seekers: [s1!.personId],
        vacancies: [draft.id, open.id],
        trainings: [training.id],
        broadcasts: [pooled.id],
        handoffs: [handoff!.id],
      },
      names: [...m.seekers, ...m.vacancy, m.training, m.broadcast],
      ids: [s2!.personId, hidden.id, hiddenTraining.id, hiddenBroadcast.id, hiddenHandoff!.id],
    };
  }
  return world;
}

/** A caller: whose city its requests' own records are in, and which it must never see. */
export interface Caller {
  role?: "admin" | "staff";
  /** The city it is limited to, or undefined for every city. */
  city?: "mks" | "bdg";
  /** False for no, wrong, revoked, expired or disabled credentials. */
  valid: boolean;
}

export const ownCity = (c: Caller): CityKey => c.city ?? "ygy";
export const otherCity = (c: Caller): CityKey | undefined =>
  c.city === "mks" ? "bdg" : c.city === "bdg" ? "mks" : undefined;

/** API tokens and session tokens of every kind of caller, valid and not. */
export async function apiCallers(prisma: PrismaClient) {
  const token = async (role: "admin" | "staff", cities: string[]) =>
    (await createToken(prisma, { name: `fuzz-${role}-${cities.join("-")}`, role, cities })).token;
  const revoked = await createToken(prisma, { name: "revoked", role: "admin", cities: [] });
  await revokeToken(prisma, revoked.id, new Date());
  const expiredToken = await createToken(prisma, {
    name: "expired",
    role: "admin",
    cities: [],
    now: new Date(Date.now() - 2 * 3_600_000),
    expiresAt: new Date(Date.now() - 3_600_000),
  });
  const sessions = await consoleSessions(prisma);
  const callers: Record<string, Caller & { header?: string; renew?: () => Promise<string> }> = {
    allStaff: { role: "staff", valid: true, header: `Bearer ${await token("staff", [])}` },
    allAdmin: { role: "admin", valid: true, header: `Bearer ${await token("admin", [])}` },
    mksStaff: {
      role: "staff",
      city: "mks",
      valid: true,
      header: `Bearer ${await token("staff", [CITY.mks])}`,
    },
    bdgAdmin: {
      role: "admin",
      city: "bdg",
      valid: true,
      header: `Bearer ${await token("admin", [CITY.bdg])}`,
    },
    mksSession: { ...sessions.mksStaff, header: `Bearer ${sessions.mksStaff.token}` },
    bdgAdminSession: { ...sessions.bdgAdmin, header: `Bearer ${sessions.bdgAdmin.token}` },
    none: { valid: false },
    revoked: { valid: false, header: `Bearer ${revoked.token}` },
    expiredToken: { valid: false, header: `Bearer ${expiredToken.token}` },
    expired: { valid: false, header: `Bearer ${sessions.expired.token}` },
    signedOut: { valid: false, header: `Bearer ${sessions.signedOut.token}` },
    disabled: { valid: false, header: `Bearer ${sessions.disabled.token}` },
  };
  return callers;
}

/** Console sessions of every kind of caller; the console and API fuzz share them. */
export async function consoleSessions(prisma: PrismaClient) {
  const session = async (
    name: string,
    role: "admin" | "staff",
    cities: string[],
    hours = 12,
    at = new Date(),
  ) => {
    const account = await createStaffAccount(prisma, {
      email: `${name}@fuzz.example`,
      role,
      cities,
    });
    const s = await createSession(prisma, account.id, at, hours);
    return { account, token: s.token, id: s.id };
  };
  const valid = async (name: string, role: "admin" | "staff", city?: "mks" | "bdg") => {
    const s = await session(name, role, city ? [CITY[city]] : []);
    return {
      role,
      ...(city ? { city } : {}),
      valid: true,
      token: s.token,
      /** Another session of the same account (for what signs out). */
      renew: async () => (await createSession(prisma, s.account.id, new Date(), 12)).token,
    };
  };
  const expired = await session("expired", "admin", [], 1, new Date(Date.now() - 2 * 3_600_000));
  const signedOut = await session("signed-out", "admin", []);
  await revokeSession(prisma, signedOut.id, new Date());
  const disabled = await session("disabled", "admin", []);
  await prisma.staffUser.update({
    where: { id: disabled.account.id },
    data: { disabledAt: new Date() },
  });
  return {
    allStaff: await valid("all-staff", "staff"),
    allAdmin: await valid("all-admin", "admin"),
    mksStaff: await valid("mks-staff", "staff", "mks"),
    bdgAdmin: await valid("bdg-admin", "admin", "bdg"),
    expired: { valid: false, token: expired.token },
    signedOut: { valid: false, token: signedOut.token },
    disabled: { valid: false, token: disabled.token },
  };
}

/**
 * A reference to a record, resolved per caller when the request is made:
 * "@own:vacancies:1" is the caller's city's second pooled vacancy.
 */
export const recordRef = fc
  .record({
    side: fc.constantFrom("own", "own", "other"),
    kind: fc.constantFrom<Kind>("seekers", "vacancies", "trainings", "broadcasts", "handoffs"),
    index: fc.nat(3),
  })
  .map(({ side, kind, index }) => `@${side}:${kind}:${index}`);

/** Resolves every "@own:…", "@other:…" and "@city:…" in a value for this caller. */
export function resolveRefs(value: unknown, world: World, caller: Caller): unknown {
  if (typeof value === "string") {
    // Callers of every city have no other city: theirs are Yogyakarta's records.
    const city = (side: string) =>
      side === "own" ? ownCity(caller) : (otherCity(caller) ?? "ygy");
    return value
      .replace(/@city:(own|other)/g, (_, side: string) =>
        side === "other" && !otherCity(caller) ? "3173" : CITY[city(side)],
      )
      .replace(/@(own|other):(\w+):(\d+)/g, (_, side: string, kind: Kind, i: string) => {
        const ids = world[city(side)].pool[kind] ?? [];
        return ids[Number(i) % ids.length] ?? "00000000-0000-4000-8000-000000000000";
      });
  }
  if (Array.isArray(value)) return value.map((v) => resolveRefs(v, world, caller));
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, resolveRefs(v, world, caller)]),
    );
  }
  return value;
}

/** Strings that have broken services: NUL and control characters, lone surrogates, markup, SQL, huge. */
export const nastyString = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 30 }) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      "",
      " ",
      "\0",
      "a\0b",
      "\u0001\u0008\u001b[31m\u007f",
      "\r\n\t",
      "\ud800",
      "x\udfffy",
      "é",
      "\u202e\u200b\ufeff",
      "👩🏽‍🦯",
      "' OR '1'='1",
      '\'; DROP TABLE "Person"; --',
      '<script>alert("x")</script>',
      "../../../etc/passwd",
      "%00",
      "%",
      "null",
      "undefined",
      "true",
      "__proto__",
      "constructor",
      "-1",
      "0",
      "1e309",
      "NaN",
      "9".repeat(40),
      "00000000-0000-0000-0000-000000000000",
      "ffffffff-ffff-ffff-ffff-ffffffffffff",
    ),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom("a", "é", "\0", "ß"), fc.integer({ min: 101, max: 70_000 }))
      .map(([c, n]) => c.repeat(n)),
  },
);

/** A value of the wrong JSON type, or a deep or odd one. */
export const wrongType: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(2 ** 53, -(2 ** 31), 1.5, 1e308, -0),
  fc.array(nastyString, { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 6 }), nastyString, { maxKeys: 3 }),
  fc.jsonValue({ maxDepth: 3 }),
);

export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  format?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
}

/** What a field of this name takes (its name says more than its JSON type), if its name says. */
function namedValid(name: string): fc.Arbitrary<unknown> | undefined {
  const n = name.toLowerCase();
  if (/cit(y|ies)$/.test(n))
    return fc.constantFrom("@city:own", "@city:own", "@city:own", "@city:other");
  if (n === "registrationdeadline") return fc.constant("2030-12-01T09:00:00+07:00");
  if (/(at|deadline)$/.test(n))
    return fc.constantFrom("2031-03-01T09:00:00+08:00", "2031-06-30T17:00:00Z", "2031-06-30");
  if (/^(since|until)$/.test(n))
    return fc.constantFrom("2020-01-01T00:00:00Z", "2031-01-01T00:00:00+07:00");
  if (n.includes("phone")) return fc.constantFrom("+62 812-3456-7890", "6281234567890");
  if (n.includes("email"))
    return fc.constantFrom("all-admin@fuzz.example", "mks-staff@fuzz.example", "sari@pki.example");
  if (n.includes("password")) return fc.constantFrom("kata-sandi-uji-panjang", "salah sekali");
  if (n === "q") return fc.constantFrom("Zafira", "Bonifasius", "Wulan", "a", "Operator");
  return undefined;
}

/** A value the schema accepts (as far as its JSON Schema and the field's name tell). */
export function valid(schema: JsonSchema, name: string): fc.Arbitrary<unknown> {
  if (schema.enum) return fc.constantFrom(...schema.enum);
  // Ids are records of the caller's city or another's; only id fields get them, so no
  // other city's id is ever stored in a text (where a later answer would show it).
  if (schema.format === "uuid") return recordRef;
  const types = [schema.type ?? "any"].flat();
  if (types.includes("null") && types.length > 1) {
    const rest = types.filter((t) => t !== "null");
    return fc.oneof(fc.constant(null), valid({ ...schema, type: rest }, name));
  }
  switch (types[0]) {
    case "string":
      return namedValid(name) ?? fc.stringMatching(/^[A-Z][a-z]{2,12}( [a-z]{2,12}){0,3}$/);
    case "integer":
    case "number":
      return fc.integer({
        min: Math.max(schema.minimum ?? 0, -1e6),
        max: Math.min(schema.maximum ?? 1000, 1e6),
      });
    case "boolean":
      return fc.boolean();
    case "array":
      return fc.array(valid(schema.items ?? {}, name), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.max(schema.minItems ?? 0, Math.min(schema.maxItems ?? 3, 3)),
      });
    case "object":
      return validObject(schema);
    default:
      return fc.jsonValue({ maxDepth: 1 });
  }
}

/** An object the schema accepts: every required field, some optional ones. */
function validObject(schema: JsonSchema): fc.Arbitrary<Record<string, unknown>> {
  const fields = Object.entries(schema.properties ?? {}).map(([name, s]) =>
    (schema.required?.includes(name)
      ? valid(s, name)
      : fc.option(valid(s, name), { freq: 2, nil: undefined })
    ).map((v) => [name, v] as const),
  );
  return fc
    .tuple(...fields)
    .map((pairs) => Object.fromEntries(pairs.filter(([, v]) => v !== undefined)));
}

/** A value near the edge: the wrong enum member, one too many or too few, too long, a wrong format. */
function edge(schema: JsonSchema, name: string): fc.Arbitrary<unknown> {
  if (schema.enum) return fc.constantFrom("", "OPEN", `${schema.enum[0]} `, null);
  if (schema.format === "uuid")
    return fc.oneof(fc.uuid(), fc.constantFrom("not-a-uuid", `${"0".repeat(8)}-0000`));
  const types = [schema.type ?? "any"].flat();
  if (types.includes("string")) {
    const n = name.toLowerCase();
    if (/cit(y|ies)$/.test(n)) return fc.constantFrom("3173", "other", "0000", "73710", "7371 ");
    if (/(at|deadline|since|until)$/.test(n))
      return fc.constantFrom(
        "2020-01-01T00:00:00Z",
        "2031-02-30",
        "2031-13-01T00:00:00Z",
        "275760-09-13T00:00:00Z",
        "2031-01-01T00:00:00",
        "tomorrow",
      );

    return fc.constantFrom("", "   ", "x".repeat((schema.maxLength ?? 2000) + 1));
  }
  if (types.includes("integer") || types.includes("number")) {
    const min = schema.minimum ?? -1000;
    const max = schema.maximum ?? 1000;
    return fc.constantFrom(min - 1, max + 1, 0, -1, 1.5, 2 ** 53, "1");
  }
  if (types.includes("array"))
    return fc.oneof(
      fc.constant([]),
      fc.array(valid(schema.items ?? {}, name), {
        minLength: (schema.maxItems ?? 30) + 1,
        maxLength: (schema.maxItems ?? 30) + 2,
      }),
    );
  return fc.constantFrom(null, "true", 1);
}

/** Something a field does not take: the edge of its type, a nasty string, or another type. */
export function bad(schema: JsonSchema, name: string): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 3, arbitrary: edge(schema, name) },
    { weight: 2, arbitrary: nastyString },
    { weight: 2, arbitrary: wrongType },
  );
}

/** Characters PostgreSQL, terminals or readers choke on: NUL, controls, lone surrogates, bidi. */
const BROKEN = ["\0", "\0\0", "\u0001", "\u001b", "\u007f", "\ud800", "\udfff", "\u202e", "\ufeff"];

/** A valid value with a broken character slipped into its (first) string: it gets past type checks. */
export function corrupt(schema: JsonSchema, name: string): fc.Arbitrary<unknown> {
  const slip = (v: string, c: string, at: number) => {
    const i = at % (v.length + 1);
    return v.slice(0, i) + c + v.slice(i);
  };
  return fc
    .tuple(valid(schema, name), fc.constantFrom(...BROKEN), fc.nat())
    .map(([v, c, at]) =>
      typeof v === "string"
        ? slip(v, c, at)
        : Array.isArray(v) && typeof v[0] === "string"
          ? [slip(v[0], c, at), ...v.slice(1)]
          : v,
    );
}

/** Removes a field, sets it to something bad, or adds one the schema does not know. */
type Mutation =
  | { remove: string }
  | { set: string; value: unknown }
  | { add: string; value: unknown };

function mutations(schema: JsonSchema): fc.Arbitrary<Mutation[]> {
  const props = Object.entries(schema.properties ?? {});
  const add = fc.record({ add: nastyString, value: wrongType });
  if (props.length === 0) return upToThree(add);
  // A field first, then what happens to it.
  const change = fc.oneof(
    ...props.map(([name, s]) =>
      fc.oneof(
        { weight: 1, arbitrary: fc.constant({ remove: name }) },
        { weight: 2, arbitrary: bad(s, name).map((value) => ({ set: name, value })) },
        { weight: 2, arbitrary: corrupt(s, name).map((value) => ({ set: name, value })) },
      ),
    ),
  );
  return upToThree(fc.oneof({ weight: 5, arbitrary: change }, { weight: 1, arbitrary: add }));
}

/** None two times in five, else one to three. */
const upToThree = <T>(arb: fc.Arbitrary<T>) =>
  fc.oneof(
    { weight: 2, arbitrary: fc.constant<T[]>([]) },
    { weight: 3, arbitrary: fc.array(arb, { minLength: 1, maxLength: 3 }) },
  );

function mutate(base: Record<string, unknown>, ms: Mutation[]): Record<string, unknown> {
  const out = { ...base };
  for (const m of ms) {
    if ("remove" in m) delete out[m.remove];
    else if ("set" in m) out[m.set] = m.value;
    else
      Object.defineProperty(out, m.add, {
        value: m.value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
  }
  return out;
}

/**
 * An object for a schema: a valid one with up to three mutations (most cases,
 * so the route's deeper code runs), or fields chosen anyhow.
 */
export function objectOf(schema: JsonSchema): fc.Arbitrary<Record<string, unknown>> {
  const props = Object.entries(schema.properties ?? {});
  const anyhow = fc
    .tuple(
      ...props.map(([name, s]) =>
        fc
          .option(fc.oneof(valid(s, name), bad(s, name)), { freq: 2, nil: undefined })
          .map((v) => [name, v] as const),
      ),
    )
    .map((pairs) => Object.fromEntries(pairs.filter(([, v]) => v !== undefined)));
  const mutated = fc.tuple(validObject(schema), mutations(schema)).map(([o, m]) => mutate(o, m));
  return fc.oneof({ weight: 4, arbitrary: mutated }, { weight: 1, arbitrary: anyhow });
}

/** Undefined five times in six. */
export const rarely = <T>(arb: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 5, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });

/** A request body: the type a route takes, and much it does not. */
export type Body =
  | { kind: "none" }
  | { kind: "json"; json: unknown }
  | { kind: "raw"; contentType?: string; payload: string | Uint8Array };

const MEDIA = [
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "application/xml",
  "application/octet-stream",
  "application/json; charset=latin1",
  "application/merge-patch+json",
  "text/html",
  "invalid type",
];

/** Bytes that are not UTF-8, alone or inside JSON strings. */
const invalidUtf8 = fc.oneof(
  fc.uint8Array({ maxLength: 64 }),
  fc
    .uint8Array({ minLength: 1, maxLength: 8 })
    .map((b) =>
      Buffer.concat([
        Buffer.from('{"title":"'),
        Buffer.from([0xff, 0xfe, 0xc3, ...b, 0xed, 0xa0, 0x80]),
        Buffer.from('","text":"\\u0000"}'),
      ]),
    ),
);

export function bodyOf(good: fc.Arbitrary<unknown>, formFields: string[] = []): fc.Arbitrary<Body> {
  const form = fc
    .array(fc.tuple(fc.constantFrom(...formFields, "_csrf", "x"), nastyString), { maxLength: 6 })
    .map((pairs) => new URLSearchParams(pairs).toString());
  return fc.oneof(
    { weight: 16, arbitrary: good.map((json) => ({ kind: "json" as const, json })) },
    { weight: 1, arbitrary: fc.jsonValue().map((json) => ({ kind: "json" as const, json })) },
    { weight: 1, arbitrary: fc.constant({ kind: "none" as const }) },
    {
      weight: 2,
      arbitrary: invalidUtf8.map((payload) => ({
        kind: "raw" as const,
        contentType: "application/json",
        payload,
      })),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(
          fc.option(fc.constantFrom(...MEDIA), { nil: undefined }),
          fc.oneof(nastyString, form),
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
        { kind: "raw" as const, contentType: "application/json", payload: "" },
        { kind: "raw" as const, contentType: "application/json", payload: "{" },
        { kind: "raw" as const, contentType: "application/json", payload: '{"__proto__":{"x":1}}' },
        {
          kind: "raw" as const,
          contentType: "application/json",
          payload: `{"a":${"[".repeat(5000)}${"]".repeat(5000)}}`,
        },
        {
          kind: "raw" as const,
          contentType: "application/json",
          payload: JSON.stringify({ text: "x".repeat(1024 * 1024) }),
        },
      ),
    },
  );
}

/** A query string's pairs (encoded after records are resolved), or raw junk. */
export type Query = { pairs: [string, string][] } | { raw: string };

/** As a query string carries it: arrays as repeated keys, objects as JSON. */
const asParam = (v: unknown): string[] =>
  Array.isArray(v)
    ? v.map((x) => asParam(x)[0] ?? "")
    : [typeof v === "object" && v !== null ? JSON.stringify(v) : String(v)];

/** The route's parameters, valid with up to three bad ones, repeated or extra keys; or raw junk. */
export function queryOf(params: { name: string; schema: JsonSchema }[]): fc.Arbitrary<Query> {
  const base = fc.tuple(
    ...params.map((p) => fc.option(valid(p.schema, p.name), { freq: 2, nil: undefined })),
  );
  const extra = fc.tuple(nastyString, nastyString).map(([name, v]) => ({ name, values: [v] }));
  // A parameter first, then what happens to it: something it does not take, a broken
  // character in a value it takes, or several values.
  const change = params.length
    ? fc.oneof(
        {
          weight: 5,
          arbitrary: fc.oneof(
            ...params.map((p) =>
              fc.oneof(
                bad(p.schema, p.name).map((v) => ({ name: p.name, values: asParam(v) })),
                corrupt(p.schema, p.name).map((v) => ({ name: p.name, values: asParam(v) })),
                fc
                  .array(valid(p.schema, p.name), { minLength: 2, maxLength: 3 })
                  .map((vs) => ({ name: p.name, values: vs.flatMap(asParam) })),
              ),
            ),
          ),
        },
        { weight: 1, arbitrary: extra },
      )
    : extra;
  const pairs = fc.tuple(base, upToThree(change)).map(([values, changes]) => {
    const byName = new Map<string, string[]>();
    values.forEach((v, i) => {
      if (v !== undefined) byName.set(params[i]!.name, asParam(v));
    });
    for (const c of changes) byName.set(c.name, c.values);
    return {
      pairs: [...byName].flatMap(([name, vs]) => vs.map((v) => [name, v] as [string, string])),
    };
  });
  const raw = fc
    .constantFrom(
      "%",
      "%zz",
      "q=%ff%fe",
      "q=%E0%A4%A",
      "q=%ED%A0%80",
      "limit=1&limit=2",
      "__proto__[x]=1&constructor[prototype][x]=1",
      "q[]=a&q[b]=c",
      "limit=%00",
      "limit=1e3",
      "limit=0x10",
      `q=${"a".repeat(20_000)}`,
      "cursor=%00",
    )
    .map((raw) => ({ raw }));
  return fc.oneof({ weight: 12, arbitrary: pairs }, { weight: 1, arbitrary: raw });
}

/** The query string of a request, records resolved for its caller. */
export function encodeQuery(q: Query, world: World, caller: Caller): string {
  if ("raw" in q) return q.raw;
  return new URLSearchParams(
    q.pairs.map(([k, v]) => [k, resolveRefs(v, world, caller) as string] as [string, string]),
  ).toString();
}

/** A reference to a record of this kind mostly, else of any. */
const refTo = (kind: Kind) =>
  fc.oneof(
    {
      weight: 4,
      arbitrary: fc
        .tuple(fc.constantFrom("own", "own", "other"), fc.nat(3))
        .map(([side, i]) => `@${side}:${kind}:${i}`),
    },
    { weight: 1, arbitrary: recordRef },
  );

/** A path segment for {id} of a route of records of this kind: the caller's and other cities', random UUIDs, junk. */
export const pathId = (kind: Kind) =>
  fc.oneof(
    { weight: 6, arbitrary: refTo(kind).map((ref) => ({ id: ref, raw: false })) },
    { weight: 2, arbitrary: fc.uuid().map((id) => ({ id, raw: false })) },
    { weight: 2, arbitrary: nastyString.map((id) => ({ id: id.slice(0, 300), raw: false })) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(
          "%00",
          "%zz",
          "..",
          "%2e%2e%2f",
          "a%2Fb",
          "%C0%AF",
          "%ED%A0%80",
          "x".repeat(150),
        )
        .map((id) => ({ id, raw: true })),
    },
  );

/** Where each case comes from, so no two share a failed-attempt counter. */
let address = 0;
export const nextAddress = () => {
  address += 1;
  return `10.${(address >> 16) & 255}.${(address >> 8) & 255}.${address & 255}`;
};

/** The payload and headers of a body for app.inject. */
export function encodeBody(body: Body): { payload?: string | Buffer; contentType?: string } {
  if (body.kind === "none") return {};
  if (body.kind === "json")
    return { payload: JSON.stringify(body.json) ?? "null", contentType: "application/json" };
  return {
    payload: typeof body.payload === "string" ? body.payload : Buffer.from(body.payload),
    ...(body.contentType ? { contentType: body.contentType } : {}),
  };
}

/** A short, printable account of a request for a failure message. */
export function describeRequest(req: {
  method: string;
  url: string;
  caller: string;
  body?: unknown;
}) {
  const body = req.body === undefined ? "" : JSON.stringify(req.body);
  return `${req.method} ${req.url.slice(0, 300)} as ${req.caller}${body ? ` body ${body.slice(0, 400)}` : ""}`;
}

/** The first of a city's names and record ids in a text that the request did not name itself. */
export function leakIn(text: string, city: CityWorld, asked: string): string | undefined {
  const ids = [...city.ids, ...Object.values(city.pool).flat()];
  return [...city.names, ...ids].find((m) => text.includes(m) && !asked.includes(m));
}
