import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { receive } from "../../src/runner/receive.ts";
import { waitFor } from "../helpers/fake-channel.ts";
import { createHarness, type Harness } from "../helpers/harness.ts";

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(async () => {
  await h.close();
});

const hello = (id: string) => ({
  channel: "console" as const,
  externalUserId: "joko",
  externalMessageId: id,
  text: "halo",
  receivedAt: new Date(),
});

describe("worker shutdown", () => {
  it("stops taking work but lets the active jobs finish", async () => {
    let open: () => void = () => {};
    const gate = new Promise<undefined>((resolve) => {
      open = () => resolve(undefined);
    });
    h.channel.behaviour = () => gate;
    const workers = await h.startWorkers();
    await receive(h.deps, hello("s1"));
    await waitFor(() => h.channel.attempts > 0, 10_000, "a send in progress");

    const closing = workers.close(5000);
    setTimeout(open, 300);
    expect(await closing).toEqual({ clean: true });
    // Every send that was in progress completed and was recorded as sent.
    expect(h.channel.sent).toHaveLength(h.channel.attempts);
    const rows = await h.prisma.outbox.findMany();
    for (const row of rows) expect(row.status === "sent").toBe(row.attempts === 1);
    expect(rows.filter((r) => r.status === "sent")).toHaveLength(h.channel.attempts);

    // Nothing more is taken after close.
    const attempts = h.channel.attempts;
    await receive(h.deps, hello("s1-later"));
    await new Promise((r) => setTimeout(r, 300));
    expect(h.channel.attempts).toBe(attempts);
  });

  it("is bounded: a job that does not finish in time does not block shutdown", async () => {
    let inSend = false;
    h.channel.behaviour = () =>
      new Promise(() => {
        inSend = true;
      });
    const workers = await h.startWorkers();
    await receive(h.deps, hello("s2"));
    await waitFor(() => inSend);
    const started = Date.now();
    expect(await workers.close(300)).toEqual({ clean: false });
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
