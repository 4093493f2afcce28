/**
 * A worker process killed with SIGKILL in the middle of a vacancy's fan-out:
 * after a restart every matched seeker gets the push exactly once.
 */
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consoleInboxKey } from "../../src/channels/console/adapter.ts";
import { systemClock } from "../../src/lib/clock.ts";
import { type CrashRig, crashRig } from "../helpers/crash.ts";
import { waitFor } from "../helpers/fake-channel.ts";
import { publishedVacancy } from "../helpers/vacancies.ts";

const SEEKERS = 1000;

let rig: CrashRig;
const worker = () => rig.worker({ VACANCY_PUSH_CHUNK: "20" });

beforeAll(async () => {
  rig = await crashRig(SEEKERS, "u");
});
afterAll(() => rig.close());

describe("a worker killed in the middle of a fan-out", () => {
  it("leaves every matched seeker with exactly one push after a restart", async () => {
    // Sending waits until the fan-out is judged, so only the fan-out is interrupted.
    await rig.queues.get("send-console").pause();
    const deps = {
      prisma: rig.db.prisma,
      queues: rig.queues,
      clock: systemClock,
      log: pino({ level: "silent" }),
    };
    const { vacancy, matched } = await publishedVacancy(deps);
    expect(matched).toBe(SEEKERS);
    const rows = () => rig.db.prisma.outbox.count({ where: { subject: `vacancy:${vacancy.id}` } });

    const first = worker();
    await waitFor(async () => (await rows()) >= 100, 60_000, "the fan-out to be under way");
    first.child.kill("SIGKILL");
    await first.exited;
    const atKill = await rows();
    expect(atKill).toBeLessThan(SEEKERS);

    worker();
    await waitFor(
      async () =>
        (await rig.db.prisma.vacancy.findUniqueOrThrow({ where: { id: vacancy.id } })).pushedAt !==
        null,
      60_000,
      "the restarted worker to finish the fan-out",
    );
    expect(await rows()).toBe(SEEKERS);
    await rig.queues.get("send-console").resume();
    const delivered = async () => {
      const lengths = await Promise.all(
        Array.from({ length: SEEKERS }, (_, i) =>
          rig.redis.llen(consoleInboxKey(rig.prefix, `u${i}`)),
        ),
      );
      return lengths;
    };
    await waitFor(
      async () => (await delivered()).every((n) => n >= 1),
      90_000,
      "every seeker's push",
    );
    await new Promise((r) => setTimeout(r, 1000));
    const lengths = await delivered();
    expect(lengths.filter((n) => n !== 1)).toEqual([]);
    expect(await rig.db.prisma.outbox.count({ where: { status: "sent" } })).toBe(SEEKERS);
    expect(await rig.db.prisma.vacancyMatch.count({ where: { vacancyId: vacancy.id } })).toBe(
      SEEKERS,
    );
  }, 240_000);
});
