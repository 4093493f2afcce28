/**
 * The message path's fast lane: many people's waiting messages in one short
 * transaction of four statements (BEGIN, lock-and-load, write, COMMIT),
 * whatever the number of people, instead of about twenty Prisma queries per
 * message.
 *
 * - Lock: `FOR UPDATE SKIP LOCKED` on the people. One another worker holds is
 *   left out and reported busy (its job looks again shortly), so per-person
 *   order holds across processes exactly as on the one-at-a-time path, which
 *   locks the same rows.
 * - Load: person, conversation, profile, consents, open handoff and their
 *   waiting messages in seq order, as one row per person.
 * - Run: the pure engine for each message in order, the person's view kept up
 *   to date in memory between their messages.
 * - Write: conversations, people, consents, data requests, profiles, the
 *   messages marked processed, the outbox rows and the registration steps
 *   reached (the drop-out funnel), in one statement.
 *
 * A turn that needs more (the catalog of vacancies and trainings) or has an
 * effect this lane does not write (handoffs, applications, seats, deletion)
 * is not applied here: that person's remaining messages are left waiting and
 * reported `slow`, for the one-at-a-time path (`drainPerson`) right after
 * this commit. Nothing is applied twice: a message is either processed in
 * this transaction or left `received`.
 */
import { randomUUID } from "node:crypto";
import type { SqlRunner } from "../db/sql.ts";
import { step } from "../engine/engine.ts";
import { applyToPerson } from "../engine/person.ts";
import { isConversationState } from "../engine/state.ts";
import type { Catalog, ConversationState, Effect, PersonView, Profile } from "../engine/types.ts";
import { currentConsents } from "../features/seekers/person-view.ts";
import { profileColumns, toProfile } from "../features/seekers/profile.ts";
import type { Channel, SeekerProfile } from "../generated/prisma/client.ts";
import type { OutboxRef } from "../outbox/outbox.ts";
import { type render, renderTurn } from "../outbox/render.ts";
import { loadCatalogs } from "./catalog-sql.ts";
import type { RunnerDeps } from "./deps.ts";
import { type FunnelRow, funnelRow } from "./funnel.ts";
import { failedStep, toEngineInput } from "./turn-input.ts";

/** What became of each person asked for. */
export type BatchOutcome =
  /** Their waiting messages are processed (or there were none). */
  | "done"
  /** Another worker holds them: look again shortly. */
  | "busy"
  /** Some messages are left for the one-at-a-time path. */
  | "slow";

export interface BatchResult {
  outcomes: Map<string, BatchOutcome>;
  /** Committed outbox rows, to queue. */
  refs: OutboxRef[];
  processed: number;
}

/** Effects this lane writes itself; any other sends the turn to the one-at-a-time path. */
const FAST_EFFECTS: ReadonlySet<Effect["type"]> = new Set([
  "reply",
  "setLanguage",
  "setPlainLanguage",
  "recordConsent",
  "saveProfile",
  "updateProfile",
  "setMessaging",
  "logDataRequest",
  "markSeen",
  "funnelStep",
]);

/**
 * What the batch writes itself. A withdrawn disability consent also clears
 * delivered message texts (apply-effects.ts): rare, so the one-at-a-time path.
 */
const fastEffect = (e: Effect) =>
  FAST_EFFECTS.has(e.type) &&
  !(e.type === "recordConsent" && e.purpose === "disability" && !e.granted);

/** Messages of one person taken per batch; more waiting makes them `slow` (drained after). */
const MESSAGES_PER_PERSON = 20;

interface LoadedRow {
  id: string;
  status: string;
  language: string;
  plainLanguage: boolean;
  state: unknown;
  profile: Record<string, unknown> | null;
  handoffOpen: boolean;
  /** Newest first. */
  consents: { purpose: string; granted: boolean }[] | null;
  messages: {
    id: string;
    payload: unknown;
    channel: Channel;
    account: string;
    phone: string | null;
  }[];
}

