/**
 * npm run bench:matching — vacancy matching and push fan-out at city scale.
 *
 * Generates BENCH_SEEKERS (default 100,000) registered job seekers with a
 * realistic spread (bigger cities, education, disability categories, skills,
 * work modes, some stopped or unreachable), then publishes BENCH_VACANCIES
 * (20) vacancies one after another through the real path: publish → queue →
 * vacancy-match worker → outbox rows → send queue. Prints, in the same run:
 *  - per publish: time until every outbox row exists, matched and pushed counts;
 *  - the matching query through Prisma next to the same SQL through plain `pg`;
 *  - the fan-out insert rate next to a plain multi-row INSERT of the same rows.
 * Options (env): BENCH_SEEKERS, BENCH_VACANCIES, BENCH_ADMIN_URL
 * (postgresql://postgres@127.0.0.1:5432/postgres), REDIS_URL.
 */
import { randomUUID } from "node:crypto";
import pg from "pg";
import pino from "pino";
import { CITIES } from "../src/domain/cities.ts";
import { parseTags } from "../src/domain/tags.ts";
import type { StaffPrincipal } from "../src/features/staff/tokens.ts";
import { MATCH_SQL, matchCandidates } from "../src/features/vacancies/match-sql.ts";
import { createVacancy, publishVacancy } from "../src/features/vacancies/mutations.ts";
import { type Planned, writeChunk } from "../src/features/vacancies/push.ts";
import { createBody } from "../src/features/vacancies/schema.ts";
import { Queues } from "../src/jobs/queues.ts";
import { createRedis } from "../src/jobs/redis.ts";
import { DEFAULT_PUSH_SETTINGS, startWorkers } from "../src/jobs/workers/index.ts";
import { rng } from "../test/helpers/random.ts";
import { benchDatabase, benchDeps, median, REDIS_URL } from "./setup.ts";

const SEEKERS = Number(process.env.BENCH_SEEKERS ?? 100_000);
const VACANCIES = Number(process.env.BENCH_VACANCIES ?? 20);
const FANOUT_ROWS = 20_000;

const r = rng(2026);
function weighted<T>(pairs: [T, number][]): T {
  const total = pairs.reduce((s, [, w]) => s + w, 0);
  let x = r() * total;
  for (const [value, w] of pairs) {
    x -= w;
    if (x <= 0) return value;
  }
  return pairs[0]![0];
}
const sample = <T>(list: readonly T[], n: number) => [...list].sort(() => r() - 0.5).slice(0, n);

// Bigger cities have more seekers; a few live outside the 28 cities.
const CITY_WEIGHTS: [string, number][] = [
  ...CITIES.map((c, i): [string, number] => [c.code, i % 5 === 0 ? 8 : i % 3 === 0 ? 4 : 2]),
  ["other", 3],
];
const EDUCATION: [string, number][] = [
  ["below_sd", 5],
  ["sd", 12],
  ["smp", 16],
  ["sma", 28],
  ["smk", 17],
  ["d3", 7],
  ["s1", 13],
  ["s2", 2],
];
const CATEGORY: [string[], number][] = [
  [["fisik"], 32],
  [["netra"], 16],
  [["rungu"], 18],
  [["intelektual"], 9],
  [["mental"], 7],
  [["wicara"], 3],
  [["rungu", "wicara"], 5],
  [["fisik", "netra"], 2],
  [[], 8],
];
const SKILL_WORDS = parseTags(
  "menjahit, komputer, memasak, mengetik, pijat, kerajinan, administrasi, penjualan, " +
    "layanan pelanggan, entri data, microsoft office, desain grafis, akuntansi, fotografi, " +
    "musik, kebersihan, mengemudi, bahasa inggris, pemrograman, pemasaran, kasir, sablon, " +
    "servis elektronik, pertanian, perikanan",
);
const MODES: [string[], number][] = [
  [["onsite"], 55],
  [[], 20],
  [["remote"], 10],
  [["onsite", "hybrid"], 10],
  [["remote", "hybrid"], 5],
];

