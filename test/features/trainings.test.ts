import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cancelTraining, updateTraining } from "../../src/features/trainings/mutations.ts";
import {
  DEFAULT_REMINDER_SETTINGS,
  reconcileReminders,
  reminderJobId,
} from "../../src/features/trainings/reminders.ts";
import { fixedClock } from "../../src/lib/clock.ts";
import { deliverReminders } from "../../src/runner/reminder.ts";
import { REGISTRATION_SCRIPT } from "../fixtures/registration.ts";
import { waitFor } from "../helpers/fake-channel.ts";
import { createHarness, type Harness } from "../helpers/harness.ts";
import { createdTraining } from "../helpers/trainings.ts";
import { STAFF } from "../helpers/vacancies.ts";

let h: Harness;
let workers: Awaited<ReturnType<Harness["startWorkers"]>>;
beforeEach(async () => {
  h = await createHarness();
  workers = await h.startWorkers();
});
afterEach(async () => {
  await h.close();
});

const START = new Date("2027-01-11T01:00:00Z"); // Monday 09:00 WITA
const minutesBefore = (minutes: number) => new Date(START.getTime() - minutes * 60_000);
const settings = DEFAULT_REMINDER_SETTINGS;

const enrollmentOf = async (user: string, trainingId: string) => {
  const account = await h.prisma.channelAccount.findFirstOrThrow({ where: { externalId: user } });
  return h.prisma.enrollment.findUniqueOrThrow({
    where: { trainingId_personId: { trainingId, personId: account.personId } },
  });
};
const jobIds = async () =>
  (await h.queues.get("reminder").getJobs(["delayed", "waiting", "prioritized", "wait"])).map(
    (j) => j.id,
  );
const ids = (trainingId: string, startsAt = START) =>
  settings.offsets.map((offsetMinutes) =>
    reminderJobId({ trainingId, offsetMinutes, startsAt: startsAt.getTime() }),
  );
const sent = (n: number) => ({ outcome: "sent", sent: n, skipped: 0 });
const last = (user: string) => h.channel.textsTo(user).at(-1) ?? "";

async function twoPeopleOneSeat() {
  const training = await createdTraining(h.prisma, { capacity: 1 });
  await h.chat("ani", ...REGISTRATION_SCRIPT);
  await h.chat("budi", ...REGISTRATION_SCRIPT);
  const [, , enrolled] = await h.chat("ani", "pelatihan", "1", "1");
  expect(enrolled!.join("\n")).toContain(
    "Anda sudah terdaftar di pelatihan Menjahit Tingkat Dasar, Senin, 11 Januari 2027, 09.00 WITA.",
  );
  const [waiting] = await h.chat("budi", `pelatihan ${training.ref}`, "1").then((a) => a.slice(1));
  expect(waiting!.join("\n")).toContain("Anda masuk daftar tunggu, nomor 1.");
  return training;
}