const LOAD = `
SELECT p.id, p.status::text AS status, p.language, p."plainLanguage",
  (SELECT c.state FROM "Conversation" c WHERE c."personId" = p.id) AS state,
  (SELECT to_jsonb(s) FROM "SeekerProfile" s WHERE s."personId" = p.id) AS profile,
  EXISTS (SELECT 1 FROM "Handoff" h WHERE h."personId" = p.id AND h.status = 'open') AS "handoffOpen",
  (SELECT jsonb_agg(jsonb_build_object('purpose', r.purpose, 'granted', r.granted)
            ORDER BY r."createdAt" DESC)
     FROM "ConsentRecord" r WHERE r."personId" = p.id) AS consents,
  COALESCE((SELECT jsonb_agg(m ORDER BY m.seq) FROM (
     SELECT i.id, i.seq, i.payload, i.channel, i."channelAccountId" AS account, a.phone
     FROM "InboundMessage" i LEFT JOIN "ChannelAccount" a ON a.id = i."channelAccountId"
     WHERE i."personId" = p.id AND i.status = 'received'
     ORDER BY i.seq LIMIT ${MESSAGES_PER_PERSON + 1}) m), '[]'::jsonb) AS messages
FROM "Person" p
WHERE p.id = ANY($1::uuid[])
ORDER BY p.id
FOR UPDATE OF p SKIP LOCKED`;

const PROFILE_COLUMNS = Object.keys(
  profileColumns({
    fullName: "",
    cityCode: "",
    cityOtherKind: undefined,
    cityOtherName: undefined,
    disabilityCategories: [],
    disabilityDeclined: false,
    education: "",
    skills: [],
    skillsWritten: [],
    experience: undefined,
    jobTypes: [],
    jobTypesWritten: [],
    workModes: [],
    accommodations: [],
    accommodationNote: undefined,
    communication: [],
    phone: undefined,
  } as Profile),
);
const quoted = (c: string) => `"${c}"`;

/** One statement for every write of the batch; each CTE touches its own table. */
const WRITE = `
WITH people AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb)
    AS x(id uuid, state jsonb, language text, plain boolean, status text)
), conversations AS (
  INSERT INTO "Conversation" ("personId", state, version, "updatedAt")
  SELECT id, state, 0, now() FROM people
  ON CONFLICT ("personId") DO UPDATE
    SET state = EXCLUDED.state, version = "Conversation".version + 1, "updatedAt" = now()
), persons AS (
  UPDATE "Person" p
  SET "lastActiveAt" = $2::timestamptz AT TIME ZONE 'UTC', language = x.language,
      "plainLanguage" = x.plain, status = COALESCE(x.status::"PersonStatus", p.status),
      "updatedAt" = now()
  FROM people x WHERE p.id = x.id
), inbound AS (
  UPDATE "InboundMessage" i
  SET status = 'processed', "processedAt" = $2::timestamptz AT TIME ZONE 'UTC',
      payload = CASE WHEN m.keep THEN i.payload ELSE NULL END
  FROM jsonb_to_recordset($3::jsonb) AS m(id uuid, keep boolean) WHERE i.id = m.id
), consents AS (
  INSERT INTO "ConsentRecord" (id, "personId", purpose, granted, "textVersion", channel, "createdAt")
  SELECT gen_random_uuid(), c.person, c.purpose, c.granted, c.version, c.channel::"Channel",
         -- Several decisions of one person in one batch keep their order (newest counts).
         now() + make_interval(secs => c.ord / 1000.0)
  FROM jsonb_to_recordset($4::jsonb)
    AS c(person uuid, purpose text, granted boolean, version text, channel text, ord int)
), requests AS (
  INSERT INTO "DataRequest" (id, "personId", kind, detail, channel, "createdAt")
  SELECT gen_random_uuid(), r.person, r.kind, r.detail, r.channel::"Channel", now()
  FROM jsonb_to_recordset($5::jsonb) AS r(person uuid, kind text, detail text, channel text)
), profiles AS (
  INSERT INTO "SeekerProfile" ("personId", ${PROFILE_COLUMNS.map(quoted).join(", ")}, "registeredAt", "updatedAt")
  SELECT s."personId", ${PROFILE_COLUMNS.map((c) => `s.${quoted(c)}`).join(", ")}, now(), now()
  FROM jsonb_populate_recordset(NULL::"SeekerProfile", $6::jsonb) s
  ON CONFLICT ("personId") DO UPDATE SET
    ${PROFILE_COLUMNS.map((c) => `${quoted(c)} = EXCLUDED.${quoted(c)}`).join(", ")}, "updatedAt" = now()
), seen AS (
  INSERT INTO "VacancyMatch" ("vacancyId", "personId", score, via, "createdAt")
  SELECT v.vacancy, v.person, v.score, 'chat', now()
  FROM jsonb_to_recordset($8::jsonb) AS v(vacancy uuid, person uuid, score int)
  ON CONFLICT DO NOTHING
), funnel AS (
  -- Registration steps reached (the drop-out funnel): no person, only step, day, channel,
  -- language and place; in this statement, so counting them costs no round trip.
  INSERT INTO "RegistrationStep" (day, step, channel, language, "cityCode")
  SELECT f.day, f.step, f.channel::"Channel", f.language, f."cityCode"
  FROM jsonb_to_recordset($9::jsonb)
    AS f(day date, step text, channel text, language text, "cityCode" text)
), outbox AS (
  INSERT INTO "Outbox" (id, "personId", "channelAccountId", channel, kind, "inboundId", payload, "createdAt")
  SELECT o.id, o.person, o.account, o.channel::"Channel", 'reply', o.inbound, o.payload, now()
  FROM jsonb_to_recordset($7::jsonb)
    AS o(id uuid, person uuid, account uuid, channel text, inbound uuid, payload jsonb, ord int)
  -- seq follows this order: replies go out in the order they were written.
  ORDER BY o.ord
)
SELECT 1`;

