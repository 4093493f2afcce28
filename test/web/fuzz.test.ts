/**
 * The standing fuzz of the staff API: for every operation the API's routes
 * declare, as /api/openapi.json describes it, FUZZ_RUNS (default 200) generated requests with bad
 * input (wrong types, missing and extra fields, huge strings, NUL and control
 * characters, invalid UTF-8, other content types, other cities' and random
 * ids, no/garbage/revoked/expired tokens, the wrong role). Every answer must be
 * below 500, one the operation documents, in the API's error shape when it is
 * an error, and hold nothing of another city for a city-limited caller.
 * FUZZ_SEED replays a run (the seed is printed).
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SendCircuit } from "../../src/features/whatsapp/circuit.ts";
import { WhatsAppControl } from "../../src/features/whatsapp/status.ts";
import { apiOperations } from "../../src/web/api/openapi.ts";
import { createWebServer } from "../../src/web/server.ts";
import {
  apiCallers,
  type Body,
  bodyOf,
  type Caller,
  describeRequest,
  encodeBody,
  encodeQuery,
  FUZZ_RUNS,
  FUZZ_SEED,
  type JsonSchema,
  type Kind,
  leakIn,
  nastyString,
  nextAddress,
  objectOf,
  otherCity,
  pathId,
  type Query,
  queryOf,
  resolveRefs,
  seedWorld,
  type World,
} from "../helpers/fuzz.ts";
import { createHarness } from "../helpers/harness.ts";

interface Operation {
  method: string;
  path: string;
  parameters: { name: string; in: string; schema: JsonSchema }[];
  requestBody?: { content: { "application/json": { schema: JsonSchema } } };
  responses: Record<string, unknown>;
  security: unknown[];
}

// Built while the tests are collected: there is one per operation the server's routes declare.
const h = await createHarness();
const app = createWebServer({
  prisma: h.prisma,
  redis: h.redis,
  queues: h.queues,
  log: h.deps.log,
  whatsapp: {
    control: new WhatsAppControl(h.redis, h.prefix, "pki"),
    circuit: new SendCircuit(h.redis, h.prefix),
  },
});
await app.ready();
const declared = apiOperations(app);

let world: World;
let callers: Awaited<ReturnType<typeof apiCallers>>;
let operations: Operation[] = [];
const tally = new Map<string, Map<number, number>>();
let started = 0;

beforeAll(async () => {
  world = await seedWorld(h);
  callers = await apiCallers(h.prisma);
  const doc = (await app.inject({ method: "GET", url: "/api/openapi.json" })).json();
  operations = Object.entries(doc.paths as Record<string, Record<string, Operation>>).flatMap(
    ([path, methods]) => Object.entries(methods).map(([method, op]) => ({ ...op, method, path })),
  );
  started = Date.now();
}, 120_000);

afterAll(async () => {
  const cases = [...tally.values()].reduce(
    (n, statuses) => n + [...statuses.values()].reduce((a, b) => a + b, 0),
    0,
  );
  const lines = [...tally].map(
    ([op, statuses]) =>
      `  ${op}: ${[...statuses]
        .sort(([a], [b]) => a - b)
        .map(([s, n]) => `${s}×${n}`)
        .join(" ")}`,
  );
  console.log(
    `API fuzz: ${tally.size} operations × ${FUZZ_RUNS} cases = ${cases} requests in ${((Date.now() - started) / 1000).toFixed(1)} s (FUZZ_SEED=${FUZZ_SEED})\n${lines.join("\n")}`,
  );
  await app.close();
  await h.close();
});

const VALID = ["allStaff", "allAdmin", "mksStaff", "bdgAdmin", "mksSession", "bdgAdminSession"];
const INVALID = ["none", "revoked", "expiredToken", "expired", "signedOut", "disabled"];

/** Who calls: mostly valid callers of every role and scope, else no or bad credentials. */
const callerArb = fc.oneof(
  { weight: 7, arbitrary: fc.constantFrom(...VALID).map((name) => ({ name })) },
  { weight: 2, arbitrary: fc.constantFrom(...INVALID).map((name) => ({ name })) },
  {
    weight: 1,
    arbitrary: fc
      .oneof(
        nastyString.map((s) => s.slice(0, 8000)),
        fc.constantFrom(
          "Bearer",
          "Bearer ",
          "Basic YWRtaW46YWRtaW4=",
          "bearer ijc_x",
          `Bearer ijs_${"a".repeat(43)}`,
          `Bearer ijc_${"x".repeat(300)}`,
          "Bearer ijc_\0",
          "Bearer ijc_é",
        ),
      )
      .map((header) => ({ name: "garbage", header })),
  },
);

interface Case {
  caller: { name: string; header?: string };
  id?: { id: string; raw: boolean };
  query: Query;
  body: Body;
}

/** The kind of record a path's {id} names: its first segment ("/vacancies/{id}/close"). */
const kindOf = (path: string) => path.split("/")[1] as Kind;

