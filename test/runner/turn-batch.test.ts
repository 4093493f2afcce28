/**
 * The batch lane (turn-batch.ts) against the one-at-a-time path
 * (process.ts): the same messages leave the same data and the same replies,
 * whichever path took them; turns it does not handle are left for the other.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Catalog } from "../../src/engine/types.ts";
import { loadCatalog } from "../../src/runner/catalog.ts";
import { loadCatalogs } from "../../src/runner/catalog-sql.ts";
import { drainPerson } from "../../src/runner/process.ts";
import { receive } from "../../src/runner/receive.ts";
import { runTurnBatch } from "../../src/runner/turn-batch.ts";
import { REGISTRATION_SCRIPT } from "../fixtures/registration.ts";
import { waitFor } from "../helpers/fake-channel.ts";
import { createHarness, type Harness } from "../helpers/harness.ts";
import { createdTraining } from "../helpers/trainings.ts";
import { publishedVacancy } from "../helpers/vacancies.ts";

let h: Harness;

let counter = 0;
async function store(user: string, texts: readonly string[]): Promise<string> {
  let personId = "";
  for (const text of texts) {
    counter += 1;
    const stored = await receive(h.deps, {
      channel: "console",
      externalUserId: user,
      externalMessageId: `${user}-${counter}`,
      text,
      receivedAt: new Date(),
    });
    personId = stored.personId;
  }
  return personId;
}

/** What a person's messages left behind, without ids and times. */
async function footprint(personId: string) {
  const profile = await h.prisma.seekerProfile.findUnique({ where: { personId } });
  const person = await h.prisma.person.findUniqueOrThrow({ where: { id: personId } });
  const consents = await h.prisma.consentRecord.findMany({
    where: { personId },
    orderBy: { createdAt: "asc" },
  });
  const replies = await h.prisma.outbox.findMany({ where: { personId }, orderBy: { seq: "asc" } });
  const inbound = await h.prisma.inboundMessage.findMany({ where: { personId } });
  const conversation = await h.prisma.conversation.findUnique({ where: { personId } });
  const {
    registeredAt: _r,
    updatedAt: _u,
    personId: _p,
    ...profileData
  } = profile ?? {
    registeredAt: null,
    updatedAt: null,
    personId: null,
  };
  const state = conversation?.state as Record<string, unknown> | undefined;
  return {
    profile: profileData,
    person: { language: person.language, plain: person.plainLanguage, status: person.status },
    consents: consents.map((c) => [c.purpose, c.granted, c.textVersion, c.channel]),
    replies: replies.map((r) => [r.kind, r.status, r.payload]),
    inbound: inbound.map((m) => [m.status, m.payload]),
    state: { flow: state?.flow, step: state?.step, draft: state?.draft },
  };
}

describe.each(["postgres", "embedded"] as const)("the batch lane on %s", (kind) => {
  beforeAll(async () => {
    // No workers: each test decides which path processes the stored messages.
    h = await createHarness(kind);
  });
  afterAll(async () => {
    await h.close();
  });

  it("leaves the same data and replies as the one-at-a-time path for a whole registration", async () => {
    await publishedVacancy(h.deps, {
      title: "Penjahit",
      skills: ["menjahit"],
      minEducation: "smp",
    });
    const one = await store("one-at-a-time", REGISTRATION_SCRIPT);
    const many = await store("batched", REGISTRATION_SCRIPT);

    const slow = await drainPerson(h.deps, one);
    expect(slow.processed).toBe(REGISTRATION_SCRIPT.length);
    const batch = await runTurnBatch(h.deps, [many]);
    expect(batch.outcomes.get(many)).toBe("done");
    expect(batch.processed).toBe(REGISTRATION_SCRIPT.length);

    const a = await footprint(one);
    const b = await footprint(many);
    expect(b).toEqual(a);
    expect(b.profile).toMatchObject({ fullName: "Ani Lestari", cityCode: "7371" });
    expect(b.inbound.every(([status]) => status === "processed")).toBe(true);
    // The last turn told them about the matching vacancy and recorded it as seen, as the other path.
    expect(await h.prisma.vacancyMatch.count({ where: { personId: many, via: "chat" } })).toBe(
      await h.prisma.vacancyMatch.count({ where: { personId: one, via: "chat" } }),
    );
    expect(await h.prisma.vacancyMatch.count({ where: { personId: many } })).toBeGreaterThan(0);
    // Both paths record the same registration steps for the funnel (the batch in its one
    // statement): each step once per person, "done" included.
    const steps = await h.prisma.registrationStep.groupBy({ by: ["step"], _count: true });
    expect(steps.map((s) => s.step)).toEqual(
      expect.arrayContaining(["consent", "summary", "done"]),
    );
    expect(steps.every((s) => s._count === 2)).toBe(true);
  });

  it("runs many people in one transaction, each in their own order", async () => {
    const people = await Promise.all(
      Array.from({ length: 12 }, (_, i) => store(`crowd-${i}`, REGISTRATION_SCRIPT.slice(0, 6))),
    );
    const batch = await runTurnBatch(h.deps, people);
    expect([...batch.outcomes.values()].every((o) => o === "done")).toBe(true);
    expect(batch.processed).toBe(12 * 6);
    for (const personId of people) {
      const replies = await h.prisma.outbox.findMany({
        where: { personId },
        orderBy: { seq: "asc" },
        include: { person: false },
      });
      const inbound = await h.prisma.inboundMessage.findMany({
        where: { personId },
        orderBy: { seq: "asc" },
      });
      // Replies follow the messages' order.
      const order = replies.map((r) => r.inboundId).filter((id, i, all) => id !== all[i - 1]);
      expect(order).toEqual(inbound.map((m) => m.id));
    }
  });

  it("leaves a turn with an effect it does not write (a handoff) for the other path, and nothing twice", async () => {
    const personId = await store("asks-for-staff", ["halo", "1", "petugas", "menu"]);
    const batch = await runTurnBatch(h.deps, [personId]);
    expect(batch.outcomes.get(personId)).toBe("slow");
    // The greeting and the language choice were taken; "petugas" and what follows wait.
    expect(batch.processed).toBe(2);
    const waiting = await h.prisma.inboundMessage.count({
      where: { personId, status: "received" },
    });
    expect(waiting).toBe(2);
    const drained = await drainPerson(h.deps, personId);
    expect(drained.processed).toBe(2);
    expect(await h.prisma.handoff.count({ where: { personId, status: "open" } })).toBe(1);
  });

  it("loads the same catalog as the one-at-a-time path", async () => {
    const now = new Date();
    const { vacancy } = await publishedVacancy(h.deps, {
      title: "Operator Komputer",
      wage: "Rp 4.000.000",
      accessibilityNote: "Lift dan toilet aksesibel",
    });
    await publishedVacancy(h.deps, { title: "Kasir" });
    const training = await createdTraining(h.prisma, { capacity: 1 });
    await createdTraining(h.prisma, { title: "Barista", online: true, city: "3173" });
    const personId = await store("catalog", ["halo"]);
    const other = await store("catalog-other", ["halo"]);
    await h.prisma.application.create({
      data: { vacancyId: vacancy.id, personId, channel: "console" },
    });
    await h.prisma.vacancyMatch.create({
      data: { vacancyId: vacancy.id, personId, score: 3, via: "push" },
    });
    await h.prisma.enrollment.create({
      data: { trainingId: training.id, personId, status: "enrolled", channel: "console" },
    });
    await h.prisma.enrollment.create({
      data: { trainingId: training.id, personId: other, status: "waitlisted", channel: "console" },
    });

    const expected = await h.prisma.$transaction((tx) => loadCatalog(tx, personId, now));
    const got = await h.deps.sql.transaction((q) => loadCatalogs(q, [personId], now));
    expect(sorted(got.get(personId)!)).toEqual(sorted(expected));
    expect(got.get(personId)!.trainings.find((t) => t.id === training.id)).toMatchObject({
      enrolled: 1,
      waiting: 1,
    });
  });
});