/** Loads, runs and writes one batch in one transaction. */
export async function runTurnBatch(
  deps: Pick<RunnerDeps, "sql" | "clock" | "log" | "serviceName">,
  personIds: string[],
): Promise<BatchResult> {
  return deps.sql.transaction(async (q) => {
    const rows = await q.query<LoadedRow>(LOAD, [personIds]);
    // Read once the people are locked: a later turn of a person (by another worker, after
    // this one commits) is never stamped earlier than this one.
    const now = deps.clock.now();
    const outcomes = new Map<string, BatchOutcome>();
    const writes = new BatchWrites();
    const runs = rows.map((row) => new PersonTurns(row, now, deps));
    const waiting: PersonTurns[] = [];
    for (const run of runs) {
      const outcome = run.run(writes);
      if (outcome === "catalog") waiting.push(run);
      else outcomes.set(run.id, outcome);
    }
    // Turns that need the open vacancies and trainings: loaded once for all of them.
    if (waiting.length > 0) {
      const catalogs = await loadCatalogs(
        q,
        waiting.map((r) => r.id),
        now,
      );
      for (const run of waiting) {
        const outcome = run.run(writes, catalogs.get(run.id));
        outcomes.set(run.id, outcome === "catalog" ? "slow" : outcome);
      }
    }
    for (const run of runs) run.finish(writes);
    for (const id of await missing(q, personIds, rows)) outcomes.set(id, "busy");
    for (const id of personIds) if (!outcomes.has(id)) outcomes.set(id, "done");
    if (writes.people.length > 0) await writes.flush(q, now);
    return { outcomes, refs: writes.refs, processed: writes.inbound.length };
  });
}

/** Asked for but not loaded: held by another worker (busy), unless there is no such person. */
async function missing(q: SqlRunner, asked: string[], rows: LoadedRow[]): Promise<string[]> {
  const loaded = new Set(rows.map((r) => r.id));
  const absent = asked.filter((id) => !loaded.has(id));
  if (absent.length === 0) return [];
  const exist = await q.query<{ id: string }>(
    `SELECT id FROM "Person" WHERE id = ANY($1::uuid[])`,
    [absent],
  );
  return exist.map((r) => r.id);
}

/** One person's waiting messages, run in order; it can stop for the catalog and go on. */
class PersonTurns {
  readonly id: string;
  private readonly person: PersonView;
  private state: ConversationState | null;
  private next = 0;
  private processed = 0;
  private stopped: BatchOutcome | null = null;
  /** The last `setMessaging` of these turns, if any. */
  private messaging: boolean | undefined;

  constructor(
    private readonly row: LoadedRow,
    private readonly now: Date,
    private readonly deps: Pick<RunnerDeps, "log" | "serviceName">,
  ) {
    this.id = row.id;
    this.person = toPersonView(row);
    this.state = isConversationState(row.state) ? row.state : null;
    // Written just as their data was deleted: the one-at-a-time path starts a new person.
    if (row.status === "deleted" && row.messages.length > 0) this.stopped = "slow";
  }

  /** Runs messages until done, or until one needs the catalog (`catalog` when not given). */
  run(writes: BatchWrites, catalog?: Catalog): BatchOutcome | "catalog" {
    if (this.stopped) return this.stopped;
    const messages = this.row.messages;
    for (; this.next < Math.min(messages.length, MESSAGES_PER_PERSON); this.next++) {
      const message = messages[this.next]!;
      this.person.channelPhone = message.phone ?? undefined;
      let result = this.step(message, undefined);
      if (result.needs === "catalog") {
        if (!catalog) return "catalog";
        result = this.step(message, catalog);
      }
      if (result.needs || result.effects.some((e) => !fastEffect(e))) {
        this.stopped = "slow";
        return this.stopped;
      }
      for (const effect of result.effects) {
        applyToPerson(this.person, effect);
        if (effect.type === "setMessaging") this.messaging = effect.active;
        if (effect.type === "funnelStep") {
          writes.funnel.push(funnelRow(effect, message.channel, this.person.language, this.now));
        }
        writes.effect(this.id, message.channel, effect);
      }
      const options = {
        language: this.person.language,
        plainLanguage: this.person.plainLanguage,
        serviceName: this.deps.serviceName,
      };
      const replies = result.effects.flatMap((e) => (e.type === "reply" ? [e.reply] : []));
      for (const payload of renderTurn(replies, options)) writes.reply(this.id, message, payload);
      writes.inbound.push({ id: message.id, keep: this.person.handoffOpen });
      this.state = result.state;
      this.processed += 1;
    }
    this.stopped = messages.length > MESSAGES_PER_PERSON ? "slow" : "done";
    return this.stopped;
  }