function caseArb(op: Operation): fc.Arbitrary<Case> {
  const params = op.parameters.filter((p) => p.in === "query");
  const schema = op.requestBody?.content["application/json"].schema;
  const good = schema ? objectOf(schema) : fc.constantFrom({}, { x: 1 });
  const body =
    op.method === "get"
      ? fc.oneof(
          { weight: 12, arbitrary: fc.constant<Body>({ kind: "none" }) },
          { weight: 1, arbitrary: bodyOf(good) },
        )
      : bodyOf(good);
  return fc.record({
    caller: callerArb,
    ...(op.path.includes("{id}") ? { id: pathId(kindOf(op.path)) } : {}),
    query: queryOf(params.map((p) => ({ name: p.name, schema: p.schema }))),
    body,
  });
}

describe("API fuzz", () => {
  // One test per operation the routes declare, fuzzed as the served OpenAPI document describes it.
  const documented = declared.map((e) => ({
    method: e.method.toLowerCase(),
    path: e.path,
    role: e.role,
  }));
  for (const endpoint of documented) {
    it(
      `${endpoint.method.toUpperCase()} ${endpoint.path}`,
      async () => {
        const op = operations.find((o) => o.method === endpoint.method && o.path === endpoint.path);
        expect(op, "every declared operation is in /api/openapi.json").toBeDefined();
        await fuzz(op!, endpoint.role);
      },
      Math.max(120_000, FUZZ_RUNS * 500),
    );
  }

  it("covers every operation of the served document", () => {
    expect(operations.map((o) => `${o.method} ${o.path}`).sort()).toEqual(
      documented.map((e) => `${e.method} ${e.path}`).sort(),
    );
  });
});

async function fuzz(op: Operation, role: "admin" | undefined) {
  const key = `${op.method.toUpperCase()} ${op.path}`;
  const statuses = new Map<number, number>();
  tally.set(key, statuses);
  const allowed = Object.keys(op.responses).map(Number);
  const isPublic = op.security.length === 0;
  await fc.assert(
    fc.asyncProperty(caseArb(op), async (c) => {
      const caller: Caller =
        c.caller.name === "garbage" ? { valid: false } : callers[c.caller.name]!;
      const known = callers[c.caller.name];
      // Signing out ends a session the other cases need: it gets one of its own.
      const header =
        c.caller.name === "garbage"
          ? c.caller.header
          : op.path === "/auth/logout" && known?.renew
            ? `Bearer ${await known.renew()}`
            : known!.header;
      let path = op.path;
      let id: string | undefined;
      if (c.id) {
        id = resolveRefs(c.id.id, world, caller) as string;
        path = path.replace("{id}", c.id.raw ? id : encodeURIComponent(id.toWellFormed()));
      }
      const query = encodeQuery(c.query, world, caller);
      const url = `/api/v1${path}${query ? `?${query}` : ""}`;
      const body =
        c.body.kind === "json"
          ? { kind: "json" as const, json: resolveRefs(c.body.json, world, caller) }
          : c.body;
      const { payload, contentType } = encodeBody(body);
      const res = await app.inject({
        method: op.method.toUpperCase() as "GET",
        url,
        headers: {
          ...(header !== undefined ? { authorization: header } : {}),
          ...(contentType ? { "content-type": contentType } : {}),
        },
        ...(payload !== undefined ? { payload } : {}),
        remoteAddress: nextAddress(),
      });
      statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
      const what = `${describeRequest({
        method: op.method.toUpperCase(),
        url,
        caller: c.caller.name,
        body: body.kind === "json" ? body.json : body.kind === "raw" ? payload : undefined,
      })} → ${res.statusCode} ${res.body.slice(0, 300)}`;

      expect(res.statusCode, `no 5xx: ${what}`).toBeLessThan(500);
      expect(allowed, `a documented status: ${what}`).toContain(res.statusCode);
      const ok = res.statusCode < 300;
      if (!ok) {
        const error = res.json().error;
        expect(typeof error?.code, `the API's error shape: ${what}`).toBe("string");
        expect(typeof error?.message, `the API's error shape: ${what}`).toBe("string");
      }
      if (!isPublic && !caller.valid) {
        expect(ok || res.statusCode === 403, `no access without a valid token: ${what}`).toBe(
          false,
        );
      }
      if (role && caller.valid && caller.role !== role) {
        expect(ok, `no access with the wrong role: ${what}`).toBe(false);
      }
      const other = caller.valid ? otherCity(caller) : undefined;
      if (other) {
        const theirs = [...Object.values(world[other].pool).flat(), ...world[other].ids];
        if (id !== undefined && theirs.includes(id)) {
          expect(ok, `another city's record is not found: ${what}`).toBe(false);
        }
        const asked = `${url} ${typeof payload === "string" ? payload : ""}`;
        const leak = leakIn(res.body, world[other], asked);
        expect(leak, `nothing of another city: ${what}`).toBeUndefined();
      }
    }),
    { seed: FUZZ_SEED, numRuns: FUZZ_RUNS },
  );
}