interface Table {
  name: string;
  columns: string[];
  types: string[];
  rows: unknown[][];
}

/** One INSERT per table per batch: unnest of column arrays. */
async function insertAll(client: pg.Client, table: Table) {
  const list = table.columns.map((c) => `"${c}"`).join(", ");
  const args = table.types.map((t, i) => `$${i + 1}::${t}[]`).join(", ");
  const sql = `INSERT INTO "${table.name}" (${list}) SELECT * FROM unnest(${args})`;
  for (let i = 0; i < table.rows.length; i += 10_000) {
    const batch = table.rows.slice(i, i + 10_000);
    await client.query(
      sql,
      table.columns.map((_, c) => batch.map((row) => row[c])),
    );
  }
}

async function generateSeekers(client: pg.Client) {
  const person: unknown[][] = [];
  const account: unknown[][] = [];
  const consent: unknown[][] = [];
  const profile: unknown[][] = [];
  const now = new Date().toISOString();
  for (let i = 0; i < SEEKERS; i++) {
    const id = randomUUID();
    const status = weighted([
      ["active", 92],
      ["stopped", 5],
      ["unreachable", 3],
    ]);
    const plain = r() < 0.15;
    person.push([id, r() < 0.9 ? "id" : "en", plain, status, now, now, now]);
    const channel = r() < 0.8 ? "whatsapp" : "telegram";
    account.push([randomUUID(), id, channel, `${channel}-${i}`, r() > 0.03, now]);
    consent.push([randomUUID(), id, "data", true, "bench", channel, now]);
    profile.push([
      id,
      `Seeker ${i}`,
      weighted(CITY_WEIGHTS),
      `{${weighted(CATEGORY).join(",")}}`,
      weighted(EDUCATION),
      `{${sample(SKILL_WORDS, Math.floor(r() * 5))
        .map((s) => `"${s}"`)
        .join(",")}}`,
      `{${sample(SKILL_WORDS, Math.floor(r() * 3))
        .map((s) => `"${s}"`)
        .join(",")}}`,
      `{${weighted(MODES).join(",")}}`,
      now,
      now,
    ]);
  }
  await insertAll(client, {
    name: "Person",
    columns: [
      "id",
      "language",
      "plainLanguage",
      "status",
      "createdAt",
      "updatedAt",
      "lastActiveAt",
    ],
    types: ["uuid", "text", "bool", '"PersonStatus"', "timestamp", "timestamp", "timestamp"],
    rows: person,
  });
  await insertAll(client, {
    name: "ChannelAccount",
    columns: ["id", "personId", "channel", "externalId", "reachable", "createdAt"],
    types: ["uuid", "uuid", '"Channel"', "text", "bool", "timestamp"],
    rows: account,
  });
  await insertAll(client, {
    name: "ConsentRecord",
    columns: ["id", "personId", "purpose", "granted", "textVersion", "channel", "createdAt"],
    types: ["uuid", "uuid", "text", "bool", "text", '"Channel"', "timestamp"],
    rows: consent,
  });
  // The array columns travel as array literals (text) and are cast per row.
  const sql = `INSERT INTO "SeekerProfile" ("personId", "fullName", "cityCode", "disabilityCategories",
      education, skills, "jobTypes", "workModes", "registeredAt", "updatedAt")
    SELECT p, n, c, d::text[], e, s::text[], j::text[], w::text[], t1, t2
    FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                $8::text[], $9::timestamp[], $10::timestamp[]) AS u(p, n, c, d, e, s, j, w, t1, t2)`;
  for (let i = 0; i < profile.length; i += 10_000) {
    const batch = profile.slice(i, i + 10_000);
    await client.query(
      sql,
      Array.from({ length: 10 }, (_, c) => batch.map((row) => row[c])),
    );
  }
  await client.query("ANALYZE");
}