// The embedded store is one session in one process: there is no other worker to hold a row.
describe("the batch lane beside another worker (PostgreSQL)", () => {
  beforeAll(async () => {
    h = await createHarness("postgres");
  });
  afterAll(async () => {
    await h.close();
  });

  it("stores a message that arrives while a worker holds the person after that worker is done", async () => {
    const personId = await store("arrives-late", ["halo"]);
    const bystander = await store("bystander", ["halo"]);
    const bystanderAccount = await h.prisma.channelAccount.findFirstOrThrow({
      where: { personId: bystander },
    });
    // A worker holding the person, as a batch does between its load and its commit.
    const holder = await holdPerson(personId);
    const arriving = store("arrives-late", ["menu"]);
    // It waits for the person's lock before it takes a place in line.
    await waitFor(
      async () =>
        (
          await h.prisma.$queryRaw<{ n: number }[]>`
            SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE wait_event_type = 'Lock' AND query LIKE '%InboundMessage%'`
        )[0]!.n > 0,
      30_000,
      "the message to wait for the person",
    );
    expect(await h.prisma.inboundMessage.count({ where: { personId } })).toBe(1);
    // Someone else writes meanwhile (not through this process's batch, which is waiting).
    const other = await h.prisma.inboundMessage.create({
      data: {
        channel: "console",
        externalMessageId: "bystander-meanwhile",
        personId: bystander,
        channelAccountId: bystanderAccount.id,
        receivedAt: new Date(),
        payload: { text: "menu" },
      },
    });
    await holder.release();
    await arriving;
    const [first, late] = await h.prisma.inboundMessage.findMany({
      where: { personId },
      orderBy: { seq: "asc" },
    });
    expect(late).toBeDefined();
    // Its place in line was taken when it got the person, not before it waited.
    expect(late!.seq).toBeGreaterThan(other.seq);
    expect(first!.seq).toBeLessThan(other.seq);
  });

  it("reports a person another worker holds as busy and leaves their messages alone", async () => {
    const personId = await store("held", ["halo"]);
    const holder = await holdPerson(personId);
    const batch = await runTurnBatch(h.deps, [personId]);
    await holder.release();
    expect(batch.outcomes.get(personId)).toBe("busy");
    expect(batch.processed).toBe(0);
    expect(await h.prisma.inboundMessage.count({ where: { personId, status: "received" } })).toBe(
      1,
    );
  });
});

/** Locks the person as a worker does, until released. */
async function holdPerson(personId: string): Promise<{ release(): Promise<void> }> {
  let release: () => void = () => {};
  const held = new Promise<void>((r) => {
    release = r;
  });
  let locked: () => void = () => {};
  const isLocked = new Promise<void>((r) => {
    locked = r;
  });
  const transaction = h.deps.sql.transaction(async (q) => {
    await q.query(`SELECT 1 FROM "Person" WHERE id = $1::uuid FOR UPDATE`, [personId]);
    locked();
    await held;
  });
  await isLocked;
  return {
    async release() {
      release();
      await transaction;
    },
  };
}

const sorted = (c: Catalog) => ({
  ...c,
  applied: [...c.applied].sort(),
  seen: [...c.seen].sort(),
  enrollments: [...c.enrollments].sort((a, b) => a.trainingId.localeCompare(b.trainingId)),
});