describe("trainings", () => {
  it("enrols, waitlists, and promotes the next person when a seat frees; reminders follow the seat", async () => {
    const training = await twoPeopleOneSeat();
    const ani = await enrollmentOf("ani", training.id);
    const budi = await enrollmentOf("budi", training.id);
    expect([ani.status, budi.status]).toEqual(["enrolled", "waitlisted"]);
    // One job per training and offset, whoever is enrolled.
    expect((await jobIds()).sort()).toEqual(ids(training.id).sort());
    const dayBefore = await h.queues.get("reminder").getJob(ids(training.id)[0]!);
    expect(
      Math.abs(Date.now() + dayBefore!.opts.delay! - minutesBefore(1440).getTime()),
    ).toBeLessThan(60_000);

    const [, cancelled] = await h.chat("ani", `pelatihan ${training.ref}`, "1");
    expect(cancelled!.join("\n")).toContain(
      "Pendaftaran Anda di pelatihan Menjahit Tingkat Dasar sudah dibatalkan.",
    );
    await waitFor(() => last("budi").startsWith("Kabar baik"), 10_000, "Budi told");
    expect(last("budi")).toContain("Anda sekarang terdaftar.");
    expect((await enrollmentOf("budi", training.id)).status).toBe("enrolled");
    expect(budi.status).toBe("waitlisted");
    expect((await jobIds()).sort()).toEqual(ids(training.id).sort());
  });

  it("sends a reminder at its time, asks 1 hadir / 2 berhalangan, and records the answer", async () => {
    const training = await twoPeopleOneSeat();
    const clock = fixedClock(minutesBefore(120));
    const deps = { ...h.deps, clock };
    const job = { trainingId: training.id, offsetMinutes: 120, startsAt: START.getTime() };
    expect(await deliverReminders(deps, job)).toEqual(sent(1)); // Ani; Budi is waiting
    expect(await deliverReminders(deps, job)).toEqual({ outcome: "sent", sent: 0, skipped: 1 });
    await waitFor(() => last("ani").startsWith("Pengingat"), 10_000, "the reminder");
    expect(last("ani")).toBe(
      "Pengingat dari PKI Kota Uji: pelatihan Menjahit Tingkat Dasar mulai Senin, 11 Januari 2027, 09.00 WITA.\n" +
        "Tempat: Jl. Urip Sumoharjo 5, Kota Makassar.\n" +
        "Apakah Anda akan hadir? Ketik 1 atau 2:\n1. Saya hadir\n2. Saya berhalangan",
    );
    // The day-before one, firing late (a worker was down), is superseded by the due 2-hour one.
    expect(await deliverReminders(deps, { ...job, offsetMinutes: 1440 })).toEqual({
      outcome: "superseded",
    });

    const [answer] = await h.chat("ani", "2");
    expect(answer!.join("\n")).toContain("Terima kasih sudah memberi tahu.");
    const after = await enrollmentOf("ani", training.id);
    expect([after.status, after.attendance]).toEqual(["cancelled", "absent"]);
    await waitFor(() => last("budi").startsWith("Kabar baik"), 10_000, "Budi promoted");

    // Budi had the seat before the reminder was due (his promotion was long before): he gets it
    // from the same job running again; Ani is not reminded twice.
    expect(
      await deliverReminders({ ...h.deps, clock: fixedClock(minutesBefore(119)) }, job),
    ).toEqual(sent(1));
    await waitFor(() => last("budi").startsWith("Pengingat"), 10_000, "Budi's reminder");
    await h.chat("budi", "hadir");
    expect((await enrollmentOf("budi", training.id)).attendance).toBe("attending");
  });

  it("checks at fire time: a cancelled seat, a moved or cancelled training, a start that passed", async () => {
    const training = await twoPeopleOneSeat();
    const job = { trainingId: training.id, offsetMinutes: 120, startsAt: START.getTime() };
    const at = (d: Date) => ({ ...h.deps, clock: fixedClock(d) });
    expect(await deliverReminders(at(START), job)).toEqual({ outcome: "started" });
    expect(await deliverReminders(at(new Date(START.getTime() + 60_000)), job)).toEqual({
      outcome: "started",
    });

    const moved = new Date(START.getTime() + 86_400_000);
    const deps = { ...h.deps, reminders: settings };
    const result = await updateTraining(deps, training.id, { startsAt: moved }, STAFF, new Date());
    expect(result.ok).toBe(true);
    expect(await deliverReminders(at(minutesBefore(120)), job)).toEqual({ outcome: "stale" });
    // The old jobs are gone, the new ones are there; both people are told the new time.
    expect((await jobIds()).sort()).toEqual(ids(training.id, moved).sort());
    await waitFor(() => last("budi").startsWith("Jadwal pelatihan"), 10_000, "Budi told");
    expect(last("ani")).toContain("Waktu yang baru: Selasa, 12 Januari 2027, 09.00 WITA.");

    const cancelled = await cancelTraining(deps, training.id, STAFF, new Date());
    expect(cancelled).toMatchObject({ ok: true, told: 2 });
    expect(await jobIds()).toEqual([]);
    const movedJob = { ...job, startsAt: moved.getTime() };
    expect(await deliverReminders(at(new Date(moved.getTime() - 7_200_000)), movedJob)).toEqual({
      outcome: "stale",
    });
    await waitFor(() => last("ani").startsWith("Maaf, pelatihan"), 10_000, "Ani told");
    expect(last("ani")).toContain("dibatalkan oleh penyelenggara");
  });

  it("does not remind people who stopped messages, nor change their conversation", async () => {
    const training = await createdTraining(h.prisma, { capacity: 5 });
    await h.chat("ani", ...REGISTRATION_SCRIPT, "pelatihan", "1", "1", "berhenti");
    const job = { trainingId: training.id, offsetMinutes: 120, startsAt: START.getTime() };
    const result = await deliverReminders(
      { ...h.deps, clock: fixedClock(minutesBefore(120)) },
      job,
    );
    expect(result).toEqual({ outcome: "sent", sent: 0, skipped: 1 });
    const [menu] = await h.chat("ani", "menu");
    expect(menu!.join("\n")).toContain("Menu utama.");
  });

  it("rebuilds lost reminder jobs from the database, and catches up on what fell due while down", async () => {
    const training = await createdTraining(h.prisma, { capacity: 5 });
    await h.chat("ani", ...REGISTRATION_SCRIPT, "pelatihan", "1", "1");
    await h.queues.get("reminder").obliterate({ force: true }); // Redis lost everything
    expect(await jobIds()).toEqual([]);
    expect(await reconcileReminders(h.deps, new Date(), settings)).toEqual({
      trainings: 1,
      jobs: 2,
    });
    expect((await jobIds()).sort()).toEqual(ids(training.id).sort());

    // Down from well before the day-before reminder until 90 minutes before the start. (The
    // queue is paused so this test's fixed clock, not the running worker's, judges the jobs.)
    await h.queues.get("reminder").obliterate({ force: true });
    await h.queues.get("reminder").pause();
    const clock = fixedClock(minutesBefore(90));
    const deps = { ...h.deps, clock };
    await reconcileReminders(deps, clock.now(), settings);
    const outcomes = await Promise.all(
      (await h.queues.get("reminder").getJobs(["waiting", "wait", "delayed", "prioritized"])).map(
        (j) => deliverReminders(deps, j.data),
      ),
    );
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(["sent", "superseded"]);
    await waitFor(() => last("ani").startsWith("Pengingat"), 10_000, "the reminder");
    expect(h.channel.textsTo("ani").filter((t) => t.startsWith("Pengingat"))).toHaveLength(1);
    // After the start nothing is planned any more.
    expect(await reconcileReminders(h.deps, START, settings)).toEqual({ trainings: 0, jobs: 0 });
  });

  it("fires a reminder by itself at its time, through the delayed job", async () => {
    // Workers read their settings when they start: these remind one minute before the start.
    await workers.close(5_000);
    h.deps.reminders = { offsets: [1] };
    await h.startWorkers();
    const startsAt = new Date(Math.ceil((Date.now() + 75_000) / 1000) * 1000);
    const training = await createdTraining(h.prisma, { startsAt: startsAt.toISOString() });
    await h.chat("ani", ...REGISTRATION_SCRIPT, `pelatihan ${training.ref}`, "1");
    const due = startsAt.getTime() - 60_000;
    await waitFor(() => last("ani").startsWith("Pengingat"), 30_000, "the reminder");
    const row = await h.prisma.outbox.findFirstOrThrow({
      where: { idempotencyKey: { startsWith: "reminder-" } },
    });
    expect(row.createdAt.getTime()).toBeGreaterThanOrEqual(due);
  });

  it("shows each city's own zone: WIB, WITA, WIT", async () => {
    await createdTraining(h.prisma, {
      city: "1171",
      title: "Barista Aceh",
      startsAt: "2027-01-11T09:00:00+07:00",
    });
    await createdTraining(h.prisma, {
      city: "8171",
      title: "Tenun Ambon",
      startsAt: "2027-01-11T09:00:00+09:00",
    });
    await createdTraining(h.prisma, {
      title: "Kelas Online",
      online: true,
      venue: "https://meet.example/x",
      startsAt: "2027-01-11T09:00:00+07:00",
    });
    const [, list] = await h.chat("guest", "halo", "1", "tidak", "2").then((a) => a.slice(2));
    const text = list!.join("\n");
    // List lines leave out the weekday (the details say it).
    expect(text).toContain("Barista Aceh, BLK Makassar. 11 Januari 2027, 09.00 WIB.");
    expect(text).toContain("Tenun Ambon, BLK Makassar. 11 Januari 2027, 09.00 WIT.");
    // A guest has no city: online trainings in WIB.
    expect(text).toContain("Kelas Online, BLK Makassar. 11 Januari 2027, 09.00 WIB. Online");
  });
});