function vacancySpecs() {
  const big = CITIES.filter((_, i) => i % 5 === 0);
  return Array.from({ length: VACANCIES }, (_, i) => ({
    title: weighted([
      ["Staf Administrasi", 3],
      ["Penjahit Garmen", 2],
      ["Customer Service", 2],
      ["Operator Entri Data", 2],
      ["Juru Masak", 1],
      ["Terapis Pijat", 1],
      ["Desainer Grafis", 1],
    ]),
    employer: `PT Contoh ${i + 1}`,
    city: big[i % big.length]!.code,
    workMode: i % 5 === 4 ? "remote" : i % 7 === 3 ? "hybrid" : "onsite",
    minEducation: weighted([
      ["below_sd", 2],
      ["smp", 2],
      ["sma", 4],
      ["d3", 1],
      ["s1", 1],
    ]),
    skills: sample(SKILL_WORDS, 1 + Math.floor(r() * 3)),
    suitableFor: weighted([
      [[], 4],
      [["fisik", "rungu", "wicara"], 2],
      [["netra"], 1],
      [["fisik"], 1],
    ]),
    accommodations: [],
    openings: 1 + Math.floor(r() * 10),
    deadline: "2099-12-31",
    description: "Lowongan untuk pengukuran.",
    howToApply: "Lewat petugas.",
  }));
}

const ms = (x: number) => `${x.toFixed(1)} ms`;

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const value = await fn();
  return [value, performance.now() - started];
}