  /** Adds the person's state, settings and profile to the batch's writes. */
  finish(writes: BatchWrites): void {
    if (this.processed > 0 && this.state) {
      writes.person(this.id, this.state, this.person, this.messaging);
    }
  }

  private step(message: LoadedRow["messages"][number], catalog: Catalog | undefined) {
    try {
      return step(this.state, toEngineInput(message.payload), {
        now: this.now,
        person: structuredClone(this.person),
        ...(catalog ? { catalog } : {}),
      });
    } catch (error) {
      // A bug must not swallow the message or stop the queue: apologise, keep the state.
      this.deps.log.error({ err: (error as Error).message, personId: this.id }, "engine failed");
      return failedStep(this.state, this.now);
    }
  }
}

function toPersonView(row: LoadedRow): PersonView {
  return {
    language: row.language,
    plainLanguage: row.plainLanguage,
    messagingActive: row.status !== "stopped",
    consents: currentConsents(row.consents ?? []),
    // The row as JSON has the columns' names; its dates (strings here) are not read.
    profile: row.profile ? toProfile(row.profile as unknown as SeekerProfile) : null,
    handoffOpen: row.handoffOpen,
  };
}

/** Everything a batch writes, gathered as rows for one statement. */
class BatchWrites {
  readonly people: {
    id: string;
    state: ConversationState;
    language: string;
    plain: boolean;
    status: string | null;
  }[] = [];
  readonly inbound: { id: string; keep: boolean }[] = [];
  readonly refs: OutboxRef[] = [];
  readonly funnel: FunnelRow[] = [];
  private readonly consents: object[] = [];
  private readonly requests: object[] = [];
  private readonly profiles: object[] = [];
  private readonly outbox: object[] = [];
  private readonly seen: object[] = [];
  private readonly profileChanged = new Set<string>();

  effect(personId: string, channel: Channel, effect: Effect): void {
    switch (effect.type) {
      case "recordConsent":
        this.consents.push({
          person: personId,
          purpose: effect.purpose,
          granted: effect.granted,
          version: effect.textVersion,
          channel,
          ord: this.consents.length,
        });
        break;
      case "saveProfile":
      case "updateProfile":
        this.profileChanged.add(personId);
        break;
      case "markSeen":
        for (const m of effect.matches) {
          this.seen.push({ vacancy: m.vacancyId, person: personId, score: m.score });
        }
        break;
      case "logDataRequest":
        this.requests.push({
          person: personId,
          kind: effect.kind,
          detail: effect.detail ?? null,
          channel,
        });
        break;
      default:
        break;
    }
  }

  reply(
    personId: string,
    message: LoadedRow["messages"][number],
    payload: ReturnType<typeof render>,
  ): void {
    const id = randomUUID();
    this.outbox.push({
      id,
      person: personId,
      account: message.account,
      channel: message.channel,
      inbound: message.id,
      payload,
      ord: this.outbox.length,
    });
    this.refs.push({ id, channel: message.channel, kind: "reply" });
  }

  person(id: string, state: ConversationState, view: PersonView, messaging?: boolean): void {
    this.people.push({
      id,
      state,
      language: view.language,
      plain: view.plainLanguage,
      // As `setMessaging` on the one-at-a-time path (a deleted person never gets here).
      status: messaging === undefined ? null : messaging ? "active" : "stopped",
    });
    if (this.profileChanged.has(id) && view.profile) {
      this.profiles.push({ personId: id, ...profileColumns(view.profile) });
    }
  }

  async flush(q: SqlRunner, now: Date): Promise<void> {
    const json = (rows: object[]) => JSON.stringify(rows);
    await q.query(WRITE, [
      json(this.people),
      now.toISOString(),
      json(this.inbound),
      json(this.consents),
      json(this.requests),
      json(this.profiles),
      json(this.outbox),
      json(this.seen),
      json(this.funnel),
    ]);
  }
}