async function main() {
  const log = pino({ level: "silent" });
  const bench = await benchDatabase(log);
  const { db, prefix } = bench;
  const raw = new pg.Client({ connectionString: bench.url });
  const redis = createRedis(REDIS_URL);
  const queues = new Queues(redis, prefix);
  const deps = benchDeps(db, queues, log);
  try {
    await raw.connect();
    const [, genMs] = await timed(() => generateSeekers(raw));
    console.log(
      `generated ${SEEKERS.toLocaleString("en")} seekers in ${(genMs / 1000).toFixed(1)} s`,
    );

    const workers = await startWorkers({
      deps,
      connection: redis,
      prefix,
      inboundConcurrency: 1,
      channels: [], // pushes stay queued: this measures matching and fan-out, not sending
      relayIntervalMs: 0,
      vacancyPush: DEFAULT_PUSH_SETTINGS,
    });
    const who: StaffPrincipal = { actor: "token:bench", name: "bench", role: "staff", cities: [] };
    console.log("\npublish   matched   pushed   capped   until all outbox rows exist");
    const publishTimes: number[] = [];
    const ids: string[] = [];
    let totalPushed = 0;
    for (const [i, spec] of vacancySpecs().entries()) {
      const created = await createVacancy(db.prisma, createBody.parse(spec), who, new Date());
      if (!created.ok) throw new Error(created.message);
      const id = created.vacancy.id;
      ids.push(id);
      const started = performance.now();
      const published = await publishVacancy(deps, id, who, new Date());
      if (!published.ok) throw new Error(published.message);
      for (;;) {
        const v = await db.prisma.vacancy.findUniqueOrThrow({ where: { id } });
        if (v.pushedAt) break;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      const elapsed = performance.now() - started;
      publishTimes.push(elapsed);
      const pushed = await db.prisma.outbox.count({ where: { subject: `vacancy:${id}` } });
      totalPushed += pushed;
      const reached = await db.prisma.vacancyMatch.count({ where: { vacancyId: id } });
      console.log(
        `${String(i + 1).padStart(7)} ${String(published.matched).padStart(9)} ${String(pushed).padStart(8)} ${String(Math.max(0, published.matched - reached)).padStart(8)}   ${ms(elapsed)}`,
      );
    }
    await workers.close(5000);
    console.log(
      `median publish ${ms(median(publishTimes))}, max ${ms(Math.max(...publishTimes))}, ${totalPushed.toLocaleString("en")} pushes in all`,
    );

    // Matching: the query the worker runs (through Prisma) vs the same filter through plain pg.
    const since = new Date(Date.now() - 7 * 86_400_000);
    const prismaMs: number[] = [];
    const rawMs: number[] = [];
    for (const id of ids) {
      for (let k = 0; k < 3; k++) {
        prismaMs.push((await timed(() => matchCandidates(db.prisma, id, since, [id])))[1]);
        rawMs.push((await timed(() => raw.query(MATCH_SQL, [id])))[1]);
      }
    }
    const [mp, mr] = [median(prismaMs), median(rawMs)];
    console.log(
      `\nmatching query (median of ${prismaMs.length}): worker via Prisma ${ms(mp)}, ` +
        `same filter via pg ${ms(mr)}, ratio ${(mp / mr).toFixed(2)}x`,
    );

    // Fan-out insert: the worker's chunk writer vs a plain multi-row INSERT of the same rows.
    const people = (
      await raw.query<{ id: string; account: string; channel: string }>(
        `SELECT p.id, a.id AS account, a.channel::text AS channel FROM "Person" p
         JOIN "ChannelAccount" a ON a."personId" = p.id LIMIT ${FANOUT_ROWS}`,
      )
    ).rows;
    const fanVacancy = await createVacancy(
      db.prisma,
      createBody.parse({ ...vacancySpecs()[0], title: "Fan-out A" }),
      who,
      new Date(),
    );
    const rawVacancy = await createVacancy(
      db.prisma,
      createBody.parse({ ...vacancySpecs()[0], title: "Fan-out B" }),
      who,
      new Date(),
    );
    if (!fanVacancy.ok || !rawVacancy.ok) throw new Error("could not create vacancies");
    const message = { text: "x".repeat(300) };
    const payload = JSON.stringify(message);
    const planned = people.map(
      (p): Planned & { notBefore: Date | null; payload: { text: string } } => ({
        vacancy: fanVacancy.vacancy,
        candidate: {
          personId: p.id,
          score: 3,
          language: "id",
          plainLanguage: false,
          cityCode: "7371",
          accountId: p.account,
          channel: p.channel as "whatsapp",
          recent: 0,
          already: null,
        },
        notBefore: null,
        payload: message,
      }),
    );
    const [, oursMs] = await timed(async () => {
      for (let i = 0; i < planned.length; i += 1000)
        await writeChunk(db.prisma, planned.slice(i, i + 1000), new Date());
    });
    const [, rawInsertMs] = await timed(async () => {
      const now = new Date().toISOString();
      for (let i = 0; i < people.length; i += 1000) {
        const batch = people.slice(i, i + 1000);
        await raw.query("BEGIN");
        const m = batch.map((_, j) => `($1, $${j + 3}, 3, 'push', $2)`).join(", ");
        await raw.query(
          `INSERT INTO "VacancyMatch" ("vacancyId", "personId", score, via, "createdAt") VALUES ${m}`,
          [rawVacancy.vacancy.id, now, ...batch.map((p) => p.id)],
        );
        const o = batch
          .map(
            (_, j) =>
              `(gen_random_uuid(), $${j * 4 + 4}, $${j * 4 + 5}, $${j * 4 + 6}::"Channel", 'proactive', $${j * 4 + 7}, $1::jsonb, $2, $3)`,
          )
          .join(", ");
        await raw.query(
          `INSERT INTO "Outbox" (id, "personId", "channelAccountId", channel, kind, "idempotencyKey", payload, subject, "createdAt") VALUES ${o}`,
          [
            payload,
            `vacancy:${rawVacancy.vacancy.id}`,
            now,
            ...batch.flatMap((p) => [
              p.id,
              p.account,
              p.channel,
              `vacancy-${rawVacancy.vacancy.id}-${p.id}`,
            ]),
          ],
        );
        await raw.query("COMMIT");
      }
    });
    const oursRate = (people.length / oursMs) * 1000;
    const rawRate = (people.length / rawInsertMs) * 1000;
    console.log(
      `fan-out insert of ${people.length.toLocaleString("en")} pushes (match + outbox row each): ` +
        `worker ${Math.round(oursRate).toLocaleString("en")}/s, plain multi-row INSERT ` +
        `${Math.round(rawRate).toLocaleString("en")}/s, ratio ${(rawRate / oursRate).toFixed(2)}x slower`,
    );
  } finally {
    await queues.close();
    redis.disconnect();
    await raw.end().catch(() => {});
    await bench.cleanup();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
